/** SPEC §1 rules for one row: every rule has its own message naming the column and the value. */
import type { InputIssue } from '../errors.js';
import { minorDigits, parseAmount, suggestPlainDecimal, MAX_INTEGER_DIGITS } from '../money/amount.js';
import type { Direction, Kind, Row } from '../model.js';
import type { Column, ColumnIndex } from './columns.js';
import { parseDate } from './date.js';

export interface RowContext {
  readonly file: string;
  /** The file name as cited in reports. */
  readonly fileName: string;
  readonly company: string;
  readonly companies: ReadonlySet<string>;
  readonly columns: ColumnIndex;
}

const SLUG = /^[a-z0-9][a-z0-9_-]*$/;
const DEAL = /^[A-Za-z0-9._-]{1,64}$/;
const CURRENCY = /^[A-Z]{3}$/;
const KINDS: readonly string[] = ['investment', 'revenue', 'purchase', 'other'];

/** Shows a value in a message: quoted, control characters escaped, long values cut. */
export function show(value: string): string {
  const cut = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(cut);
}

/**
 * Validates one record. Returns the row, or undefined after pushing one issue
 * per broken rule to `issues`.
 */
export function checkRow(fields: readonly string[], line: number, seq: number, ctx: RowContext, issues: InputIssue[]): Row | undefined {
  const { file, columns } = ctx;
  const before = issues.length;
  const get = (column: Column): string => {
    const i = columns[column];
    return i < 0 ? '' : (fields[i] as string);
  };
  const fail = (column: Column, message: string): void => {
    issues.push({ file, line, column, message });
  };
  const missing = (column: Column, why: string): void => {
    fail(column, columns[column] < 0 ? `${column} is required ${why}, but the file has no ${column} column` : `${column} is empty (required ${why})`);
  };

  const id = get('id');
  if (id === '') missing('id', 'on every row');
  else if (id.length > 128) fail('id', `id ${show(id)} is ${id.length} characters long (at most 128)`);

  const date = get('date');
  const parsedDate = parseDate(date);
  if (date === '') missing('date', 'on every row');
  else if (!parsedDate.ok) {
    if (parsedDate.reason === 'format') fail('date', `date ${show(date)} is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (no time zone)`);
    else if (parsedDate.reason === 'calendar') fail('date', `date ${show(date)} is not a real calendar date`);
    else fail('date', `date ${show(date)} has an impossible time of day (hours 00-23, minutes and seconds 00-59)`);
  }

  const direction = get('direction');
  if (direction === '') missing('direction', 'on every row (in or out)');
  else if (direction !== 'in' && direction !== 'out') fail('direction', `direction ${show(direction)} is not "in" or "out" (exact, lowercase)`);

  const counterparty = get('counterparty');
  if (counterparty === '') missing('counterparty', 'on every row (a company id of this set or an external name)');
  else if (counterparty === ctx.company)
    fail('counterparty', `counterparty ${show(counterparty)} is the company itself (a ledger records money moving to or from another party)`);

  const kind = get('kind');
  let kindOk = false;
  if (kind === '') missing('kind', 'on every row (investment, revenue, purchase or other)');
  else if (!KINDS.includes(kind)) fail('kind', `kind ${show(kind)} is not investment, revenue, purchase or other`);
  else if (kind === 'revenue' && direction === 'out') fail('kind', `kind "revenue" goes with direction "in", found "out" (money paid out is a purchase or other)`);
  else if (kind === 'purchase' && direction === 'in') fail('kind', `kind "purchase" goes with direction "out", found "in" (money received for a sale is revenue)`);
  else kindOk = true;

  const category = get('category');
  if (category === '') {
    if (kindOk && (kind === 'revenue' || kind === 'purchase')) missing('category', `on ${kind} rows (a lowercase slug such as cloud or chips)`);
  } else if (!SLUG.test(category)) {
    fail('category', `category ${show(category)} is not a lowercase slug (a-z, 0-9, "-" and "_", starting with a letter or digit, e.g. cloud)`);
  }

  const currency = get('currency');
  let digits = 2;
  if (currency === '') missing('currency', 'on every row (three upper-case letters, e.g. USD)');
  else if (!CURRENCY.test(currency)) fail('currency', `currency ${show(currency)} is not three upper-case letters (e.g. USD)`);
  else digits = minorDigits(currency);

  const amountText = get('amount');
  let amount = 0n;
  if (amountText === '') missing('amount', 'on every row (a plain positive decimal such as 1000.00)');
  else {
    const parsed = parseAmount(amountText, digits);
    if (parsed.ok) amount = parsed.minor;
    else if (parsed.reason === 'not-plain') {
      const guess = suggestPlainDecimal(amountText);
      const hint = guess !== undefined ? `write ${guess}` : 'digits with an optional decimal point, no sign, separator, symbol or exponent';
      fail('amount', `amount ${show(amountText)} is not a plain decimal (${hint})`);
    } else if (parsed.reason === 'zero') fail('amount', `amount ${show(amountText)} is not greater than zero`);
    else if (parsed.reason === 'too-many-digits')
      fail('amount', `amount ${show(amountText)} has more than ${MAX_INTEGER_DIGITS} digits before the decimal point (leading zeros count)`);
    else
      fail(
        'amount',
        `amount ${show(amountText)} has more decimals than ${currency === '' ? 'the currency' : currency} allows (at most ${digits}${digits === 0 ? ': no decimal point' : ''})`,
      );
  }

  const deal = get('deal');
  if (deal !== '' && !DEAL.test(deal)) fail('deal', `deal ${show(deal)} is not a deal name (1-64 letters, digits, ".", "_" or "-")`);

  if (issues.length > before) return undefined;
  const day = parsedDate.ok ? parsedDate.day : '';
  const ts = parsedDate.ok ? parsedDate.ts : 0;
  return {
    company: ctx.company,
    file: ctx.fileName,
    line,
    seq,
    id,
    date,
    day,
    ts,
    direction: direction as Direction,
    counterparty,
    kind: kind as Kind,
    category,
    amount,
    amountText,
    currency,
    ref: get('ref'),
    deal,
    memo: get('memo'),
  };
}
