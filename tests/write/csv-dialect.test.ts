/**
 * The CSV dialects of SPEC §1 (ledgers, read) and §4/§7 (reports, written).
 *
 * Writing: `tableToCsv` is compared byte for byte with csv-stringify (a
 * reference implementation) on random text: `{ bom: true, record_delimiter:
 * 'windows', quote_record_delimiter: true }` after applying the formula guard
 * of SPEC §4 gives the same bytes. Where they differ is pinned down too:
 * without `quote_record_delimiter: true`, csv-stringify leaves a lone LF or
 * CR unquoted once `record_delimiter` is set (a broken record; SPEC §7
 * quotes on CR and LF); csv-stringify's own
 * `escape_formulas` also guards the full-width ＝ ＋ － ＠ (U+FF1D, U+FF0B,
 * U+FF0D, U+FF20) and guards header cells; SPEC §4 guards exactly = + - @
 * tab CR, in text fields only (LibreOffice does not take a full-width
 * equals sign for a formula: tests/spreadsheet.test.ts).
 *
 * Reading: the sources a report cites are the physical lines of the ledger,
 * also after quoted fields that span lines with LF or CRLF.
 */
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { table, type Table } from '../../src/report/table.js';
import { tableToCsv } from '../../src/write/csv.js';
import { HOSTILE_TEXT } from '../support/ledger-set.js';
import { CSV_REPORTS, parseReport, readLedgerDir, reportRows, runReports } from '../support/pipeline.js';
import { HEADER } from '../support/ledger-text.js';

let runs = 0;
afterAll(() => console.log(`csv dialect: ${runs} generated tables compared with csv-stringify`));

/** SPEC §4: a text field that begins with =, +, -, @, tab or CR gets a leading apostrophe. Written here, not imported. */
const guard = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/** Characters that matter to the dialect, mixed with anything else. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(',', '"', '\r', '\n', '\r\n', '=', '+', '-', '@', '\t', "'", ' ', ';', '\uFEFF', '＝', '＋', '－', '＠', 'é', '🚀', '0', '1.5') },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);
const text = fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(''));

const tables: fc.Arbitrary<Table> = fc
  .integer({ min: 1, max: 6 })
  .chain((width) =>
    fc.record({
      header: fc.array(fc.constantFrom('company', 'id', 'amount', 'source', 'detail', 'a_b'), { minLength: width, maxLength: width }),
      kinds: fc.array(fc.constantFrom('text' as const, 'number' as const), { minLength: width, maxLength: width }),
      rows: fc.array(fc.array(text, { minLength: width, maxLength: width }), { maxLength: 8 }),
    }),
  )
  .map(({ header, kinds, rows }) => {
    const t = table(header.map((h, i) => [h, kinds[i] as 'text' | 'number'] as const));
    t.rows.push(...rows);
    return t;
  });

/** What the reference writes for a table: the guard on text fields, then plain RFC 4180 with CRLF. */
function reference(t: Table, bom: boolean): string {
  const records = [t.header, ...t.rows.map((r) => r.map((v, i) => (t.text[i] ? guard(v) : v)))];
  return stringify(records as string[][], { bom, record_delimiter: 'windows', quote_record_delimiter: true });
}

describe('report dialect (writing)', () => {
  it('tableToCsv writes the same bytes as csv-stringify { bom: true, record_delimiter: "windows", quote_record_delimiter: true } after the formula guard', () => {
    fc.assert(
      fc.property(tables, fc.boolean(), (t, bom) => {
        runs++;
        expect(tableToCsv(t, { bom })).toBe(reference(t, bom));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads back, with a strict RFC 4180 reader, to exactly the guarded values', () => {
    fc.assert(
      fc.property(tables, (t) => {
        runs++;
        const written = tableToCsv(t, { bom: true });
        expect(written.startsWith('\uFEFF')).toBe(true);
        expect(written.endsWith('\r\n')).toBe(true);
        // parseReport is strict: quotes only where RFC 4180 allows them, CRLF after every record.
        expect(parseReport(written)).toEqual([t.header, ...t.rows.map((r) => r.map((v, i) => (t.text[i] ? guard(v) : v)))]);
      }),
      { numRuns: 300 },
    );
  });

  it('differs from csv-stringify’s own escape_formulas only where SPEC §4 differs by design', () => {
    fc.assert(
      fc.property(text, (value) => {
        runs++;
        const t = table([['name', 'text']]);
        t.rows.push([value]);
        const ours = tableToCsv(t, { bom: false });
        const theirs = stringify([['name'], [value]], { record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true });
        const plain = (v: string): string => stringify([['name'], [v]], { record_delimiter: 'windows', quote_record_delimiter: true });
        if (/^[\uFF1D\uFF0B\uFF0D\uFF20]/.test(value)) {
          // csv-stringify also guards the full-width forms (for Apple Numbers); SPEC §4 does not.
          expect(ours).toBe(plain(value));
          expect(theirs).toBe(plain(`'${value}`));
        } else {
          expect(theirs).toBe(ours);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('quotes a lone LF or CR, where csv-stringify with only record_delimiter "windows" does not (and breaks the record)', () => {
    // csv-stringify sets quote_record_delimiter to false when record_delimiter is given: it then quotes a
    // field for CRLF (or a trailing CR) but not for a lone LF or CR. SPEC §7 quotes on CR and LF.
    for (const value of ['a\nb', 'a\rb', '\n']) {
      const t = table([['name', 'text']]);
      t.rows.push([value]);
      expect(tableToCsv(t, { bom: false })).toBe(`name\r\n"${value}"\r\n`);
      expect(stringify([['name'], [value]], { record_delimiter: 'windows' })).toBe(`name\r\n${value}\r\n`);
    }
  });

  it('never guards numbers and never quotes them', () => {
    const t = table([
      ['label', 'text'],
      ['amount', 'number'],
    ]);
    t.rows.push(['-2', '-2.00'], ['+1', '1.50'], ['=1+1', '0']);
    expect(tableToCsv(t, { bom: false })).toBe("label,amount\r\n'-2,-2.00\r\n'+1,1.50\r\n'=1+1,0\r\n");
  });

  it('the reports of the hostile ledgers are in the dialect: BOM, CRLF, text guarded, amounts plain', () => {
    const { files } = runReports(readLedgerDir(new URL('../fixtures/hostile/ledgers', import.meta.url).pathname));
    for (const file of CSV_REPORTS) {
      const written = files.get(file) as string;
      expect(written.startsWith('\uFEFF'), file).toBe(true);
      expect(written.slice(1).includes('\uFEFF'), file).toBe(false);
      const { header, rows } = reportRows(written);
      for (const row of rows) {
        for (const column of header) {
          const value = row[column] as string;
          if (['booked', 'organic', 'circular', 'circular_pct', 'disputed', 'amount', 'counterparty_amount'].includes(column)) {
            expect(value, `${file} ${column}`).toMatch(/^([0-9]+\.[0-9]{2})?$/);
          } else if (column === 'revenue_rows') {
            expect(value).toMatch(/^[0-9]+$/);
          } else {
            expect(/^[=+\-@\t\r]/.test(value), `${file} ${column} ${JSON.stringify(value)} is not guarded`).toBe(false);
          }
        }
      }
    }
  });
});

describe('ledger dialect (reading): sources cite physical lines', () => {
  const body = (eol: string): string =>
    [
      HEADER,
      `A1,2026-01-01,in,opening,other,,100.00,USD,,,"opening${eol}spanning${eol}three lines"`,
      `A2,2026-01-02,in,customers,revenue,cloud,1.00,USD,,,plain`,
      `"A3${eol}two lines",2026-01-03,in,"c${eol}d",revenue,cloud,2.00,USD,,,`,
      '',
      `A4,2026-01-04,in,customers,revenue,cloud,3.00,USD,,,"${eol}"`,
      `A5,2026-01-05,in,customers,revenue,cloud,4.00,USD,,,`,
    ].join(eol) + eol;
  // Physical lines: header 1; A1 2-4; A2 5; A3 6-8 (two fields span lines); empty 9; A4 10-11; A5 12.
  it.each([
    ['LF', '\n', ''],
    ['CRLF', '\r\n', ''],
    ['CRLF with a BOM', '\r\n', '\uFEFF'],
  ])('%s', (_name, eol, bom) => {
    const { files } = runReports([{ name: 'acme.csv', bytes: new TextEncoder().encode(bom + body(eol)) }]);
    const sources = reportRows(files.get('revenue.csv') as string).rows.map((r) => `${(r.id as string).replace(/\r\n/g, '\n')} ${r.source}`);
    expect(sources).toEqual(['A2 acme.csv:5', 'A3\ntwo lines acme.csv:6', 'A4 acme.csv:10', 'A5 acme.csv:12']);
  });
});
