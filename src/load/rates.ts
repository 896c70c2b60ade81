/**
 * SPEC §8 rates file (`_rates.csv` in the ledger folder, or `--rates FILE`):
 *
 *     date,from,to,rate
 *     2026-01-01,EUR,USD,1.0850
 *
 * Strict like a ledger (SPEC §1 CSV rules, exact column names in any order),
 * every rule its own message at `file:line`. Pure: bytes in, rows or issues
 * out.
 */
import { createHash } from 'node:crypto';
import type { InputIssue } from '../errors.js';
import { PLAIN_DECIMAL } from '../money/amount.js';
import type { RateRow, RatesFile } from './convert.js';
import { describeFault, parseCsv } from './csv.js';
import { parseDate } from './date.js';
import { firstInvalidUtf8, wholeFileIssue } from './decode.js';
import { IssueList } from './issues.js';
import { CURRENCY, show } from './row.js';
import { plural } from '../words.js';

export const RATES_FILE = '_rates.csv';
export const RATE_COLUMNS = ['date', 'from', 'to', 'rate'] as const;
type RateColumn = (typeof RATE_COLUMNS)[number];
const HEADER = RATE_COLUMNS.join(',');
const EXPECTED = `expected a UTF-8 CSV file whose first line is the header ${HEADER}, then one rate a row, e.g. 2026-01-01,EUR,USD,1.0850`;
export const MAX_RATE_INTEGER_DIGITS = 9;
export const MAX_RATE_DECIMALS = 12;

export type RatesRead = { readonly ok: true; readonly file: RatesFile } | { readonly ok: false; readonly issues: IssueList };

function isRateColumn(name: string): name is RateColumn {
  return (RATE_COLUMNS as readonly string[]).includes(name);
}

/** Reads a rates file. `path`: as the user would type it (messages); `name`: the file name (sources). */
export function readRates(bytes: Uint8Array, path: string, name: string): RatesRead {
  const list = new IssueList();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let text: string;
  try {
    if (bytes.indexOf(0) >= 0) throw new Error('NUL');
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const nul = bytes.indexOf(0);
    const bad = nul >= 0 ? nul : firstInvalidUtf8(bytes);
    const at = bad < 0 ? 0 : bad;
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
    const what = nul >= 0 ? 'a NUL byte' : `byte 0x${(bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')}, not valid UTF-8,`;
    list.add({ file: path, line, message: `rates file holds ${what} at byte ${at + 1} (${EXPECTED})` });
    return { ok: false, issues: list };
  }
  if (/^\uFEFF?[\r\n]*$/.test(text)) {
    list.add({ file: path, line: 1, message: `rates file is empty (${EXPECTED})` });
    return { ok: false, issues: list };
  }
  // Lines ended by CR alone would read as one long header.
  const whole = wholeFileIssue(text, path, EXPECTED);
  if (whole !== undefined) {
    list.add(whole);
    return { ok: false, issues: list };
  }

  const rows: RateRow[] = [];
  const seen = new Map<string, number>();
  let header: readonly string[] | undefined;
  let columns: Record<RateColumn, number> | undefined;
  const label = (field: number): string => {
    const n = header?.[field];
    return n !== undefined && isRateColumn(n) ? n : `column ${field + 1}`;
  };

  parseCsv(text, {
    record: (fields, line) => {
      if (header === undefined) {
        header = fields;
        columns = checkRatesHeader(fields, path, line, list);
        return true;
      }
      if (fields.every((f) => f.trim() === '')) {
        list.add({ file: path, line, message: 'row is blank: every field is empty or spaces (expected a date, two currency codes and a rate, or delete the line)' });
        return true;
      }
      if (fields.length !== header.length) {
        list.add({ file: path, line, message: `row has ${fields.length} ${fields.length === 1 ? 'field' : 'fields'} where the header has ${header.length} (expected one value per column: ${header.join(',')})` });
        return true;
      }
      if (columns === undefined) return true;
      const issues: InputIssue[] = [];
      const row = checkRateRow(fields, columns, path, line, issues);
      if (row !== undefined) {
        const key = `${row.date} ${row.from} ${row.to}`;
        const earlier = seen.get(key);
        if (earlier === undefined) {
          seen.set(key, line);
          rows.push(row);
        } else {
          issues.push({
            file: path,
            line,
            message: `rate ${row.from}→${row.to} of ${row.date} is already given at ${path}:${earlier} (expected one rate per date, from and to: delete one of the two rows)`,
          });
        }
      }
      list.addAll(issues);
      return true;
    },
    fault: (fault) => {
      if (header === undefined) {
        header = [];
        list.add({ file: path, line: fault.line, message: describeFault(fault, (i) => `header column ${i + 1}`) });
        return false;
      }
      list.add({ file: path, line: fault.line, message: describeFault(fault, label) });
      return true;
    },
  });
  if (list.total > 0) return { ok: false, issues: list };
  return { ok: true, file: { path, name, sha256, rows } };
}

/** SPEC §1 header rules for a rates file: exact names, in any order, none unknown, repeated, empty or missing. */
function checkRatesHeader(fields: readonly string[], file: string, line: number, list: IssueList): Record<RateColumn, number> | undefined {
  const columns = { date: -1, from: -1, to: -1, rate: -1 } as Record<RateColumn, number>;
  const before = list.total;
  fields.forEach((name, i) => {
    const position = `header column ${i + 1}`;
    if (name === '') {
      list.add({ file, line, message: `${position} is empty (expected a column name, one of ${RATE_COLUMNS.join(', ')}; remove the extra comma)` });
    } else if (!isRateColumn(name)) {
      const lower = name.replace(/^\uFEFF/, '').trim().toLowerCase();
      const hint = isRateColumn(lower) ? `write ${lower}; ` : '';
      list.add({ file, line, message: `${position} ${show(name)} is not a rates column (${hint}expected ${RATE_COLUMNS.join(', ')}, exact and lowercase, in any order)` });
    } else if (columns[name] >= 0) {
      list.add({ file, line, message: `${position} ${show(name)} repeats header column ${columns[name] + 1} (expected each column once)` });
    } else columns[name] = i;
  });
  const absent = RATE_COLUMNS.filter((c) => columns[c] < 0 && !fields.some((f) => f.replace(/^\uFEFF/, '').trim().toLowerCase() === c));
  if (absent.length > 0) {
    const names = absent.length === 1 ? absent[0] : `${absent.slice(0, -1).join(', ')} or ${absent[absent.length - 1]}`;
    list.add({ file, line, message: `header has no ${names} column (expected the columns ${HEADER}, in any order)` });
  }
  return list.total > before ? undefined : columns;
}

/** One rate row's rules, in column order (date, from, to, rate); the row when it has no issue. */
function checkRateRow(fields: readonly string[], columns: Record<RateColumn, number>, file: string, line: number, issues: InputIssue[]): RateRow | undefined {
  const get = (c: RateColumn): string => fields[columns[c]] as string;
  const fail = (message: string): void => {
    issues.push({ file, line, message });
  };

  const date = get('date');
  if (date === '') fail('date is empty (expected YYYY-MM-DD: the first day the rate applies)');
  else {
    const parsed = parseDate(date);
    if (parsed.ok && date.length !== 10) fail(`date ${show(date)} has a time of day (expected YYYY-MM-DD: a rate applies from a whole day on; write ${parsed.day})`);
    else if (!parsed.ok && parsed.reason === 'format') fail(`date ${show(date)} is not YYYY-MM-DD (${parsed.detail})`);
    else if (!parsed.ok && parsed.reason === 'calendar') fail(`date ${show(date)} is not a real calendar date (${parsed.detail})`);
    else if (!parsed.ok) fail(`date ${show(date)} is not YYYY-MM-DD (${parsed.detail})`);
  }

  const code = (c: 'from' | 'to'): boolean => {
    const value = get(c);
    if (value === '') {
      fail(`${c} is empty (expected a currency code: three upper-case letters such as EUR)`);
      return false;
    }
    if (CURRENCY.test(value)) return true;
    const fixed = value.trim().toUpperCase();
    fail(`${c} ${show(value)} is not a currency code (${CURRENCY.test(fixed) ? `write ${fixed}` : 'expected three upper-case letters such as EUR'})`);
    return false;
  };
  const fromOk = code('from');
  const toOk = code('to');
  if (fromOk && toOk && get('from') === get('to')) {
    fail(`from and to are both ${get('from')} (expected two different currencies: a rate says what one unit of from is worth in to)`);
  }

  const rate = get('rate');
  if (rate === '') fail('rate is empty (expected a plain positive decimal such as 1.0850: what one unit of from is worth in to)');
  else if (!PLAIN_DECIMAL.test(rate)) {
    fail(`rate ${show(rate)} is not a plain decimal (expected digits with an optional decimal point, e.g. 1.0850: no sign, thousands separator, symbol or exponent)`);
  } else {
    const [whole, fraction = ''] = rate.split('.') as [string, string?];
    if (/^[0.]*$/.test(rate)) fail(`rate ${show(rate)} is not greater than zero (expected a positive rate)`);
    else if (whole.length > MAX_RATE_INTEGER_DIGITS) {
      fail(`rate ${show(rate)} has ${whole.length} digits before the decimal point (expected at most ${MAX_RATE_INTEGER_DIGITS}; leading zeros count)`);
    } else if (fraction.length > MAX_RATE_DECIMALS) {
      fail(`rate ${show(rate)} has ${plural(fraction.length, 'decimal')} (expected at most ${MAX_RATE_DECIMALS})`);
    }
  }
  if (issues.length > 0) return undefined;
  return { line, date, from: get('from'), to: get('to'), rate };
}
