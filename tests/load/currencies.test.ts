/**
 * SPEC §8 (issue 12): the rates file, conversion, fx_difference, --currency
 * and --rates, audit and manifest. Every figure and message is exact.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Converter, convertMinor } from '../../src/load/convert.js';
import { runCli, runOnLedgers, type CliResult } from '../support/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'roundtrip-currencies-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const example = join(import.meta.dirname, '..', 'fixtures', 'examples', 'currencies', 'ledgers');

const HEADER = 'id,date,direction,counterparty,kind,category,amount,currency,ref,deal,memo';
const RATES = 'date,from,to,rate';
let cases = 0;

function lines(...rows: string[]): string {
  return `${rows.join('\n')}\n`;
}

/** A revenue row from an external customer. */
function sale(id: string, date: string, amount: string, currency: string): string {
  return `${id},${date},in,acme,revenue,cloud,${amount},${currency},,,`;
}

async function runIn(files: Record<string, string>, extra: string[] = []): Promise<{ result: CliResult; dir: string }> {
  const dir = join(root, `case-${++cases}`);
  return { result: await runOnLedgers(dir, files, extra), dir };
}

/** Exit 2, exactly these messages, nothing written. */
async function expectErrors(files: Record<string, string>, messages: string[], extra: string[] = []): Promise<void> {
  const { result, dir } = await runIn(files, extra);
  const count = messages.length === 1 ? '1 input error' : `${messages.length} input errors`;
  expect(result.stderr).toBe(`${messages.join('\n')}\nroundtrip: ${count}; nothing was written.\n`);
  expect(result.code).toBe(2);
  expect(existsSync(join(dir, 'reports'))).toBe(false);
}

/** Runs, expects success, returns a report of reports/all (BOM and CRLF dropped). */
async function reportOf(files: Record<string, string>, file: string, extra: string[] = []): Promise<string> {
  const { result, dir } = await runIn(files, extra);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return readFileSync(join(dir, 'reports', 'all', file), 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
}

const USD_LEDGER = lines(HEADER, sale('a1', '2026-01-15', '100.00', 'USD'));

describe('the rates file: every rule its own message at file:line', () => {
  const rated = (...rows: string[]): Record<string, string> => ({ '_rates.csv': lines(RATES, ...rows), 'amazon.csv': USD_LEDGER });
  const at = (line: number, message: string): string => `ledgers/_rates.csv:${line}: ${message}`;

  it('dates: YYYY-MM-DD, a real day, no time, not empty', async () => {
    await expectErrors(rated('2026-1-5,EUR,USD,1.1', '2026-02-30,EUR,USD,1.1', '2026-01-01T10:00,EUR,USD,1.1', ',EUR,USD,1.1'), [
      at(2, 'date "2026-1-5" is not YYYY-MM-DD (write 2026-01-05)'),
      at(3, 'date "2026-02-30" is not a real calendar date (February 2026 has 28 days)'),
      at(4, 'date "2026-01-01T10:00" has a time of day (expected YYYY-MM-DD: a rate applies from a whole day on; write 2026-01-01)'),
      at(5, 'date is empty (expected YYYY-MM-DD: the first day the rate applies)'),
    ]);
  });

  it('codes: three upper-case letters, from and to different', async () => {
    await expectErrors(rated('2026-01-01,eur,USD,1.1', '2026-01-02,EURO,,1.1', '2026-01-03,EUR,EUR,1.1'), [
      at(2, 'from "eur" is not a currency code (write EUR)'),
      at(3, 'from "EURO" is not a currency code (expected three upper-case letters such as EUR)'),
      at(3, 'to is empty (expected a currency code: three upper-case letters such as EUR)'),
      at(4, 'from and to are both EUR (expected two different currencies: a rate says what one unit of from is worth in to)'),
    ]);
  });

  it('rates: a plain positive decimal, at most 9 digits before the point and 12 after', async () => {
    const plain = 'is not a plain decimal (expected digits with an optional decimal point, e.g. 1.0850: no sign, thousands separator, symbol or exponent)';
    await expectErrors(
      rated(
        '2026-01-04,EUR,USD,"1,085"',
        '2026-01-05,EUR,USD,0.000',
        '2026-01-06,EUR,USD,1234567890',
        '2026-01-07,EUR,USD,1.0000000000001',
        '2026-01-08,EUR,USD,-1',
        '2026-01-09,EUR,USD,1e3',
        '2026-01-10,EUR,USD,',
        '2026-01-11,EUR,USD,.5',
        '2026-01-12,EUR,USD,123456789.123456789012',
      ),
      [
        at(2, `rate "1,085" ${plain}`),
        at(3, 'rate "0.000" is not greater than zero (expected a positive rate)'),
        at(4, 'rate "1234567890" has 10 digits before the decimal point (expected at most 9; leading zeros count)'),
        at(5, 'rate "1.0000000000001" has 13 decimals (expected at most 12)'),
        at(6, `rate "-1" ${plain}`),
        at(7, `rate "1e3" ${plain}`),
        at(8, 'rate is empty (expected a plain positive decimal such as 1.0850: what one unit of from is worth in to)'),
        at(9, `rate ".5" ${plain}`),
      ],
    );
  });

  it('one rate per date, from and to; rows of the header\'s width; no blank rows', async () => {
    await expectErrors(rated('2026-01-11,EUR,USD,1.1', '2026-01-11,USD,EUR,0.9', '2026-01-11,EUR,USD,1.2', '2026-01-12,EUR,USD', ',,,'), [
      at(4, 'rate EUR→USD of 2026-01-11 is already given at ledgers/_rates.csv:2 (expected one rate per date, from and to: delete one of the two rows)'),
      at(5, 'row has 3 fields where the header has 4 (expected one value per column: date,from,to,rate)'),
      at(6, 'row is blank: every field is empty or spaces (expected a date, two currency codes and a rate, or delete the line)'),
    ]);
  });

  it('the header: exact names in any order, none unknown, repeated or empty; an empty file', async () => {
    const header = (text: string): Record<string, string> => ({ '_rates.csv': `${text}\n`, 'amazon.csv': USD_LEDGER });
    await expectErrors(header('date,from,to,value'), [
      at(1, 'header column 4 "value" is not a rates column (expected date, from, to, rate, exact and lowercase, in any order)'),
      at(1, 'header has no rate column (expected the columns date,from,to,rate, in any order)'),
    ]);
    await expectErrors(header('date,from,to,rate,rate'), [at(1, 'header column 5 "rate" repeats header column 4 (expected each column once)')]);
    await expectErrors(header('date,from,to,rate,'), [at(1, 'header column 5 is empty (expected a column name, one of date, from, to, rate; remove the extra comma)')]);
    await expectErrors(header('Date,from,to,rate'), [at(1, 'header column 1 "Date" is not a rates column (write date; expected date, from, to, rate, exact and lowercase, in any order)')]);
    await expectErrors({ '_rates.csv': '', 'amazon.csv': USD_LEDGER }, [
      at(1, 'rates file is empty (expected a UTF-8 CSV file whose first line is the header date,from,to,rate, then one rate a row, e.g. 2026-01-01,EUR,USD,1.0850)'),
    ]);
    // Lines ended by CR alone (old Mac) would read as one long header: one message, as for a ledger.
    await expectErrors({ '_rates.csv': 'date,from,to,rate\r2026-01-01,EUR,USD,1.5\r', 'amazon.csv': USD_LEDGER }, [
      at(1, 'file ends its lines with CR alone, as old Mac files do (expected LF or CRLF line ends: re-save it as "CSV UTF-8")'),
    ]);
    const any = { '_rates.csv': lines('to,rate,from,date', 'USD,1.5,EUR,2026-01-01'), 'amazon.csv': lines(HEADER, sale('a1', '2026-01-15', '10.00', 'EUR')) };
    expect(await reportOf(any, 'revenue.csv', ['--currency', 'USD'])).toContain('amazon,a1,2026-01-15,acme,cloud,15.00,15.00,');
  });

  it('a rates file with errors is reported with the ledgers\' errors, in file then line order, and stops the run', async () => {
    const files = {
      'amazon.csv': lines(HEADER, sale('a1', '2026-01-15', '10.00', 'EUR'), sale('a2', '2026-01-15', '-1', 'USD')),
      '_rates.csv': lines(RATES, '2026-01-01,EUR,USD,1,5'),
    };
    // The EUR row is not converted while the rates file is wrong: only the rates file's error is reported for it.
    await expectErrors(files, [
      at(2, 'row has 5 fields where the header has 4 (expected one value per column: date,from,to,rate)'),
      'ledgers/amazon.csv:3: amount "-1" is not a plain decimal (expected a positive amount without a sign: the direction column says which way the money went)',
    ]);
  });

  it('earlier reports survive a run stopped by a rates file', async () => {
    const dir = join(root, `case-${++cases}`);
    expect((await runOnLedgers(dir, { 'amazon.csv': USD_LEDGER })).code).toBe(0);
    const before = readFileSync(join(dir, 'reports', 'all', 'revenue.csv'), 'utf8');
    const result = await runOnLedgers(dir, { '_rates.csv': lines(RATES, '2026-01-01,EUR,USD,0') });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('ledgers/_rates.csv:2: rate "0" is not greater than zero (expected a positive rate)\nroundtrip: 1 input error; nothing was written.\n');
    expect(readFileSync(join(dir, 'reports', 'all', 'revenue.csv'), 'utf8')).toBe(before);
  });
});

describe('reference files in the ledger folder', () => {
  it('_rates.csv and _ownership.csv are not ledgers; any other _*.csv is an input error', async () => {
    await expectErrors({ 'amazon.csv': USD_LEDGER, '_rates.csv': lines(RATES), '_ownership.csv': 'date,holder,held,percent\n', '_fx.csv': lines(RATES) }, [
      'ledgers/_fx.csv: file name "_fx.csv" starts with "_" but is not a reference file (expected _rates.csv or _ownership.csv, exact and lowercase; a ledger\'s name starts with its company id, e.g. amazon.csv)',
    ]);
    expect(await reportOf({ 'amazon.csv': USD_LEDGER, '_rates.csv': lines(RATES) }, 'revenue.csv')).toBe(
      'company,id,date,counterparty,category,amount,organic,circular,circular_pct,matched,payer_kind,source\namazon,a1,2026-01-15,acme,cloud,100.00,100.00,0.00,0.00,external,,amazon.csv:2\n',
    );
  });
});

describe('conversion (SPEC §8)', () => {
  const rates = lines(RATES, '2026-01-01,EUR,USD,1.5', '2026-01-01,USD,EUR,0.5', '2026-02-01,EUR,USD,1.2', '2026-01-01,USD,GBP,0.8', '2026-01-01,USD,JPY,150', '2026-01-01,KWD,USD,3.25');
  const amounts = async (rows: string[], extra: string[] = []): Promise<string[]> => {
    const revenue = await reportOf({ '_rates.csv': rates, 'amazon.csv': lines(HEADER, ...rows) }, 'revenue.csv', ['--currency', 'USD', ...extra]);
    return revenue
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => `${l.split(',')[1]} ${l.split(',')[5]}`);
  };

  it('direct (× rate), the latest rate on or before the row\'s day, direct winning a tie with an inverse rate of the same date', async () => {
    // 2026-01-01 has EUR→USD 1.5 and USD→EUR 0.5: the direct one wins (× 1.5, not ÷ 0.5).
    expect(await amounts([sale('r1', '2026-01-01', '10.00', 'EUR'), sale('r2', '2026-01-31T23:59', '10.00', 'EUR'), sale('r3', '2026-02-01', '10.00', 'EUR'), sale('r4', '2026-01-20', '5.00', 'USD')])).toEqual([
      'r1 15.00',
      'r4 5.00',
      'r2 15.00',
      'r3 12.00',
    ]);
  });

  it('inverse (÷ rate) when only R→C is given; currencies with 0 and 3 minor digits', async () => {
    // 1.00 GBP ÷ 0.8 = 1.25; 100 JPY ÷ 150 = 0.666… → 0.67; 1.235 KWD × 3.25 = 4.01375 → 4.01
    expect(await amounts([sale('g', '2026-01-10', '1.00', 'GBP'), sale('j', '2026-01-11', '100', 'JPY'), sale('k', '2026-01-12', '1.235', 'KWD')])).toEqual(['g 1.25', 'j 0.67', 'k 4.01']);
  });

  it('rounds once, half to even', async () => {
    // 0.01 × 1.5 = 0.015 → 0.02; 0.03 × 1.5 = 0.045 → 0.04 (to the even cent); 0.05 × 1.5 = 0.075 → 0.08
    expect(await amounts([sale('h1', '2026-01-10', '0.01', 'EUR'), sale('h2', '2026-01-10', '0.03', 'EUR'), sale('h3', '2026-01-10', '0.05', 'EUR')])).toEqual(['h1 0.02', 'h2 0.04', 'h3 0.08']);
    expect(convertMinor(3n, 2, 2, '1.5', false)).toBe(4n);
    expect(convertMinor(5n, 2, 2, '1.5', false)).toBe(8n);
    // Inverse ties: 0.05 ÷ 2 = 0.025 → 0.02; 0.15 ÷ 2 = 0.075 → 0.08
    expect(convertMinor(5n, 2, 2, '2', true)).toBe(2n);
    expect(convertMinor(15n, 2, 2, '2', true)).toBe(8n);
    // Not a tie just beyond the 80th digit: 1 ÷ 3 is below half; 2 ÷ 3 above.
    expect(convertMinor(1n, 0, 0, '3', true)).toBe(0n);
    expect(convertMinor(2n, 0, 0, '3', true)).toBe(1n);
  });

  it('an amount\'s decimals are checked against its own currency', async () => {
    await expectErrors({ '_rates.csv': rates, 'amazon.csv': lines(HEADER, sale('j', '2026-01-11', '100.5', 'JPY'), sale('k', '2026-01-12', '1.2345', 'KWD')) }, [
      'ledgers/amazon.csv:2: amount "100.5" has 1 decimal, more than JPY allows (expected no decimals)',
      'ledgers/amazon.csv:3: amount "1.2345" has 4 decimals, more than KWD allows (expected at most 3 decimals)',
    ]);
  });

  it('no rate on or before the row\'s day, no chaining through a third currency, a result of zero: errors at the row', async () => {
    const files = {
      '_rates.csv': lines(RATES, '2026-01-01,EUR,USD,1.5', '2026-01-01,CHF,EUR,1.05', '2026-01-01,USD,SEK,20000'),
      'amazon.csv': lines(HEADER, sale('a0', '2026-01-02', '1.00', 'USD'), sale('e', '2025-12-31T23:00', '10.00', 'EUR'), sale('c', '2026-01-05', '10.00', 'CHF'), sale('s', '2026-01-05', '0.01', 'SEK')),
    };
    const why = (c: string, day: string): string =>
      `(USD is the reporting currency, the first currency seen, at ledgers/amazon.csv:2; expected a row ${c},USD or USD,${c} dated ${day} or earlier: rates are never chained through a third currency)`;
    await expectErrors(files, [
      `ledgers/amazon.csv:3: no EUR→USD rate on or before 2025-12-31 in ledgers/_rates.csv ${why('EUR', '2025-12-31')}`,
      `ledgers/amazon.csv:4: no CHF→USD rate on or before 2026-01-05 in ledgers/_rates.csv ${why('CHF', '2026-01-05')}`,
      'ledgers/amazon.csv:5: amount "0.01" SEK converts to 0.00 USD divided by 20000 (USD→SEK of 2026-01-01, ledgers/_rates.csv:4) (expected an amount worth at least one minor unit of USD: an amount that converts to nothing cannot be traced)',
    ]);
  });

  it('a converted amount keeps to 15 digits before the point', async () => {
    await expectErrors({ '_rates.csv': lines(RATES, '2026-01-01,USD,JPY,150'), 'amazon.csv': lines(HEADER, sale('a', '2026-01-02', '99999999999.99', 'USD'), sale('b', '2026-01-02', '999999999999999.99', 'USD')) }, [
      'ledgers/amazon.csv:3: amount "999999999999999.99" USD converts to 149999999999999998 JPY at 150 (USD→JPY of 2026-01-01, ledgers/_rates.csv:2) (expected at most 15 digits before the decimal point in JPY, as for any amount)',
    ], ['--currency', 'JPY']);
  });

  it('rows in the reporting currency need no rates file', async () => {
    expect(await amounts([sale('u', '2026-01-10', '7.00', 'USD')])).toEqual(['u 7.00']);
  });

  it('the rate lookup: latest on or before the day, direct before inverse on one date', () => {
    const c = new Converter('USD', [
      { line: 2, date: '2026-01-01', from: 'USD', to: 'EUR', rate: '0.9' },
      { line: 3, date: '2026-01-01', from: 'EUR', to: 'USD', rate: '1.1' },
      { line: 4, date: '2026-03-01', from: 'USD', to: 'EUR', rate: '0.8' },
      { line: 5, date: '2026-02-01', from: 'EUR', to: 'USD', rate: '1.2' },
      { line: 6, date: '2026-01-01', from: 'EUR', to: 'GBP', rate: '0.85' },
    ]);
    expect(c.rateFor('EUR', '2025-12-31')).toBeUndefined();
    expect(c.rateFor('EUR', '2026-01-01')).toEqual({ date: '2026-01-01', index: 1, inverse: false });
    expect(c.rateFor('EUR', '2026-02-28')).toEqual({ date: '2026-02-01', index: 3, inverse: false });
    expect(c.rateFor('EUR', '2026-03-01')).toEqual({ date: '2026-03-01', index: 2, inverse: true });
    expect(c.rateFor('GBP', '2026-06-01')).toBeUndefined();
    expect(c.convert(1000n, 'EUR', '2026-03-02')).toEqual({ ok: true, minor: 1250n, index: 2, inverse: true });
  });
});

describe('matching on converted amounts: fx_difference vs amount_mismatch (SPEC §2)', () => {
  const rates = lines(RATES, '2026-01-01,EUR,USD,1.5', '2026-02-01,EUR,USD,1.2');
  const pair = (payer: string, payee: string): Record<string, string> => ({
    '_rates.csv': rates,
    'alpha.csv': lines(HEADER, 'a0,2026-01-01,in,opening,other,,1000.00,USD,,,', payer),
    'beta.csv': lines(HEADER, payee),
  });
  const exceptions = async (files: Record<string, string>): Promise<string[]> => (await reportOf(files, 'exceptions.csv')).trim().split('\n').slice(1);

  it('two currencies whose converted amounts differ: fx_difference with the converted figures and both originals and rates', async () => {
    expect(await exceptions(pair('a1,2026-01-10,out,beta,purchase,cloud,151.00,USD,T1,,', 'b1,2026-01-10,in,alpha,revenue,cloud,100.00,EUR,T1,,'))).toEqual([
      'fx_difference,alpha,a1,2026-01-10,beta,151.00,b1,150.00,"payer 151.00 USD vs payee 100.00 EUR × 1.5 (EUR→USD of 2026-01-01, _rates.csv:2) = 150.00 USD",alpha.csv:3',
    ]);
  });

  it('two currencies that convert to the same amount: matched without a ref, no exception', async () => {
    const files = pair('a1,2026-01-10,out,beta,purchase,cloud,150.00,USD,,,', 'b1,2026-01-10,in,alpha,revenue,cloud,100.00,EUR,,,');
    expect(await exceptions(files)).toEqual([]);
    expect(await reportOf(files, 'revenue.csv')).toContain('beta,b1,2026-01-10,alpha,cloud,150.00,150.00,0.00,0.00,yes,purchase,beta.csv:2');
  });

  it('one currency, one amount, converted at two dates\' rates: fx_difference (and the date_mismatch)', async () => {
    expect(await exceptions(pair('a1,2026-01-31,out,beta,purchase,cloud,100.00,EUR,T1,,', 'b1,2026-02-01,in,alpha,revenue,cloud,100.00,EUR,T1,,'))).toEqual([
      'fx_difference,alpha,a1,2026-01-31,beta,150.00,b1,120.00,"payer 100.00 EUR × 1.5 (EUR→USD of 2026-01-01, _rates.csv:2) = 150.00 USD vs payee 100.00 EUR × 1.2 (EUR→USD of 2026-02-01, _rates.csv:3) = 120.00 USD",alpha.csv:3',
      'date_mismatch,alpha,a1,2026-01-31,beta,150.00,b1,120.00,payer 2026-01-31 vs payee 2026-02-01,alpha.csv:3',
    ]);
  });

  it('one currency, two amounts: amount_mismatch (converted figures), in the reporting currency as before', async () => {
    expect(await exceptions(pair('a1,2026-01-10,out,beta,purchase,cloud,100.00,EUR,T1,,', 'b1,2026-01-10,in,alpha,revenue,cloud,90.00,EUR,T1,,'))).toEqual([
      'amount_mismatch,alpha,a1,2026-01-10,beta,150.00,b1,135.00,"payer 100.00 EUR × 1.5 (EUR→USD of 2026-01-01, _rates.csv:2) = 150.00 USD vs payee 90.00 EUR × 1.5 (EUR→USD of 2026-01-01, _rates.csv:2) = 135.00 USD",alpha.csv:3',
    ]);
    expect(await exceptions(pair('a1,2026-01-10,out,beta,purchase,cloud,100.00,USD,T1,,', 'b1,2026-01-10,in,alpha,revenue,cloud,90.00,USD,T1,,'))).toEqual([
      'amount_mismatch,alpha,a1,2026-01-10,beta,100.00,b1,90.00,payer 100.00 vs payee 90.00,alpha.csv:3',
    ]);
  });

  it('check prints the fx_difference', async () => {
    const result = await runCli(['check', '--ledgers', example, '--currency', 'USD']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('currency USD');
    expect(result.stdout).toContain(
      'fx_difference  mistral  mis-04  2026-02-10  499,577,000.00  payer 463000000.00 EUR × 1.0790 (EUR→USD of 2026-02-01, _rates.csv:3) = 499577000.00 USD vs payee 500000000.00 USD  mistral.csv:5',
    );
  });
});

describe('--currency and --rates', () => {
  it('--currency EUR on USD books reports in euros', async () => {
    const files = { '_rates.csv': lines(RATES, '2026-01-01,USD,EUR,0.9250'), 'amazon.csv': lines(HEADER, sale('a1', '2026-01-15', '100.00', 'USD'), sale('a2', '2026-01-16', '0.10', 'USD')) };
    expect(await reportOf(files, 'summary.csv', ['--currency', 'EUR'])).toBe('company,category,booked,organic,circular,circular_pct,disputed,revenue_rows\namazon,cloud,92.59,92.59,0.00,0.00,0.00,2\n');
    expect(await reportOf(files, 'summary.csv')).toBe('company,category,booked,organic,circular,circular_pct,disputed,revenue_rows\namazon,cloud,100.10,100.10,0.00,0.00,0.00,2\n');
  });

  it('without --currency the first currency seen reports (file then line order)', async () => {
    const files = { '_rates.csv': lines(RATES, '2026-01-01,EUR,USD,2'), 'a.csv': lines(HEADER, sale('a1', '2026-01-15', '1.00', 'EUR')), 'b.csv': lines(HEADER, sale('b1', '2026-01-15', '1.00', 'USD')) };
    expect(await reportOf(files, 'revenue.csv')).toContain('b,b1,2026-01-15,acme,cloud,0.50,');
  });

  it('--currency must be a code; --rates must exist', async () => {
    const bad = await runCli(['check', '--ledgers', example, '--currency', 'eur']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('roundtrip: --currency "eur" is not a currency code (write EUR)\n');
    const none = await runCli(['check', '--ledgers', example, '--rates', join(root, 'no-such-rates.csv')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(`roundtrip: --rates "${join(root, 'no-such-rates.csv')}" does not exist (expected a rates file: date,from,to,rate)\n`);
  });

  it('--rates FILE replaces the folder\'s _rates.csv, and is named in messages', async () => {
    const dir = join(root, `case-${++cases}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'other-rates.csv'), lines(RATES, '2026-01-01,EUR,USD,3'));
    const files = { '_rates.csv': lines(RATES, '2026-01-01,EUR,USD,0'), 'amazon.csv': lines(HEADER, sale('a1', '2026-01-15', '1.00', 'EUR')) };
    const result = await runOnLedgers(dir, files, ['--rates', join(dir, 'other-rates.csv'), '--currency', 'USD']);
    expect(result.stderr).toBe('');
    expect(readFileSync(join(dir, 'reports', 'all', 'revenue.csv'), 'utf8')).toContain('amazon,a1,2026-01-15,acme,cloud,3.00,');
    const manifest = JSON.parse(readFileSync(join(dir, 'reports', 'all', 'manifest.json'), 'utf8')) as { rates: { file: string } };
    expect(manifest.rates.file).toBe('other-rates.csv');
    const missing = await runOnLedgers(join(root, `case-${++cases}`), { 'amazon.csv': lines(HEADER, sale('a1', '2025-06-01', '1.00', 'EUR')) }, ['--rates', join(dir, 'other-rates.csv'), '--currency', 'USD']);
    expect(missing.stderr).toBe(
      `ledgers/amazon.csv:2: no EUR→USD rate on or before 2025-06-01 in ${join(dir, 'other-rates.csv')} (USD is the reporting currency, given by --currency; expected a row EUR,USD or USD,EUR dated 2025-06-01 or earlier: rates are never chained through a third currency)\nroundtrip: 1 input error; nothing was written.\n`,
    );
  });
});

describe('what a user sees: audit and manifest (the currencies example)', () => {
  const audit = async (...args: string[]): Promise<string> => {
    const result = await runCli(['audit', ...args, '--ledgers', example]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result.stdout;
  };

  it('audit --format table: a line under every converted row with the original, the rate and the result', async () => {
    const eur = await audit('nvidia', '--currency', 'EUR');
    expect(eur).toContain('\n            converted from 500,000,000.00 USD ÷ 1.0790 (EUR→USD of 2026-02-01, inverse, _rates.csv:3) = 463,392,029.66 EUR\n');
    expect(eur).toContain('\n            converted from 2,000,000,000.00 USD × 0.9250 (USD→EUR of 2026-03-01, _rates.csv:4) = 1,850,000,000.00 EUR\n');
    expect(eur).toContain('nvidia.csv:3 nv-02 1,000,000,000.00 (converted from 1,085,000,000.00 USD ÷ 1.0850 (EUR→USD of 2026-01-01, inverse, _rates.csv:2)) → mistral.csv:3 mis-02 1,000,000,000.00');
    // In USD Nvidia's rows are as written (no line under them); Mistral's investment row in the tranche was converted.
    const usd = await audit('nvidia', '--currency', 'USD');
    expect(usd.match(/converted from/g)).toHaveLength(1);
    expect(usd).toContain('nvidia.csv:3 nv-02 1,085,000,000.00 → mistral.csv:3 mis-02 1,085,000,000.00 (converted from 1,000,000,000.00 EUR × 1.0850 (EUR→USD of 2026-01-01, _rates.csv:2))');
  });

  it('audit --format csv: the conversion columns, on the rows converted', async () => {
    const csv = (await audit('mistral', '--currency', 'USD', '--format', 'csv', '--no-bom')).split('\r\n');
    expect(csv[0]).toMatch(/,investment_source,original_amount,original_currency,rate,rate_from,rate_to,rate_date,rate_direction,rate_source$/);
    expect(csv[1]).toBe('revenue,mistral,mis-03,2026-01-20,le-chat-subscribers,api,108500000.00,108500000.00,0.00,0.00,0.00,external,,no,,mistral.csv:4,Le Chat Pro and API,,,,,,,,,,,,,,100000000.00,EUR,1.0850,EUR,USD,2026-01-01,direct,_rates.csv:2');
    expect(csv[2]).toBe('revenue,mistral,mis-05,2026-03-16,le-chat-subscribers,api,50000000.00,50000000.00,0.00,0.00,0.00,external,,no,,mistral.csv:6,Le Chat Pro and API,,,,,,,,,,,,,,46250000.00,EUR,0.9250,USD,EUR,2026-03-01,inverse,_rates.csv:4');
  });

  it('audit --format json: a conversion object on every converted row', async () => {
    const doc = JSON.parse(await audit('nvidia', '--currency', 'EUR', '--format', 'json')) as {
      currency: string;
      lines: { id: string; amount: string; conversion?: unknown; stakes: { tranches: { rows: { id: string; conversion?: unknown }[] }[] }[] }[];
    };
    expect(doc.currency).toBe('EUR');
    expect(doc.lines[0]?.amount).toBe('463392029.66');
    expect(doc.lines[0]?.conversion).toEqual({ amount: '500000000.00', currency: 'USD', rate: '1.0790', from: 'EUR', to: 'USD', rate_date: '2026-02-01', direction: 'inverse', source: '_rates.csv:3' });
    const rows = doc.lines[0]?.stakes[0]?.tranches[0]?.rows ?? [];
    expect(rows.map((r) => [r.id, r.conversion])).toEqual([
      ['nv-02', { amount: '1085000000.00', currency: 'USD', rate: '1.0850', from: 'EUR', to: 'USD', rate_date: '2026-01-01', direction: 'inverse', source: '_rates.csv:2' }],
      ['mis-02', undefined],
    ]);
  });

  it('audit --id: the converted side\'s original and rate, in table, csv and json', async () => {
    expect(await audit('nvidia', '--currency', 'EUR', '--id', 'nv-03')).toContain(
      "\n  payee's amount converted from 500,000,000.00 USD ÷ 1.0790 (EUR→USD of 2026-02-01, inverse, _rates.csv:3) = 463,392,029.66 EUR\n",
    );
    expect((await audit('nvidia', '--currency', 'EUR', '--id', 'nv-03', '--format', 'csv', '--no-bom')).split('\r\n')[3]).toBe(
      'conversion,nvidia,nv-03,2026-02-10,revenue,chips,,,463392029.66,,,,,,,nvidia.csv:4,"converted from 500000000.00 USD ÷ 1.0790 (EUR→USD of 2026-02-01, inverse, _rates.csv:3)"',
    );
    const doc = JSON.parse(await audit('nvidia', '--currency', 'EUR', '--id', 'nv-03', '--format', 'json')) as { row: { conversion: { rate: string; direction: string } } };
    expect(doc.row.conversion).toMatchObject({ rate: '1.0790', direction: 'inverse' });
  });

  it('the manifest names the reporting currency, the rates file with its sha256, and per currency the rows converted and the rates used', async () => {
    const dir = join(root, `case-${++cases}`);
    const result = await runCli(['run', '--ledgers', example, '--out', dir, '--currency', 'EUR', '--quiet']);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'all', 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.currency).toBe('EUR');
    expect(manifest.rates).toEqual({
      file: '_rates.csv',
      sha256: 'ba33b00d35d1a5d7de1ea78f4f5d662fdd12de3df09c879907d1675ece39b17b',
      rows: 3,
      converted: [
        {
          currency: 'USD',
          rows: 4,
          rates_used: [
            { date: '2026-01-01', from: 'EUR', to: 'USD', rate: '1.0850', source: '_rates.csv:2' },
            { date: '2026-02-01', from: 'EUR', to: 'USD', rate: '1.0790', source: '_rates.csv:3' },
            { date: '2026-03-01', from: 'USD', to: 'EUR', rate: '0.9250', source: '_rates.csv:4' },
          ],
        },
      ],
    });
    expect((manifest.exceptions as Record<string, number>).fx_difference).toBe(1);
  });

  it('a run without a rates file: the manifest as before (no rates, no fx_difference count)', async () => {
    const { dir } = await runIn({ 'amazon.csv': USD_LEDGER });
    const manifest = JSON.parse(readFileSync(join(dir, 'reports', 'all', 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.rates).toBeUndefined();
    expect(Object.keys(manifest.exceptions as object)).toEqual(['unmatched', 'amount_mismatch', 'date_mismatch', 'kind_mismatch', 'category_mismatch', 'unfunded', 'lookalike_counterparty']);
  });
});
