/** manifest.json: what a run read, how it traced, and what it checked. No wall-clock time. */
import { EXCEPTION_CODES, type CurrencyInfo, type Ledgers } from '../model.js';
import { formatAmount } from '../money/amount.js';
import type { Method } from '../trace/methods.js';
import { totalOf } from '../trace/trace.js';
import { VERSION } from '../version.js';
import type { CheckResult } from './check.js';
import type { PeriodReport } from './reports.js';

export interface ManifestInput {
  readonly ledgers: Ledgers;
  readonly report: PeriodReport;
  readonly method: Method;
  readonly earmark: boolean;
  /** The trace engine that ran, in a few words (the same whatever the number of threads). */
  readonly engine: string;
  readonly bom: boolean;
  readonly transfers: number;
  readonly checks: readonly CheckResult[];
}

export function manifest(input: ManifestInput): string {
  const { ledgers, report } = input;
  const money = (m: bigint): string => formatAmount(m, ledgers.minorDigits);
  let booked = 0n;
  let organic = 0n;
  let circular = 0n;
  let disputed = 0n;
  for (const s of report.summary) {
    booked += s.booked;
    organic += s.organic;
    circular += s.circular;
    disputed += s.disputed;
  }
  const returning = totalOf(report.returning);
  // fx_difference is counted where it can occur: in a run that read a rates file (SPEC §8).
  const codes = ledgers.fx === undefined ? EXCEPTION_CODES.filter((code) => code !== 'fx_difference') : EXCEPTION_CODES;
  const exceptions = Object.fromEntries(codes.map((code) => [code, report.exceptions.filter((e) => e.code === code).length]));
  const document = {
    tool: 'roundtrip',
    version: VERSION,
    method: input.method,
    earmark: input.earmark,
    engine: input.engine,
    bom: input.bom,
    period: report.period,
    currency: ledgers.currency,
    ...(ledgers.fx === undefined ? {} : { rates: ratesJson(ledgers.fx) }),
    inputs: ledgers.files.map((f) => ({ file: f.name, company: f.company, ...(f.kind === undefined ? {} : { kind: f.kind }), ...(f.rules === undefined ? {} : { rules: f.rules }), sha256: f.sha256, rows: f.rows })),
    ownership: ledgers.ownership === undefined ? null : { file: ledgers.ownership.name, sha256: ledgers.ownership.sha256, rows: ledgers.ownership.rows },
    totals: {
      companies: ledgers.companies.length,
      ledger_rows: ledgers.rows.length,
      transfers_traced: input.transfers,
      revenue_rows: report.revenue.length,
      booked: money(booked),
      organic: money(organic),
      circular: money(circular),
      disputed: money(disputed),
      circular_rows: report.returning.length,
      returning_all_kinds: money(returning),
    },
    exceptions,
    checks: input.checks.map((c) => ({ check: c.name, result: c.passed ? 'passed' : 'failed', detail: c.detail })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** SPEC §8 in the manifest: the rates file with its sha256, and per converted currency the rows converted and the rate rows used. */
function ratesJson(fx: CurrencyInfo): Record<string, unknown> {
  return {
    file: fx.ratesFile.name,
    sha256: fx.ratesFile.sha256,
    rows: fx.ratesFile.rows,
    converted: fx.converted.map((c) => ({
      currency: c.currency,
      rows: c.rows,
      rates_used: c.rates.map((r) => ({ date: r.date, from: r.from, to: r.to, rate: r.rate, source: `${fx.ratesFile.name}:${r.line}` })),
    })),
  };
}
