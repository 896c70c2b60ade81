/**
 * The generator's own shapes: the companies it simulates, the transfers it
 * plans, and a ledger line before it becomes CSV text (`LedgerLine`; the
 * model's `Row` is a ledger row as read, a different thing).
 */
import type { Direction, Kind } from '../model.js';

export type { Direction } from '../model.js';
/** A ledger line's kind: the model's kinds. */
export type LineKind = Kind;

/** Categories companies sell; `cloud` and `chips` are the headline ones. */
export const CATEGORIES = ['cloud', 'chips', 'api', 'storage', 'networking', 'consulting'] as const;

/** A payer needs at least this much (cents) for an ordinary outflow. */
export const MIN_FUNDS = 100_000;

/** One ledger line, before it is written. */
export interface LedgerLine {
  readonly time: number;
  readonly dateOnly: boolean;
  readonly direction: Direction;
  readonly counterparty: string;
  readonly kind: LineKind;
  readonly category: string;
  /** Cents, or the amount as written (past what a double holds). */
  readonly amount: number | string;
  readonly ref: string;
  readonly deal: string;
  readonly memo: string;
}

/** Lines are built in one place so that they all share one object shape (fast property access). */
export function line(time: number, dateOnly: boolean, direction: Direction, counterparty: string, kind: LineKind, category: string, amount: number | string, ref: string, deal: string, memo: string): LedgerLine {
  return { time, dateOnly, direction, counterparty, kind, category, amount, ref, deal, memo };
}

export interface FileState {
  readonly name: string;
  buffer: string;
}

export interface Company {
  readonly id: string;
  readonly index: number;
  readonly sells: readonly string[];
  readonly files: readonly FileState[];
  readonly eol: string;
  /** The companies this one invests in (investors only; a few each, so stakes stay few). */
  readonly investees: Company[];
  /** Traced balance in cents (SPEC §3.2), never negative. */
  balance: number;
  rowSeq: number;
  /** Lines dated later than now (date_mismatch payee lines), sorted by time. */
  readonly deferred: LedgerLine[];
}

export interface Plan {
  readonly payer: Company;
  readonly payee: Company;
  readonly category: string;
  readonly deal: string;
  readonly amount: number;
  readonly memo: string;
}

export interface TransferSpec {
  readonly payer: Company;
  readonly payee: Company;
  readonly payerKind: LineKind;
  readonly payeeKind: LineKind;
  readonly payerCategory: string;
  readonly payeeCategory: string;
  readonly amount: number;
  readonly payeeAmount: number;
  readonly ref: string;
  readonly deal: string;
  readonly memo: string;
  readonly payeeShiftDays: number;
  readonly record: 'both' | 'payer' | 'payee';
}
