/**
 * SPEC §10, every directive of a rules file, one describe each: what the
 * export becomes in the §1 ledger `roundtrip import` writes (exact text).
 */
import { describe, expect, it } from 'vitest';
import { HEADER } from '../../support/ledger-text.js';
import { convert, errorsOf, lines, rowsOf } from '../../support/rules.js';

/** A rules file naming a §1 column for each field. */
const PLAIN = 'fields date, id, counterparty, kind, category, amount, currency';
const ROW = '2026-01-15,r1,bigco,revenue,cloud,100.00,USD';
const OUT = 'r1,2026-01-15,in,bigco,revenue,cloud,100.00,USD,,,';

describe('the ledger written', () => {
  it('has the §1 header, the rows in input order, LF line ends and no BOM', () => {
    expect(convert(PLAIN, lines(ROW, '2026-01-16,r2,bigco,revenue,cloud,5,USD'))).toBe(
      lines(HEADER, OUT, 'r2,2026-01-16,in,bigco,revenue,cloud,5.00,USD,,,'),
    );
  });

  it('quotes a field only when it holds a comma, a quote, CR or LF, and adds no formula apostrophe', () => {
    const rules = lines('fields date, id, counterparty, amount, currency, memo', 'kind other');
    const text = lines('2026-01-15,r1,"Smith, John",5,USD,"say ""hi""', 'twice"', '2026-01-15,=r2,-bigco,5,USD,=SUM(A1)');
    expect(rowsOf(rules, text)).toEqual(['r1,2026-01-15,in,"Smith, John",other,,5.00,USD,,,"say ""hi""', 'twice"', '=r2,2026-01-15,in,-bigco,other,,5.00,USD,,,=SUM(A1)']);
  });

  it('keeps the exports in the order given (not sorted by name), each in line order', () => {
    const rows = rowsOf(PLAIN, { 'b.csv': lines('2026-01-15,b1,bigco,revenue,cloud,1,USD'), 'a.csv': lines('2026-01-14,a1,bigco,revenue,cloud,2,USD') });
    expect(rows.map((r) => r.split(',')[0])).toEqual(['b1', 'a1']);
  });

  it('reads an empty line as no record, and a comment or blank line of the rules as nothing', () => {
    const rules = lines('# a comment', '; another', '', PLAIN, '   ', '  # an indented comment');
    expect(rowsOf(rules, lines('', ROW, '', ''))).toEqual([OUT]);
  });
});

describe('skip N', () => {
  it('is 0 by default: every record is read', () => {
    expect(rowsOf(PLAIN, lines(ROW))).toEqual([OUT]);
  });

  it('leaves out the first N records of each export, whatever their field count', () => {
    const rules = lines('skip 2', PLAIN);
    const text = lines('Journal export January', 'Date,Doc,Partner,Kind,Category,Amount,Currency', ROW);
    expect(rowsOf(rules, { 'one.csv': text, 'two.csv': text.replace('r1', 'r2') })).toEqual([OUT, OUT.replace('r1', 'r2')]);
  });

  it('ignores a stray quote in a record it leaves out (an ERP header such as Amount "EUR")', () => {
    const rules = lines('skip 1', PLAIN);
    expect(rowsOf(rules, lines('Date,Doc,Partner,Kind,Category,Amount "EUR",Currency', ROW))).toEqual([OUT]);
    expect(errorsOf(lines('skip 1', PLAIN), lines('Date,"Doc,Partner,Kind,Category,Amount,Currency', ROW))).toEqual([
      'in/export.csv:1: field 2 (id) "\\"Doc,Partner,Kind,Category,Amount,Currency" opens a quote that is never closed (expected a closing " before the end of the file; everything after it was read as this one value)',
    ]);
  });

  it('counts records, not lines: a header spanning two lines is one record, and lines are still physical lines', () => {
    const rules = lines('skip 1', 'fields date, , counterparty, kind, category, amount, currency');
    const text = lines('Date,"Doc', 'number",Partner,Kind,Category,Amount,Currency', '', ROW);
    // The default id is FILE:LINE of the record's first physical line: the row is on line 4.
    expect(rowsOf(rules, text)).toEqual(['export.csv:4,2026-01-15,in,bigco,revenue,cloud,100.00,USD,,,']);
  });
});

describe('separator S', () => {
  it.each([
    [';', ';'],
    ['|', '|'],
    ['TAB', '\t'],
    [',', ','],
  ])('separator %s', (name, char) => {
    const rules = lines(`separator ${name}`, 'fields date, id, counterparty, kind, category, amount, currency, memo');
    const memo = char === ',' ? '"a, b"' : 'a, b';
    expect(rowsOf(rules, lines(['2026-01-15', 'r1', 'bigco', 'revenue', 'cloud', '100.00', 'USD', memo].join(char)))).toEqual([
      'r1,2026-01-15,in,bigco,revenue,cloud,100.00,USD,,,"a, b"',
    ]);
  });

  it('is a comma by default', () => {
    expect(rowsOf(PLAIN, lines(ROW))).toEqual([OUT]);
  });
});

describe('encoding E', () => {
  const rules = lines('fields date, id, counterparty, kind, category, amount, currency');
  const cp1252 = lines('encoding windows-1252', rules);

  it('is UTF-8 by default, with or without a BOM', () => {
    expect(rowsOf(rules, lines('2026-01-15,r1,Société Générale,revenue,cloud,5,USD'))).toEqual(['r1,2026-01-15,in,Société Générale,revenue,cloud,5.00,USD,,,']);
    expect(rowsOf(rules, `\uFEFF${lines(ROW)}`)).toEqual([OUT]);
    expect(rowsOf(lines('encoding utf-8', rules), `\uFEFF${lines(ROW)}`)).toEqual([OUT]);
  });

  it('windows-1252 decodes every byte 0x80-0xFF as the WHATWG table says (Node 20.18.3+ alone gets 0x80-0x9F wrong)', () => {
    const high = Uint8Array.from({ length: 128 }, (_, i) => 0x80 + i);
    const bytes = new Uint8Array([...Buffer.from('2026-01-15,r1,bigco,revenue,cloud,5,USD,"'), ...high, ...Buffer.from('"\n')]);
    const memo = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ';
    const rulesWithMemo = lines('encoding windows-1252', 'fields date, id, counterparty, kind, category, amount, currency, memo');
    expect(rowsOf(rulesWithMemo, bytes)).toEqual([`r1,2026-01-15,in,bigco,revenue,cloud,5.00,USD,,,${memo}`]);
  });

  it('windows-1252 decodes one byte a character (é is 0xE9, € is 0x80)', () => {
    const bytes = new Uint8Array([...Buffer.from('2026-01-15,r1,Soci'), 0xe9, ...Buffer.from('t'), 0xe9, ...Buffer.from(' '), 0x80, ...Buffer.from(',revenue,cloud,5,USD\n')]);
    expect(rowsOf(cp1252, bytes)).toEqual(['r1,2026-01-15,in,Société €,revenue,cloud,5.00,USD,,,']);
  });

  it('reports invalid UTF-8 with its line, and says how to read a Windows-1252 export', () => {
    const bytes = new Uint8Array([...Buffer.from(`${ROW}\n2026-01-15,r2,Soci`), 0xe9, ...Buffer.from('t,revenue,cloud,5,USD\n')]);
    expect(errorsOf(rules, bytes)).toEqual([
      'in/export.csv:2: line is not valid UTF-8 (byte 0xE9 at byte 64 of the file; expected UTF-8, as in/acme.rules reads it: if the export is Windows-1252, add "encoding windows-1252" to the rules)',
    ]);
  });

  it('is case-insensitive in its name', () => {
    expect(rowsOf(lines('encoding Windows-1252', rules), lines(ROW))).toEqual([OUT]);
  });
});

describe('fields N1, N2, …', () => {
  it('puts a §1 column name\'s value there, keeps other names for templates, and ignores an empty name', () => {
    const rules = lines('fields date, , partner, ref, text, amount, currency, deal', 'id %ref/%text', 'counterparty %partner', 'kind other');
    expect(rowsOf(rules, lines('2026-01-15,ignored,bigco,INV-1,x,5,USD,D-1'))).toEqual(['INV-1/x,2026-01-15,in,bigco,other,,5.00,USD,INV-1,D-1,']);
  });

  it('trims spaces at both ends of every value (templates and conditions see the trimmed value)', () => {
    const rules = lines(PLAIN, 'memo [%counterparty]');
    expect(rowsOf(rules, lines('2026-01-15 ,  r1, bigco  ,revenue,cloud, 100.00 ,USD'))).toEqual(['r1,2026-01-15,in,bigco,revenue,cloud,100.00,USD,,,[bigco]']);
  });
});

describe('date-format F', () => {
  const withFormat = (format: string, date: string): string[] =>
    rowsOf(lines(`date-format ${format}`, PLAIN), lines(`${date},r1,bigco,revenue,cloud,5,USD`)).map((r) => r.split(',')[1] as string);

  it.each([
    ['%d.%m.%Y', '31.01.2026', '2026-01-31'],
    ['%m/%d/%Y', '01/31/2026', '2026-01-31'],
    ['%Y%m%d', '20260131', '2026-01-31'],
    ['%d/%m/%y', '31/01/26', '2026-01-31'],
    ['%-d.%-m.%Y', '5.1.2026', '2026-01-05'],
    ['%-d.%-m.%Y', '15.11.2026', '2026-11-15'],
    ['%Y-%m-%d %H:%M', '2026-01-31 09:30', '2026-01-31T09:30'],
    ['%d.%m.%Y %H:%M:%S', '31.01.2026 23:59:58', '2026-01-31T23:59:58'],
    ['%Y-%m-%dT%H:%M:%S', '2026-01-31T00:00:00', '2026-01-31T00:00:00'],
    ['%d%%%m%%%Y', '31%01%2026', '2026-01-31'],
  ])('%s reads %s as %s', (format, date, expected) => {
    expect(withFormat(format, date)).toEqual([expected]);
  });

  it('is the §1 form without the directive', () => {
    expect(withFormat('%Y-%m-%d', '2026-01-31')).toEqual(['2026-01-31']);
    expect(rowsOf(PLAIN, lines('2026-01-31T09:30,r1,bigco,revenue,cloud,5,USD'))[0]?.split(',')[1]).toBe('2026-01-31T09:30');
  });
});

describe('decimal-mark C', () => {
  it('is . by default: , groups thousands', () => {
    expect(rowsOf(PLAIN, lines('2026-01-15,r1,bigco,revenue,cloud,"1,234.5",USD'))[0]).toBe('r1,2026-01-15,in,bigco,revenue,cloud,1234.50,USD,,,');
  });

  it(', makes . group thousands', () => {
    const rules = lines('separator ;', 'decimal-mark ,', PLAIN);
    expect(rowsOf(rules, lines('2026-01-15;r1;bigco;revenue;cloud;1.234,5;USD'))[0]).toBe('r1,2026-01-15,in,bigco,revenue,cloud,1234.50,USD,,,');
  });
});

describe('COLUMN TEMPLATE', () => {
  const rules = (...more: string[]): string => lines('fields posted, doc, partner, text, amount, currency', 'date %posted', 'counterparty %partner', 'kind other', ...more);
  const record = lines('2026-01-15,1001,bigco,AWS compute,5,USD');

  it('%name is the field of that name, %N the N-th field, %% a percent sign, other text itself', () => {
    expect(rowsOf(rules('id DOC-%doc', 'memo %4 (%2) 100%% %text'), record)).toEqual(['DOC-1001,2026-01-15,in,bigco,other,,5.00,USD,,,AWS compute (1001) 100% AWS compute']);
  });

  it('takes the longest run of [a-z0-9_-] as the name: in %doc-%partner the name is doc-', () => {
    expect(rowsOf(rules('id %doc/%partner'), record)[0]?.split(',')[0]).toBe('1001/bigco');
    expect(errorsOf(rules('id %doc-%partner'), record)).toEqual([
      'in/acme.rules:5: template %doc- is not a name in fields (did you mean %doc? expected one of %posted, %doc, %partner, %text, %amount, %currency as named at line 1, or a field number)',
    ]);
  });

  it('sets a fixed value (kind other) and a later line replaces an earlier one', () => {
    expect(rowsOf(rules('kind investment', 'category cloud', 'kind revenue'), record)[0]).toBe('export.csv:1,2026-01-15,in,bigco,revenue,cloud,5.00,USD,,,');
  });

  it('leaves id unset: it is FILE:LINE of the record, unique across files', () => {
    expect(rowsOf(rules(), { 'jan.csv': record, 'feb.csv': lines('', record) }).map((r) => r.split(',')[0])).toEqual(['jan.csv:1', 'feb.csv:2']);
  });

  it('never reads back a value a rule set: templates and conditions see the export\'s fields as read', () => {
    const more = ['counterparty renamed', 'memo was %partner', 'if %partner ^renamed', '  category nope'];
    expect(rowsOf(rules(...more), record)).toEqual(['export.csv:1,2026-01-15,in,renamed,other,,5.00,USD,,,was bigco']);
  });

  it('may be empty: the column is set to nothing', () => {
    const rulesFile = lines('fields date, id, counterparty, kind, category, amount, currency, memo', 'memo');
    expect(rowsOf(rulesFile, lines('2026-01-15,r1,bigco,revenue,cloud,5,USD,dropped'))[0]).toBe('r1,2026-01-15,in,bigco,revenue,cloud,5.00,USD,,,');
  });
});

describe('if %NAME REGEX blocks', () => {
  const base = lines('fields posted, partner, text, amount, currency', 'date %posted', 'counterparty %partner', 'kind other');
  const records = lines('2026-01-15,OpenAI Global,AWS compute,5,USD', '2026-01-16,Acme,aws usage,6,USD', '2026-01-17,Acme,Opening,7,USD');
  const kinds = (rules: string): string[] => rowsOf(rules, records).map((r) => `${r.split(',')[4]}/${r.split(',')[5]}`);

  it('matches case-insensitively and unanchored; the body sets columns', () => {
    expect(kinds(lines(base.trimEnd(), 'if %text AWS', '  kind revenue', '  category cloud'))).toEqual(['revenue/cloud', 'revenue/cloud', 'other/']);
  });

  it('anchors with ^ and $', () => {
    expect(kinds(lines(base.trimEnd(), 'if %text ^aws', '  kind revenue', '  category cloud', 'if %text ing$', '  category opening'))).toEqual(['revenue/cloud', 'revenue/cloud', 'other/opening']);
  });

  it('&& lines add conditions that must all hold', () => {
    expect(kinds(lines(base.trimEnd(), 'if %text AWS', '&& %partner ^OpenAI', '&& %currency USD', '  kind revenue', '  category cloud'))).toEqual(['revenue/cloud', 'other/', 'other/']);
  });

  it('names a field by number too', () => {
    expect(kinds(lines(base.trimEnd(), 'if %2 acme', '  category retail'))).toEqual(['other/', 'other/retail', 'other/retail']);
  });

  it('applies blocks in file order: a later value replaces an earlier one', () => {
    expect(kinds(lines(base.trimEnd(), 'if %text aws', '  category first', 'if %partner acme', '  category second'))).toEqual(['other/first', 'other/second', 'other/second']);
  });

  it('skip in a body leaves the record out', () => {
    const rules = lines(base.trimEnd(), 'if %text ^Opening', '  skip');
    expect(rowsOf(rules, records).map((r) => r.split(',')[1])).toEqual(['2026-01-15', '2026-01-16']);
  });

  it('skip leaves out a record the rules could not read otherwise (a totals line)', () => {
    const rules = lines(base.trimEnd(), 'if %text ^Total', '  skip');
    expect(rowsOf(rules, lines('2026-01-15,Acme,x,5,USD', ',,Total,not an amount,'))).toHaveLength(1);
  });

  it('ends its body at the next line that is not indented; indented by tabs too', () => {
    const rules = lines(base.trimEnd(), 'if %text aws', '\tcategory cloud', '', '  # a comment', '\tkind revenue', 'memo %text');
    expect(rowsOf(rules, records)[2]).toBe('export.csv:3,2026-01-17,in,Acme,other,,7.00,USD,,,Opening');
    expect(rowsOf(rules, records)[0]).toBe('export.csv:1,2026-01-15,in,OpenAI Global,revenue,cloud,5.00,USD,,,AWS compute');
  });
});

describe('the amount and the direction', () => {
  it('amount-in and amount-out: the non-zero one gives the amount and the direction', () => {
    const rules = lines('fields date, amount-in, amount-out, currency', 'counterparty bank', 'kind other');
    expect(rowsOf(rules, lines('2026-01-15,5,,USD', '2026-01-16,,7,USD', '2026-01-17,0.00,8,USD'))).toEqual([
      'export.csv:1,2026-01-15,in,bank,other,,5.00,USD,,,',
      'export.csv:2,2026-01-16,out,bank,other,,7.00,USD,,,',
      'export.csv:3,2026-01-17,out,bank,other,,8.00,USD,,,',
    ]);
  });

  it('amount without a direction rule: negative is out, positive in', () => {
    const rules = lines('fields date, amount, currency', 'counterparty bank', 'kind other');
    expect(rowsOf(rules, lines('2026-01-15,-5,USD', '2026-01-16,(7),USD', '2026-01-17,+8,USD', '2026-01-18,9,USD')).map((r) => r.split(',').slice(2, 7).join(' '))).toEqual([
      'out bank other  5.00',
      'out bank other  7.00',
      'in bank other  8.00',
      'in bank other  9.00',
    ]);
  });

  it('amount with a direction rule: the rule gives the direction', () => {
    const rules = lines('fields date, amount, currency, direction', 'counterparty bank', 'kind other');
    expect(rowsOf(rules, lines('2026-01-15,5,USD,out'))).toEqual(['export.csv:1,2026-01-15,out,bank,other,,5.00,USD,,,']);
  });

  it('an amount set by a template is read like a field', () => {
    const rules = lines('fields date, value, currency', 'amount -%value', 'counterparty bank', 'kind other');
    expect(rowsOf(rules, lines('2026-01-15,5,USD'))).toEqual(['export.csv:1,2026-01-15,out,bank,other,,5.00,USD,,,']);
  });
});

it('a rules file that is wrong stops before any export is read', () => {
  expect(errorsOf(lines('fields date, amount, currency', 'kind other'), lines('not,read'))).toEqual(['in/acme.rules: sets no counterparty (expected a counterparty field in fields, or a line such as counterparty %partner)']);
});
