/**
 * SPEC §4: before any file is written the run checks its own books. A failed
 * check is a bug in the tool: exit 1, nothing written.
 */
import { internalError } from '../errors.js';
import { formatAmount } from '../money/amount.js';
import type { TraceResult } from '../trace/trace.js';
import type { RevenueLine, SummaryLine } from './reports.js';

export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

export function checkBooks(traced: TraceResult, revenue: readonly RevenueLine[], summary: readonly SummaryLine[], digits: number): CheckResult[] {
  const money = (m: bigint): string => formatAmount(m, digits);
  const results: CheckResult[] = [];

  const split = revenue.filter((l) => l.organic < 0n || l.circular < 0n || l.organic + l.circular !== l.row.amount);
  results.push({
    name: 'revenue rows split exactly (organic + circular = amount)',
    passed: split.length === 0,
    detail:
      split.length === 0
        ? `${revenue.length} rows`
        : split
            .slice(0, 5)
            .map((l) => `${l.row.file}:${l.row.line}: organic ${money(l.organic)} + circular ${money(l.circular)} vs amount ${money(l.row.amount)}`)
            .join('; '),
  });

  const unbalanced: string[] = [];
  for (const [company, b] of traced.books) {
    const expected = b.received - b.paid + b.unfunded;
    if (expected !== b.balance || b.balance < 0n) {
      unbalanced.push(`${company}: balance ${money(b.balance)} vs received ${money(b.received)} - paid ${money(b.paid)} + unfunded ${money(b.unfunded)} = ${money(expected)}`);
    }
  }
  results.push({
    name: 'every balance = received - paid + unfunded',
    passed: unbalanced.length === 0,
    detail: unbalanced.length === 0 ? `${traced.books.size} companies` : unbalanced.join('; '),
  });

  results.push({
    name: 'every view: parts non-negative and summing to the balance',
    passed: traced.viewProblems.length === 0,
    detail: traced.viewProblems.length === 0 ? 'all views' : traced.viewProblems.slice(0, 5).join('; '),
  });

  let booked = 0n;
  let organic = 0n;
  let circular = 0n;
  for (const l of revenue) {
    booked += l.row.amount;
    organic += l.organic;
    circular += l.circular;
  }
  let sBooked = 0n;
  let sOrganic = 0n;
  let sCircular = 0n;
  let sRows = 0;
  for (const s of summary) {
    sBooked += s.booked;
    sOrganic += s.organic;
    sCircular += s.circular;
    sRows += s.rows;
  }
  const summaryOk = sBooked === booked && sOrganic === organic && sCircular === circular && sRows === revenue.length;
  results.push({
    name: 'summary columns = sums of the revenue rows',
    passed: summaryOk,
    detail: summaryOk
      ? `booked ${money(booked)}, organic ${money(organic)}, circular ${money(circular)}`
      : `summary booked ${money(sBooked)} organic ${money(sOrganic)} circular ${money(sCircular)} rows ${sRows} vs revenue rows booked ${money(booked)} organic ${money(organic)} circular ${money(circular)} rows ${revenue.length}`,
  });
  return results;
}

/** Throws the internal error (exit 1) naming every failed check and its figures. */
export function assertBooks(results: readonly CheckResult[], period: string): void {
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0) {
    throw internalError(
      `the books do not balance for period ${period}; nothing was written. This is a bug in roundtrip, please report it with the ledgers:\n` +
        failed.map((f) => `  ${f.name}: ${f.detail}`).join('\n'),
    );
  }
}
