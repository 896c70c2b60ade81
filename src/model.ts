/** Plain data passed between the stages of the pipeline. */

export type Direction = 'in' | 'out';
export type Kind = 'investment' | 'revenue' | 'purchase' | 'other';
/** Every kind, in the order of the spec (and of the packed code in load/row-table.ts). */
export const KINDS: readonly Kind[] = ['investment', 'revenue', 'purchase', 'other'];

/** One validated ledger row. */
export interface Row {
  /** The company whose ledger holds the row. */
  readonly company: string;
  /** The ledger file's name (no folder), as cited in `source`. */
  readonly file: string;
  /** 1-based physical line of the record's first line. */
  readonly line: number;
  /**
   * Position in (file name, line) order over the whole run. Within one
   * company this is its row order (SPEC §1); across companies it is the
   * cited-row order of SPEC §7. Equal to the row's index in `Ledgers.rows`.
   */
  readonly seq: number;
  readonly id: string;
  readonly date: string;
  /** The date part, `YYYY-MM-DD`. */
  readonly day: string;
  /** Seconds since 0000-01-01 (a date without time is 00:00:00). */
  readonly ts: number;
  readonly direction: Direction;
  readonly counterparty: string;
  readonly kind: Kind;
  readonly category: string;
  /** Integer minor units. */
  readonly amount: bigint;
  readonly currency: string;
  readonly ref: string;
  readonly deal: string;
  readonly memo: string;
  /** How the amount was converted into the reporting currency (SPEC §8); absent for a row in it. */
  readonly conversion?: Conversion | undefined;
}

/** One ledger file as read. */
export interface LedgerFile {
  readonly name: string;
  /** The path as the user would type it (ledgers dir joined with the name). */
  readonly path: string;
  readonly company: string;
  /** SPEC §10: an export read through rules, or the rules file itself; absent for a §1 ledger. */
  readonly kind?: 'export' | 'rules';
  /** An export's rules file (its name). */
  readonly rules?: string;
  readonly sha256: string;
  /** Rows read from the file (a rules file: the rows read through it). */
  readonly rows: number;
}

export interface Ledgers {
  /** Company ids, sorted. */
  readonly companies: readonly string[];
  readonly files: readonly LedgerFile[];
  /** Every row in seq order. */
  readonly rows: readonly Row[];
  /** The run's currency ('' when there are no rows). */
  readonly currency: string;
  readonly minorDigits: number;
  /** The declared holdings (SPEC §9), when an ownership file was read. */
  readonly ownership?: Ownership;
  /** Present when a rates file was read (SPEC §8). */
  readonly fx?: CurrencyInfo | undefined;
}

/** One declared holding (SPEC §9): from `day` on, `holder` owns `percent` of `held`, until the pair's next row. */
export interface Holding {
  /** `YYYY-MM-DD`. */
  readonly day: string;
  readonly holder: string;
  readonly held: string;
  /** The percent in hundredths (27.00 → 2700), 0 to 10000; 0 ends the holding. */
  readonly hundredths: number;
  /** 1-based physical line in the ownership file. */
  readonly line: number;
}

/** The ownership file of a run (`_ownership.csv` in the ledger folder or `--ownership FILE`). */
export interface Ownership {
  /** As listed in manifest.json: the file's name without its folder (`_ownership.csv`, or the name of the file given to --ownership), so the same input gives the same bytes wherever it lies. */
  readonly name: string;
  /** The path as the user would type it (for messages). */
  readonly path: string;
  readonly sha256: string;
  readonly rows: number;
  /** In file order. */
  readonly holdings: readonly Holding[];
}

export type MatchStatus = 'yes' | 'no' | 'external';

/**
 * One movement of money (SPEC §2): both sides of an intercompany transfer,
 * one side of an unmatched one, or a row with an external party.
 */
export interface Transfer {
  /** Index in the matched transfer list (stable). */
  readonly index: number;
  readonly payer: string;
  readonly payee: string;
  readonly payerIsLedger: boolean;
  readonly payeeIsLedger: boolean;
  readonly payerRow: Row | null;
  readonly payeeRow: Row | null;
  /** The kind on the payer side: its row's, or the complement of the payee's. */
  readonly payerKind: Kind;
  /** The kind on the payee side: its row's, or the complement of the payer's. */
  readonly payeeKind: Kind;
  /** What leaves the payer. */
  readonly a: bigint;
  /** What arrives at the payee. */
  readonly b: bigint;
  /** SPEC §3.2: the payer's row where the payer recorded it, else the payee's. */
  readonly primary: Row;
  readonly matched: MatchStatus;
  /** The deal that earmarks the outflow (SPEC §3.4), '' for none. */
  readonly earmark: string;
  /** The deal a stake created by this transfer carries (SPEC §3.1), '' for none. */
  readonly stakeDeal: string;
}

export const EXCEPTION_CODES = [
  'unmatched',
  'amount_mismatch',
  'fx_difference',
  'date_mismatch',
  'kind_mismatch',
  'category_mismatch',
  'unfunded',
  'lookalike_counterparty',
] as const;
export type ExceptionCode = (typeof EXCEPTION_CODES)[number];

export interface Exception {
  readonly code: ExceptionCode;
  readonly company: string;
  /** '' where the company recorded no row. */
  readonly id: string;
  /** The row the exception is reported on (its date, source and sort position). */
  readonly row: Row;
  readonly counterparty: string;
  readonly amount: bigint;
  readonly counterpartyRow: Row | null;
  readonly detail: string;
}

export function complementKind(kind: Kind): Kind {
  switch (kind) {
    case 'revenue':
      return 'purchase';
    case 'purchase':
      return 'revenue';
    default:
      return kind;
  }
}

export function source(row: Row): string {
  return `${row.file}:${row.line}`;
}

/** One row of a rates file (SPEC §8), as validated. */
export interface RateRow {
  /** 1-based physical line in the rates file. */
  readonly line: number;
  /** `YYYY-MM-DD`: the rate applies from this day on. */
  readonly date: string;
  readonly from: string;
  readonly to: string;
  /** The rate as written (`1.0850`). */
  readonly rate: string;
}

/** How a row not in the reporting currency was converted (SPEC §8). */
export interface Conversion {
  /** The amount as written, in minor units of `currency`. */
  readonly amount: bigint;
  readonly currency: string;
  readonly rate: RateRow;
  /** Used inverse (a rate from the reporting currency to `currency`: divided by). */
  readonly inverse: boolean;
  /** The rates file's name, for `file:line` sources (`_rates.csv`). */
  readonly ratesFile: string;
}

/** The currencies of a run that read a rates file: the file, and what was converted with it. */
export interface CurrencyInfo {
  readonly ratesFile: { readonly name: string; readonly path: string; readonly sha256: string; readonly rows: number };
  /** Per currency converted, by code: rows converted and the rate rows used (in file order). */
  readonly converted: readonly { readonly currency: string; readonly rows: number; readonly rates: readonly RateRow[] }[];
}
