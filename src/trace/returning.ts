/** A returning stake as a small object: what it tells of the transfer is read from the transfer. */
import { complementKind, type Kind, type Row, type Transfer } from '../model.js';
import type { Stake } from './stake.js';
import type { Returning } from './types.js';

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
 * million returning stakes are a few typed arrays, and each `Returning` the
 * reports read is a two-field object pointing into them (no amount or
 * count held per object).
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
