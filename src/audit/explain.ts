/**
 * audit --id: one row explained in full. The transfer it belongs to (both
 * sides, with their exceptions), the payer's pool just before the draw, what
 * the draw took in every view and by which rule, what arrived, and which
 * stakes returned to their investor.
 *
 * Pure. The figures are the trace's own: the run is replayed by
 * `reconcileLedgers` with the trace's `observe` hook selecting this one
 * transfer, so every amount is the one `run` computes for it.
 */
import { internalError, usageError } from '../errors.js';
import type { Exception, Ledgers, Row, Transfer } from '../model.js';
import { reconcileLedgers, type TraceChoice } from '../pipeline.js';
import type { Period } from '../report/period.js';
import type { RevenueLine } from '../report/reports.js';
import { byCodeUnits } from '../sort.js';
import { dealOf, stakeKey } from '../trace/stake.js';
import type { TransferDetail, ViewSnapshot } from '../trace/trace.js';
import { auditStake, type AuditStake } from './audit.js';

/** One part of a view (the rest, or one stake) through the three steps. */
export interface ExplainPart {
  /** `rest` or a stake key. */
  readonly part: string;
  /** In the payer's pool before the draw. */
  readonly before: bigint;
  /** Taken by the draw (unfunded money is rest). */
  readonly drawn: bigint;
  /** Arrived at the payee (after the invest and rescale steps). */
  readonly arrived: bigint;
}

/** What becomes of a view's stakes at the payee (SPEC §3.2 step 4). */
export type Fate = 'returning' | 'pool' | 'leaves';

/** One investor's view of the money: every view that holds stakes before, in or after the draw. */
export interface ExplainView {
  readonly investor: string;
  readonly fate: Fate;
  /** The rest first, then the stakes by key. */
  readonly parts: readonly ExplainPart[];
  /** Stakes of the earmarked deal this view held before the draw (drawn first); 0 without an earmark. */
  readonly earmarked: bigint;
}

export interface ExplainReport {
  readonly company: string;
  /** The row asked about (its company's side of the transfer). */
  readonly row: Row;
  readonly method: string;
  readonly earmarksOn: boolean;
  readonly currency: string;
  readonly minorDigits: number;
  readonly transfer: Transfer;
  /** 1-based position in processing order, of `transfers`. */
  readonly position: number;
  readonly transfers: number;
  /** Exceptions reported on either side of the transfer. */
  readonly exceptions: readonly Exception[];
  /** The payer's balance before the draw (0 for an external payer). */
  readonly balanceBefore: bigint;
  readonly views: readonly ExplainView[];
  /** The deal that earmarked the draw ('' for none, or when earmarks are off). */
  readonly earmark: string;
  /** The part of the outflow the payer's pool did not cover (rest in every view). */
  readonly unfunded: bigint;
  /** The stake this transfer created or increased (an investment between ledger companies). */
  readonly invested: { readonly stake: string; readonly tranche: number } | null;
  /** Stakes that came back to their investor (the payee), by key. */
  readonly returning: readonly AuditStake[];
  /** The revenue the payee booked on it, with its split (as in revenue.csv), if any. */
  readonly booked: RevenueLine | null;
}

function amountsOf(s: ViewSnapshot | undefined, fallbackRest: bigint): Map<string, bigint> {
  const m = new Map<string, bigint>([['rest', s === undefined ? fallbackRest : s.rest]]);
  if (s !== undefined) s.keys.forEach((k, i) => m.set(k, s.amounts[i] as bigint));
  return m;
}

/**
 * The views of one observed transfer. A view missing from a snapshot holds
 * none of its investor's money there: all of it is rest (SPEC §3.1).
 */
function viewsOf(d: TransferDetail, earmark: string): ExplainView[] {
  const t = d.transfer;
  const investors = [...new Set([...d.before, ...d.drawn, ...d.arrived].map((s) => s.investor))].sort(byCodeUnits);
  return investors.map((investor) => {
    const before = amountsOf(
      d.before.find((s) => s.investor === investor),
      d.balanceBefore,
    );
    const drawn = amountsOf(
      d.drawn.find((s) => s.investor === investor),
      t.a,
    );
    const arrived = amountsOf(
      d.arrived.find((s) => s.investor === investor),
      t.b,
    );
    const keys = [...new Set([...before.keys(), ...drawn.keys(), ...arrived.keys()])].filter((k) => k !== 'rest').sort(byCodeUnits);
    let earmarked = 0n;
    if (earmark !== '') for (const k of keys) if (dealOf(k) === earmark) earmarked += before.get(k) ?? 0n;
    const fate: Fate = !t.payeeIsLedger ? 'leaves' : investor === t.payee ? 'returning' : 'pool';
    return {
      investor,
      fate,
      earmarked,
      parts: ['rest', ...keys].map((part) => ({ part, before: before.get(part) ?? 0n, drawn: drawn.get(part) ?? 0n, arrived: arrived.get(part) ?? 0n })),
    };
  });
}

/**
 * Explains the transfer that `company`'s row `id` belongs to. Any kind of row
 * can be explained (revenue, purchase, investment, other): the pool, the draw
 * and the returning stakes are as useful for an investment as for revenue.
 */
export function explainRow(ledgers: Ledgers, choice: Omit<TraceChoice, 'observe'>, company: string, id: string, period?: Period): ExplainReport {
  const row = ledgers.rows.find((r) => r.company === company && r.id === id);
  if (row === undefined) throw usageError(`no row with id ${JSON.stringify(id)} in ${company}'s ledger`);
  if (period !== undefined && !period.contains(row.day)) {
    throw usageError(`${company}'s row ${JSON.stringify(id)} is dated ${row.date}, outside --period ${period.name} (drop --period to explain it)`);
  }
  let detail: TransferDetail | undefined;
  const rec = reconcileLedgers(ledgers, {
    ...choice,
    observe: {
      wants: (t) => t.payerRow === row || t.payeeRow === row,
      seen: (d) => {
        detail = d;
      },
    },
  });
  if (detail === undefined) throw internalError(`the trace never processed the transfer of ${company}'s row ${id}`);
  const d: TransferDetail = detail;
  const t = d.transfer;
  const earmark = rec.traced.earmark && t.payerIsLedger ? t.earmark : '';
  let invested: ExplainReport['invested'] = null;
  if (t.payerKind === 'investment' && t.payerIsLedger && t.payeeIsLedger) {
    const stake = stakeKey(t.payer, t.payee, t.stakeDeal);
    invested = { stake, tranche: (rec.traced.origins.get(stake) ?? []).indexOf(t) + 1 };
  }
  return {
    company,
    row,
    method: rec.traced.method,
    earmarksOn: rec.traced.earmark,
    currency: ledgers.currency,
    minorDigits: ledgers.minorDigits,
    transfer: t,
    position: d.order + 1,
    transfers: rec.traced.order.length,
    exceptions: rec.exceptions.filter((e) => e.row === t.payerRow || e.row === t.payeeRow),
    balanceBefore: d.balanceBefore,
    views: viewsOf(d, earmark),
    earmark,
    unfunded: d.unfunded,
    invested,
    returning: d.returning.map((r) => auditStake(r, rec.traced.origins)),
    booked: rec.revenue.find((l) => l.transfer === t) ?? null,
  };
}
