/**
 * audit: one company's booked revenue, row by row (SPEC §5 `roundtrip audit`).
 *
 * Pure. Every figure comes from a Reconciliation (src/pipeline.ts): the
 * revenue lines and returning stakes are the very objects `revenue.csv` and
 * `circular.csv` are written from, and the category totals are made by the
 * report's own `summarise`. Nothing here traces money a second time.
 */
import { usageError } from '../errors.js';
import type { Row, Transfer } from '../model.js';
import type { Reconciliation } from '../pipeline.js';
import { ALL, parsePeriods, type Period } from '../report/period.js';
import { isDisputed, summarise, type RevenueLine, type SummaryLine } from '../report/reports.js';
import type { Stake } from '../trace/stake.js';
import type { Returning, TraceResult } from '../trace/trace.js';

/** One investment transfer that created a stake: its rows, in either ledger (payer's first). */
export interface AuditTranche {
  /** 1-based: the n-th investment transfer that created the stake. */
  readonly tranche: number;
  readonly transfer: Transfer;
  readonly rows: readonly Row[];
}

/** One returning stake of a receipt: circular money, where it started and how it came back. */
export interface AuditStake {
  readonly stake: Stake;
  /** `direct` when the investee paid it back itself, else `indirect` (SPEC §4 `route`). */
  readonly route: 'direct' | 'indirect';
  /** Who paid the receipt (the transfer's payer). */
  readonly payer: string;
  readonly amount: bigint;
  /** SPEC §7 "Audit trail": the investment transfers that created the stake before the receipt. */
  readonly tranches: readonly AuditTranche[];
}

export interface AuditLine {
  readonly line: RevenueLine;
  /** The returning stakes of this receipt, by stake key (empty when all organic). */
  readonly stakes: readonly AuditStake[];
  /** Why the company and the payer were related parties on the row's date (SPEC §9), '' when they were not. */
  readonly related: string;
}

export interface AuditTotal {
  booked: bigint;
  organic: bigint;
  circular: bigint;
  disputed: bigint;
  rows: number;
}

export interface AuditReport {
  readonly company: string;
  /** The period as given (`all` without one). */
  readonly period: string;
  readonly method: string;
  readonly earmark: boolean;
  readonly currency: string;
  readonly minorDigits: number;
  /** `circular` when only the rows with circular money are listed. */
  readonly only: 'all' | 'circular';
  /** The listed rows, in report order (timestamp, row order). */
  readonly lines: readonly AuditLine[];
  /** How many revenue rows the company booked in the period (listed or not). */
  readonly booked: number;
  /** Per category, over every revenue row of the period (the figures of summary.csv). */
  readonly categories: readonly SummaryLine[];
  readonly total: AuditTotal;
}

export interface AuditOptions {
  readonly period: Period;
  readonly only: 'all' | 'circular';
}

/**
 * The `--period` of audit: one value. A year or a month selects its rows; a
 * month range selects the union of its months (an audit is one listing, not
 * one folder a month as in `run`). Repeating `--period` is a usage error.
 */
export function auditPeriod(values: readonly string[]): Period {
  if (values.length === 0) return ALL;
  if (values.length > 1) throw usageError(`--period is given ${values.length} times; audit takes one period (YYYY-MM, YYYY or YYYY-MM..YYYY-MM)`);
  const value = values[0] as string;
  const months = parsePeriods([value]);
  if (months.length === 1) return months[0] as Period;
  return { name: value, contains: (day) => months.some((p) => p.contains(day)) };
}

/** An unknown company is a usage error that lists the companies the ledgers hold. */
export function assertCompany(companies: readonly string[], company: string, ledgersDir: string): void {
  if (companies.includes(company)) return;
  throw usageError(`unknown company ${JSON.stringify(company)}: the ledgers in ${ledgersDir} hold ${companies.join(', ')}`);
}

/** SPEC §7 "Audit trail": the investment transfers that had created the stake when the money came back. */
export function auditStake(r: Returning, origins: TraceResult['origins']): AuditStake {
  const transfers = origins.get(r.stake.key)?.slice(0, r.origins) ?? [];
  return {
    stake: r.stake,
    route: r.stake.investee === r.transfer.payer ? 'direct' : 'indirect',
    payer: r.transfer.payer,
    amount: r.amount,
    tranches: transfers.map((transfer, i) => ({
      tranche: i + 1,
      transfer,
      rows: [transfer.payerRow, transfer.payeeRow].filter((row): row is Row => row !== null),
    })),
  };
}

/** The company's booked revenue in the period, each row with its returning stakes and their origins. */
export function auditCompany(rec: Reconciliation, company: string, options: AuditOptions): AuditReport {
  const { period, only } = options;
  const revenue = rec.revenue.filter((l) => l.row.company === company && period.contains(l.row.day));
  const stakesOf = new Map<Transfer, AuditStake[]>();
  for (let i = 0; i < rec.returning.length; i++) {
    // rec.returning is sorted by company, cited row, stake key: each receipt's stakes come out by key.
    if (rec.returning.transferAt(i).payee !== company) continue;
    const r = rec.returning.at(i);
    const list = stakesOf.get(r.transfer);
    const stake = auditStake(r, rec.traced.origins);
    if (list === undefined) stakesOf.set(r.transfer, [stake]);
    else list.push(stake);
  }
  const lines = revenue
    .filter((l) => only === 'all' || l.circular > 0n)
    .map((line) => ({ line, stakes: stakesOf.get(line.transfer) ?? [], related: rec.relations.reason(company, line.row.counterparty, line.row.day) }));
  const categories = summarise(revenue);
  const total: AuditTotal = { booked: 0n, organic: 0n, circular: 0n, disputed: 0n, rows: 0 };
  for (const c of categories) {
    total.booked += c.booked;
    total.organic += c.organic;
    total.circular += c.circular;
    total.disputed += c.disputed;
    total.rows += c.rows;
  }
  return {
    company,
    period: period.name,
    method: rec.traced.method,
    earmark: rec.traced.earmark,
    currency: rec.ledgers.currency,
    minorDigits: rec.ledgers.minorDigits,
    only,
    lines,
    booked: revenue.length,
    categories,
    total,
  };
}

export { isDisputed };
