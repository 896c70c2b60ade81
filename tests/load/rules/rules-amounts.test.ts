/**
 * SPEC §10 amounts in exports: every accepted form and what the ledger gets
 * (a plain decimal with the currency's minor digits, and the direction),
 * every rejected form with its exact message.
 */
import { describe, expect, it } from 'vitest';
import { readAmount } from '../../../src/load/rules/amount.js';
import { errorsOf, lines, rowsOf } from '../../support/rules.js';

/** The export's amount in its own field, tab-separated so commas and parentheses need no quotes. */
function rules(mark: '.' | ',', direction = false): string {
  return lines('separator TAB', `decimal-mark ${mark}`, `fields date, amount, currency${direction ? ', direction' : ''}`, 'counterparty bank', 'kind other');
}

/** direction and amount the ledger gets for AMOUNT in CURRENCY. */
function read(mark: '.' | ',', amount: string, currency = 'USD'): string {
  const row = rowsOf(rules(mark), lines(`2026-01-15\t${amount}\t${currency}`))[0] as string;
  const values = row.split(',');
  return `${values[2]} ${values[6]}`;
}

describe('accepted amounts, decimal-mark .', () => {
  it.each([
    ['100', 'in 100.00'],
    ['100.5', 'in 100.50'],
    ['0.01', 'in 0.01'],
    ['007.10', 'in 7.10'],
    ['1,234.56', 'in 1234.56'],
    ['1,234,567.89', 'in 1234567.89'],
    ['1 234.56', 'in 1234.56'],
    ['1\u00a0234\u00a0567.89', 'in 1234567.89'],
    ['+1,234.56', 'in 1234.56'],
    ['-1,234.56', 'out 1234.56'],
    ['(1,234.56)', 'out 1234.56'],
    ['(1 234.50)', 'out 1234.50'],
    ['-0.01', 'out 0.01'],
    ['100.500', 'in 100.50'],
    ['999999999999999.99', 'in 999999999999999.99'],
  ])('%s → %s', (amount, expected) => {
    expect(read('.', amount)).toBe(expected);
  });
});

describe('accepted amounts, decimal-mark ,', () => {
  it.each([
    ['100', 'in 100.00'],
    ['100,5', 'in 100.50'],
    ['1.234.567,89', 'in 1234567.89'],
    ['1 234,50', 'in 1234.50'],
    ['1\u00a0234,50', 'in 1234.50'],
    ['(1 234,50)', 'out 1234.50'],
    ['-1.234,50', 'out 1234.50'],
    ['+1.234', 'in 1234.00'],
  ])('%s → %s', (amount, expected) => {
    expect(read(',', amount)).toBe(expected);
  });
});

describe("the currency's minor digits", () => {
  it.each([
    ['JPY', '1,234', 'in 1234'],
    ['JPY', '1,234.00', 'in 1234'],
    ['BHD', '1,234.5', 'in 1234.500'],
    ['KWD', '-0.125', 'out 0.125'],
    ['EUR', '12', 'in 12.00'],
  ])('%s %s → %s', (currency, amount, expected) => {
    expect(read('.', amount, currency)).toBe(expected);
  });
});

describe('rejected amounts', () => {
  const error = (mark: '.' | ',', amount: string, currency = 'USD'): string[] => errorsOf(rules(mark), lines(`2026-01-15\t${amount}\t${currency}`));
  const EXPECTED_POINT = 'expected an amount such as 1234.50, -1,234,567.89 or (1 234.50), as decimal-mark . (in/acme.rules:2) reads it';
  const EXPECTED_COMMA = 'expected an amount such as 1234,50, -1.234.567,89 or (1 234,50), as decimal-mark , (in/acme.rules:2) reads it';

  it.each([
    ['$5', 'a currency symbol, a letter or another character that is not a digit'],
    ['5 €', 'a currency symbol, a letter or another character that is not a digit'],
    ['USD 5', 'a currency symbol, a letter or another character that is not a digit'],
    ['1e6', 'an exponent'],
    ['1.5E-3', 'an exponent'],
    ['1,23,456.00', 'digits not grouped by threes with one kind of separator'],
    ['12,34', "a decimal , where the rules' decimal mark is ."],
    ['1,234 567.00', 'digits not grouped by threes with one kind of separator'],
    ['1234,567.00', 'digits not grouped by threes with one kind of separator'],
    ['1\u202f234.00', 'a currency symbol, a letter or another character that is not a digit'],
    ['.5', 'no digit on each side of the decimal mark .'],
    ['5.', 'no digit on each side of the decimal mark .'],
    ['1.2.3', 'more than one decimal mark .'],
    ['--5', 'a sign or parenthesis out of place'],
    ['(-5)', 'a sign or parenthesis out of place'],
    ['5-', 'a sign or parenthesis out of place'],
    ['(5', 'a sign or parenthesis out of place'],
    ['- 5', 'digits not grouped by threes with one kind of separator'],
    ['-', 'no digits'],
    ['()', 'no digits'],
  ])('%s: %s', (amount, problem) => {
    expect(error('.', amount)).toEqual([`in/export.csv:1: amount ${JSON.stringify(amount)} is not an amount (${problem}; ${EXPECTED_POINT})`]);
  });

  it('says when the export seems to use the other decimal mark', () => {
    expect(error(',', '1234.50')).toEqual([`in/export.csv:1: amount "1234.50" is not an amount (a decimal . where the rules' decimal mark is ,; ${EXPECTED_COMMA})`]);
    expect(error('.', '1234,50')).toEqual([`in/export.csv:1: amount "1234,50" is not an amount (a decimal , where the rules' decimal mark is .; ${EXPECTED_POINT})`]);
  });

  it('zero', () => {
    expect(error('.', '0.00')).toEqual(['in/export.csv:1: amount "0.00" is zero (expected an amount other than zero)']);
    expect(error('.', '-0')).toEqual(['in/export.csv:1: amount "-0" is zero (expected an amount other than zero)']);
  });

  it('empty', () => {
    expect(error('.', '')).toEqual(['in/export.csv:1: amount is empty (expected a plain positive decimal such as 1000.00)']);
  });

  it('more decimals than the currency allows (unless they are zeros)', () => {
    expect(error('.', '100.001')).toEqual(['in/export.csv:1: amount "100.001" has 3 decimals, more than USD allows (expected at most 2 decimals)']);
    expect(error('.', '1,234.5', 'JPY')).toEqual(['in/export.csv:1: amount "1,234.5" has 1 decimal, more than JPY allows (expected no decimals)']);
  });

  it('more than 15 digits before the mark', () => {
    expect(error('.', '1,234,567,890,123,456')).toEqual(['in/export.csv:1: amount "1,234,567,890,123,456" has 16 digits before the decimal mark (expected at most 15)']);
  });

  it('a sign when the rules set the direction', () => {
    const text = lines('2026-01-15\t-5\tUSD\tout', '2026-01-16\t(5)\tUSD\tout', '2026-01-17\t+5\tUSD\tin');
    expect(errorsOf(rules('.', true), text)).toEqual([
      'in/export.csv:1: amount "-5" has a sign, but the rules set the direction (fields at in/acme.rules:3) (expected an amount without sign or parentheses, or no direction rule: then a negative amount is out, a positive one in)',
      'in/export.csv:2: amount "(5)" has a sign, but the rules set the direction (fields at in/acme.rules:3) (expected an amount without sign or parentheses, or no direction rule: then a negative amount is out, a positive one in)',
      'in/export.csv:3: amount "+5" has a sign, but the rules set the direction (fields at in/acme.rules:3) (expected an amount without sign or parentheses, or no direction rule: then a negative amount is out, a positive one in)',
    ]);
    const byRule = lines('fields date, amount, currency', 'counterparty bank', 'kind other', 'direction out');
    expect(errorsOf(byRule, lines('2026-01-15,-5,USD'))).toEqual([
      'in/export.csv:1: amount "-5" has a sign, but the rules set the direction (in/acme.rules:4) (expected an amount without sign or parentheses, or no direction rule: then a negative amount is out, a positive one in)',
    ]);
  });

  it('an amount set by a rule names the rule', () => {
    const byRule = lines('fields date, value, currency', 'amount %value EUR', 'counterparty bank', 'kind other');
    expect(errorsOf(byRule, lines('2026-01-15,5,USD'))).toEqual([
      'in/export.csv:1: amount "5 EUR" is not an amount (a currency symbol, a letter or another character that is not a digit; expected an amount such as 1234.50, -1,234,567.89 or (1 234.50)); set by in/acme.rules:2',
    ]);
  });
});

describe('amount-in and amount-out', () => {
  const inOut = lines('separator ;', 'decimal-mark ,', 'fields date, amount-in, amount-out, currency', 'counterparty bank', 'kind other');
  const convert = (amountIn: string, amountOut: string): string => {
    const values = (rowsOf(inOut, lines(`2026-01-15;${amountIn};${amountOut};USD`))[0] as string).split(',');
    return `${values[2]} ${values[6]}`;
  };
  const error = (amountIn: string, amountOut: string): string[] => errorsOf(inOut, lines(`2026-01-15;${amountIn};${amountOut};USD`));

  it.each([
    ['1.234,50', '', 'in 1234.50'],
    ['', '1.234,50', 'out 1234.50'],
    ['0,00', '7', 'out 7.00'],
    ['7', '0', 'in 7.00'],
    ['1 234 567,89', '', 'in 1234567.89'],
  ])('in %j, out %j → %s', (amountIn, amountOut, expected) => {
    expect(convert(amountIn, amountOut)).toBe(expected);
  });

  it('both hold money', () => {
    expect(error('1,00', '2,00')).toEqual([
      'in/export.csv:1: amount-in "1,00" and amount-out "2,00" both hold money (expected exactly one of the two non-zero: it gives the amount and the direction)',
    ]);
  });

  it('neither holds money', () => {
    expect(error('', '')).toEqual(['in/export.csv:1: amount-in "" and amount-out "" are both empty or zero (expected exactly one of the two non-zero: it gives the amount and the direction)']);
    expect(error('0,00', '0')).toEqual(['in/export.csv:1: amount-in "0,00" and amount-out "0" are both empty or zero (expected exactly one of the two non-zero: it gives the amount and the direction)']);
  });

  it('a sign on either is an error', () => {
    expect(error('-5', '')).toEqual(['in/export.csv:1: amount-in "-5" has a sign (expected an amount without sign or parentheses: the column it is in gives the direction)']);
    expect(error('', '(5)')).toEqual(['in/export.csv:1: amount-out "(5)" has a sign (expected an amount without sign or parentheses: the column it is in gives the direction)']);
    expect(error('+5', '')).toEqual(['in/export.csv:1: amount-in "+5" has a sign (expected an amount without sign or parentheses: the column it is in gives the direction)']);
  });

  it('a value that is not an amount', () => {
    expect(error('5 EUR', '')).toEqual([
      'in/export.csv:1: amount-in "5 EUR" is not an amount (a currency symbol, a letter or another character that is not a digit; expected an amount such as 1234,50, -1.234.567,89 or (1 234,50), as decimal-mark , (in/acme.rules:2) reads it)',
    ]);
  });
});

describe('readAmount (pure)', () => {
  it('keeps the digits as text: no number ever holds the value', () => {
    expect(readAmount('(1.234.567.890.123,45)', ',')).toEqual({ ok: true, signed: true, negative: true, whole: '1234567890123', fraction: '45', zero: false });
    expect(readAmount('000', '.')).toEqual({ ok: true, signed: false, negative: false, whole: '0', fraction: '', zero: true });
  });
});
