/** SPEC §3.1 stakes: `investor>investee`, or `investor>investee#deal`. */
export interface Stake {
  readonly key: string;
  readonly investor: string;
  readonly investee: string;
  readonly deal: string;
}

export function stakeKey(investor: string, investee: string, deal: string): string {
  return deal === '' ? `${investor}>${investee}` : `${investor}>${investee}#${deal}`;
}

/** Stakes are ordered by key, comparing code units. */
export function compareKeys(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Money in one view: the rest (not this investor's) and the investor's
 * stakes, keys sorted. `stakes` never holds a zero amount.
 */
export interface Parts {
  rest: bigint;
  keys: string[];
  amounts: bigint[];
}

export function partsTotal(parts: Parts): bigint {
  let total = parts.rest;
  for (const a of parts.amounts) total += a;
  return total;
}
