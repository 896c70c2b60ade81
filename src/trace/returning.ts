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
