/**
 * A matched transfer as a small object: its index, its one or two rows and
 * a few flags; everything else a Transfer tells (payer, payee, amounts,
 * kinds, the primary row, the earmark and the stake's deal) is read from its
 * rows, so a million transfers cost about sixty bytes each.
 */
import { complementKind, type Kind, type MatchStatus, type Row, type Transfer } from '../model.js';

const PAYER_IS_LEDGER = 1;
const PAYEE_IS_LEDGER = 2;
const MATCHED_SHIFT = 2;
const STATUS: readonly MatchStatus[] = ['yes', 'no', 'external'];

export class RowTransfer implements Transfer {
  private readonly flags: number;

  /**
   * `payerRow` or `payeeRow` is null where that side recorded no row; the
   * other side's counterparty names it.
   */
  constructor(
    readonly index: number,
    readonly payerRow: Row | null,
    readonly payeeRow: Row | null,
    payerIsLedger: boolean,
    payeeIsLedger: boolean,
    matched: MatchStatus,
  ) {
    if (payerRow === null && payeeRow === null) throw new Error('a transfer needs at least one row');
    this.flags = (payerIsLedger ? PAYER_IS_LEDGER : 0) | (payeeIsLedger ? PAYEE_IS_LEDGER : 0) | (STATUS.indexOf(matched) << MATCHED_SHIFT);
  }

  /** What leaves the payer: its row's amount, else the payee's (SPEC §2). */
  get a(): bigint {
    return (this.payerRow ?? (this.payeeRow as Row)).amount;
  }
  /** What arrives at the payee: its row's amount, else the payer's. */
  get b(): bigint {
    return (this.payeeRow ?? (this.payerRow as Row)).amount;
  }

  get payerIsLedger(): boolean {
    return (this.flags & PAYER_IS_LEDGER) !== 0;
  }
  get payeeIsLedger(): boolean {
    return (this.flags & PAYEE_IS_LEDGER) !== 0;
  }
  get matched(): MatchStatus {
    return STATUS[this.flags >> MATCHED_SHIFT] as MatchStatus;
  }
  get payer(): string {
    return this.payerRow !== null ? this.payerRow.company : (this.payeeRow as Row).counterparty;
  }
  get payee(): string {
    return this.payeeRow !== null ? this.payeeRow.company : (this.payerRow as Row).counterparty;
  }
  get payerKind(): Kind {
    return this.payerRow !== null ? this.payerRow.kind : complementKind((this.payeeRow as Row).kind);
  }
  get payeeKind(): Kind {
    return this.payeeRow !== null ? this.payeeRow.kind : complementKind((this.payerRow as Row).kind);
  }
  /** SPEC §3.2: the payer's row where the payer recorded it, else the payee's. */
  get primary(): Row {
    return this.payerRow ?? (this.payeeRow as Row);
  }
  /** SPEC §3.4: the deal of the outflow; a payer outside the ledgers earmarks nothing. */
  get earmark(): string {
    if (this.payerRow !== null) return this.payerRow.deal;
    return this.payerIsLedger ? (this.payeeRow as Row).deal : '';
  }
  /** SPEC §3.1: the deal a stake created by this transfer carries (the payer's, else the payee's); none with an external party. */
  get stakeDeal(): string {
    if (!this.payerIsLedger || !this.payeeIsLedger) return '';
    const deal = this.payerRow?.deal ?? '';
    return deal !== '' ? deal : (this.payeeRow?.deal ?? '');
  }
}
