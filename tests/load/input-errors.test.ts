/**
 * Every input rule of SPEC §1, one test each: `roundtrip run` exits 2 with
 * the exact message (SPEC §6: `file:line: column "value" ... (expected ...)`)
 * and writes nothing. Valid edge cases are accepted. Several errors are all
 * reported, in file then line order, at most 50 and a count of the rest.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLedgers } from '../../src/load/load.js';
import { RoundtripError } from '../../src/errors.js';
import { runCli, runOnLedgers, type CliResult } from '../support/helpers.js';
import { HEADER } from '../support/ledger-text.js';

const root = mkdtempSync(join(tmpdir(), 'roundtrip-input-errors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Fields = Partial<Record<'id' | 'date' | 'direction' | 'counterparty' | 'kind' | 'category' | 'amount' | 'currency' | 'ref' | 'deal' | 'memo', string>>;

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One ledger line in HEADER order; a valid external revenue row unless told otherwise. */
function row(fields: Fields = {}): string {
  const r = { id: 'r1', date: '2026-01-15', direction: 'in', counterparty: 'acme', kind: 'revenue', category: 'cloud', amount: '100.00', currency: 'USD', ref: '', deal: '', memo: '', ...fields };
  return [r.id, r.date, r.direction, r.counterparty, r.kind, r.category, r.amount, r.currency, r.ref, r.deal, r.memo].map(csvField).join(',');
}

/** A ledger file: the header, then the lines (line 2 onwards). */
function ledger(...lines: string[]): string {
  return [HEADER, ...lines].join('\n') + '\n';
}

let cases = 0;

/**
 * Writes `files` into a fresh `ledgers/` folder and runs `roundtrip run`
 * there (paths in messages read `ledgers/NAME`, as in SPEC §6).
 */
async function runOn(files: Record<string, string | Uint8Array>, extra: string[] = []): Promise<{ result: CliResult; dir: string }> {
  const dir = join(root, `case-${++cases}`);
  return { result: await runOnLedgers(dir, files, extra), dir };
}

/** Exit 2, exactly these message lines on stderr, and no reports folder. */
async function expectErrors(files: Record<string, string | Uint8Array>, lines: string[]): Promise<void> {
  const { result, dir } = await runOn(files);
  const count = lines.length === 1 ? '1 input error' : `${lines.length} input errors`;
  expect(result.stderr).toBe(`${lines.join('\n')}\nroundtrip: ${count}; nothing was written.\n`);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(existsSync(join(dir, 'reports'))).toBe(false);
}

/** Exit 0 and reports written. */
async function expectAccepted(files: Record<string, string | Uint8Array>): Promise<string> {
  const { result, dir } = await runOn(files);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(readdirSync(join(dir, 'reports'))).toEqual(['all']);
  return dir;
}

describe('the SPEC §6 example', () => {
  it('ledgers/openai.csv:14: amount "1,000.00" is not a plain decimal (write 1000.00)', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => row({ id: `o${i + 1}`, counterparty: 'client' }));
    lines.push(row({ id: 'o13', counterparty: 'client', amount: '1,000.00' }));
    await expectErrors({ 'openai.csv': ledger(...lines) }, ['ledgers/openai.csv:14: amount "1,000.00" is not a plain decimal (write 1000.00)']);
  });
});

describe('file names (SPEC §1)', () => {
  it('a name that is not a company id is an error: Amazon.csv', async () => {
    await expectErrors({ 'Amazon.csv': ledger(row()) }, [
      'ledgers/Amazon.csv: file name does not start with a company id: "Amazon" (expected lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters, e.g. amazon.csv or amazon.2026-10.csv)',
    ]);
  });

  it('a name starting with "-", with a space, or longer than 64 characters is an error', async () => {
    const long = 'a'.repeat(65);
    const expected = (company: string): string =>
      `file name does not start with a company id: "${company}" (expected lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters, e.g. amazon.csv or amazon.2026-10.csv)`;
    await expectErrors({ '-amazon.csv': ledger(), 'open ai.csv': ledger(), [`${long}.csv`]: ledger(), 'ok.csv': ledger(row()) }, [
      `ledgers/-amazon.csv: ${expected('-amazon')}`,
      `ledgers/${long}.csv: ${expected(`${long.slice(0, 57)}...`)}`,
      `ledgers/open ai.csv: ${expected('open ai')}`,
    ]);
  });

  it('amazon.csv and amazon.2026-10.csv are one company (an id used in both is a duplicate); a 64-character id and .CSV are accepted', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ id: 'a1' })), 'amazon.2026-10.csv': ledger(row({ id: 'a1' })) }, [
      'ledgers/amazon.csv:2: id "a1" is already used at ledgers/amazon.2026-10.csv:2 (expected ids unique within company amazon, across its files)',
    ]);
    const dir = await expectAccepted({ 'amazon.2026-10.csv': ledger(row({ id: 'a1' })), 'amazon.2026-11.CSV': ledger(row({ id: 'a2' })), [`${'b'.repeat(64)}.csv`]: ledger() });
    const manifest = JSON.parse(readFileSync(join(dir, 'reports', 'all', 'manifest.json'), 'utf8')) as { inputs: { file: string; company: string }[] };
    expect(manifest.inputs.map((i) => [i.file, i.company])).toEqual([
      ['amazon.2026-10.csv', 'amazon'],
      ['amazon.2026-11.CSV', 'amazon'],
      [`${'b'.repeat(64)}.csv`, 'b'.repeat(64)],
    ]);
  });

  it('hidden files, files not ending in .csv and subfolders are ignored', async () => {
    const dir = await expectAccepted({
      'amazon.csv': ledger(row()),
      '.hidden.csv': 'not, a ledger\n"',
      'notes.txt': 'anything',
      'amazon.csv.bak': 'garbage',
      'Old Stuff/openai.csv': 'garbage',
      'sub.csv/x.csv': 'a folder named like a ledger',
    });
    const manifest = JSON.parse(readFileSync(join(dir, 'reports', 'all', 'manifest.json'), 'utf8')) as { inputs: { file: string }[] };
    expect(manifest.inputs.map((i) => i.file)).toEqual(['amazon.csv']);
  });
});

describe('header (SPEC §1)', () => {
  it('an unknown column name is an error, with a suggestion', async () => {
    await expectErrors({ 'amazon.csv': ledger(row()).replace('counterparty', 'counterpary') }, [
      'ledgers/amazon.csv:1: header column 4 "counterpary" is not a ledger column (did you mean "counterparty"? expected one of id, date, direction, counterparty, kind, category, amount, currency, ref, deal, memo, exact and lowercase)',
    ]);
  });

  it('a name that is a property of every object (constructor, __proto__) is no synonym: no suggestion', async () => {
    await expectErrors({ 'amazon.csv': `${HEADER},constructor,__proto__\n` }, [
      'ledgers/amazon.csv:1: header column 12 "constructor" is not a ledger column (expected one of id, date, direction, counterparty, kind, category, amount, currency, ref, deal, memo, exact and lowercase)',
      'ledgers/amazon.csv:1: header column 13 "__proto__" is not a ledger column (expected one of id, date, direction, counterparty, kind, category, amount, currency, ref, deal, memo, exact and lowercase)',
    ]);
  });

  it('a name with a space or in another case is not a column (names are exact)', async () => {
    await expectErrors({ 'amazon.csv': `id,date ,direction,counterparty,kind,amount,Currency\n` }, [
      'ledgers/amazon.csv:1: header column 2 "date " is not a ledger column (did you mean "date"? expected one of id, date, direction, counterparty, kind, category, amount, currency, ref, deal, memo, exact and lowercase)',
      'ledgers/amazon.csv:1: header column 7 "Currency" is not a ledger column (did you mean "currency"? expected one of id, date, direction, counterparty, kind, category, amount, currency, ref, deal, memo, exact and lowercase)',
    ]);
  });

  it('a header in capitals is one error', async () => {
    await expectErrors({ 'amazon.csv': `${HEADER.toUpperCase()}\n${row()}\n` }, [
      'ledgers/amazon.csv:1: header row "ID,DATE,DIRECTION,COUNTERPARTY,KIND,CATEGORY,AMOUNT,CURRE..." is not in lowercase (expected exact lowercase column names: write "id,date,direction,counterparty,kind,category,amount,currency,ref,deal,memo")',
    ]);
  });

  it('a repeated column is an error', async () => {
    await expectErrors({ 'amazon.csv': 'id,date,direction,counterparty,kind,amount,currency,date\n' }, [
      'ledgers/amazon.csv:1: header column 8 "date" repeats header column 2 (expected each column once)',
    ]);
  });

  it('an empty column name is an error (a trailing comma in the header)', async () => {
    await expectErrors({ 'amazon.csv': `${HEADER},\n` }, [
      'ledgers/amazon.csv:1: header column 12 is empty (expected a column name, one of id, date, direction, counterparty, kind, category, amount, currency, ref, deal, memo; remove the extra comma)',
    ]);
  });

  it('a required column missing from a file with rows is one error on the header', async () => {
    await expectErrors({ 'amazon.csv': 'id,direction,counterparty,kind,category,amount\nr1,in,acme,revenue,cloud,5\nr2,in,acme,revenue,cloud,5\n' }, [
      'ledgers/amazon.csv:1: header has no date or currency column (the file has rows, and every row needs id, date, direction, counterparty, kind, amount, currency; expected those columns, in any order)',
    ]);
  });

  it('a column may be left out when no row needs it: no category with only other and investment rows; a header-only file with few columns', async () => {
    await expectAccepted({
      'amazon.csv': 'currency,amount,kind,counterparty,direction,date,id\nUSD,5,other,opening,in,2026-01-01,a1\nUSD,2,investment,openai,out,2026-01-02,a2\n',
      'openai.csv': 'id,date\n',
    });
  });

  it('the category column is needed once a revenue or purchase row needs it (reported once, on that row)', async () => {
    await expectErrors({ 'amazon.csv': 'id,date,direction,counterparty,kind,amount,currency\na1,2026-01-01,in,x,other,5,USD\na2,2026-01-01,in,x,revenue,5,USD\na3,2026-01-01,out,x,purchase,5,USD\n' }, [
      'ledgers/amazon.csv:3: category is required on revenue rows, but the file has no category column (expected a category column; reported once, on the first row that needs it)',
    ]);
  });

  it('a header separated by semicolons is one error', async () => {
    await expectErrors({ 'amazon.csv': `${HEADER.replace(/,/g, ';')}\n${row().replace(/,/g, ';')}\n` }, [
      'ledgers/amazon.csv:1: header row "id;date;direction;counterparty;kind;category;amount;curre..." separates its names with ";" (expected commas, e.g. id,date,direction,counterparty,kind,category,amount,currency; in Excel or LibreOffice, save as "CSV UTF-8 (comma delimited)")',
    ]);
  });

  it('a file without a header row is one error', async () => {
    await expectErrors({ 'amazon.csv': `${row()}\n${row({ id: 'r2' })}\n` }, [
      'ledgers/amazon.csv:1: header row "r1,2026-01-15,in,acme,revenue,cloud,100.00,USD,,," names no ledger column (expected the column names first, e.g. id,date,direction,counterparty,kind,category,amount,currency; the first line looks like a data row: is the header row missing?)',
    ]);
  });
});

describe('rows (SPEC §1)', () => {
  it('empty lines are skipped; the lines keep their numbers', async () => {
    await expectErrors({ 'amazon.csv': `\n${HEADER}\n\n${row()}\r\n\r\n\n${row({ id: 'r2', amount: 'x' })}\n\n` }, [
      'ledgers/amazon.csv:7: amount "x" is not a plain decimal (expected digits with an optional decimal point, e.g. 1000.00: no sign, thousands separator, currency symbol or exponent)',
    ]);
  });

  it('a line of commas is a row, and fails', async () => {
    await expectErrors({ 'amazon.csv': ledger(row(), ',,,,,,,,,,') }, [
      'ledgers/amazon.csv:3: row is blank: every field is empty or spaces (a line of commas or spaces is a row, not an empty line; expected values, or delete the line)',
    ]);
  });

  it('a line of spaces is a row, and fails', async () => {
    await expectErrors({ 'amazon.csv': ledger(row(), '   ') }, [
      'ledgers/amazon.csv:3: row is blank: every field is empty or spaces (a line of commas or spaces is a row, not an empty line; expected values, or delete the line)',
    ]);
  });

  it('values are not trimmed', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ direction: ' in' }), row({ id: 'r2', amount: '5 ' })) }, [
      'ledgers/amazon.csv:2: direction " in" is not in or out (write in)',
      'ledgers/amazon.csv:3: amount "5 " is not a plain decimal (write 5)',
    ]);
  });

  it('values are not case-folded: Amazon is an external name, not amazon', async () => {
    await expectAccepted({ 'amazon.csv': ledger(row({ counterparty: 'Amazon' })), 'openai.csv': ledger() });
  });
});

describe('id', () => {
  it('an empty id is an error', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ id: '' })) }, ['ledgers/amazon.csv:2: id is empty (expected an id of 1 to 128 characters, unique within the company)']);
  });

  it('an id of 129 characters is an error; 128 are accepted', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ id: 'x'.repeat(129) })) }, [
      `ledgers/amazon.csv:2: id "${'x'.repeat(57)}..." has 129 characters (expected 1 to 128)`,
    ]);
    await expectAccepted({ 'amazon.csv': ledger(row({ id: 'x'.repeat(128) }), row({ id: 'é'.repeat(128) })) });
  });

  it('an id used twice in a company is an error, within a file or across its files; other companies may reuse it', async () => {
    await expectErrors({ 'amazon.a.csv': ledger(row({ id: 'r1' }), row({ id: 'r2' }), row({ id: 'r1' })), 'amazon.b.csv': ledger(row({ id: 'r2' })), 'openai.csv': ledger(row({ id: 'r1' })) }, [
      'ledgers/amazon.a.csv:4: id "r1" is already used at ledgers/amazon.a.csv:2 (expected ids unique within company amazon, across its files)',
      'ledgers/amazon.b.csv:2: id "r2" is already used at ledgers/amazon.a.csv:3 (expected ids unique within company amazon, across its files)',
    ]);
  });
});

describe('date', () => {
  it('an empty date is an error', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ date: '' })) }, ['ledgers/amazon.csv:2: date is empty (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS)']);
  });

  it('other formats are errors, with the fix where it is certain', async () => {
    const dates = ['2026/01/15', '15.01.2026', '2026-1-5', '2026-01-15 09:30', '20260115', '2026-01-15T9:30'];
    await expectErrors({ 'amazon.csv': ledger(...dates.map((date, i) => row({ id: `r${i}`, date }))) }, [
      'ledgers/amazon.csv:2: date "2026/01/15" is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (e.g. 2026-01-31 or 2026-01-31T09:30)',
      'ledgers/amazon.csv:3: date "15.01.2026" is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (day, month and year in this order are ambiguous: write the year first, e.g. 2026-01-31)',
      'ledgers/amazon.csv:4: date "2026-1-5" is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (write 2026-01-05)',
      'ledgers/amazon.csv:5: date "2026-01-15 09:30" is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (write 2026-01-15T09:30)',
      'ledgers/amazon.csv:6: date "20260115" is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (e.g. 2026-01-31 or 2026-01-31T09:30)',
      'ledgers/amazon.csv:7: date "2026-01-15T9:30" is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (write 2026-01-15T09:30)',
    ]);
  });

  it('a time zone is an error', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ date: '2026-01-15T09:30:00Z' }), row({ id: 'r2', date: '2026-01-15T09:30+01:00' })) }, [
      'ledgers/amazon.csv:2: date "2026-01-15T09:30:00Z" is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (no time zone: write the local date and time of the ledger, e.g. 2026-01-31T09:30)',
      'ledgers/amazon.csv:3: date "2026-01-15T09:30+01:00" is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (no time zone: write the local date and time of the ledger, e.g. 2026-01-31T09:30)',
    ]);
  });

  it('a date that is not on the calendar is an error: February 29 outside leap years, month 13, day 00, April 31', async () => {
    const dates = ['2023-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-01-00', '2026-04-31'];
    await expectErrors({ 'amazon.csv': ledger(...dates.map((date, i) => row({ id: `r${i}`, date }))) }, [
      'ledgers/amazon.csv:2: date "2023-02-29" is not a real calendar date (2023 is not a leap year: February 2023 has 28 days)',
      'ledgers/amazon.csv:3: date "1900-02-29" is not a real calendar date (1900 is not a leap year: February 1900 has 28 days)',
      'ledgers/amazon.csv:4: date "2026-13-01" is not a real calendar date (there is no month 13: expected 01 to 12)',
      'ledgers/amazon.csv:5: date "2026-00-10" is not a real calendar date (there is no month 00: expected 01 to 12)',
      'ledgers/amazon.csv:6: date "2026-01-00" is not a real calendar date (there is no day 00: expected 01 to 31)',
      'ledgers/amazon.csv:7: date "2026-04-31" is not a real calendar date (April 2026 has 30 days)',
    ]);
  });

  it('a time that does not exist is an error', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ date: '2026-01-15T24:00' }), row({ id: 'r2', date: '2026-01-15T23:60' }), row({ id: 'r3', date: '2026-01-15T23:59:60' })) }, [
      'ledgers/amazon.csv:2: date "2026-01-15T24:00" is not a real time of day (expected hours 00 to 23, minutes and seconds 00 to 59)',
      'ledgers/amazon.csv:3: date "2026-01-15T23:60" is not a real time of day (expected hours 00 to 23, minutes and seconds 00 to 59)',
      'ledgers/amazon.csv:4: date "2026-01-15T23:59:60" is not a real time of day (expected hours 00 to 23, minutes and seconds 00 to 59)',
    ]);
  });

  it('February 29 of leap years (2024, 2000) and the three formats are accepted', async () => {
    await expectAccepted({
      'amazon.csv': ledger(row({ id: 'r1', date: '2024-02-29' }), row({ id: 'r2', date: '2000-02-29T23:59' }), row({ id: 'r3', date: '2026-12-31T00:00:00' })),
    });
  });
});

describe('direction', () => {
  it('an empty direction is an error', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ direction: '' })) }, ['ledgers/amazon.csv:2: direction is empty (expected in or out)']);
  });

  it('anything but in or out is an error', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ direction: 'IN' }), row({ id: 'r2', direction: 'credit' })) }, [
      'ledgers/amazon.csv:2: direction "IN" is not in or out (write in)',
      'ledgers/amazon.csv:3: direction "credit" is not in or out (expected in or out, exact and lowercase)',
    ]);
  });
});

describe('counterparty', () => {
  it('an empty counterparty is an error', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ counterparty: '' })) }, [
      'ledgers/amazon.csv:2: counterparty is empty (expected a company id of this ledger set or the name of an external party)',
    ]);
  });

  it('the company itself is an error', async () => {
    await expectErrors({ 'amazon.2026.csv': ledger(row({ counterparty: 'amazon' })) }, [
      'ledgers/amazon.2026.csv:2: counterparty "amazon" is the company itself (expected the other party: a company id of this ledger set or an external name)',
    ]);
  });
});

describe('kind', () => {
  it('an empty kind is an error', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ kind: '' })) }, ['ledgers/amazon.csv:2: kind is empty (expected investment, revenue, purchase or other)']);
  });

  it('an unknown kind is an error', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ kind: 'Revenue' }), row({ id: 'r2', kind: 'sale' })) }, [
      'ledgers/amazon.csv:2: kind "Revenue" is not a kind (did you mean revenue? expected investment, revenue, purchase or other, exact and lowercase)',
      'ledgers/amazon.csv:3: kind "sale" is not a kind (expected investment, revenue, purchase or other, exact and lowercase)',
    ]);
  });

  it('revenue goes only with in, purchase only with out', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ kind: 'revenue', direction: 'out' }), row({ id: 'r2', kind: 'purchase', direction: 'in' })) }, [
      'ledgers/amazon.csv:2: kind "revenue" does not go with direction "out" (expected revenue only on money coming in; money paid out is a purchase or other)',
      'ledgers/amazon.csv:3: kind "purchase" does not go with direction "in" (expected purchase only on money going out; money received for a sale is revenue)',
    ]);
  });

  it('investment and other go with either direction', async () => {
    await expectAccepted({
      'amazon.csv': ledger(
        row({ id: 'r1', kind: 'other', direction: 'in', counterparty: 'opening', category: '' }),
        row({ id: 'r2', kind: 'investment', direction: 'out', counterparty: 'openai', category: '' }),
        row({ id: 'r3', kind: 'investment', direction: 'in', counterparty: 'fund', category: '' }),
        row({ id: 'r4', kind: 'other', direction: 'out', counterparty: 'payroll', category: 'salaries' }),
        row({ id: 'r5', kind: 'purchase', direction: 'out', counterparty: 'nvidia', category: 'chips' }),
      ),
      'openai.csv': ledger(row({ id: 'o1', kind: 'investment', counterparty: 'amazon', category: '' })),
    });
  });
});

describe('category', () => {
  it('revenue and purchase rows need a category', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ category: '' }), row({ id: 'r2', kind: 'purchase', direction: 'out', category: '' })) }, [
      'ledgers/amazon.csv:2: category is empty (expected a category on revenue rows: a lowercase slug such as cloud or chips)',
      'ledgers/amazon.csv:3: category is empty (expected a category on purchase rows: a lowercase slug such as cloud or chips)',
    ]);
  });

  it('a category is a lowercase slug, on any kind', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ category: 'Cloud' }), row({ id: 'r2', category: 'cloud compute' }), row({ id: 'r3', kind: 'other', category: '-x' }), row({ id: 'r4', category: 'GPU/TPU' })) }, [
      'ledgers/amazon.csv:2: category "Cloud" is not a lowercase slug (write cloud)',
      'ledgers/amazon.csv:3: category "cloud compute" is not a lowercase slug (write cloud-compute)',
      'ledgers/amazon.csv:4: category "-x" is not a lowercase slug (expected a lowercase slug: a-z, 0-9, "-" and "_", starting with a letter or digit, e.g. cloud)',
      'ledgers/amazon.csv:5: category "GPU/TPU" is not a lowercase slug (expected a lowercase slug: a-z, 0-9, "-" and "_", starting with a letter or digit, e.g. cloud)',
    ]);
  });
});

describe('amount', () => {
  it('an empty amount is an error', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ amount: '' })) }, ['ledgers/amazon.csv:2: amount is empty (expected a plain positive decimal such as 1000.00)']);
  });

  it('not a plain decimal: separators, a bare point, symbols, signs, exponents', async () => {
    const amounts = ['100.', '.5', '$5', '+5', '1e6', '2.5E-1', '1 000.00', '1.000,50', '1000,50', 'ten'];
    await expectErrors({ 'amazon.csv': ledger(...amounts.map((amount, i) => row({ id: `r${i}`, amount }))) }, [
      'ledgers/amazon.csv:2: amount "100." is not a plain decimal (write 100)',
      'ledgers/amazon.csv:3: amount ".5" is not a plain decimal (write 0.5)',
      'ledgers/amazon.csv:4: amount "$5" is not a plain decimal (write 5)',
      'ledgers/amazon.csv:5: amount "+5" is not a plain decimal (write 5)',
      'ledgers/amazon.csv:6: amount "1e6" is not a plain decimal (write 1000000)',
      'ledgers/amazon.csv:7: amount "2.5E-1" is not a plain decimal (write 0.25)',
      'ledgers/amazon.csv:8: amount "1 000.00" is not a plain decimal (write 1000.00)',
      'ledgers/amazon.csv:9: amount "1.000,50" is not a plain decimal (expected a point before the decimals and no thousands separator, e.g. 1234.50)',
      'ledgers/amazon.csv:10: amount "1000,50" is not a plain decimal (expected a point before the decimals and no thousands separator, e.g. 1234.50)',
      'ledgers/amazon.csv:11: amount "ten" is not a plain decimal (expected digits with an optional decimal point, e.g. 1000.00: no sign, thousands separator, currency symbol or exponent)',
    ]);
  });

  it('a negative amount is an error, never "fixed" (the direction says which way the money went)', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ amount: '-5' }), row({ id: 'r2', amount: '(5.00)' })) }, [
      'ledgers/amazon.csv:2: amount "-5" is not a plain decimal (expected a positive amount without a sign: the direction column says which way the money went)',
      'ledgers/amazon.csv:3: amount "(5.00)" is not a plain decimal (expected a positive amount without a sign: the direction column says which way the money went)',
    ]);
  });

  it('zero is an error', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ amount: '0.00' }), row({ id: 'r2', amount: '0' })) }, [
      'ledgers/amazon.csv:2: amount "0.00" is not greater than zero (expected a positive amount)',
      'ledgers/amazon.csv:3: amount "0" is not greater than zero (expected a positive amount)',
    ]);
  });

  it('more than 15 digits before the point is an error, leading zeros included; 15 are accepted', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ amount: '1234567890123456' }), row({ id: 'r2', amount: '0000000000000001.00' })) }, [
      'ledgers/amazon.csv:2: amount "1234567890123456" has 16 digits before the decimal point (expected at most 15; leading zeros count)',
      'ledgers/amazon.csv:3: amount "0000000000000001.00" has 16 digits before the decimal point (expected at most 15; leading zeros count)',
    ]);
    await expectAccepted({ 'amazon.csv': ledger(row({ amount: '999999999999999.99' }), row({ id: 'r2', amount: '000000000000001' })) });
  });

  it('more decimals than the currency has is an error: USD 2, JPY 0, BHD 3', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ amount: '1.234' }), row({ id: 'r2', amount: '1.230' })) }, [
      'ledgers/amazon.csv:2: amount "1.234" has 3 decimals, more than USD allows (expected at most 2 decimals)',
      'ledgers/amazon.csv:3: amount "1.230" has 3 decimals, more than USD allows (expected at most 2 decimals: write 1.23)',
    ]);
    await expectErrors({ 'sony.csv': ledger(row({ amount: '100.5', currency: 'JPY' }), row({ id: 'r2', amount: '100.0', currency: 'JPY' })) }, [
      'ledgers/sony.csv:2: amount "100.5" has 1 decimal, more than JPY allows (expected no decimals)',
      'ledgers/sony.csv:3: amount "100.0" has 1 decimal, more than JPY allows (expected no decimals: write 100)',
    ]);
    await expectErrors({ 'batelco.csv': ledger(row({ amount: '1.0005', currency: 'BHD' })) }, [
      'ledgers/batelco.csv:2: amount "1.0005" has 4 decimals, more than BHD allows (expected at most 3 decimals)',
    ]);
  });

  it('fewer decimals than the currency has are accepted: 100.5 USD, 7 USD, 1.005 BHD, 100 JPY', async () => {
    await expectAccepted({ 'amazon.csv': ledger(row({ amount: '100.5' }), row({ id: 'r2', amount: '7' })) });
    await expectAccepted({ 'batelco.csv': ledger(row({ amount: '1.005', currency: 'BHD' }), row({ id: 'r2', amount: '2.5', currency: 'BHD' })) });
    await expectAccepted({ 'sony.csv': ledger(row({ amount: '100', currency: 'JPY' })) });
  });
});

describe('currency', () => {
  it('an empty currency is an error', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ currency: '' })) }, ['ledgers/amazon.csv:2: currency is empty (expected three upper-case letters such as USD)']);
  });

  it('a currency is three upper-case letters', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ currency: 'usd' }), row({ id: 'r2', currency: 'US$' }), row({ id: 'r3', currency: 'USDT' })) }, [
      'ledgers/amazon.csv:2: currency "usd" is not three upper-case letters (write USD)',
      'ledgers/amazon.csv:3: currency "US$" is not three upper-case letters (expected an ISO 4217 code such as USD)',
      'ledgers/amazon.csv:4: currency "USDT" is not three upper-case letters (expected an ISO 4217 code such as USD)',
    ]);
  });

  it('a row in a second currency with no rates file is an error naming both currencies, the date and where the rates file is expected', async () => {
    const missing = (file: string, line: number, from: string, day: string): string =>
      `ledgers/${file}:${line}: no ${from}→USD rate on or before ${day}: there is no rates file ledgers/_rates.csv (USD is the reporting currency, the first currency seen, at ledgers/amazon.csv:2; expected a rates file, or --rates FILE, with a ${from},USD or USD,${from} row dated ${day} or earlier)`;
    await expectErrors({ 'amazon.csv': ledger(row(), row({ id: 'r2', currency: 'EUR' })), 'openai.csv': ledger(row({ currency: 'GBP', date: '2026-02-01T10:00' }), row({ id: 'r2' })) }, [
      missing('amazon.csv', 3, 'EUR', '2026-01-15'),
      missing('openai.csv', 2, 'GBP', '2026-02-01'),
    ]);
  });
});

describe('ref', () => {
  it('(counterparty, direction, ref) is unique within a company, across its files', async () => {
    await expectErrors(
      {
        'amazon.a.csv': ledger(row({ id: 'r1', ref: 'T-1' }), row({ id: 'r2', ref: 'T-1', direction: 'out', kind: 'purchase' }), row({ id: 'r3', ref: 'T-1', counterparty: 'other' })),
        'amazon.b.csv': ledger(row({ id: 'r4', ref: 'T-1' })),
      },
      [
        'ledgers/amazon.b.csv:2: ref "T-1" is already used at ledgers/amazon.a.csv:2 with the same counterparty "acme" and direction in (expected a ref unique per counterparty and direction: a ref names one transfer)',
      ],
    );
  });

  it('the same ref in another company, or empty refs, are accepted', async () => {
    await expectAccepted({ 'amazon.csv': ledger(row({ id: 'r1', ref: 'T-1' }), row({ id: 'r2' }), row({ id: 'r3' })), 'openai.csv': ledger(row({ id: 'r1', ref: 'T-1' })) });
  });
});

describe('deal', () => {
  it('a deal is 1-64 letters, digits, ".", "_" or "-"', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ deal: 'aws deal' }), row({ id: 'r2', deal: 'd'.repeat(65) }), row({ id: 'r3', deal: 'AWS-2025_q1.v2' }), row({ id: 'r4', deal: 'd'.repeat(64) })) }, [
      'ledgers/amazon.csv:2: deal "aws deal" is not a deal name (expected 1 to 64 letters, digits, ".", "_" or "-")',
      `ledgers/amazon.csv:3: deal "${'d'.repeat(57)}..." is not a deal name (expected 1 to 64 letters, digits, ".", "_" or "-")`,
    ]);
  });
});

describe('like a compiler: every error, in file then line order, at most 50', () => {
  it('every broken rule of a row is reported, in column order', async () => {
    await expectErrors({ 'amazon.csv': ledger(row({ id: '', date: '2026-02-30', direction: 'sideways', counterparty: 'amazon', kind: 'sale', category: 'Cloud', amount: '1;0', currency: 'usd', deal: 'a b' })) }, [
      'ledgers/amazon.csv:2: id is empty (expected an id of 1 to 128 characters, unique within the company)',
      'ledgers/amazon.csv:2: date "2026-02-30" is not a real calendar date (February 2026 has 28 days)',
      'ledgers/amazon.csv:2: direction "sideways" is not in or out (expected in or out, exact and lowercase)',
      'ledgers/amazon.csv:2: counterparty "amazon" is the company itself (expected the other party: a company id of this ledger set or an external name)',
      'ledgers/amazon.csv:2: kind "sale" is not a kind (expected investment, revenue, purchase or other, exact and lowercase)',
      'ledgers/amazon.csv:2: category "Cloud" is not a lowercase slug (write cloud)',
      'ledgers/amazon.csv:2: amount "1;0" is not a plain decimal (expected digits with an optional decimal point, e.g. 1000.00: no sign, thousands separator, currency symbol or exponent)',
      'ledgers/amazon.csv:2: currency "usd" is not three upper-case letters (write USD)',
      'ledgers/amazon.csv:2: deal "a b" is not a deal name (expected 1 to 64 letters, digits, ".", "_" or "-")',
    ]);
  });

  it('errors of several files come in file then line order, rules across rows included', async () => {
    // A row is converted once it passes the row rules: a row with an error gets no conversion error on top.
    const noRate =
      'no USD→EUR rate on or before 2026-01-15: there is no rates file ledgers/_rates.csv (EUR is the reporting currency, the first currency seen, at ledgers/amazon.2025.csv:2; expected a rates file, or --rates FILE, with a USD,EUR or EUR,USD row dated 2026-01-15 or earlier)';
    await expectErrors(
      {
        'openai.csv': ledger(row({ id: 'o1', amount: '0' }), row({ id: 'o1' })),
        'amazon.2026.csv': ledger(row({ id: 'a1' }), row({ id: 'a2', date: 'soon' })),
        'amazon.2025.csv': ledger(row({ id: 'a1', currency: 'EUR' }), row({ id: 'a9', kind: 'gift' })),
      },
      [
        'ledgers/amazon.2025.csv:3: kind "gift" is not a kind (expected investment, revenue, purchase or other, exact and lowercase)',
        'ledgers/amazon.2026.csv:2: id "a1" is already used at ledgers/amazon.2025.csv:2 (expected ids unique within company amazon, across its files)',
        `ledgers/amazon.2026.csv:2: ${noRate}`,
        'ledgers/amazon.2026.csv:3: date "soon" is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (e.g. 2026-01-31 or 2026-01-31T09:30)',
        'ledgers/openai.csv:2: amount "0" is not greater than zero (expected a positive amount)',
        'ledgers/openai.csv:3: id "o1" is already used at ledgers/openai.csv:2 (expected ids unique within company openai, across its files)',
        `ledgers/openai.csv:3: ${noRate}`,
      ],
    );
  });

  it('60 errors: the first 50 in line order, then a count of the other 10', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => row({ id: `r${i + 1}`, amount: `-${i + 1}` }));
    const { result, dir } = await runOn({ 'amazon.csv': ledger(...rows) });
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n');
    const expected = Array.from(
      { length: 50 },
      (_, i) => `ledgers/amazon.csv:${i + 2}: amount "-${i + 1}" is not a plain decimal (expected a positive amount without a sign: the direction column says which way the money went)`,
    );
    expect(lines.slice(0, 50)).toEqual(expected);
    expect(lines[50]).toBe('... and 10 more errors (60 in all; only the first 50 are shown)');
    // The closing count line is printed by src/cli/main.ts from RoundtripError.total.
    expect(lines[51]).toBe("roundtrip: 60 input errors; nothing was written.");
    expect(lines.length).toBe(53);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });

  it('the count covers every file and stays exact for a large broken file; only 50 issues are kept', () => {
    const many = (n: number): Uint8Array => Buffer.from(ledger(...Array.from({ length: n }, (_, i) => row({ id: `r${i}`, currency: 'usd' }))));
    let error: unknown;
    try {
      loadLedgers(
        [
          { name: 'b.csv', bytes: many(20_000) },
          { name: 'a.csv', bytes: many(30) },
        ],
        'ledgers',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RoundtripError);
    const e = error as RoundtripError;
    expect(e.code).toBe('input');
    expect(e.total).toBe(20_030);
    expect(e.issues.length).toBe(50);
    expect(e.issues.map((i) => `${i.file}:${i.line}`)).toEqual([
      ...Array.from({ length: 30 }, (_, i) => `ledgers/a.csv:${i + 2}`),
      ...Array.from({ length: 20 }, (_, i) => `ledgers/b.csv:${i + 2}`),
    ]);
    expect(e.message.split('\n').at(-1)).toBe('... and 19980 more errors (20030 in all; only the first 50 are shown)');
  });

  it('a failed run leaves an earlier reports folder untouched and no temporary folder', async () => {
    const dir = await expectAccepted({ 'amazon.csv': ledger(row()) });
    const before = readFileSync(join(dir, 'reports', 'all', 'revenue.csv'));
    writeFileSync(join(dir, 'ledgers', 'amazon.csv'), ledger(row(), row({ id: 'r2', amount: '1,000.00' })));
    const cwd = process.cwd();
    process.chdir(dir);
    let result: CliResult;
    try {
      result = await runCli(['run', '--ledgers', 'ledgers', '--out', 'reports', '--quiet']);
    } finally {
      process.chdir(cwd);
    }
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('ledgers/amazon.csv:3: amount "1,000.00" is not a plain decimal (write 1000.00)\nroundtrip: 1 input error; nothing was written.\n');
    expect(readdirSync(join(dir, 'reports'))).toEqual(['all']);
    expect(readFileSync(join(dir, 'reports', 'all', 'revenue.csv')).equals(before)).toBe(true);
  });

  it('check reports the same errors and exits 2', async () => {
    const dir = join(root, 'check');
    mkdirSync(join(dir, 'ledgers'), { recursive: true });
    writeFileSync(join(dir, 'ledgers', 'amazon.csv'), ledger(row({ kind: 'purchase' })));
    const cwd = process.cwd();
    process.chdir(dir);
    let result: CliResult;
    try {
      result = await runCli(['check', '--ledgers', 'ledgers']);
    } finally {
      process.chdir(cwd);
    }
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'ledgers/amazon.csv:2: kind "purchase" does not go with direction "in" (expected purchase only on money going out; money received for a sale is revenue)\nroundtrip: 1 input error; nothing was written.\n',
    );
  });
});
