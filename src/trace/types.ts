/**
 * The trace's types, shared by the entry point (trace.ts), the engines
 * (flat.ts with engine.ts, general.ts) and the reports. No code.
 */
import type { Exception, Kind, Row, Transfer } from '../model.js';
import type { Method } from './methods.js';
import type { Stake } from './stake.js';

export interface TraceOptions {
  readonly method: Method;
  readonly earmark: boolean;
  readonly minorDigits: number;
  /** Called for the transfers it selects, with the pool before the draw and the money in motion (audit --id). */
  readonly observe?: { wants(t: Transfer): boolean; seen(detail: TransferDetail): void };
  /** Called every few thousand transfers with how many are done (a progress display). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A returning stake: money that came back to its investor (SPEC §3.2 step 4). */
export interface Returning {
  readonly transfer: Transfer;
  /** The receiving company (the investor). */
  readonly company: string;
  /** The payee's row, null where the payee never recorded the receipt. */
  readonly row: Row | null;
  /** The row cited in reports: the payee's row, else the payer's. */
  readonly cited: Row;
  readonly kind: Kind;
  readonly category: string;
  readonly stake: Stake;
  readonly amount: bigint;
  /** How many investment transfers had created this stake when the money came back (audit trail). */
  readonly origins: number;
}

/**
 * The returning stakes of a run, held compactly: a run can bring millions
 * home, so they are a list over columns (the flat engine), over an array
 * (the general engine), or over an Int32Array of indices into another list
 * (report order, one period). `at` makes a short-lived object; the loops over
 * every stake read a stake's transfer, stake and amount without one.
 */
export interface ReturningList extends Iterable<Returning> {
  readonly length: number;
  /** The `i`-th returning stake (0 ≤ i < length). */
  at(i: number): Returning;
  /** `at(i).transfer`, `at(i).stake`, `at(i).amount`, without making the object. */
  transferAt(i: number): Transfer;
  stakeAt(i: number): Stake;
  amountAt(i: number): bigint;
  /** The amount as an exact double, NaN where it passes Number.MAX_SAFE_INTEGER (then `amountAt` has it): sums over millions of stakes without a BigInt each. */
  minorAt(i: number): number;
}

export interface CompanyBooks {
  received: bigint;
  paid: bigint;
  unfunded: bigint;
  balance: bigint;
}

export interface ViewSnapshot {
  readonly investor: string;
  readonly rest: bigint;
  readonly keys: readonly string[];
  readonly amounts: readonly bigint[];
}

export interface TransferDetail {
  readonly transfer: Transfer;
  readonly order: number;
  /** The payer's balance before the draw (0 for an external payer). */
  readonly balanceBefore: bigint;
  /** The payer's pool before the draw, in every view holding stakes. */
  readonly before: readonly ViewSnapshot[];
  /** What the outflow drew, per view holding stakes (before the invest and rescale steps). */
  readonly drawn: readonly ViewSnapshot[];
  /** The money that arrived (after invest and rescale), per view holding stakes. */
  readonly arrived: readonly ViewSnapshot[];
  readonly unfunded: bigint;
  readonly returning: readonly Returning[];
}

export interface TraceResult {
  readonly method: Method;
  readonly earmark: boolean;
  /** Returning money per transfer index (the circular part of a revenue receipt). */
  readonly returnedByTransfer: readonly bigint[];
  /** Every returning stake, in processing order. */
  readonly returning: ReturningList;
  readonly unfunded: readonly Exception[];
  readonly books: ReadonlyMap<string, CompanyBooks>;
  /** The investment transfers that created each stake, in processing order. */
  readonly origins: ReadonlyMap<string, readonly Transfer[]>;
  /** Problems found in the views' own books at the end (empty when they balance). */
  readonly viewProblems: readonly string[];
  /**
   * The size of the state at the end: views held (a pool seen by an investor
   * holding stakes in it), stake figures in them, and lots (fifo/lifo). The
   * first two are bounded by pools × stakes, whatever the length of history.
   */
  readonly state: { readonly views: number; readonly stakeFigures: number; readonly lots: number };
  /** Transfers in processing order. */
  readonly order: readonly Transfer[];
  /** The engine that traced. */
  readonly engine: TraceEngine;
}

/**
 * Which engine traced (trace.ts chooses it in one place): the flat engine
 * (every method, doubles or BigInt per split and per pool) or the general
 * one (audit --id, which reports every step), in how many threads, and how
 * much of the work needed BigInt.
 */
export interface TraceEngine {
  readonly name: 'flat' | 'general';
  /** Threads that traced (1: this thread). */
  readonly threads: number;
  /** The general engine: its arithmetic for the whole run. */
  readonly arithmetic: 'doubles' | 'bigint' | 'per split';
  /** The flat engine: transfers handed to pools in BigInt, and splits whose figures reached 2^50. */
  readonly bigTransfers: number;
  readonly bigSplits: number;
  /** The flat engine: draws from pools seen by some investor (per view), and the stake parts they touched. */
  readonly draws: number;
  readonly outflows: number;
  readonly parts: number;
}

/** The engine in a few words, the same whatever the number of threads (manifest.json). */
export function engineLabel(e: TraceEngine): string {
  if (e.name === 'general') return `general, ${e.arithmetic === 'bigint' ? 'BigInt' : 'doubles'}`;
  if (e.bigTransfers === 0 && e.bigSplits === 0) return 'flat, doubles';
  return `flat, doubles; BigInt for ${e.bigTransfers} transfer${e.bigTransfers === 1 ? '' : 's'} and ${e.bigSplits} split${e.bigSplits === 1 ? '' : 's'}`;
}
