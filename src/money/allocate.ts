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

/**
 * Scratch of the double path, reused from call to call (grown when needed):
 * each part's remainder and bucket, the buckets' counts, part indices.
 */
const scratch = {
  remainders: new Float64Array(64),
  buckets: new Int32Array(64),
  counts: new Int32Array(64),
  order: new Int32Array(64),
};

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
 * The double path over [rest (when `withRest`), weights[0..k)] into parts.
 * n and W are the same for every part of a split: their Veltkamp halves and
 * 1/W are made once, and kept in locals (not in memory the stores to the
 * parts could alias).
 */
function splitDoubles(n: number, withRest: boolean, rest: number, weights: ArrayLike<number>, k: number, total: number, parts: Float64Array): void {
  const size = withRest ? k + 1 : k;
  if (scratch.remainders.length < size) grow(size);
  const { remainders, buckets, counts } = scratch;
  let t = SPLITTER * n;
  const nh = t - (t - n);
  const nl = n - nh;
  t = SPLITTER * total;
  const th = t - (t - total);
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
  spreadLeftover(n - given, size, parts);
}

/** The exact remainders n·w mod W of the last split in doubles (for tests: the parts alone can hide a remainder one off, which the leftover units mostly heal). */
export function lastRemainders(k: number): number[] {
  return Array.from(scratch.remainders.subarray(0, k));
}

function grow(k: number): void {
  scratch.remainders = new Float64Array(2 * k);
  scratch.buckets = new Int32Array(2 * k);
  scratch.counts = new Int32Array(2 * k);
  scratch.order = new Int32Array(2 * k);
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
    let t = SPLITTER * w;
    const wh = t - (t - w);
    const wl = w - wh;
    const pe = nl * wl - (((p - nh * wh) - nl * wh) - nh * wl);
    const tq = q * total;
    t = SPLITTER * q;
    const qh = t - (t - q);
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
function spreadLeftover(leftover: number, k: number, parts: Float64Array): void {
  if (leftover === 0) return;
  const { remainders, buckets, counts, order } = scratch;
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
