/**
 * SPEC §3.1: `allocate(n, w1..wk)` splits the whole number n into k parts
 * proportional to the weights, by largest remainder: q_i = floor(n·w_i / W),
 * r_i = n·w_i mod W; the leftover n − Σq_i units go one each to the parts with
 * the largest r_i, ties to the earlier part. The parts always sum to n exactly.
 */
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
