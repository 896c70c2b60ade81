/** The `unfunded` exception (SPEC §3.2 step 1), made in one place for both engines. */
import type { Exception, Row, Transfer } from '../model.js';

/** An outflow of `a` (written) larger than the payer's traced balance (written): `uncovered` came from outside the ledgers. */
export function unfundedException(t: Transfer, company: string, uncovered: bigint, a: string, balance: string): Exception {
  const payerRow = t.payerRow;
  return {
    code: 'unfunded',
    company,
    id: payerRow?.id ?? '',
    row: payerRow ?? (t.payeeRow as Row),
    counterparty: payerRow?.counterparty ?? t.payee,
    amount: uncovered,
    counterpartyRow: t.payeeRow,
    detail: `outflow ${a} exceeds traced balance ${balance}`,
  };
}
