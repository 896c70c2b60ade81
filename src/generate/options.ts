/** The options of `roundtrip generate` and their checks. */

export interface GenerateOptions {
  /** Number of ledger companies, 1..MAX_COMPANIES. */
  readonly companies: number;
  /** Number of transfers (intercompany transfers and external rows), 1..MAX_TRANSFERS; opening balances come on top. */
  readonly transfers: number;
  /** Any non-negative safe integer. */
  readonly seed: number;
  /**
   * `volume` (the default): a handful of deals drive the loops, so the stakes
   * stay in the tens at any size. `portfolio`: every third company invests,
   * in any other, investments are about a tenth of intercompany transfers and
   * most carry a deal of their own, so the stakes grow with the set; amounts
   * are those of real contracts (`scale` 3 unless given), and a few treasury
   * sweeps move amounts at the 15-digit limit in and out of a company.
   */
  readonly profile?: Profile;
  /** Amounts times 10^scale (0 to MAX_SCALE): 3 gives billions where 0 gives millions. Default 0 (volume), 3 (portfolio). */
  readonly scale?: number;
}

export const PROFILES = ['volume', 'portfolio'] as const;
export type Profile = (typeof PROFILES)[number];
export const MAX_SCALE = 4;
export const MAX_COMPANIES = 10_000;
export const MAX_TRANSFERS = 100_000_000;

/** Returns what is wrong with the options, or undefined when they are usable. */
export function validateGenerateOptions(options: GenerateOptions): string | undefined {
  const { companies, transfers, seed, profile, scale } = options;
  if (profile !== undefined && !(PROFILES as readonly string[]).includes(profile)) return `--profile must be one of ${PROFILES.join(', ')} (got ${String(profile)})`;
  if (scale !== undefined && (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE)) return `--scale must be a whole number from 0 to ${MAX_SCALE} (got ${String(scale)})`;
  for (const [name, value] of [['companies', companies], ['transfers', transfers]] as const) {
    if ((value as number | undefined) === undefined) return `--${name} is required`;
  }
  if (!Number.isInteger(companies) || companies < 1 || companies > MAX_COMPANIES)
    return `--companies must be a whole number from 1 to ${MAX_COMPANIES} (got ${String(companies)})`;
  if (!Number.isInteger(transfers) || transfers < 1 || transfers > MAX_TRANSFERS)
    return `--transfers must be a whole number from 1 to ${MAX_TRANSFERS} (got ${String(transfers)})`;
  if (!Number.isSafeInteger(seed) || seed < 0) return `--seed must be a whole number, 0 or more (got ${String(seed)})`;
  return undefined;
}

