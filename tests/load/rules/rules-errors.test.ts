/**
 * SPEC §10 errors, every class with its exact message: errors in a rules
 * file name its line; errors in an export name the export's file:line, the
 * value, what was expected and, when a rule set the value, the rules line.
 * Through `roundtrip run`: every error of the set is listed (up to 50),
 * nothing is written, exit 2, as for ledgers.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOnLedgers } from '../../support/helpers.js';
import { errorsOf, lines } from '../../support/rules.js';

const GOOD = ['fields date, id, partner, text, amount, currency', 'counterparty %partner', 'kind other'];
const ROW = lines('2026-01-15,r1,bigco,AWS,5,USD');
const LIST = 'expected one of skip, separator, encoding, fields, date-format, decimal-mark, if, id, date, direction, counterparty, kind, category, amount, currency, ref, deal, memo';

/** The messages for a rules file of GOOD plus `more` lines (line 4 on). */
function rulesErrors(...more: string[]): string[] {
  return errorsOf(lines(...GOOD, ...more), ROW);
}

describe('errors in the rules file name its line', () => {
  it('an unknown directive, with a near spelling', () => {
    expect(rulesErrors('catgory cloud', 'frobnicate x')).toEqual([
      `in/acme.rules:4: unknown directive "catgory" (${LIST}; did you mean category?)`,
      `in/acme.rules:5: unknown directive "frobnicate" (${LIST})`,
    ]);
  });

  it.each(['include other.rules', 'newest-first', 'balance %6', 'account1 assets:bank', 'amount1 %5', 'timezone +0100', 'if,%text,kind', 'intra-day-reversed', 'date2 %1', 'end'])(
    'an hledger rule roundtrip does not read: %s',
    (line) => {
      const word = line.split(' ')[0] as string;
      expect(rulesErrors(line)).toEqual([`in/acme.rules:4: "${word}" is an hledger rule that roundtrip does not read (${LIST}; see docs/rules.md)`]);
    },
  );

  it.each([
    ['description %text', 'memo'],
    ['comment %text', 'memo'],
    ['payee %partner', 'counterparty'],
    ['code %id', 'id'],
  ])('an hledger field with a ledger column that does its job: %s', (line, column) => {
    const word = line.split(' ')[0] as string;
    expect(rulesErrors(line)).toEqual([`in/acme.rules:4: "${word}" is an hledger rule that roundtrip does not read (use ${column} for it; ${LIST}; see docs/rules.md)`]);
  });

  it('a bad regular expression', () => {
    expect(rulesErrors('if %text AWS(', '  kind revenue')).toEqual([
      'in/acme.rules:4: regular expression "AWS(" is not valid: Unterminated group (expected a JavaScript regular expression, e.g. ^AWS|compute)',
    ]);
  });

  it.each([
    ['skip 1', 'skip 2', 'skip'],
    ['separator ,', 'separator ;', 'separator'],
    ['encoding utf-8', 'encoding windows-1252', 'encoding'],
    ['date-format %Y-%m-%d', 'date-format %d.%m.%Y', 'date-format'],
    ['decimal-mark .', 'decimal-mark ,', 'decimal-mark'],
  ])('a once-only directive given twice: %s then %s', (first, second, name) => {
    expect(rulesErrors(first, second)).toEqual([
      `in/acme.rules:5: ${name} is given twice (first at line 4; expected each of skip, separator, encoding, fields, date-format, decimal-mark at most once)`,
    ]);
  });

  it('fields given twice', () => {
    expect(rulesErrors('fields date')).toEqual([
      'in/acme.rules:4: fields is given twice (first at line 1; expected each of skip, separator, encoding, fields, date-format, decimal-mark at most once)',
    ]);
  });

  it('an unknown field name in a template or a condition, a field number out of range, a bare %', () => {
    expect(rulesErrors('memo %txt', 'if %prtner ^big', '  category x', 'ref %7', 'deal 100% sure')).toEqual([
      'in/acme.rules:4: template %txt is not a name in fields (did you mean %text? expected one of %date, %id, %partner, %text, %amount, %currency as named at line 1, or a field number)',
      'in/acme.rules:5: condition %prtner is not a name in fields (did you mean %partner? expected one of %date, %id, %partner, %text, %amount, %currency as named at line 1, or a field number)',
      'in/acme.rules:7: template %7 is not a field number (expected %1 to %6: fields at line 1 names 6 fields)',
      'in/acme.rules:8: template "100% sure" has a % that is not followed by a field name or number (expected %name, %N, or %% for a percent sign)',
    ]);
  });

  it('a bad separator, encoding or decimal mark', () => {
    expect(rulesErrors('separator tab', 'encoding latin1', 'decimal-mark \'')).toEqual([
      'in/acme.rules:4: separator "tab" is not one of , ; | TAB (expected one of them, e.g. separator ;)',
      'in/acme.rules:5: encoding "latin1" is not utf-8 or windows-1252 (expected one of them; utf-8 accepts a BOM)',
      'in/acme.rules:6: decimal-mark "\'" is not . or , (expected one of them, e.g. decimal-mark ,)',
    ]);
  });

  it.each([
    ['%d.%m.%Y %I', 'date-format "%d.%m.%Y %I" has %I, which is not a date part'],
    ['%d.%m', 'date-format "%d.%m" has no a year (%Y or %y)'],
    ['%Y', 'date-format "%Y" has no a month (%m or %-m), no a day (%d or %-d)'],
    ['%d.%m.%Y %d', 'date-format "%d.%m.%Y %d" has the day twice'],
    ['%Y-%m-%d %y', 'date-format "%Y-%m-%d %y" has the year twice'],
    ['%Y-%m-%d %H', 'date-format "%Y-%m-%d %H" has %H without %M'],
  ])('a bad date-format: %s', (format, message) => {
    const tail = message.includes('without')
      ? '(expected a time as %H:%M or %H:%M:%S, or no time)'
      : '(expected %Y or %y, %m or %-m, %d or %-d, optionally %H:%M or %H:%M:%S, other characters as written, e.g. %d.%m.%Y)';
    expect(rulesErrors(`date-format ${format}`)).toEqual([`in/acme.rules:4: ${message} ${tail}`]);
  });

  it('skip that is not a number; skip with a number in a block', () => {
    expect(rulesErrors('skip one', 'if %text x', '  skip 1')).toEqual([
      'in/acme.rules:4: skip "one" is not a number of records (expected a whole number, e.g. skip 1 to leave out a header line)',
      'in/acme.rules:6: skip in an if block takes no number, got "1" (expected skip alone: the record is left out)',
    ]);
  });

  it('a fields name that is not a name, or is named twice', () => {
    expect(errorsOf(lines('fields date, Partner, amount, amount, currency', 'counterparty x', 'kind other'), ROW)).toEqual([
      'in/acme.rules:1: fields name "Partner" is not a field name (expected a ledger column, amount-in, amount-out, or lowercase letters, digits, "-" and "_" starting with a letter; leave it empty to ignore the column)',
      'in/acme.rules:1: fields names "amount" twice (expected each name once; leave a column\'s name empty to ignore it)',
    ]);
  });

  it("hledger's _ for a column to ignore", () => {
    expect(errorsOf(lines('fields date, _, amount, currency', 'counterparty x', 'kind other'), ROW)).toEqual([
      'in/acme.rules:1: fields name "_" is not a field name (expected an empty name for a column to ignore, e.g. fields date, , , amount, where hledger writes _)',
    ]);
  });

  it('a fields line with no name', () => {
    expect(errorsOf(lines('fields', 'kind other'), ROW)[0]).toBe(
      "in/acme.rules:1: fields names no column (expected the export's columns in order, separated by commas, e.g. fields date, id, partner, amount, currency)",
    );
  });

  it('no fields line', () => {
    expect(errorsOf(lines('kind other'), ROW)).toEqual([
      "in/acme.rules: has no fields line (expected one naming the export's columns in order, e.g. fields date, id, partner, amount, currency)",
    ]);
  });

  it('if blocks: && out of place, an indented line outside a block, a block without body, a wrong if, a body line that is not a column', () => {
    expect(rulesErrors('&& %text x', '  kind other', 'if %text x', 'if %text', '  kind revenue', 'if AWS', '  kind revenue', 'if %text y', '  revenue cloud', '&& %text z')).toEqual([
      'in/acme.rules:4: && does not follow an if line (expected "&& %NAME REGEX" right after "if %NAME REGEX" or another && line)',
      'in/acme.rules:5: indented line "kind other" is outside an if block (expected directives at the start of the line; indent only the body of an if block)',
      'in/acme.rules:6: if block has no body (expected indented lines after it, such as "  kind revenue" or "  skip")',
      'in/acme.rules:7: if "%text" is not "if %NAME REGEX" (expected a field of fields and a regular expression, e.g. if %text ^AWS; roundtrip reads only this form of hledger\'s if)',
      'in/acme.rules:9: if "AWS" is not "if %NAME REGEX" (expected a field of fields and a regular expression, e.g. if %text ^AWS; roundtrip reads only this form of hledger\'s if)',
      'in/acme.rules:12: "revenue" is not a ledger column (expected an indented COLUMN TEMPLATE line, one of id, date, direction, counterparty, kind, category, amount, currency, ref, deal, memo, or skip)',
      'in/acme.rules:13: && does not follow an if line (expected "&& %NAME REGEX" right after "if %NAME REGEX" or another && line)',
    ]);
  });

  it('an indented && line', () => {
    expect(rulesErrors('if %text x', '  && %partner y', '  kind revenue')).toEqual([
      'in/acme.rules:5: && is indented (expected "&& %NAME REGEX" at the start of the line, right after the if line; indent only the body)',
    ]);
  });

  it('the amount given two ways, or half of amount-in/amount-out', () => {
    const base = ['counterparty x', 'kind other', 'date %1'];
    expect(errorsOf(lines('fields posted, amount-in, amount-out, currency', ...base, 'amount 5', 'if %1 x', '  direction out'), ROW)).toEqual([
      'in/acme.rules:5: amount is set, but fields names amount-in and amount-out (line 1), which give the amount (expected one or the other)',
      'in/acme.rules:7: direction is set, but fields names amount-in and amount-out (line 1), whose non-zero column gives the direction (expected no direction rule with them)',
    ]);
    expect(errorsOf(lines('fields posted, amount-in, currency', ...base), ROW)).toEqual([
      'in/acme.rules:1: fields names amount-in but not amount-out (expected both, money in and money out in two columns, or an amount column)',
    ]);
  });

  it('a column every row needs that nothing sets', () => {
    expect(errorsOf(lines('fields text'), ROW)).toEqual([
      'in/acme.rules: sets no amount (expected amount, or amount-in and amount-out, in fields, or an amount line such as amount %3)',
      'in/acme.rules: sets no date (expected a date field in fields, or a line such as date %posted)',
      'in/acme.rules: sets no counterparty (expected a counterparty field in fields, or a line such as counterparty %partner)',
      'in/acme.rules: sets no kind (expected a kind field in fields, or a line such as kind other)',
      'in/acme.rules: sets no currency (expected a currency field in fields, or a line such as currency USD)',
    ]);
  });

  it('invalid UTF-8 in the rules file', () => {
    const bytes = new Uint8Array([...Buffer.from(lines(...GOOD)), ...Buffer.from('memo caf'), 0xe9, 0x0a]);
    expect(errorsOf(bytes, ROW)).toEqual(['in/acme.rules:4: line is not valid UTF-8 (byte 0xE9 at byte 91 of the file; expected UTF-8 text: save the rules file as UTF-8)']);
  });
});

describe("errors in an export name the export's file:line", () => {
  const rules = lines('date-format %d.%m.%Y', ...GOOD, 'if %text ^AWS', '  kind revnue', '  category Cloud');

  it('a record with too few or too many fields, or one field (the separator is wrong)', () => {
    expect(errorsOf(rules, lines('15.01.2026,r1,bigco,x,5', '15.01.2026,r2,bigco,x,5,USD,extra,more', '15.01.2026;r3;bigco;x;5;USD'))).toEqual([
      'in/export.csv:1: record has 5 fields where fields (in/acme.rules:2) names 6 (no field for currency; expected one field per name, empty ones included)',
      'in/export.csv:2: record has 8 fields where fields (in/acme.rules:2) names 6 (2 too many: expected a value that holds "," to be quoted)',
      'in/export.csv:3: record has 1 field where fields (in/acme.rules:2) names 6 (expected fields separated by ,, as the rules say: is the separator right?)',
    ]);
  });

  it('CSV syntax: a quote inside an unquoted value, a quote never closed', () => {
    expect(errorsOf(rules, lines('15.01.2026,r1,big"co,x,5,USD', '15.01.2026,r2,"bigco,x,5,USD'))).toEqual([
      'in/export.csv:1: field 3 (partner) "big\\"co" has a quote inside an unquoted value (expected the whole value in quotes, with the quote doubled: "big""co")',
      'in/export.csv:2: field 3 (partner) "\\"bigco,x,5,USD" opens a quote that is never closed (expected a closing " before the end of the file; everything after it was read as this one value)',
    ]);
  });

  it('an empty export, an export with CR line ends', () => {
    expect(errorsOf(rules, '')).toEqual(['in/export.csv:1: file is empty (expected the export that in/acme.rules reads)']);
    expect(errorsOf(rules, '15.01.2026,r1,bigco,x,5,USD\r15.01.2026,r2,bigco,x,5,USD\r')).toEqual([
      'in/export.csv:1: file ends its lines with CR alone, as old Mac files do (expected LF or CRLF line ends: re-save it as "CSV UTF-8")',
    ]);
  });

  it('a date that does not match date-format, is not a real date, or not a real time', () => {
    const withTime = lines('date-format %d.%m.%Y %H:%M', ...GOOD);
    expect(errorsOf(withTime, lines('2026-01-15 10:00,r1,bigco,x,5,USD', '30.02.2026 10:00,r2,bigco,x,5,USD', '15.01.2026 24:00,r3,bigco,x,5,USD'))).toEqual([
      'in/export.csv:1: date "2026-01-15 10:00" does not match date-format %d.%m.%Y %H:%M (in/acme.rules:1) (expected a date written like 31.01.2026 09:30)',
      'in/export.csv:2: date "30.02.2026 10:00" is not a real calendar date (read as 2026-02-30T10:00 by date-format %d.%m.%Y %H:%M: February 2026 has 28 days)',
      'in/export.csv:3: date "15.01.2026 24:00" is not a real time of day (expected hours 00 to 23, minutes and seconds 00 to 59)',
    ]);
  });

  it('a §1 rule broken by a value a rule set names the rule; one the export gave does not', () => {
    expect(errorsOf(rules, lines('15.01.2026,r1,bigco,AWS,5,usd'))).toEqual([
      'in/export.csv:1: kind "revnue" is not a kind (did you mean revenue? expected investment, revenue, purchase or other, exact and lowercase); set by in/acme.rules:6',
      'in/export.csv:1: category "Cloud" is not a lowercase slug (write cloud); set by in/acme.rules:7',
      'in/export.csv:1: currency "usd" is not three upper-case letters (write USD)',
    ]);
  });

  it('a date set by a rule names the rule as well as date-format', () => {
    const byRule = lines('date-format %d.%m.%Y', 'fields posted, id, partner, text, amount, currency', 'date %posted', 'counterparty %partner', 'kind other');
    expect(errorsOf(byRule, lines('2026-01-15,r1,bigco,x,5,USD'))).toEqual([
      'in/export.csv:1: date "2026-01-15" does not match date-format %d.%m.%Y (in/acme.rules:1) (expected a date written like 31.01.2026); set by in/acme.rules:3',
    ]);
  });

  it('an id or a ref used twice, across exports; a counterparty that is the company itself', () => {
    const withRef = lines('fields date, id, partner, ref, amount, currency', 'counterparty %partner', 'kind other');
    expect(errorsOf(withRef, { 'jan.csv': lines('2026-01-15,r1,bigco,R-1,5,USD'), 'feb.csv': lines('2026-02-15,r1,bigco,R-1,5,USD', '2026-02-16,r3,acme,,5,USD') })).toEqual([
      'in/feb.csv:1: id "r1" is already used at in/jan.csv:1 (expected ids unique within company acme, across its files)',
      'in/feb.csv:1: ref "R-1" is already used at in/jan.csv:1 with the same counterparty "bigco" and direction in (expected a ref unique per counterparty and direction: a ref names one transfer)',
      'in/feb.csv:2: counterparty "acme" is the company itself (expected the other party: a company id of this ledger set or an external name); set by in/acme.rules:2',
    ]);
  });

  it('lists the first 50 errors and counts the rest', () => {
    const bad = Array.from({ length: 60 }, (_, i) => `2026-01-${String((i % 28) + 1).padStart(2, '0')},r${i},bigco,x,-,USD`);
    const messages = errorsOf(lines(...GOOD), lines(...bad));
    expect(messages).toHaveLength(51);
    expect(messages[0]).toBe('in/export.csv:1: amount "-" is not an amount (no digits; expected an amount such as 1234.50, -1,234,567.89 or (1 234.50))');
    expect(messages[50]).toBe('... and 10 more errors (60 in all; only the first 50 are shown)');
  });
});

describe('roundtrip run on a folder with rules files', () => {
  const root = mkdtempSync(join(tmpdir(), 'roundtrip-rules-errors-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  const run = (files: Record<string, string>) => runOnLedgers(join(root, `case-${++n}`), files);
  const LEDGER = lines('id,date,direction,counterparty,kind,category,amount,currency', 'o1,2026-01-15,in,acme,revenue,cloud,5,USD');

  it('lists the errors of rules files, exports and ledgers together, in file then line order; writes nothing; exit 2', async () => {
    const result = await run({
      'acme.rules': lines(...GOOD, 'kind revnue'),
      'acme.csv': ROW,
      'bigco.rules': lines('skip 1', 'fields date, id, partner, text, amount, currency', 'counterparty %partner', 'kind other'),
      'bigco.2026-01.csv': lines('Date,Id,Partner,Text,Amount,Currency', '2026-01-15,b1,acme,x,5,USD', '2026-01-15,b2,acme,x,5 USD,USD'),
      'openai.csv': lines('id,date,direction,counterparty,kind,category,amount,currency', 'o1,2026-01-15,in,acme,revenue,cloud,-5,USD'),
    });
    expect(result.stderr).toBe(
      lines(
        'ledgers/acme.csv:1: kind "revnue" is not a kind (did you mean revenue? expected investment, revenue, purchase or other, exact and lowercase); set by ledgers/acme.rules:4',
        'ledgers/bigco.2026-01.csv:3: amount "5 USD" is not an amount (a currency symbol, a letter or another character that is not a digit; expected an amount such as 1234.50, -1,234,567.89 or (1 234.50))',
        'ledgers/openai.csv:2: amount "-5" is not a plain decimal (expected a positive amount without a sign: the direction column says which way the money went)',
        'roundtrip: 3 input errors; nothing was written.',
      ),
    );
    expect(result.code).toBe(2);
    expect(existsSync(join(root, `case-${n}`, 'reports'))).toBe(false);
  });

  it('a rules file with errors: its errors only (its exports are not read as ledgers)', async () => {
    const result = await run({ 'acme.rules': lines('fields date, amount', 'frobnicate'), 'acme.csv': ROW, 'openai.csv': LEDGER.replace('acme', 'bigco') });
    expect(result.stderr).toBe(
      lines(
        'ledgers/acme.rules: sets no counterparty (expected a counterparty field in fields, or a line such as counterparty %partner)',
        'ledgers/acme.rules: sets no kind (expected a kind field in fields, or a line such as kind other)',
        'ledgers/acme.rules: sets no currency (expected a currency field in fields, or a line such as currency USD)',
        `ledgers/acme.rules:2: unknown directive "frobnicate" (${LIST})`,
        'roundtrip: 4 input errors; nothing was written.',
      ),
    );
    expect(result.code).toBe(2);
  });

  it('a rules file with no CSV file of its company, and one not named COMPANY.rules', async () => {
    const result = await run({ 'acme.rules': lines(...GOOD), 'Bigco.rules': lines(...GOOD), 'bigco.v2.rules': lines(...GOOD), 'openai.csv': LEDGER.replace('acme', 'bigco') });
    expect(result.stderr).toBe(
      lines(
        'ledgers/Bigco.rules: rules file name is not COMPANY.rules (expected a company id, lowercase letters, digits, "-" and "_", then .rules, e.g. amazon.rules: one rules file per company)',
        'ledgers/acme.rules: rules file has no CSV file to read (expected the exports of company acme beside it, e.g. acme.2026-01.csv)',
        'ledgers/bigco.v2.rules: rules file name is not COMPANY.rules (expected a company id, lowercase letters, digits, "-" and "_", then .rules, e.g. amazon.rules: one rules file per company)',
        'roundtrip: 3 input errors; nothing was written.',
      ),
    );
    expect(result.code).toBe(2);
  });

  it('a rules file that cannot be read (a broken link): that error only, its exports are not read as ledgers', async () => {
    const dir = join(root, `case-${++n}`);
    mkdirSync(join(dir, 'ledgers'), { recursive: true });
    symlinkSync('nowhere.rules', join(dir, 'ledgers', 'acme.rules'));
    const result = await runOnLedgers(dir, { 'acme.csv': ROW, 'openai.csv': LEDGER.replace('acme', 'bigco') });
    expect(result.stderr).toBe(
      lines('ledgers/acme.rules: cannot be read: it is a broken link or was removed while reading (expected a readable rules file)', 'roundtrip: 1 input error; nothing was written.'),
    );
    expect(result.code).toBe(2);
  });
});
