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

/** The deal of a stake key ('' for a stake without one). */
export function dealOf(key: string): string {
  const hash = key.indexOf('#');
  return hash < 0 ? '' : key.slice(hash + 1);
}

/**
 * Money in one view: the rest (not this investor's) and the investor's
 * stakes, keys sorted. `amounts` never holds a zero. `A` is the trace's
 * integer type (see arith.ts).
 */
export interface Parts<A> {
  rest: A;
  keys: string[];
  amounts: A[];
}
