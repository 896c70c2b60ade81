/**
 * Returning stakes: as small objects (the general engine), in columns (the
 * flat engine), and the lists the reports read (types.ts `ReturningList`):
 * over an array, over the columns, or picked from another list by an
 * Int32Array of indices (report order, one period). What a returning stake
 * tells of its transfer is read from the transfer.
 */
import { complementKind, type Kind, type Row, type Transfer } from '../model.js';
import type { Stake } from './stake.js';
import type { Returning, ReturningList } from './types.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The sum of a list's amounts: in doubles while exact, carried into BigInt before a double would pass Number.MAX_SAFE_INTEGER. */
export function totalOf(list: ReturningList): bigint {
  let small = 0;
  let big = 0n;
  for (let i = 0; i < list.length; i++) {
    const x = list.minorAt(i);
    if (x !== x) big += list.amountAt(i);
    else if (small + x <= Number.MAX_SAFE_INTEGER) small += x;
    else {
      big += BigInt(small);
      small = x;
    }
  }
  return big + BigInt(small);
}

/** A list's stakes one by one, as `at` makes them. */
function* each(list: ReturningList): Generator<Returning> {
  for (let i = 0; i < list.length; i++) yield list.at(i);
}

/** The list of an array of returning stakes (the general engine's, tests'). */
export class ReturningArray implements ReturningList {
  constructor(private readonly items: readonly Returning[]) {}
  get length(): number {
    return this.items.length;
  }
  at(i: number): Returning {
    return this.items[i]!;
  }
  transferAt(i: number): Transfer {
    return this.items[i]!.transfer;
  }
  stakeAt(i: number): Stake {
    return this.items[i]!.stake;
  }
  amountAt(i: number): bigint {
    return this.items[i]!.amount;
  }
  minorAt(i: number): number {
    const x = this.items[i]!.amount;
    return x <= SAFE ? Number(x) : Number.NaN;
  }
  [Symbol.iterator](): Iterator<Returning> {
    return this.items[Symbol.iterator]();
  }
}

/**
 * Some stakes of a list, in a given order: `index[k]` is the position in
 * `base` of the k-th. Picking from a picked list picks from its base (one
 * level of indirection, whatever the number of picks).
 */
export class ReturningPicked implements ReturningList {
  private readonly base: ReturningList;
  private readonly index: Int32Array;
  constructor(base: ReturningList, index: Int32Array) {
    if (base instanceof ReturningPicked) {
      const composed = new Int32Array(index.length);
      for (let k = 0; k < index.length; k++) composed[k] = base.index[index[k]!]!;
      this.base = base.base;
      this.index = composed;
    } else {
      this.base = base;
      this.index = index;
    }
  }
  get length(): number {
    return this.index.length;
  }
  at(i: number): Returning {
    return this.base.at(this.index[i]!);
  }
  transferAt(i: number): Transfer {
    return this.base.transferAt(this.index[i]!);
  }
  stakeAt(i: number): Stake {
    return this.base.stakeAt(this.index[i]!);
  }
  amountAt(i: number): bigint {
    return this.base.amountAt(this.index[i]!);
  }
  minorAt(i: number): number {
    return this.base.minorAt(this.index[i]!);
  }
  [Symbol.iterator](): Iterator<Returning> {
    return each(this);
  }
}

export class ReturningStake implements Returning {
  /**
   * `minor`: the amount in minor units, a number in the double trace (an
   * exact integer below 2^50: a BigInt for each of a million returning
   * stakes would cost 24 bytes more each) or a BigInt.
   */
  constructor(
    readonly transfer: Transfer,
    readonly stake: Stake,
    private readonly minor: number | bigint,
    readonly origins: number,
  ) {}
  get amount(): bigint {
    const x = this.minor;
    return typeof x === 'bigint' ? x : BigInt(x);
  }
  get company(): string {
    return this.transfer.payee;
  }
  get row(): Row | null {
    return this.transfer.payeeRow;
  }
  get cited(): Row {
    return this.transfer.payeeRow ?? (this.transfer.payerRow as Row);
  }
  get kind(): Kind {
    return this.transfer.payeeRow?.kind ?? complementKind(this.transfer.payerKind);
  }
  get category(): string {
    return this.cited.category;
  }
}

/**
 * The flat engine's returning stakes, in columns (processing order): a
 * million returning stakes are a few typed arrays (20 bytes a stake), read
 * as a list by `ColumnList`.
 */
export class ReturningColumns {
  constructor(
    /** Transfers in processing order. */
    readonly order: readonly Transfer[],
    /** Stakes by number. */
    readonly stakes: readonly Stake[],
    readonly position: Int32Array,
    readonly stake: Int32Array,
    /** Exact doubles; NaN where the amount is in `big` (by index). */
    readonly amount: Float64Array,
    readonly origins: Int32Array,
    readonly big: ReadonlyMap<number, bigint>,
  ) {}
}

/**
 * The list of the flat engine's columns: each `Returning` made by `at` is a
 * short-lived two-field object pointing into them (the columns themselves
 * are not iterable, so two such objects compare by their index alone).
 */
export class ColumnList implements ReturningList {
  constructor(private readonly table: ReturningColumns) {}
  get length(): number {
    return this.table.position.length;
  }
  at(i: number): Returning {
    return new ReturningAt(this.table, i);
  }
  transferAt(i: number): Transfer {
    return this.table.order[this.table.position[i]!]!;
  }
  stakeAt(i: number): Stake {
    return this.table.stakes[this.table.stake[i]!]!;
  }
  amountAt(i: number): bigint {
    const x = this.table.amount[i]!;
    return x === x ? BigInt(x) : this.table.big.get(i)!;
  }
  minorAt(i: number): number {
    return this.table.amount[i]!;
  }
  [Symbol.iterator](): Iterator<Returning> {
    return each(this);
  }
}

export class ReturningAt implements Returning {
  constructor(
    private readonly table: ReturningColumns,
    private readonly i: number,
  ) {}
  get transfer(): Transfer {
    return this.table.order[this.table.position[this.i]!]!;
  }
  get stake(): Stake {
    return this.table.stakes[this.table.stake[this.i]!]!;
  }
  get amount(): bigint {
    const x = this.table.amount[this.i]!;
    return x === x ? BigInt(x) : this.table.big.get(this.i)!;
  }
  get origins(): number {
    return this.table.origins[this.i]!;
  }
  get company(): string {
    return this.transfer.payee;
  }
  get row(): Row | null {
    return this.transfer.payeeRow;
  }
  get cited(): Row {
    const t = this.transfer;
    return t.payeeRow ?? (t.payerRow as Row);
  }
  get kind(): Kind {
    const t = this.transfer;
    return t.payeeRow?.kind ?? complementKind(t.payerKind);
  }
  get category(): string {
    return this.cited.category;
  }
}

/**
 * Lists laid end to end: the stakes of the first, then those of the second…
 * (the threads' outputs, read in processing order through a pick).
 */
export class ConcatList implements ReturningList {
  private readonly starts: Int32Array;
  readonly length: number;
  constructor(private readonly lists: readonly ReturningList[]) {
    this.starts = new Int32Array(lists.length);
    let n = 0;
    lists.forEach((l, k) => {
      this.starts[k] = n;
      n += l.length;
    });
    this.length = n;
  }
  /** The list holding stake `i` (the last whose start is at most `i`). */
  private which(i: number): number {
    let k = this.starts.length - 1;
    while (this.starts[k]! > i) k--;
    return k;
  }
  at(i: number): Returning {
    const k = this.which(i);
    return this.lists[k]!.at(i - this.starts[k]!);
  }
  transferAt(i: number): Transfer {
    const k = this.which(i);
    return this.lists[k]!.transferAt(i - this.starts[k]!);
  }
  stakeAt(i: number): Stake {
    const k = this.which(i);
    return this.lists[k]!.stakeAt(i - this.starts[k]!);
  }
  amountAt(i: number): bigint {
    const k = this.which(i);
    return this.lists[k]!.amountAt(i - this.starts[k]!);
  }
  minorAt(i: number): number {
    const k = this.which(i);
    return this.lists[k]!.minorAt(i - this.starts[k]!);
  }
  [Symbol.iterator](): Iterator<Returning> {
    return each(this);
  }
}
