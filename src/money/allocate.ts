/**
 * SPEC §3.1: `allocate(n, w1..wk)` splits the whole number n into k parts
 * proportional to the weights, by largest remainder: q_i = floor(n·w_i / W),
 * r_i = n·w_i mod W; the leftover n − Σq_i units go one each to the parts with
 * the largest r_i, ties to the earlier part. The parts always sum to n exactly.
 *
 * Exact integer arithmetic throughout. The products n·w_i reach 2^106 for
 * real amounts, past what a double holds, so the general path is BigInt. The
 * hot path keeps to doubles that hold exact integers: when n, every weight and
 * W are below 2^50, each product is split exactly into two doubles
 * (Dekker's two-product), the quotient estimate is corrected to the exact
 * floor, and the remainder comes out exact; the result is the same integers
 * as the BigInt path (a property test checks it against the BigInt path).
 *
 * Splits of many parts (a view's thousands of stakes) first try estimates:
 * n·w·(1/W) is within a known bound of n·w/W, which settles most quotients
 * and places most remainders above or below the one that takes the last
 * unit; only the parts the bound leaves open get the exact remainder
 * (`splitEstimated`). Where the estimates cannot settle the split, the
 * exact one is made. Both give the BigInt path's integers (property tests,
 * and a test that a bound set too small is caught).
 */

const LIMIT = 2 ** 50;
const SPLITTER = 134217729; // 2^27 + 1 (Veltkamp split of a double into two 26-bit halves)

export function allocate(n: bigint, weights: readonly bigint[]): bigint[] {
  const k = weights.length;
  if (k === 0) throw new RangeError('allocate needs at least one weight');
  if (n < 0n) throw new RangeError(`allocate cannot split a negative amount (${n})`);
  let total = 0n;
  for (const w of weights) {
    if (w < 0n) throw new RangeError(`allocate weights must not be negative (${w})`);
    total += w;
  }
  if (total === 0n) throw new RangeError('allocate needs weights with a positive sum');
  if (total < LIMIT && n < LIMIT) return allocateSafe(Number(n), weights.map(Number), Number(total)).map((q) => BigInt(q));
  return allocateBig(n, weights, total);
}

/** The most parts a split in doubles takes (a larger one, a view of over a million stakes, goes the BigInt way). */
const CAPACITY = 1 << 20;
/**
 * Scratch of the double path, reused from call to call: each part's
 * quotient, remainder (or fraction) and bucket, the buckets' counts, part
 * indices. Fixed arrays held in constants: V8 then reads their place and
 * length once, not at every step of a loop (a third of the split's time).
 * Pages never touched take no memory.
 */
const PARTS = new Float64Array(CAPACITY);
const REMAINDERS = new Float64Array(CAPACITY);
const BUCKETS = new Int32Array(CAPACITY);
const COUNTS = new Int32Array(CAPACITY + 1);
const ORDER = new Int32Array(CAPACITY);

/** The double path: every input an integer below 2^50, `total` their sum. */
export function allocateSafe(n: number, weights: readonly number[], total: number): number[] {
  const parts = new Float64Array(weights.length);
  allocateSafeInto(n, weights, weights.length, total, parts);
  return Array.from(parts);
}

/** The double path over the first `k` weights (sum `total`) into parts[0..k): allocates nothing (the trace's hot path). */
export function allocateSafeInto(n: number, weights: ArrayLike<number>, k: number, total: number, parts: Float64Array): void {
  splitDoubles(n, false, 0, weights, k, total, parts);
}

/**
 * allocate(n, [rest, stakes[0..k)]) (sum `total`) into parts[0..k]: the
 * split of a pro-rata draw, read from a view's own arrays (no copy of the
 * weights). Same integers as `allocateSafeInto`.
 */
export function allocateRestInto(n: number, rest: number, stakes: ArrayLike<number>, k: number, total: number, parts: Float64Array): void {
  splitDoubles(n, true, rest, stakes, k, total, parts);
}

/**
 * `allocateRestInto` without the copy (the trace's hot path): returns the
 * array holding the parts [0..k], the split's own scratch (good until the
 * next split) or, for a split larger than the scratch, `parts`.
 */
export function allocateRest(n: number, rest: number, stakes: ArrayLike<number>, k: number, total: number, parts: Float64Array): Float64Array {
  if (k + 1 > CAPACITY) {
    splitHuge(n, true, rest, stakes, k, total, parts);
    return parts;
  }
  if (k + 1 < ESTIMATE_FROM || !splitEstimated(n, true, rest, stakes, k, total, ESTIMATE_ERROR)) splitExact(n, true, rest, stakes, k, total);
  return PARTS;
}

/**
 * The double path over [rest (when `withRest`), weights[0..k)] into parts:
 * the estimate first (`splitEstimated`), the exact remainders of every part
 * (`splitExact`) when the estimate cannot decide.
 */
function splitDoubles(n: number, withRest: boolean, rest: number, weights: ArrayLike<number>, k: number, total: number, parts: Float64Array): void {
  const size = withRest ? k + 1 : k;
  if (size > CAPACITY) {
    splitHuge(n, withRest, rest, weights, k, total, parts);
    return;
  }
  if (size < ESTIMATE_FROM || !splitEstimated(n, withRest, rest, weights, k, total, ESTIMATE_ERROR)) splitExact(n, withRest, rest, weights, k, total);
  parts.set(PARTS.subarray(0, size));
}

/** A split of more parts than the scratch holds: the BigInt path (the same integers). */
function splitHuge(n: number, withRest: boolean, rest: number, weights: ArrayLike<number>, k: number, total: number, parts: Float64Array): void {
  const big: bigint[] = withRest ? [BigInt(rest)] : [];
  for (let i = 0; i < k; i++) big.push(BigInt(weights[i] as number));
  allocateBig(BigInt(n), big, BigInt(total)).forEach((x, i) => (parts[i] = Number(x)));
}

/**
 * How far n·w·(1/W), three roundings of relative error 2^-53 each, can be
 * from n·w/W, relative to itself: 2^-50 is 8 units in the last place, more
 * than twice the 3 it needs. (Exported for a test that makes it wrong and
 * sees the results go wrong.)
 */
export const ESTIMATE_ERROR = 2 ** -50;
/** Splits of fewer parts are made exactly: the estimate's own work (buckets, the exact remainders near the boundary) outweighs what it saves. */
const ESTIMATE_FROM = 48;

/**
 * The split from estimates, exact where it matters, in two passes over the
 * parts (no product split in halves for most of them):
 *
 * 1. x = n·w·(1/W) is within e = x·`error` of n·w/W (and e ≤ n·`error`,
 *    as x ≤ n). Where its fractional part f has f ≥ e and f + e < 1,
 *    floor(x) is the exact quotient q, and the exact fraction r/W is within
 *    e of f. The other parts are made exactly (`settle`). Each part goes in
 *    one of `nb` buckets by f, nb chosen so that a bucket is wider than 4e.
 * 2. The leftover units go to the largest remainders. The bucket B where
 *    they run out is found from the counts. A part two buckets or more above
 *    B is surely above B's upper edge (its fraction is within e of a value
 *    a bucket past it), so it takes a unit; one two or more below B is
 *    surely below B's lower edge, and takes none; no branch decides either.
 *    The parts of buckets B − 1 to B + 1 (and those settled exactly) have
 *    their exact remainder made and compared with integer thresholds TU and
 *    TD at B's edges: above TU a unit, below TD none, between them a
 *    candidate. So the parts with a unit are above the candidates, which
 *    are above the rest, exactly. When the units left fit the candidates
 *    (they do unless a bucket edge was misjudged, which the margins
 *    prevent), the candidates are ranked exactly (larger remainder, ties to
 *    the earlier part); otherwise the caller makes the split exactly.
 *
 * Returns false when the split must be made exactly (parts then hold
 * nothing of use).
 */
function splitEstimated(n: number, withRest: boolean, rest: number, weights: ArrayLike<number>, k: number, total: number, error: number): boolean {
  const size = withRest ? k + 1 : k;
  const parts = PARTS;
  const remainders = REMAINDERS;
  const buckets = BUCKETS;
  const counts = COUNTS;
  const order = ORDER;
  // Buckets at least 4 times as wide as the largest e (n·error), and no more than the parts.
  const widest = n * error;
  const nb = widest * size < 0.25 ? size : Math.max(1, Math.floor(0.25 / widest));
  if (nb < 4 && size > 64) return false; // figures so large that the estimates tell little: exactly
  const inverse = 1 / total;
  let given = 0;
  let lowest = 1;
  let highest = 0;
  counts.fill(0, 0, nb + 1);
  // Pass 1: quotients, estimated fractions, buckets (nb where f·nb rounds up to nb) and their counts; no branch but the
  // running extremes (the rare parts are settled after the loop: code seldom run inside it has no type feedback, and
  // V8 leaves the optimised loop each time it meets it).
  let i = 0;
  if (withRest) {
    given += estimate(n, rest, inverse, nb, parts, remainders, buckets, counts, i++);
    // The rest is checked like every part (a quotient it cannot tell would otherwise go unsettled).
    const f = remainders[0] as number;
    const e = ((parts[0] as number) + f) * error;
    lowest = f - e;
    highest = f + e;
  }
  for (let j = 0; j < k; j++, i++) {
    const x = n * (weights[j] as number) * inverse;
    const q = Math.floor(x);
    const f = x - q;
    const e = x * error;
    parts[i] = q;
    remainders[i] = f;
    const b = (f * nb) | 0;
    buckets[i] = b;
    counts[b] = (counts[b] as number) + 1;
    given += q;
    // Not Math.min and Math.max: they cost this loop four times its time.
    const below = f - e;
    const over = f + e;
    if (below < lowest) lowest = below;
    if (over > highest) highest = over;
  }
  // floor(x) is the exact quotient where f ≥ e and f + e < 1; zero weights give x = 0 exactly.
  if (lowest < 0 || highest >= 1) given += settle(n, withRest, rest, weights, size, nb, total, error);
  const leftover = n - given;
  if (leftover === 0) return true;
  let boundary = nb;
  let above = 0;
  while (above + (counts[boundary] as number) < leftover) above += counts[boundary--] as number;
  // Pass 2: a unit to every part in a bucket past boundary + 1, none below boundary − 1, without a branch; the
  // parts in between noted. A branch taken at random for half the parts would
  // cost more than the rest of the split.
  const over = boundary + 1;
  let units = 0;
  let m = 0;
  for (let j = 0; j < size; j++) {
    const b = buckets[j] as number;
    const up = (over - b) >>> 31;
    parts[j] = (parts[j] as number) + up;
    units += up;
    if ((b - boundary + 1) >>> 0 <= 2) order[m++] = j;
  }
  // Those parts exactly, against thresholds at the boundary bucket's edges: TD/W ≥ fD − 2^-53 and TU/W ≤ fU + 2^-53
  // (ceil and floor of products rounded once), where the surely-above parts are above fU + 2^-50 and the
  // surely-below ones below fD − 2^-50.
  const low = Math.ceil((boundary / nb) * total);
  const high = Math.floor(((boundary + 1) / nb) * total);
  const nh = highHalf(n);
  const nl = n - nh;
  const th = highHalf(total);
  const tl = total - th;
  let kept = 0;
  for (let c = 0; c < m; c++) {
    const j = order[c] as number;
    const w = withRest ? (j === 0 ? rest : (weights[j - 1] as number)) : (weights[j] as number);
    const r = remainderOf(n, w, parts[j] as number, total, nh, nl, th, tl);
    if (r > high) {
      parts[j] = (parts[j] as number) + 1;
      units++;
    } else if (r >= low) {
      remainders[j] = r;
      order[kept++] = j;
    }
  }
  const need = leftover - units;
  if (need < 0 || need > kept) return false;
  if (need < kept) selectFirst(order, kept, need, remainders);
  for (let j = 0; j < need; j++) {
    const p = order[j] as number;
    parts[p] = (parts[p] as number) + 1;
  }
  return true;
}

/** Pass 1 for one part (the rest): returns its estimated quotient. */
function estimate(n: number, w: number, inverse: number, nb: number, parts: Float64Array, remainders: Float64Array, buckets: Int32Array, counts: Int32Array, i: number): number {
  const x = n * w * inverse;
  const q = Math.floor(x);
  const f = x - q;
  parts[i] = q;
  remainders[i] = f;
  const b = (f * nb) | 0;
  buckets[i] = b;
  counts[b] = (counts[b] as number) + 1;
  return q;
}

/**
 * The parts whose estimate cannot tell the quotient (f < e or f + e ≥ 1)
 * made exactly; their fraction becomes r·(1/W) (within 2^-52 of r/W) and
 * their bucket its own. Returns the change to the sum of the quotients.
 */
function settle(n: number, withRest: boolean, rest: number, weights: ArrayLike<number>, size: number, nb: number, total: number, error: number): number {
  const parts = PARTS;
  const remainders = REMAINDERS;
  const buckets = BUCKETS;
  const counts = COUNTS;
  const nh = highHalf(n);
  const nl = n - nh;
  const th = highHalf(total);
  const tl = total - th;
  const inverse = 1 / total;
  let change = 0;
  for (let i = 0; i < size; i++) {
    const f = remainders[i] as number;
    const q = parts[i] as number;
    const e = (q + f) * error;
    if (f >= e && f + e < 1) continue;
    const w = withRest ? (i === 0 ? rest : (weights[i - 1] as number)) : (weights[i] as number);
    // q is within one of the true quotient: remainderOf is exact for it, in [−W, 2W).
    const r = remainderOf(n, w, q, total, nh, nl, th, tl);
    const settled = r < 0 ? q - 1 : r >= total ? q + 1 : q;
    const rr = r < 0 ? r + total : r >= total ? r - total : r;
    change += settled - q;
    parts[i] = settled;
    const fraction = rr * inverse;
    remainders[i] = fraction;
    const old = buckets[i] as number;
    counts[old] = (counts[old] as number) - 1;
    const b = (fraction * nb) | 0;
    buckets[i] = b;
    counts[b] = (counts[b] as number) + 1;
  }
  return change;
}

/** The high half of x's Veltkamp split (x = high + low, each half exact in 26 bits): for Dekker's products. */
function highHalf(x: number): number {
  const t = SPLITTER * x;
  return t - (t - x);
}

/** n·w − q·W exactly, for q within one of the exact quotient (so the result is in [−W, 2W)); all below 2^50. */
function remainderOf(n: number, w: number, q: number, total: number, nh: number, nl: number, th: number, tl: number): number {
  // Dekker's two-products, exact for any figures below 2^50 (no shortcut for small products: a branch seldom taken costs the caller's loop its optimised code).
  const p = n * w;
  const wh = highHalf(w);
  const wl = w - wh;
  const pe = nl * wl - (((p - nh * wh) - nl * wh) - nh * wl);
  const tq = q * total;
  const qh = highHalf(q);
  const ql = q - qh;
  const te = ql * tl - (((tq - qh * th) - ql * th) - qh * tl);
  return p - tq + (pe - te);
}

/**
 * The exact split in doubles: every quotient and remainder made exactly
 * (Dekker's two-product where n·w passes 2^52). n and W are the same for
 * every part of a split: their Veltkamp halves and 1/W are made once, and
 * kept in locals (not in memory the stores to the parts could alias).
 */
function splitExact(n: number, withRest: boolean, rest: number, weights: ArrayLike<number>, k: number, total: number): void {
  const size = withRest ? k + 1 : k;
  const parts = PARTS;
  const remainders = REMAINDERS;
  const buckets = BUCKETS;
  const counts = COUNTS;
  const nh = highHalf(n);
  const nl = n - nh;
  const th = highHalf(total);
  const tl = total - th;
  const inverse = 1 / total;
  const scale = size / total;
  counts.fill(0, 0, size);
  let given = 0;
  let at = 0;
  if (withRest) given += quotient(n, rest, total, nh, nl, th, tl, inverse, scale, size, parts, remainders, buckets, at++);
  for (let i = 0; i < k; i++, at++) given += quotient(n, weights[i] as number, total, nh, nl, th, tl, inverse, scale, size, parts, remainders, buckets, at);
  // The buckets counted in a pass of their own: in the loop above, each count waited on the long chain of its remainder.
  for (let i = 0; i < size; i++) counts[buckets[i]!] = counts[buckets[i]!]! + 1;
  spreadLeftover(n - given, size);
}

/**
 * The exact split in doubles alone (no estimates), over weights[0..k): for
 * tests, which read its remainders with `lastRemainders`, and to compare
 * with the estimated split.
 */
export function allocateExactInto(n: number, weights: ArrayLike<number>, k: number, total: number, parts: Float64Array): void {
  splitExact(n, false, 0, weights, k, total);
  parts.set(PARTS.subarray(0, k));
}

/** The estimated split with another error bound (tests: a bound too small must be caught). */
export function allocateEstimatedInto(n: number, weights: ArrayLike<number>, k: number, total: number, parts: Float64Array, error: number): boolean {
  if (!splitEstimated(n, false, 0, weights, k, total, error)) return false;
  parts.set(PARTS.subarray(0, k));
  return true;
}

/** The exact remainders n·w mod W of the last exact split (`allocateExactInto`; for tests: the parts alone can hide a remainder one off, which the leftover units mostly heal). */
export function lastRemainders(k: number): number[] {
  return Array.from(REMAINDERS.subarray(0, k));
}

/**
 * parts[i] = floor(n·w / W), remainders[i] = n·w mod W, exactly (all below
 * 2^50); the remainder's bucket (r·k/W, for the leftover units) noted;
 * returns the quotient. [nh, nl] and [th, tl] are n's and W's Veltkamp halves.
 */
function quotient(
  n: number,
  w: number,
  total: number,
  nh: number,
  nl: number,
  th: number,
  tl: number,
  inverse: number,
  scale: number,
  k: number,
  parts: Float64Array,
  remainders: Float64Array,
  buckets: Int32Array,
  i: number,
): number {
  const p = n * w;
  // p·(1/W) is within 3 units in the last place of n·w/W (< 2^50): the floor is within one of the true quotient
  let q = Math.floor(p * inverse);
  let r: number;
  if (p < 4503599627370496) {
    // below 2^52 the product is exact, and so is q·W (at most p + W < 2^53)
    r = p - q * total;
  } else {
    // n·w = p + pe and q·W = tq + te exactly (Dekker's two-product); q is within one of the true
    // quotient (n·w / W < 2^50), so r = p − tq + (pe − te) is exact: Sterbenz for p − tq, integers below 2^53 otherwise
    const wh = highHalf(w);
    const wl = w - wh;
    const pe = nl * wl - (((p - nh * wh) - nl * wh) - nh * wl);
    const tq = q * total;
    const qh = highHalf(q);
    const ql = q - qh;
    const te = ql * tl - (((tq - qh * th) - ql * th) - qh * tl);
    r = p - tq + (pe - te);
  }
  if (r < 0) {
    q--;
    r += total;
  } else if (r >= total) {
    q++;
    r -= total;
  }
  parts[i] = q;
  remainders[i] = r;
  let bucket = Math.floor(r * scale);
  if (bucket >= k) bucket = k - 1; // cannot happen (r ≤ W − 1 and W < 2^50 keep r·k/W several units in the last place below k): a guard
  buckets[i] = bucket;
  return q;
}

/**
 * The leftover units (fewer than k), one each to the parts with the largest
 * remainders, ties to the earlier part. The parts are in k buckets by r/W
 * (a monotone map, so a higher bucket means a larger remainder; `quotient`
 * filled them): every part above the bucket where the count of units runs
 * out gets one, and that bucket's parts are ranked exactly.
 */
function spreadLeftover(leftover: number, k: number): void {
  if (leftover === 0) return;
  const parts = PARTS;
  const remainders = REMAINDERS;
  const buckets = BUCKETS;
  const counts = COUNTS;
  const order = ORDER;
  let boundary = k - 1;
  let above = 0;
  while (above + (counts[boundary] as number) < leftover) above += counts[boundary--] as number;
  let m = 0;
  for (let i = 0; i < k; i++) {
    const bucket = buckets[i] as number;
    // one unit where bucket > boundary, without a branch (about half the parts take one, at random)
    parts[i] = (parts[i] as number) + ((boundary - bucket) >>> 31);
    if (bucket === boundary) order[m++] = i;
  }
  const need = leftover - above;
  if (need < m) selectFirst(order, m, need, remainders);
  for (let j = 0; j < need; j++) {
    const i = order[j] as number;
    parts[i] = (parts[i] as number) + 1;
  }
}

/** Does part i come before part j: larger remainder, ties to the earlier part. */
function before(r: Float64Array, i: number, j: number): boolean {
  const ri = r[i] as number;
  const rj = r[j] as number;
  return ri > rj || (ri === rj && i < j);
}

/** Rearranges idx[0..k) so that its first `m` entries are the m first parts by `before` (quickselect; the order is strict, so the set is exact). */
function selectFirst(idx: Int32Array, k: number, m: number, r: Float64Array): void {
  let lo = 0;
  let hi = k - 1;
  const target = m - 1;
  while (lo < hi) {
    const pivot = idx[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (before(r, idx[i] as number, pivot)) i++;
      while (before(r, pivot, idx[j] as number)) j--;
      if (i <= j) {
        const t = idx[i] as number;
        idx[i] = idx[j] as number;
        idx[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return;
  }
}

/** The BigInt path, for amounts of 2^50 minor units and more. */
export function allocateBig(n: bigint, weights: readonly bigint[], total: bigint): bigint[] {
  const k = weights.length;
  const parts = new Array<bigint>(k);
  const remainders = new Array<bigint>(k);
  let given = 0n;
  for (let i = 0; i < k; i++) {
    const product = n * (weights[i] as bigint);
    const q = product / total;
    parts[i] = q;
    remainders[i] = product - q * total;
    given += q;
  }
  let leftover = Number(n - given); // always < k
  if (leftover > 0) {
    const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => {
      const rx = remainders[x] as bigint;
      const ry = remainders[y] as bigint;
      return rx > ry ? -1 : rx < ry ? 1 : x - y;
    });
    for (let j = 0; leftover > 0; j++, leftover--) {
      const i = order[j] as number;
      parts[i] = (parts[i] as bigint) + 1n;
    }
  }
  return parts;
}
