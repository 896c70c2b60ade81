/**
 * Amounts are integer minor units (BigInt) from the moment they are read to
 * the moment they are written; no JavaScript number ever holds money.
 */

const ZERO_DECIMALS = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK']);
const THREE_DECIMALS = new Set(['BHD', 'KWD', 'OMR', 'JOD', 'TND', 'IQD', 'LYD']);

/** SPEC §1: minor-unit digits of a currency. */
export function minorDigits(currency: string): number {
  if (ZERO_DECIMALS.has(currency)) return 0;
  if (THREE_DECIMALS.has(currency)) return 3;
  return 2;
}

/** A plain decimal: digits, then optionally a point and more digits (no sign, separator, symbol or exponent). */
export const PLAIN_DECIMAL = /^[0-9]+(\.[0-9]+)?$/;
export const MAX_INTEGER_DIGITS = 15;

export type AmountParse =
  | { ok: true; minor: bigint }
  | { ok: false; reason: 'not-plain' | 'zero' | 'too-many-decimals' | 'too-many-digits' };

/**
 * Parses a plain positive decimal into minor units for a currency with
 * `digits` minor-unit digits. Returns why it is not one otherwise.
 */
export function parseAmount(text: string, digits: number): AmountParse {
  if (!PLAIN_DECIMAL.test(text)) return { ok: false, reason: 'not-plain' };
  const dot = text.indexOf('.');
  const whole = dot < 0 ? text : text.slice(0, dot);
  const fraction = dot < 0 ? '' : text.slice(dot + 1);
  if (whole.length > MAX_INTEGER_DIGITS) return { ok: false, reason: 'too-many-digits' };
  if (fraction.length > digits) return { ok: false, reason: 'too-many-decimals' };
  const minor = BigInt(whole + fraction.padEnd(digits, '0'));
  if (minor === 0n) return { ok: false, reason: 'zero' };
  return { ok: true, minor };
}

/** Formats minor units with exactly `digits` decimals: 1234n, 2 → "12.34". */
export function formatAmount(minor: bigint, digits: number): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  if (digits === 0) return (negative ? '-' : '') + abs.toString();
  const text = abs.toString().padStart(digits + 1, '0');
  const cut = text.length - digits;
  return `${negative ? '-' : ''}${text.slice(0, cut)}.${text.slice(cut)}`;
}

/** `formatAmount` for minor units held in an exact double (a whole number, |x| ≤ Number.MAX_SAFE_INTEGER): the same text, with no BigInt made. */
export function formatMinor(x: number, digits: number): string {
  const negative = x < 0;
  // A whole number below 2^53 prints as its plain digits.
  const abs = String(negative ? -x : x);
  if (digits === 0) return (negative ? '-' : '') + abs;
  const text = abs.padStart(digits + 1, '0');
  const cut = text.length - digits;
  return `${negative ? '-' : ''}${text.slice(0, cut)}.${text.slice(cut)}`;
}

/**
 * `100 × part / whole` with two decimals, rounded half to even
 * (SPEC §4). `whole` must be positive; `part` non-negative.
 */
export function percent(part: bigint, whole: bigint): string {
  if (whole <= 0n) throw new RangeError('percent of a non-positive whole');
  const scaled = part * 10000n;
  let q = scaled / whole;
  const r = scaled - q * whole;
  const twice = 2n * r;
  if (twice > whole || (twice === whole && q % 2n === 1n)) q += 1n;
  return formatAmount(q, 2);
}
