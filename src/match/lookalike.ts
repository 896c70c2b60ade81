/**
 * SPEC §2/§7 lookalike counterparties: an external name that, normalised
 * (Unicode lower case, spaces and "_" turned into "-"), equals a company id
 * or is one edit (insert, delete, substitute; counted in code points) from
 * one with 5 or more characters. An exact match wins; among several
 * companies, the first by id.
 */

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[ _]/g, '-');
}

/** Exactly one insert, delete or substitution apart (code point sequences). */
export function oneEditApart(a: readonly string[] | string, b: readonly string[] | string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let diff = 0;
    for (let i = 0; i < la && diff < 2; i++) if (a[i] !== b[i]) diff++;
    return diff === 1;
  }
  if (Math.abs(la - lb) !== 1) return false;
  const [long, short] = la > lb ? [a, b] : [b, a];
  let i = 0;
  let j = 0;
  let skipped = false;
  while (i < long.length && j < short.length) {
    if (long[i] === short[j]) {
      i++;
      j++;
    } else if (skipped) return false;
    else {
      skipped = true;
      i++;
    }
  }
  return true;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Returns a function naming the company an external name looks like, or undefined. Memoised per name. */
export function lookalikeFinder(companies: readonly string[]): (name: string) => string | undefined {
  const normalised = [...companies].sort().map((id) => ({ id, norm: normaliseName(id) }));
  const byNorm = new Map<string, string>();
  for (const c of normalised) if (!byNorm.has(c.norm)) byNorm.set(c.norm, c.id);
  const long = normalised.filter((c) => c.id.length >= 5);
  const cache = new Map<string, string | undefined>();
  return (name) => {
    const cached = cache.get(name);
    if (cached !== undefined || cache.has(name)) return cached;
    const norm = normaliseName(name);
    let found = byNorm.get(norm);
    if (found === undefined) {
      const units = SURROGATE.test(norm) ? Array.from(norm) : norm;
      found = long.find((c) => oneEditApart(units, c.norm))?.id;
    }
    cache.set(name, found);
    return found;
  };
}
