/** Edit distance helpers for "did you mean" hints and lookalike names. */

/** Levenshtein distance over code points, stopping early above `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const x = Array.from(a);
  const y = Array.from(b);
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      current.push(value);
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[y.length] as number;
}

/**
 * The candidate closest to `word` (the first of the closest), if it is near
 * enough to be a likely typo: one edit for words of up to four characters,
 * two for longer ones. Case, spaces and the BOM are ignored.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.replace(/^\uFEFF/, '').trim().toLowerCase();
  if (w === '') return undefined;
  const exact = candidates.find((c) => c === w);
  if (exact !== undefined) return exact;
  const limit = Array.from(w).length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(w, candidate, limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * "did you mean" for a header name: a usual synonym (`aliases`, by the name
 * without BOM, spaces and case; only the table's own entries, so a header
 * named `constructor` is no synonym) or a near-miss spelling of a column.
 */
export function guessColumn<C extends string>(name: string, aliases: Readonly<Record<string, C>>, columns: readonly C[]): C | undefined {
  const key = name.replace(/^\uFEFF/, '').trim().toLowerCase();
  return (Object.hasOwn(aliases, key) ? aliases[key] : undefined) ?? (closest(key, columns) as C | undefined);
}
