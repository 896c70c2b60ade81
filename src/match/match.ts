/**
 * match: pairs the two sides of every intercompany transfer (SPEC §2) and
 * reports the exceptions found by looking at the ledgers alone (everything
 * but `unfunded`, which tracing finds).
 */
import { formatAmount } from '../money/amount.js';
import { complementKind, type Exception, type Kind, type Ledgers, type Row, type Transfer } from '../model.js';
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

export function matchTransfers(ledgers: Ledgers): Matched {
  const companies = new Set(ledgers.companies);
  const digits = ledgers.minorDigits;
  const money = (minor: bigint): string => formatAmount(minor, digits);
  const exceptions: Exception[] = [];

  // Index the payee sides: rows recording money in from another ledger company.
  const byRef = new Map<string, Row>();
  const byValue = new Map<string, Row[]>();
  for (const row of ledgers.rows) {
    if (row.direction !== 'in' || !companies.has(row.counterparty)) continue;
    if (row.ref !== '') byRef.set(`${row.company}\u0000${row.counterparty}\u0000${row.ref}`, row);
    else {
      const key = `${row.company}\u0000${row.counterparty}\u0000${row.day}\u0000${row.amount}\u0000${kindClass(row.kind)}`;
      const list = byValue.get(key);
      if (list === undefined) byValue.set(key, [row]);
      else list.push(row);
    }
  }

  // Pair every payer side with its mirror; k-th with k-th where there is no ref.
  const mirrorOf = new Map<Row, Row>();
  const taken = new Set<Row>();
  const cursor = new Map<string, number>();
  for (const row of ledgers.rows) {
    if (row.direction !== 'out' || !companies.has(row.counterparty)) continue;
    let mirror: Row | undefined;
    if (row.ref !== '') mirror = byRef.get(`${row.counterparty}\u0000${row.company}\u0000${row.ref}`);
    else {
      const key = `${row.counterparty}\u0000${row.company}\u0000${row.day}\u0000${row.amount}\u0000${kindClass(row.kind)}`;
      const list = byValue.get(key);
      const k = cursor.get(key) ?? 0;
      if (list !== undefined && k < list.length) {
        mirror = list[k];
        cursor.set(key, k + 1);
      }
    }
    if (mirror !== undefined) {
      mirrorOf.set(row, mirror);
      taken.add(mirror);
    }
  }

  const findLookalike = lookalikeFinder(ledgers.companies);
  const lookalikeSeen = new Set<string>();
  const transfers: Transfer[] = [];
  const add = (t: Omit<Transfer, 'index'>): void => {
    transfers.push({ ...t, index: transfers.length });
  };

  for (const row of ledgers.rows) {
    const intercompany = companies.has(row.counterparty);
    if (!intercompany) {
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
        add({
          payer: row.counterparty,
          payee: row.company,
          payerIsLedger: false,
          payeeIsLedger: true,
          payerRow: null,
          payeeRow: row,
          payerKind: complementKind(row.kind),
          payeeKind: row.kind,
          a: row.amount,
          b: row.amount,
          primary: row,
          matched: 'external',
          earmark: '',
          stakeDeal: '',
        });
      } else {
        add({
          payer: row.company,
          payee: row.counterparty,
          payerIsLedger: true,
          payeeIsLedger: false,
          payerRow: row,
          payeeRow: null,
          payerKind: row.kind,
          payeeKind: complementKind(row.kind),
          a: row.amount,
          b: row.amount,
          primary: row,
          matched: 'external',
          earmark: row.deal,
          stakeDeal: '',
        });
      }
      continue;
    }

    if (row.direction === 'out') {
      const mirror = mirrorOf.get(row);
      if (mirror === undefined) {
        exceptions.push(unmatched(row, money));
        add({
          payer: row.company,
          payee: row.counterparty,
          payerIsLedger: true,
          payeeIsLedger: true,
          payerRow: row,
          payeeRow: null,
          payerKind: row.kind,
          payeeKind: complementKind(row.kind),
          a: row.amount,
          b: row.amount,
          primary: row,
          matched: 'no',
          earmark: row.deal,
          stakeDeal: row.deal,
        });
        continue;
      }
      const pair = { row, mirror };
      for (const e of mismatches(pair.row, pair.mirror, money)) exceptions.push(e);
      add({
        payer: row.company,
        payee: row.counterparty,
        payerIsLedger: true,
        payeeIsLedger: true,
        payerRow: row,
        payeeRow: mirror,
        payerKind: row.kind,
        payeeKind: mirror.kind,
        a: row.amount,
        b: mirror.amount,
        primary: row,
        matched: 'yes',
        earmark: row.deal,
        stakeDeal: row.deal !== '' ? row.deal : mirror.deal,
      });
    } else if (!taken.has(row)) {
      exceptions.push(unmatched(row, money));
      add({
        payer: row.counterparty,
        payee: row.company,
        payerIsLedger: true,
        payeeIsLedger: true,
        payerRow: null,
        payeeRow: row,
        payerKind: complementKind(row.kind),
        payeeKind: row.kind,
        a: row.amount,
        b: row.amount,
        primary: row,
        matched: 'no',
        earmark: row.deal,
        stakeDeal: row.deal,
      });
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
function mismatches(payer: Row, payee: Row, money: (m: bigint) => string): Exception[] {
  const found: Exception[] = [];
  const base = { company: payer.company, id: payer.id, row: payer, counterparty: payer.counterparty, amount: payer.amount, counterpartyRow: payee };
  if (payer.amount !== payee.amount) {
    found.push({ ...base, code: 'amount_mismatch', detail: `payer ${money(payer.amount)} vs payee ${money(payee.amount)}` });
  }
  if (payer.day !== payee.day) found.push({ ...base, code: 'date_mismatch', detail: `payer ${payer.day} vs payee ${payee.day}` });
  if (!areComplementary(payer.kind, payee.kind)) found.push({ ...base, code: 'kind_mismatch', detail: `payer ${payer.kind} vs payee ${payee.kind}` });
  if (payer.kind === 'purchase' && payee.kind === 'revenue' && payer.category !== payee.category) {
    found.push({ ...base, code: 'category_mismatch', detail: `payer ${payer.category} vs payee ${payee.category}` });
  }
  return found;
}
