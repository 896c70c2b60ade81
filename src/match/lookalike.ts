/**
 * SPEC §2/§7 lookalike counterparties: an external name that, normalised
 * (Unicode lower case, spaces and "_" turned into "-"), equals a company id
 * or is one edit from one with 5 or more characters.
 */
import { editDistance } from '../load/suggest.js';

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[ _]/g, '-');
}

/** Returns a function naming the company an external name looks like, or undefined. Memoised per name. */
export function lookalikeFinder(companies: readonly string[]): (name: string) => string | undefined {
  const normalised = companies.map((id) => ({ id, norm: normaliseName(id), length: Array.from(id).length }));
  const cache = new Map<string, string | undefined>();
  return (name) => {
    if (cache.has(name)) return cache.get(name);
    const norm = normaliseName(name);
    let found: string | undefined = normalised.find((c) => c.norm === norm)?.id;
    if (found === undefined) found = normalised.find((c) => c.length >= 5 && editDistance(norm, c.norm, 1) === 1)?.id;
    cache.set(name, found);
    return found;
  };
}
