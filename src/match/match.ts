/**
 * match: pairs the two sides of every intercompany transfer (SPEC §2) and
 * reports the exceptions found by looking at the ledgers alone (everything
 * but `unfunded`, which tracing finds).
 */
import { formatAmount } from '../money/amount.js';
import { complementKind, type Exception, type Kind, type Ledgers, type MatchStatus, type Row, type Transfer } from '../model.js';
import { conversionText } from '../load/convert.js';
import { RowTransfer } from './transfer.js';
import { lookalikeFinder } from './lookalike.js';

export interface Matched {
  readonly transfers: readonly Transfer[];
  readonly exceptions: readonly Exception[];
}

/** investment↔investment, purchase↔revenue, other↔other: a class shared by both sides. */
function kindClass(kind: Kind): string {
  return kind === 'purchase' || kind === 'revenue' ? 't' : kind === 'investment' ? 'i' : 'o';
}

function areComplementary(payerKind: Kind, payeeKind: Kind): boolean {
  return complementKind(payerKind) === payeeKind;
}

/** `onProgress` is called every 65,536 rows with how many are done (a progress display). */
export function matchTransfers(ledgers: Ledgers, onProgress?: (rowsDone: number) => void): Matched {
  const digits = ledgers.minorDigits;
  const money = (minor: bigint): string => formatAmount(minor, digits);
  const exceptions: Exception[] = [];

  // Company indexes: a row's pair of companies is one small integer, so the
  // indexes below are hashed on the ref (or date/amount/kind) alone.
  const index = new Map<string, number>(ledgers.companies.map((c, i) => [c, i]));
  const n = ledgers.companies.length;
  const rows = ledgers.rows;
  const pairOf = new Int32Array(rows.length).fill(-1); // payer index * n + payee index, or -1 when external
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Row;
    const other = index.get(row.counterparty);
    if (other === undefined) continue;
    const own = index.get(row.company) as number;
    pairOf[i] = row.direction === 'out' ? own * n + other : other * n + own;
  }

  // Index the payee sides: rows recording money in from another ledger company.
  const byRef = new Map<number, Map<string, Row>>();
  const byValue = new Map<number, Map<string, Row[]>>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Row;
    const pair = pairOf[i] as number;
    if (pair < 0 || row.direction !== 'in') continue;
    if (row.ref !== '') {
      let refs = byRef.get(pair);
      if (refs === undefined) byRef.set(pair, (refs = new Map()));
      refs.set(row.ref, row);
    } else {
      let values = byValue.get(pair);
      if (values === undefined) byValue.set(pair, (values = new Map()));
      const key = `${row.day}\u0000${row.amount}\u0000${kindClass(row.kind)}`;
      const list = values.get(key);
      if (list === undefined) values.set(key, [row]);
      else list.push(row);
    }
  }

  // Pair every payer side with its mirror; k-th with k-th where there is no ref.
  const mirrorOf = new Array<Row | undefined>(rows.length);
  const taken = new Uint8Array(rows.length);
  const cursor = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Row;
    const pair = pairOf[i] as number;
    if (pair < 0 || row.direction !== 'out') continue;
    let mirror: Row | undefined;
    if (row.ref !== '') mirror = byRef.get(pair)?.get(row.ref);
    else {
      const key = `${row.day}\u0000${row.amount}\u0000${kindClass(row.kind)}`;
      const list = byValue.get(pair)?.get(key);
      const cursorKey = `${pair}\u0000${key}`;
      const k = cursor.get(cursorKey) ?? 0;
      if (list !== undefined && k < list.length) {
        mirror = list[k];
        cursor.set(cursorKey, k + 1);
      }
    }
    if (mirror !== undefined) {
      mirrorOf[i] = mirror;
      taken[mirror.seq] = 1;
    }
  }

  const findLookalike = lookalikeFinder(ledgers.companies);
  const lookalikeSeen = new Set<string>();
  const transfers: Transfer[] = [];
  const add = (payerRow: Row | null, payeeRow: Row | null, payerIsLedger: boolean, payeeIsLedger: boolean, matched: MatchStatus): void => {
    transfers.push(new RowTransfer(transfers.length, payerRow, payeeRow, payerIsLedger, payeeIsLedger, matched));
  };

  for (let i = 0; i < rows.length; i++) {
    if (onProgress !== undefined && (i & 65535) === 0) onProgress(i);
    const row = rows[i] as Row;
    if ((pairOf[i] as number) < 0) {
      const like = findLookalike(row.counterparty);
      const seenKey = `${row.company}\u0000${row.counterparty}`;
      if (like !== undefined && !lookalikeSeen.has(seenKey)) {
        lookalikeSeen.add(seenKey);
        exceptions.push({
          code: 'lookalike_counterparty',
          company: row.company,
          id: row.id,
          row,
          counterparty: row.counterparty,
          amount: row.amount,
          counterpartyRow: null,
          detail: `external counterparty ${JSON.stringify(row.counterparty)} looks like company ${JSON.stringify(like)}`,
        });
      }
      if (row.direction === 'in') {
        add(null, row, false, true, 'external');
      } else {
        add(row, null, true, false, 'external');
      }
      continue;
    }

    if (row.direction === 'out') {
      const mirror = mirrorOf[i];
      if (mirror === undefined) {
        exceptions.push(unmatched(row, money));
        add(row, null, true, true, 'no');
        continue;
      }
      const pair = { row, mirror };
      for (const e of mismatches(pair.row, pair.mirror, money, ledgers.currency)) exceptions.push(e);
      add(row, mirror, true, true, 'yes');
    } else if (taken[row.seq] === 0) {
      exceptions.push(unmatched(row, money));
      add(null, row, true, true, 'no');
    }
  }
  return { transfers, exceptions };
}

function unmatched(row: Row, money: (m: bigint) => string): Exception {
  const other = row.counterparty;
  const side = row.direction === 'out' ? 'in' : 'out';
  const detail =
    row.ref !== ''
      ? `no mirror with ref ${JSON.stringify(row.ref)} in ${other}'s ledger`
      : `no mirror in ${other}'s ledger (no ${side} row from ${row.company} without ref dated ${row.day} for ${money(row.amount)} of kind ${complementKind(row.kind)})`;
  return { code: 'unmatched', company: row.company, id: row.id, row, counterparty: row.counterparty, amount: row.amount, counterpartyRow: null, detail };
}

/** The mismatch exceptions of a matched pair, reported on the payer's row, in code order. */
function mismatches(payer: Row, payee: Row, money: (m: bigint) => string, reporting: string): Exception[] {
  const found: Exception[] = [];
  const base = { company: payer.company, id: payer.id, row: payer, counterparty: payer.counterparty, amount: payer.amount, counterpartyRow: payee };
  // SPEC §2: amounts that differ as written (one currency) are an amount_mismatch; amounts
  // that differ only once converted (two currencies, or one converted at two dates' rates)
  // are an fx_difference. Both report the converted figures.
  const converted = payer.conversion !== undefined || payee.conversion !== undefined;
  const written = (row: Row): bigint => row.conversion?.amount ?? row.amount;
  if (payer.currency === payee.currency && written(payer) !== written(payee)) {
    const detail = converted ? `payer ${sideText(payer, money, reporting)} vs payee ${sideText(payee, money, reporting)}` : `payer ${money(payer.amount)} vs payee ${money(payee.amount)}`;
    found.push({ ...base, code: 'amount_mismatch', detail });
  } else if (payer.amount !== payee.amount) {
    found.push({ ...base, code: 'fx_difference', detail: `payer ${sideText(payer, money, reporting)} vs payee ${sideText(payee, money, reporting)}` });
  }
  if (payer.day !== payee.day) found.push({ ...base, code: 'date_mismatch', detail: `payer ${payer.day} vs payee ${payee.day}` });
  if (!areComplementary(payer.kind, payee.kind)) found.push({ ...base, code: 'kind_mismatch', detail: `payer ${payer.kind} vs payee ${payee.kind}` });
  if (payer.kind === 'purchase' && payee.kind === 'revenue' && payer.category !== payee.category) {
    found.push({ ...base, code: 'category_mismatch', detail: `payer ${payer.category} vs payee ${payee.category}` });
  }
  return found;
}

/** A side's amount in a detail: as written, and for a converted row the rate used and the result. */
function sideText(row: Row, money: (m: bigint) => string, reporting: string): string {
  const c = row.conversion;
  if (c === undefined) return `${money(row.amount)} ${reporting}`;
  return conversionText(c, row.amount, reporting, money, formatAmount);
}
