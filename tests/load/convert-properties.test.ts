/**
 * SPEC §8 conversion, proved against exact rational arithmetic: the amount
 * times the rate (direct) or divided by it (inverse) is a fraction n/d of
 * BigInts, rounded once to the reporting currency's minor units, half to
 * even. decimal.js (src/load/convert.ts) must give the same integer for
 * random amounts, rates and currencies with 0, 2 and 3 minor digits, and
 * for amounts built to land exactly half-way between two minor units.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { convertMinor } from '../../src/load/convert.js';

/** n/d rounded to an integer, half to even (n ≥ 0, d > 0). */
function roundHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n - q * d;
  if (2n * r > d || (2n * r === d && q % 2n === 1n)) return q + 1n;
  return q;
}

/** Is n/d exactly half-way between two integers? */
function isTie(n: bigint, d: bigint): boolean {
  return 2n * (n % d) === d;
}

/** The exact conversion as a fraction: `minor` units (fromDigits) × or ÷ `k`/10^s, in units of toDigits. */
function exact(minor: bigint, fromDigits: number, toDigits: number, k: bigint, s: number, inverse: boolean): { n: bigint; d: bigint } {
  const ten = (e: number): bigint => 10n ** BigInt(e);
  return inverse ? { n: minor * ten(s) * ten(toDigits), d: ten(fromDigits) * k } : { n: minor * k * ten(toDigits), d: ten(fromDigits) * ten(s) };
}

/** A rate as written: k/10^s with `s` decimals (trailing zeros kept, as a user may write them). */
function rateText(k: bigint, s: number): string {
  const digits = k.toString().padStart(s + 1, '0');
  return s === 0 ? digits : `${digits.slice(0, digits.length - s)}.${digits.slice(digits.length - s)}`;
}

const digits = fc.constantFrom(0, 2, 3);
/** An amount of at most 15 digits before the point, in minor units. */
const amount = (d: number): fc.Arbitrary<bigint> => fc.bigInt({ min: 1n, max: 10n ** BigInt(15 + d) - 1n });
/** A rate of at most 9 digits before the point and 12 after, positive. */
const rate = fc.integer({ min: 0, max: 12 }).chain((s) => fc.record({ s: fc.constant(s), k: fc.bigInt({ min: 1n, max: 10n ** BigInt(9 + s) - 1n }) }));
/** Rates near 1 too (the usual ones), where ties and exact results are common. */
const usualRate = fc.integer({ min: 0, max: 6 }).chain((s) => fc.record({ s: fc.constant(s), k: fc.bigInt({ min: 1n, max: 3n * 10n ** BigInt(s) }) }));

const RUNS = 4000;
let cases = 0;
let ties = 0;
afterAll(() => {
  // The number of property cases run, for the record (see the README).
  console.log(`conversion properties: ${cases} cases checked against exact rationals, ${ties} of them exact ties`);
});

function check(minor: bigint, from: number, to: number, r: { k: bigint; s: number }, inverse: boolean): void {
  const { n, d } = exact(minor, from, to, r.k, r.s, inverse);
  cases++;
  if (isTie(n, d)) ties++;
  expect(convertMinor(minor, from, to, rateText(r.k, r.s), inverse)).toBe(roundHalfEven(n, d));
}

describe('conversion = the exact rational, rounded once, half to even', () => {
  it('random amounts, rates and currencies, direct and inverse', () => {
    fc.assert(
      fc.property(
        digits.chain((from) => fc.tuple(fc.constant(from), digits, amount(from), fc.oneof(rate, usualRate), fc.boolean())),
        ([from, to, minor, r, inverse]) => check(minor, from, to, r, inverse),
      ),
      { numRuns: RUNS, seed: 8 },
    );
  });

  it('direct ties: amounts whose product lands exactly half-way', () => {
    // minor × k × 10^to / 10^(from+s) = (2t+1)/2 with k = (2t+1) × 5 × 10^(from+s−to−1) / minor:
    // take minor = 2^a 5^b and k that multiple, kept within the rate's size.
    fc.assert(
      fc.property(digits, digits, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.bigInt({ min: 0n, max: 10n ** 6n }), (from, to, s, a, b, t) => {
        const minor = 2n ** BigInt(a) * 5n ** BigInt(b);
        const e = from + s - to - 1;
        const numerator = (2n * t + 1n) * 5n * (e >= 0 ? 10n ** BigInt(e) : 1n);
        const denominator = minor * (e >= 0 ? 1n : 10n ** BigInt(-e));
        fc.pre(numerator % denominator === 0n);
        const k = numerator / denominator;
        fc.pre(k > 0n && k < 10n ** BigInt(9 + s));
        const { n, d } = exact(minor, from, to, k, s, false);
        expect(isTie(n, d)).toBe(true);
        check(minor, from, to, { k, s }, false);
      }),
      { numRuns: RUNS, seed: 9 },
    );
  });

  it('inverse ties: amounts whose quotient lands exactly half-way', () => {
    // minor × 10^(s+to) / (10^from × k) = o/2 with o odd: minor = o × w, k = 2w × 10^(s+to−from).
    fc.assert(
      fc.property(digits, digits, fc.integer({ min: 0, max: 12 }), fc.bigInt({ min: 0n, max: 10n ** 7n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (from, to, s, t, w) => {
        const o = 2n * t + 1n;
        const minor = o * w;
        const e = s + to - from;
        fc.pre(e >= 0);
        const k = 2n * w * 10n ** BigInt(e);
        fc.pre(k < 10n ** BigInt(9 + s) && minor < 10n ** BigInt(15 + from));
        const { n, d } = exact(minor, from, to, k, s, true);
        expect(isTie(n, d)).toBe(true);
        check(minor, from, to, { k, s }, true);
      }),
      { numRuns: RUNS, seed: 10 },
    );
  });

  it('the extremes: 15-digit amounts, 9+12-digit rates, the smallest rate', () => {
    const big = 10n ** 18n - 1n; // 999999999999999.999 KWD
    for (const [k, s] of [
      [10n ** 21n - 1n, 12],
      [1n, 12],
      [999999999n, 0],
      [1n, 0],
    ] as const) {
      for (const inverse of [false, true]) for (const to of [0, 2, 3]) check(big, 3, to, { k, s }, inverse);
    }
  });
});
