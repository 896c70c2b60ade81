/**
 * SPEC §8 conversion: an amount of currency C on day d becomes an amount of
 * the reporting currency R at the latest direct (C→R) or inverse (R→C) rate
 * dated on or before d (direct wins a tie), the exact product or quotient
 * rounded once to R's minor units, half to even. Pure.
 *
 * decimal.js does the arithmetic in a private clone of 80 significant
 * digits: an amount has at most 18 (15 + 3 decimals), a rate at most 21
 * (9 + 12), so a product (39 digits), a quotient's whole part (31 digits),
 * `q × rate` (52 digits) and the remainder that decides the rounding are all
 * exact. The quotient is truncated (never rounded up), and the remainder
 * `x − q × rate`, compared with half the rate, decides the one rounding
 * exactly. tests/load/convert-properties.test.ts checks this against BigInt
 * fractions.
 */
import { Decimal } from 'decimal.js';
import { MAX_INTEGER_DIGITS, minorDigits } from '../money/amount.js';
import type { Conversion, RateRow } from '../model.js';
import { byCodeUnits } from '../sort.js';

export type { Conversion, RateRow };

const D = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_DOWN, toExpNeg: -100, toExpPos: 100 });
type Dec = InstanceType<typeof D>;

/** A rates file as read: where it is, its rows. */
export interface RatesFile {
  /** The path as the user would type it (messages). */
  readonly path: string;
  /** The file name alone (sources: `_rates.csv:3`). */
  readonly name: string;
  readonly sha256: string;
  readonly rows: readonly RateRow[];
}

/**
 * `minor` units of a currency with `fromDigits` minor digits, times `rate`
 * (or divided by it when `inverse`), in units of a currency with `toDigits`
 * minor digits: exact, rounded once, half to even.
 */
export function convertMinor(minor: bigint, fromDigits: number, toDigits: number, rate: string | Dec, inverse: boolean): bigint {
  const r = typeof rate === 'string' ? new D(rate) : rate;
  // The amount in the target's minor units, before the rate: exact (the point moved, nothing rounded).
  const x = new D(`${minor}e${toDigits - fromDigits}`);
  if (!inverse) return BigInt(x.times(r).toDecimalPlaces(0, D.ROUND_HALF_EVEN).toFixed(0));
  // Truncated (ROUND_DOWN) to 80 digits: the whole part is the exact floor; the exact remainder decides the rounding.
  const q = x.div(r).floor();
  const c = x.minus(q.times(r)).times(2).cmp(r);
  const whole = BigInt(q.toFixed(0));
  return c > 0 || (c === 0 && (whole & 1n) === 1n) ? whole + 1n : whole;
}

/** A rate as decimal.js holds it (parsed once per rate row). */
export function rateValue(rate: string): Dec {
  return new D(rate);
}

/** The rates that convert one currency into R, by date (direct over inverse on the same date). */
interface Entry {
  readonly date: string;
  readonly index: number;
  readonly inverse: boolean;
}

export type ConvertResult =
  | { readonly ok: true; readonly minor: bigint; readonly index: number; readonly inverse: boolean }
  | { readonly ok: false; readonly reason: 'no-rate' }
  | { readonly ok: false; readonly reason: 'zero' | 'too-large'; readonly index: number; readonly inverse: boolean; readonly minor: bigint };

/** What was converted, per currency (for the manifest). */
export interface CurrencyUse {
  readonly currency: string;
  rows: number;
  /** Indexes of the rate rows used. */
  readonly rates: Set<number>;
}

export class Converter {
  private readonly byCurrency = new Map<string, Entry[]>();
  private readonly digits: number;
  /** The rates as decimal.js values, parsed on first use. */
  private readonly values: (Dec | undefined)[] = [];
  /** The first converted amount too large: 10^15 units of R, in minor units. */
  private readonly limit: bigint;
  /** Per currency converted, in order of first conversion. */
  readonly used = new Map<string, CurrencyUse>();

  constructor(
    readonly reporting: string,
    readonly rates: readonly RateRow[],
  ) {
    this.digits = minorDigits(reporting);
    this.limit = 10n ** BigInt(MAX_INTEGER_DIGITS + this.digits);
    rates.forEach((rate, index) => {
      let currency: string;
      let inverse: boolean;
      if (rate.to === reporting) {
        currency = rate.from;
        inverse = false;
      } else if (rate.from === reporting) {
        currency = rate.to;
        inverse = true;
      } else return;
      let list = this.byCurrency.get(currency);
      if (list === undefined) this.byCurrency.set(currency, (list = []));
      list.push({ date: rate.date, index, inverse });
    });
    // By date; on the same date the direct row first (it wins).
    for (const list of this.byCurrency.values()) {
      list.sort((x, y) => byCodeUnits(x.date, y.date) || Number(x.inverse) - Number(y.inverse));
    }
  }

  /** The rate that converts `currency` on `day`: the latest on or before it, direct before inverse on one date. */
  rateFor(currency: string, day: string): Entry | undefined {
    const list = this.byCurrency.get(currency);
    if (list === undefined) return undefined;
    // The last entry whose date is on or before the day; on a shared date, the first (direct) of them.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as Entry).date <= day) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return undefined;
    let at = lo - 1;
    const date = (list[at] as Entry).date;
    while (at > 0 && (list[at - 1] as Entry).date === date) at--;
    return list[at];
  }

  /** Converts `minor` units of `currency` on `day` into R; records the use. */
  convert(minor: bigint, currency: string, day: string): ConvertResult {
    const entry = this.rateFor(currency, day);
    if (entry === undefined) return { ok: false, reason: 'no-rate' };
    const rate = this.rates[entry.index] as RateRow;
    let value = this.values[entry.index];
    if (value === undefined) this.values[entry.index] = value = rateValue(rate.rate);
    const converted = convertMinor(minor, minorDigits(currency), this.digits, value, entry.inverse);
    if (converted === 0n) return { ok: false, reason: 'zero', index: entry.index, inverse: entry.inverse, minor: converted };
    // SPEC §1 allows 15 digits before the point; a converted amount keeps to it (and to 64-bit minor units).
    if (converted >= this.limit) return { ok: false, reason: 'too-large', index: entry.index, inverse: entry.inverse, minor: converted };
    let use = this.used.get(currency);
    if (use === undefined) this.used.set(currency, (use = { currency, rows: 0, rates: new Set() }));
    use.rows++;
    use.rates.add(entry.index);
    return { ok: true, minor: converted, index: entry.index, inverse: entry.inverse };
  }
}

/** `EUR→USD of 2026-02-01[, inverse], _rates.csv:3`: a rate row as cited in details and audit. */
export function rateCitation(c: Conversion): string {
  return `${c.rate.from}→${c.rate.to} of ${c.rate.date}${c.inverse ? ', inverse' : ''}, ${c.ratesFile}:${c.rate.line}`;
}

/**
 * `463000000.00 EUR × 1.0790 (EUR→USD of 2026-02-01, _rates.csv:3) = 499577000.00 USD`:
 * a converted amount with its original and the rate used. `money` formats in R.
 */
export function conversionText(c: Conversion, converted: bigint, reporting: string, money: (minor: bigint) => string, original: (minor: bigint, digits: number) => string): string {
  return `${original(c.amount, minorDigits(c.currency))} ${c.currency} ${c.inverse ? '÷' : '×'} ${c.rate.rate} (${rateCitation(c)}) = ${money(converted)} ${reporting}`;
}
