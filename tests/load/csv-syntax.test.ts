/**
 * CSV syntax and encoding (SPEC §1, §6): every fault exits 2 with one message
 * naming `file:line` (and the column and value where there is one), nothing
 * is written, and reading goes on after a fault so that later errors are
 * reported too. Valid variants (BOM, CRLF, mixed line ends, quoted fields,
 * header-only files) are accepted and change no report.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOnLedgers, type CliResult } from '../support/helpers.js';
import { HEADER } from '../support/ledger-text.js';

const EXPECTED_LEDGER = 'expected a UTF-8 CSV ledger whose first line is a header row such as id,date,direction,counterparty,kind,category,amount,currency';
const EXCEL = 'expected UTF-8 CSV: in Excel or LibreOffice, save the sheet as "CSV UTF-8 (comma delimited)"';
const root = mkdtempSync(join(tmpdir(), 'roundtrip-csv-syntax-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A valid external revenue row with this id. */
const good = (id: string): string => `${id},2026-01-15,in,acme,revenue,cloud,100.00,USD,,,`;

let cases = 0;

async function runOn(files: Record<string, string | Uint8Array>): Promise<{ result: CliResult; dir: string }> {
  const dir = join(root, `case-${++cases}`);
  return { result: await runOnLedgers(dir, files), dir };
}

async function expectErrors(files: Record<string, string | Uint8Array>, lines: string[]): Promise<void> {
  const { result, dir } = await runOn(files);
  const count = lines.length === 1 ? '1 input error' : `${lines.length} input errors`;
  expect(result.stderr).toBe(`${lines.join('\n')}\nroundtrip: ${count}; nothing was written.\n`);
  expect(result.code).toBe(2);
  expect(existsSync(join(dir, 'reports'))).toBe(false);
}

/** Runs a valid set and returns its reports (file → text). */
async function reportsOf(files: Record<string, string | Uint8Array>): Promise<Record<string, string>> {
  const { result, dir } = await runOn(files);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const out = join(dir, 'reports', 'all');
  return Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
}

describe('quotes', () => {
  it('an unclosed quote is reported on the line where it opens', async () => {
    await expectErrors({ 'amazon.csv': `${HEADER}\n${good('r1')}\nr2,2026-01-15,in,acme,revenue,cloud,100.00,USD,,,"never closed\n${good('r3')}\n` }, [
      'ledgers/amazon.csv:3: memo "\\"never closed" opens a quote that is never closed (expected a closing " before the end of the file; everything after it was read as this one value)',
    ]);
  });

  it('a stray quote inside an unquoted value names the column and shows the fix; reading goes on', async () => {
    await expectErrors({ 'amazon.csv': `${HEADER}\n${good('r1')}\nr2,2026-01-15,in,Joe's "Cloud" Shop,revenue,cloud,100.00,USD,,,\n${good('r3').replace('100.00', '-1')}\n` }, [
      'ledgers/amazon.csv:3: counterparty "Joe\'s \\"Cloud\\" Shop" has a quote inside an unquoted value (expected the whole value in quotes, with the quote doubled: "Joe\'s ""Cloud"" Shop")',
      'ledgers/amazon.csv:4: amount "-1" is not a plain decimal (expected a positive amount without a sign: the direction column says which way the money went)',
    ]);
  });

  it('a space before an opening quote makes the quote stray', async () => {
    await expectErrors({ 'amazon.csv': `${HEADER}\nr1,2026-01-15,in,acme,revenue,cloud,100.00,USD,,, "memo"\n` }, [
      'ledgers/amazon.csv:2: memo " \\"memo\\"" has a quote inside an unquoted value (expected the whole value in quotes, with the quote doubled: " ""memo""")',
    ]);
  });

  it('text after a closing quote is an error; the rest of that file is not read (csv-parse cannot resynchronise after it)', async () => {
    await expectErrors({ 'amazon.csv': `${HEADER}\nr1,2026-01-15,in,"acme" inc,revenue,cloud,100.00,USD,,,\n${good('r2').replace('USD', 'usd')}\n` }, [
      'ledgers/amazon.csv:2: counterparty "\\"acme\\" inc" has text after its closing quote (expected a comma or the end of the line after a quoted value; write "" for a quote inside quotes; the rest of the file was not read)',
    ]);
  });

  it('a quote fault in the header is reported and ends the file', async () => {
    await expectErrors({ 'amazon.csv': `id,"date,direction\n${good('r1')}\n` }, [
      'ledgers/amazon.csv:1: header column 2 "\\"date,direction" opens a quote that is never closed (expected a closing " before the end of the file; everything after it was read as this one value)',
    ]);
  });

  it('quoted values may hold commas, doubled quotes and line breaks; a record is cited by its first line', async () => {
    const reports = await reportsOf({
      'amazon.csv': `${HEADER}\n"r1","2026-01-15","in","Smith, ""Joe"" & Co","revenue","cloud","100.00","USD","","","two\nlines"\r\nr2,2026-01-16,in,acme,revenue,cloud,5,USD,,,"three\r\nline\nmemo"\nr3,2026-01-17,in,acme,revenue,cloud,7,USD,,,\n`,
    });
    const rows = (reports['revenue.csv'] as string).split('\r\n').slice(1, -1);
    expect(rows.map((r) => r.split(',').at(-1))).toEqual(['amazon.csv:2', 'amazon.csv:4', 'amazon.csv:7']);
    expect(rows[0]).toContain('"Smith, ""Joe"" & Co"');
  });
});

describe('field counts', () => {
  it('too many fields: an unquoted comma in a value', async () => {
    await expectErrors({ 'amazon.csv': `${HEADER}\nr1,2026-01-15,in,Smith, John,revenue,cloud,100.00,USD,,,\n${good('r2')}\n` }, [
      'ledgers/amazon.csv:2: row has 12 fields where the header has 11 (one too many: expected a value that holds a comma to be quoted, e.g. "Smith, John", and no comma at the end of the line)',
    ]);
  });

  it('too many fields: an amount with a thousands separator, not quoted', async () => {
    await expectErrors({ 'amazon.csv': `${HEADER}\nr1,2026-01-15,in,acme,revenue,cloud,1,000.00,USD,,,\n` }, [
      'ledgers/amazon.csv:2: row has 12 fields where the header has 11 (amount "1,000.00" seems split at its comma: write 1000.00)',
    ]);
  });

  it('too few fields names the columns that have none', async () => {
    await expectErrors({ 'amazon.csv': `${HEADER}\nr1,2026-01-15,in,acme,revenue,cloud,100.00,USD\n${good('r2')}\nr3\n` }, [
      'ledgers/amazon.csv:2: row has 8 fields where the header has 11 (no field for ref, deal, memo; expected one field per column, empty ones included)',
      'ledgers/amazon.csv:4: row has 1 field where the header has 11 (no field for date, direction, counterparty, kind, category, amount, currency, ref, deal, memo; expected one field per column, empty ones included)',
    ]);
  });
});

describe('encoding', () => {
  it('a NUL byte is reported with its line, column and value', async () => {
    await expectErrors({ 'amazon.csv': Buffer.from(`${HEADER}\n${good('r1')}\nr2,2026-01-15,in,ac\0me,revenue,cloud,100.00,USD,,,\n`) }, [
      'ledgers/amazon.csv:3: counterparty "ac\\u0000me" contains a NUL byte (at byte 145 of the file; expected text: a CSV ledger never holds NUL bytes, is this a binary file?)',
    ]);
  });

  it('invalid UTF-8 (a Latin-1 export) is reported on every line that has it, with the column and the bytes', async () => {
    const latin1 = Buffer.from(`${HEADER}\nr1,2026-01-15,in,Société Générale,revenue,cloud,100.00,USD,,,\n${good('r2')}\n"r3",2026-01-15,in,acme,revenue,cloud,100.00,USD,,,"café, crème"\n`, 'latin1');
    await expectErrors({ 'amazon.csv': latin1 }, [
      'ledgers/amazon.csv:2: counterparty "Soci\\xE9t\\xE9 G\\xE9n\\xE9rale" is not valid UTF-8 (byte 0xE9 at byte 97 of the file; expected UTF-8: re-export the file as "CSV UTF-8", not Latin-1 or Windows-1252)',
      'ledgers/amazon.csv:4: memo "caf\\xE9, cr\\xE8me" is not valid UTF-8 (byte 0xE9 at byte 243 of the file; expected UTF-8: re-export the file as "CSV UTF-8", not Latin-1 or Windows-1252)',
    ]);
  });

  it('invalid UTF-8 in the header names the header column', async () => {
    await expectErrors({ 'amazon.csv': Buffer.from('id,date,direction,counterparty,kind,amount,currency,m\xe9mo\n', 'latin1') }, [
      'ledgers/amazon.csv:1: header column 8 "m\\xE9mo" is not valid UTF-8 (byte 0xE9 at byte 54 of the file; expected UTF-8: re-export the file as "CSV UTF-8", not Latin-1 or Windows-1252)',
    ]);
  });

  it('valid UTF-8 of any script is accepted, with or without a BOM', async () => {
    const plain = await reportsOf({ 'amazon.csv': `${HEADER}\nr1,2026-01-15,in,Société Générale 日本 🚀,revenue,cloud,100.00,USD,,,\n` });
    const bom = await reportsOf({ 'amazon.csv': `\uFEFF${HEADER}\nr1,2026-01-15,in,Société Générale 日本 🚀,revenue,cloud,100.00,USD,,,\n` });
    expect(bom['revenue.csv']).toBe(plain['revenue.csv']);
    expect(plain['revenue.csv']).toContain('Société Générale 日本 🚀');
  });
});

describe('empty and header-only files', () => {
  const empty = `file is empty (${EXPECTED_LEDGER})`;
  it('an empty file (0 bytes) is an error', async () => {
    await expectErrors({ 'amazon.csv': '' }, [`ledgers/amazon.csv:1: ${empty}`]);
  });

  it('a file holding only a BOM is an error', async () => {
    await expectErrors({ 'amazon.csv': '\uFEFF' }, [`ledgers/amazon.csv:1: ${empty}`]);
  });

  it('a file of blank lines is an error', async () => {
    await expectErrors({ 'amazon.csv': '\n\r\n\n', 'openai.csv': '\uFEFF\r\n' }, [`ledgers/amazon.csv:1: ${empty}`, `ledgers/openai.csv:1: ${empty}`]);
  });

  it('a header-only file is a company with no rows (with or without a final line end or a BOM)', async () => {
    const reports = await reportsOf({
      'amazon.csv': `${HEADER}\n${good('r1').replace('acme', 'openai')}\n`,
      'openai.csv': `${HEADER}\n`,
      'oracle.csv': HEADER,
      'nvidia.csv': `\uFEFF${HEADER}\r\n\r\n`,
    });
    const manifest = JSON.parse(reports['manifest.json'] as string) as { inputs: { file: string; rows: number }[] };
    expect(manifest.inputs.map((i) => [i.file, i.rows])).toEqual([
      ['amazon.csv', 1],
      ['nvidia.csv', 0],
      ['openai.csv', 0],
      ['oracle.csv', 0],
    ]);
    // openai is a company of the set: the revenue from it is intercompany (and unmatched), not external.
    expect(reports['revenue.csv']).toContain(',no,');
  });

  it('a set of header-only files runs and writes empty reports', async () => {
    const reports = await reportsOf({ 'amazon.csv': `${HEADER}\n`, 'openai.csv': `${HEADER}\n` });
    expect(reports['revenue.csv']).toBe('\uFEFFcompany,id,date,counterparty,category,amount,organic,circular,circular_pct,matched,payer_kind,source\r\n');
  });
});

describe('files that are not CSV at all', () => {
  it('a PNG image', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e221bc330000000049454e44ae426082', 'hex');
    await expectErrors({ 'amazon.csv': png }, [`ledgers/amazon.csv:1: file is a PNG image, not UTF-8 CSV text (${EXPECTED_LEDGER})`]);
  });

  it('a JSON document', async () => {
    await expectErrors({ 'amazon.csv': '[\n  {"id": "r1", "date": "2026-01-15", "amount": 100}\n]\n', 'openai.csv': '{"rows": []}' }, [
      `ledgers/amazon.csv:1: file is a JSON document, not CSV (${EXPECTED_LEDGER})`,
      `ledgers/openai.csv:1: file is a JSON document, not CSV (${EXPECTED_LEDGER})`,
    ]);
  });

  it('an Excel workbook (.xlsx is a ZIP archive)', async () => {
    const zip = Buffer.concat([Buffer.from('504b0304140006000800000021', 'hex'), Buffer.alloc(64, 7)]);
    await expectErrors({ 'amazon.csv': zip }, [`ledgers/amazon.csv:1: file is a ZIP archive (an Excel .xlsx or OpenDocument .ods workbook?), not UTF-8 CSV text (${EXCEL})`]);
  });

  it('a UTF-16 export, with or without a BOM', async () => {
    await expectErrors({ 'amazon.csv': Buffer.from(`\uFEFF${HEADER}\r\n${good('r1')}\r\n`, 'utf16le'), 'openai.csv': Buffer.from(`${HEADER}\n`, 'utf16le') }, [
      `ledgers/amazon.csv:1: file is UTF-16 text, not UTF-8 CSV text (${EXCEL})`,
      `ledgers/openai.csv:1: file is UTF-16 text, not UTF-8 CSV text (${EXCEL})`,
    ]);
  });

  it('an HTML page, a PDF and other binary data', async () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 37 + 11) % 256));
    await expectErrors({ 'a.csv': '<!DOCTYPE html>\n<html><body>Not found</body></html>\n', 'b.csv': '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'c.csv': binary }, [
      `ledgers/a.csv:1: file is an HTML page, not CSV (${EXPECTED_LEDGER})`,
      `ledgers/b.csv:1: file is a PDF document, not UTF-8 CSV text (${EXPECTED_LEDGER})`,
      `ledgers/c.csv:1: file is binary data, not CSV text (byte 0x9F at byte 5; ${EXPECTED_LEDGER})`,
    ]);
  });
});

describe('line ends', () => {
  it('LF, CRLF and a mix of both give the same reports', async () => {
    const lines = [HEADER, good('r1'), 'r2,2026-01-16,out,vendor,purchase,chips,40.00,USD,,,', good('r3').replace('2026-01-15', '2026-01-17')];
    const lf = await reportsOf({ 'amazon.csv': `${lines.join('\n')}\n` });
    const crlf = await reportsOf({ 'amazon.csv': `${lines.join('\r\n')}\r\n` });
    const mixed = await reportsOf({ 'amazon.csv': `${lines[0]}\r\n${lines[1]}\n${lines[2]}\r\n${lines[3]}` });
    for (const name of ['summary.csv', 'revenue.csv', 'circular.csv', 'exceptions.csv']) {
      expect(crlf[name], name).toBe(lf[name]);
      expect(mixed[name], name).toBe(lf[name]);
    }
  });

  it('CR alone (old Mac line ends) is one error', async () => {
    await expectErrors({ 'amazon.csv': `${HEADER}\r${good('r1')}\r` }, [
      'ledgers/amazon.csv:1: file ends its lines with CR alone, as old Mac files do (expected LF or CRLF line ends: re-save it as "CSV UTF-8")',
    ]);
  });

  it('a CR alone inside a value is part of the value (only LF and CRLF end a line), quoted or not', async () => {
    const reports = await reportsOf({
      'amazon.csv': `${HEADER}\nr1,2026-01-15,in,acme,revenue,cloud,100.00,USD,,,a\rb\nr2,2026-01-16,in,acme,revenue,cloud,100.00,USD,,,"a\rb"\n`,
    });
    const rows = (reports['revenue.csv'] as string).split('\r\n').slice(1, -1);
    expect(rows.map((r) => r.split(',').at(-1))).toEqual(['amazon.csv:2', 'amazon.csv:3']);
  });
});

describe('like a compiler', () => {
  it('a quote fault after rows with errors: the file is read again and every message comes once, ids included', async () => {
    const stray = 'r4,2026-01-15,in,a"b,revenue,cloud,100.00,USD,,,';
    const bad = good('r2').replace('2026-01-15', '2026-02-30');
    const unique = '(expected ids unique within company amazon, across its files)';
    await expectErrors(
      {
        'amazon.2026-01.csv': `${HEADER}\n${good('r1')}\n${bad}\n${good('r1')}\n${stray}\n${good('r5')}\n`,
        'amazon.2026-02.csv': `${HEADER}\n${good('r5')}\n${good('r1')}\n`,
      },
      [
        'ledgers/amazon.2026-01.csv:3: date "2026-02-30" is not a real calendar date (February 2026 has 28 days)',
        `ledgers/amazon.2026-01.csv:4: id "r1" is already used at ledgers/amazon.2026-01.csv:2 ${unique}`,
        'ledgers/amazon.2026-01.csv:5: counterparty "a\\"b" has a quote inside an unquoted value (expected the whole value in quotes, with the quote doubled: "a""b")',
        `ledgers/amazon.2026-02.csv:2: id "r5" is already used at ledgers/amazon.2026-01.csv:6 ${unique}`,
        `ledgers/amazon.2026-02.csv:3: id "r1" is already used at ledgers/amazon.2026-01.csv:2 ${unique}`,
      ],
    );
  });

  it('syntax and rule errors of several files, in file then line order', async () => {
    await expectErrors(
      {
        'openai.csv': `${HEADER}\n${good('o1')}\no2,2026-01-15,in,"acme,revenue,cloud,1,USD,,,\n`,
        'amazon.csv': `${HEADER}\nr1,2026-01-15,in,acme,revenue\n${good('r2').replace('2026-01-15', '2026-02-30')}\nr3,2026-01-15,in,a"b,revenue,cloud,100.00,USD,,,\n\n,,,,,,,,,,\n`,
      },
      [
        'ledgers/amazon.csv:2: row has 5 fields where the header has 11 (no field for category, amount, currency, ref, deal, memo; expected one field per column, empty ones included)',
        'ledgers/amazon.csv:3: date "2026-02-30" is not a real calendar date (February 2026 has 28 days)',
        'ledgers/amazon.csv:4: counterparty "a\\"b" has a quote inside an unquoted value (expected the whole value in quotes, with the quote doubled: "a""b")',
        'ledgers/amazon.csv:6: row is blank: every field is empty or spaces (a line of commas or spaces is a row, not an empty line; expected values, or delete the line)',
        'ledgers/openai.csv:3: counterparty "\\"acme,revenue,cloud,1,USD,,," opens a quote that is never closed (expected a closing " before the end of the file; everything after it was read as this one value)',
      ],
    );
  });
});
