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

/** The rounding error of a*b: a·b = fl(a·b) + twoProductError(a, b, fl(a·b)) exactly. */
function twoProductError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return al * bl - (((p - ah * bh) - al * bh) - ah * bl);
}

/**
 * floor(n·w / W) and n·w mod W, exactly, for non-negative integers below 2^50
 * (W > 0). Writes them to out[0], out[1].
 */
function mulDivMod(n: number, w: number, total: number, out: Float64Array): void {
  const p = n * w;
  if (p < 4503599627370496) {
    // below 2^52 the product is exact, and so is q·W (at most p + W < 2^53)
    const q = Math.floor(p / total);
    let r = p - q * total;
    let qq = q;
    if (r < 0) {
      qq--;
      r += total;
    } else if (r >= total) {
      qq++;
      r -= total;
    }
    out[0] = qq;
    out[1] = r;
    return;
  }
  const pe = twoProductError(n, w, p); // n·w = p + pe
  let q = Math.floor(p / total); // within one of the true quotient (n·w / W < 2^50)
  const t = q * total;
  const te = twoProductError(q, total, t); // q·W = t + te
  let r = p - t + (pe - te); // exact: Sterbenz for p − t, integers below 2^53 otherwise
  if (r < 0) {
    q--;
    r += total;
  } else if (r >= total) {
    q++;
    r -= total;
  }
  out[0] = q;
  out[1] = r;
}

const scratch = new Float64Array(2);

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

/** Remainders of the double path, reused from call to call (grown when needed). */
let remainders = new Float64Array(64);

/** The double path: every input an integer below 2^50, `total` their sum. */
export function allocateSafe(n: number, weights: readonly number[], total: number): number[] {
  const parts = new Array<number>(weights.length);
  allocateSafeInto(n, weights, weights.length, total, parts);
  return parts;
}

/** The double path over the first `k` weights (sum `total`) into parts[0..k): allocates nothing (the pro-rata trace's hot path). */
export function allocateSafeInto(n: number, weights: ArrayLike<number>, k: number, total: number, parts: number[]): void {
  if (remainders.length < k) remainders = new Float64Array(2 * k);
  let given = 0;
  for (let i = 0; i < k; i++) {
    const w = weights[i] as number;
    if (w === 0) {
      parts[i] = 0;
      remainders[i] = 0;
      continue;
    }
    mulDivMod(n, w, total, scratch);
    parts[i] = scratch[0] as number;
    remainders[i] = scratch[1] as number;
    given += scratch[0] as number;
  }
  let leftover = n - given; // always < k
  if (leftover <= 4) {
    while (leftover > 0) {
      // the largest remainder not yet served, ties to the earlier part
      let best = -1;
      for (let i = 0; i < k; i++) if (remainders[i] as number >= 0 && (best < 0 || (remainders[i] as number) > (remainders[best] as number))) best = i;
      parts[best] = (parts[best] as number) + 1;
      remainders[best] = -1;
      leftover--;
    }
    return;
  }
  // Many units left over: select the `leftover` first parts by (remainder descending, index ascending)
  // in linear time (a scan per unit would make a split of k parts cost k^2).
  if (order.length < k) order = new Int32Array(2 * k);
  for (let i = 0; i < k; i++) order[i] = i;
  selectFirst(order, k, leftover, remainders);
  for (let j = 0; j < leftover; j++) {
    const i = order[j] as number;
    parts[i] = (parts[i] as number) + 1;
  }
}

/** Scratch: part indices, for the selection. */
let order = new Int32Array(64);

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
