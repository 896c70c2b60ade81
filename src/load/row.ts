/**
 * SPEC §1 rules for one row. Every rule has its own message, which names the
 * column and the value as written and says what was expected (SPEC §6).
 */
import type { InputIssue } from '../errors.js';
import { minorDigits, parseAmount, MAX_INTEGER_DIGITS, PLAIN_DECIMAL } from '../money/amount.js';
import { type Kind, KINDS } from '../model.js';
import type { RowValues } from './row-table.js';
import { COLUMNS, type Column, type ColumnIndex } from './columns.js';
import { parseDate } from './date.js';
import { closest } from './suggest.js';
import { plural } from '../words.js';

export interface RowContext {
  readonly file: string;
  /** The file name as cited in reports. */
  readonly fileName: string;
  readonly company: string;
  readonly companies: ReadonlySet<string>;
  readonly columns: ColumnIndex;
  /**
   * Columns the file lacks whose absence was already reported (once per
   * file): their rules are not checked again. A missing column is added here
   * the first time a row needs it.
   */
  readonly reported: Set<Column>;
}

export const SLUG = /^[a-z0-9][a-z0-9_-]*$/;
export const DEAL = /^[A-Za-z0-9._-]{1,64}$/;
export const CURRENCY = /^[A-Z]{3}$/;
export const MAX_ID_LENGTH = 128;

/** Shows a value in a message: quoted, control characters escaped, long values cut. */
export function show(value: string): string {
  const cut = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(cut);
}


/** Characters as a person counts them (code points). */
export function lengthOf(text: string): number {
  return text.length <= MAX_ID_LENGTH ? text.length : Array.from(text).length;
}

const COLUMN_RANK = new Map<string, number>(COLUMNS.map((c, i) => [c, i]));

/** Orders one row's issues by column (SPEC table order); issues about the whole row first. */
export function byColumn(x: InputIssue, y: InputIssue): number {
  return (x.column === undefined ? -1 : (COLUMN_RANK.get(x.column) ?? 99)) - (y.column === undefined ? -1 : (COLUMN_RANK.get(y.column) ?? 99));
}

/** `1e6` → `1000000`, `2.5E-1` → `0.25`: an exponent written out, or undefined. */
function expandExponent(text: string): string | undefined {
  const m = /^([0-9]+)(?:\.([0-9]+))?[eE]([+-]?[0-9]{1,2})$/.exec(text);
  if (m === null) return undefined;
  const digits = `${m[1]}${m[2] ?? ''}`;
  const point = (m[1] as string).length + Number(m[3]);
  let whole: string;
  let fraction: string;
  if (point <= 0) {
    whole = '0';
    fraction = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    whole = digits + '0'.repeat(point - digits.length);
    fraction = '';
  } else {
    whole = digits.slice(0, point);
    fraction = digits.slice(point);
  }
  whole = whole.replace(/^0+(?=[0-9])/, '');
  fraction = fraction.replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/**
 * What the user meant by an amount that is not a plain decimal, as the end
 * of a message: `write 1000.00` when the intent is certain (`1,000.00`,
 * `$5`, `.5`, `100.`, `1e6`), otherwise what is expected. A minus sign is
 * never "fixed": money that left is direction out, not a negative amount.
 */
function amountHint(text: string): string {
  let s = text.trim();
  s = s.replace(/^(?:[A-Z]{3}\s?|[$€£¥])/, '').replace(/(?:\s?[A-Z]{3}|[$€£¥])$/, '');
  if (/^\(.*\)$/.test(s) || s.startsWith('-') || s.endsWith('-') || s.startsWith('−')) {
    return 'expected a positive amount without a sign: the direction column says which way the money went';
  }
  if (s.startsWith('+')) s = s.slice(1);
  if (/^[0-9]{1,3}([,' _\u00a0\u202f][0-9]{3})+(\.[0-9]+)?$/.test(s)) s = s.replace(/[,' _\u00a0\u202f]/g, '');
  if (s.startsWith('.')) s = `0${s}`;
  if (/^[0-9]+\.$/.test(s)) s = s.slice(0, -1);
  s = expandExponent(s) ?? s;
  if (s !== text && PLAIN_DECIMAL.test(s)) return `write ${s}`;
  if (/^[0-9]+,[0-9]+$/.test(s) || /^[0-9]{1,3}(\.[0-9]{3})+,[0-9]+$/.test(s)) {
    return 'expected a point before the decimals and no thousands separator, e.g. 1234.50';
  }
  return 'expected digits with an optional decimal point, e.g. 1000.00: no sign, thousands separator, currency symbol or exponent';
}

/** A kind as read, mapped to the one shared string of that kind. */
const KIND_OF = Object.fromEntries(KINDS.map((kind) => [kind, kind])) as Readonly<Record<string, Kind>>;
/** The kinds as a message lists them: `investment, revenue, purchase or other`. */
const KIND_LIST = `${KINDS.slice(0, -1).join(', ')} or ${KINDS[KINDS.length - 1] as Kind}`;

/**
 * Validates one record. Pushes one issue per broken rule to `issues` (in
 * column order) and returns the row when there is none.
 */

export function checkRow(fields: readonly string[], line: number, ctx: RowContext, issues: InputIssue[]): RowValues | undefined {
  const { file, columns, reported } = ctx;
  const before = issues.length;
  const get = (column: Column): string => {
    const i = columns[column];
    return i < 0 ? '' : (fields[i] as string);
  };
  const fail = (column: Column, message: string): void => {
    issues.push({ file, line, column, message });
  };
  /** An empty required value, or a column the file lacks (reported on the first row that needs it, once per file). */
  const missing = (column: Column, expected: string, needed = 'on every row'): void => {
    if (columns[column] >= 0) fail(column, `${column} is empty (${expected})`);
    else if (!reported.has(column)) {
      reported.add(column);
      fail(column, `${column} is required ${needed}, but the file has no ${column} column (expected a ${column} column; reported once, on the first row that needs it)`);
    }
  };

  const id = get('id');
  if (id === '') missing('id', `expected an id of 1 to ${MAX_ID_LENGTH} characters, unique within the company`);
  else if (id.length > MAX_ID_LENGTH && lengthOf(id) > MAX_ID_LENGTH) fail('id', `id ${show(id)} has ${lengthOf(id)} characters (expected 1 to ${MAX_ID_LENGTH})`);

  const date = get('date');
  const parsedDate = parseDate(date);
  if (date === '') missing('date', 'expected YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS');
  else if (!parsedDate.ok) {
    if (parsedDate.reason === 'format') fail('date', `date ${show(date)} is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (${parsedDate.detail})`);
    else if (parsedDate.reason === 'calendar') fail('date', `date ${show(date)} is not a real calendar date (${parsedDate.detail})`);
    else fail('date', `date ${show(date)} is not a real time of day (${parsedDate.detail})`);
  }

  const direction = get('direction');
  const directionOk = direction === 'in' || direction === 'out';
  if (direction === '') missing('direction', 'expected in or out');
  else if (!directionOk) {
    const fixed = direction.trim().toLowerCase();
    const hint = fixed === 'in' || fixed === 'out' ? `write ${fixed}` : 'expected in or out, exact and lowercase';
    fail('direction', `direction ${show(direction)} is not in or out (${hint})`);
  }

  const counterparty = get('counterparty');
  if (counterparty === '') missing('counterparty', 'expected a company id of this ledger set or the name of an external party');
  else if (counterparty === ctx.company) {
    fail('counterparty', `counterparty ${show(counterparty)} is the company itself (expected the other party: a company id of this ledger set or an external name)`);
  }

  const kind = get('kind');
  let kindOk = false;
  if (kind === '') missing('kind', `expected ${KIND_LIST}`);
  else if (!(KINDS as readonly string[]).includes(kind)) {
    const near = closest(kind, KINDS);
    fail('kind', `kind ${show(kind)} is not a kind (${near !== undefined ? `did you mean ${near}? ` : ''}expected ${KIND_LIST}, exact and lowercase)`);
  } else if (kind === 'revenue' && direction === 'out') {
    fail('kind', 'kind "revenue" does not go with direction "out" (expected revenue only on money coming in; money paid out is a purchase or other)');
  } else if (kind === 'purchase' && direction === 'in') {
    fail('kind', 'kind "purchase" does not go with direction "in" (expected purchase only on money going out; money received for a sale is revenue)');
  } else kindOk = true;

  const category = get('category');
  if (category === '') {
    if (kindOk && (kind === 'revenue' || kind === 'purchase')) missing('category', `expected a category on ${kind} rows: a lowercase slug such as cloud or chips`, `on ${kind} rows`);
  } else if (!SLUG.test(category)) {
    const fixed = category.trim().toLowerCase().replace(/\s+/g, '-');
    const hint = SLUG.test(fixed) ? `write ${fixed}` : 'expected a lowercase slug: a-z, 0-9, "-" and "_", starting with a letter or digit, e.g. cloud';
    fail('category', `category ${show(category)} is not a lowercase slug (${hint})`);
  }

  const currency = get('currency');
  const currencyOk = CURRENCY.test(currency);
  const digits = currencyOk ? minorDigits(currency) : undefined;

  const amountText = get('amount');
  let amount = 0n;
  if (amountText === '') missing('amount', 'expected a plain positive decimal such as 1000.00');
  else {
    const parsed = parseAmount(amountText, digits ?? 64);
    if (parsed.ok) amount = parsed.minor;
    else if (parsed.reason === 'not-plain') fail('amount', `amount ${show(amountText)} is not a plain decimal (${amountHint(amountText)})`);
    else if (parsed.reason === 'zero') fail('amount', `amount ${show(amountText)} is not greater than zero (expected a positive amount)`);
    else if (parsed.reason === 'too-many-digits') {
      const whole = (amountText.split('.')[0] as string).length;
      fail('amount', `amount ${show(amountText)} has ${whole} digits before the decimal point (expected at most ${MAX_INTEGER_DIGITS}; leading zeros count)`);
    } else {
      const [whole, fraction] = amountText.split('.') as [string, string];
      const d = digits ?? 0;
      const trimmed = fraction.slice(0, d);
      const zeros = /^0*$/.test(fraction.slice(d));
      const fix = zeros ? `: write ${d === 0 ? whole : `${whole}.${trimmed}`}` : '';
      const allowed = d === 0 ? 'no decimals' : `at most ${plural(d, 'decimal')}`;
      fail('amount', `amount ${show(amountText)} has ${plural(fraction.length, 'decimal')}, more than ${currency} allows (expected ${allowed}${fix})`);
    }
  }

  if (currency === '') missing('currency', 'expected three upper-case letters such as USD');
  else if (!currencyOk) {
    const fixed = currency.trim().toUpperCase();
    const hint = CURRENCY.test(fixed) ? `write ${fixed}` : 'expected an ISO 4217 code such as USD';
    fail('currency', `currency ${show(currency)} is not three upper-case letters (${hint})`);
  }

  const deal = get('deal');
  if (deal !== '' && !DEAL.test(deal)) {
    fail('deal', `deal ${show(deal)} is not a deal name (expected 1 to 64 letters, digits, ".", "_" or "-")`);
  }

  if (issues.length > before) return undefined;
  // Repeated values (a day, a name, a category) are stored once by the row table.
  const day = parsedDate.ok ? parsedDate.day : '';
  const ts = parsedDate.ok ? parsedDate.ts : 0;
  return {
    line,
    id,
    date: date.length === 10 ? day : date,
    day,
    ts,
    direction: direction === 'in' ? 'in' : 'out',
    counterparty,
    kind: KIND_OF[kind] as Kind,
    category,
    amount,
    currency,
    ref: get('ref'),
    deal,
    memo: get('memo'),
  };
}
