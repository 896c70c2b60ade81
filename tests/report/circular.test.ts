/**
 * circular.csv and report.html's loops at scale (src/report/circular.ts,
 * src/write/circular.ts) against the generic path they replace: the order of
 * the returning stakes by comparisons on every pair, the CSV text by
 * tableChunks over the rows of reportTables, the flows of report.html from
 * those rows. Every example folder and generated sets (portfolio: thousands
 * of stakes; volume), every method, whole runs and single months.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateLedgers } from '../../src/generate/generate.js';
import { loadLedgers, type LedgerInput } from '../../src/load/load.js';
import { readLedgers } from '../../src/load/read.js';
import { reconcileLedgers, type Reconciliation } from '../../src/pipeline.js';
import { circularFlows } from '../../src/report/circular.js';
import { reportHtml, type ManifestFigures } from '../../src/report/html.js';
import { ALL, parsePeriods, type Period } from '../../src/report/period.js';
import { periodReport, reportTables } from '../../src/report/reports.js';
import { Relations } from '../../src/report/exposure.js';
import { totalOf, type Returning } from '../../src/trace/trace.js';
import { byCodeUnits } from '../../src/sort.js';
import { circularChunks } from '../../src/write/circular.js';
import { tableToCsv } from '../../src/write/csv.js';
import { METHODS } from '../support/pipeline.js';

const EXAMPLES = join(import.meta.dirname, '..', 'fixtures', 'examples');

/** The order of SPEC §4 by a comparison of every pair (the way it was made before the ranks). */
function byComparison(items: readonly Returning[]): Returning[] {
  return items
    .map((r, i) => ({ r, i }))
    .sort(
      (x, y) =>
        byCodeUnits(x.r.company, y.r.company) ||
        x.r.cited.ts - y.r.cited.ts ||
        x.r.cited.seq - y.r.cited.seq ||
        byCodeUnits(x.r.stake.key, y.r.stake.key) ||
        x.i - y.i,
    )
    .map((x) => x.r);
}

const MANIFEST: ManifestFigures = {
  version: '0',
  method: 'pro-rata',
  earmark: true,
  period: 'all',
  currency: 'USD',
  inputs: [],
  totals: { ledger_rows: 0, revenue_rows: 0, booked: '0.00', organic: '0.00', circular: '0.00', disputed: '0.00', circular_rows: 0 },
  exceptions: {},
};

function compare(rec: Reconciliation, periods: readonly Period[]): number {
  const digits = rec.ledgers.minorDigits;
  expect([...rec.returning]).toEqual(byComparison([...rec.traced.returning]));
  let lines = 0;
  for (const period of periods) {
    const context = { relations: new Relations(rec.ledgers.ownership, rec.matched.transfers), companies: new Set(rec.ledgers.companies), latest: '' };
    const report = periodReport(period, rec.revenue, rec.returning, rec.exceptions, context);
    expect([...report.returning]).toEqual([...rec.returning].filter((r) => period.contains(r.cited.day)));
    for (const bom of [true, false]) {
      expect([...circularChunks(report.returning, digits, { bom })].join('')).toBe(tableToCsv(reportTables(report, digits).circular, { bom }));
    }
    const tables = reportTables(report, digits);
    const page = { manifest: MANIFEST, summary: tables.summary, exposure: null, digits };
    expect(reportHtml({ ...page, circular: circularFlows(report.returning, digits) })).toBe(reportHtml({ ...page, circular: reportTables(report, digits).circular }));
    lines += report.returning.length;
  }
  return lines;
}

function reconciled(inputs: readonly LedgerInput[], method: (typeof METHODS)[number]): Reconciliation {
  return reconcileLedgers(loadLedgers(inputs, 'ledgers'), { method, earmark: true });
}

describe('circular.csv and the loops of report.html without a row object per stake', () => {
  const examples = readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const example of examples) {
    it(`${example.name}: the same order, bytes and page as the table path, every method`, async () => {
      const ledgers = await readLedgers(join(EXAMPLES, example.name, 'ledgers'), undefined, { jobs: 1 });
      for (const method of METHODS) compare(reconcileLedgers(ledgers, { method, earmark: true }), [ALL, ...parsePeriods(['2026'])]);
    });
  }

  it('a portfolio set (thousands of stakes, amounts to the 15-digit limit): the same, every method, the run and each of 36 months', () => {
    const inputs = generateLedgers({ companies: 12, transfers: 2500, seed: 7, profile: 'portfolio' }).map((f) => ({ name: f.name, bytes: new TextEncoder().encode(f.text) }));
    for (const method of METHODS) {
      const rec = reconciled(inputs, method);
      expect(rec.returning.length).toBeGreaterThan(100);
      expect(compare(rec, [ALL, ...parsePeriods(['2025-01..2027-12'])])).toBe(2 * rec.returning.length);
    }
  });

  it('loop sums past 2^53 − 1 minor units, and a stake past it: exact (sums in doubles carried into BigInt, the stake read as BigInt)', () => {
    const HEADER = 'id,date,direction,counterparty,kind,category,amount,currency,ref,deal,memo\n';
    const files = [
      {
        name: 'alpha.csv',
        text:
          HEADER +
          'a0,2026-01-01,in,opening,other,,300000000000000.00,USD,,,\n' +
          'a1,2026-01-02,out,bravo,investment,,60000000000000.01,USD,R1,,\n' +
          'a2,2026-01-03,in,bravo,revenue,cloud,60000000000000.01,USD,R2,,\n' +
          'a3,2026-01-04,out,bravo,investment,,60000000000000.01,USD,R3,,\n' +
          'a4,2026-01-05,in,bravo,revenue,cloud,60000000000000.01,USD,R4,,\n' +
          'a5,2026-01-06,out,bravo,investment,,60000000000000.01,USD,R5,,\n' +
          'a6,2026-01-07,in,bravo,revenue,cloud,60000000000000.01,USD,R6,,\n' +
          'a7,2026-01-08,out,bravo,investment,,99999999999999.99,USD,R7,,\n' +
          'a8,2026-01-09,in,bravo,revenue,cloud,99999999999999.99,USD,R8,,\n',
      },
      {
        name: 'bravo.csv',
        text:
          HEADER +
          'b1,2026-01-02,in,alpha,investment,,60000000000000.01,USD,R1,,\n' +
          'b2,2026-01-03,out,alpha,purchase,cloud,60000000000000.01,USD,R2,,\n' +
          'b3,2026-01-04,in,alpha,investment,,60000000000000.01,USD,R3,,\n' +
          'b4,2026-01-05,out,alpha,purchase,cloud,60000000000000.01,USD,R4,,\n' +
          'b5,2026-01-06,in,alpha,investment,,60000000000000.01,USD,R5,,\n' +
          'b6,2026-01-07,out,alpha,purchase,cloud,60000000000000.01,USD,R6,,\n' +
          'b7,2026-01-08,in,alpha,investment,,99999999999999.99,USD,R7,,\n' +
          'b8,2026-01-09,out,alpha,purchase,cloud,99999999999999.99,USD,R8,,\n',
      },
    ];
    const rec = reconciled(files.map((f) => ({ name: f.name, bytes: new TextEncoder().encode(f.text) })), 'pro-rata');
    // Three of 6,000,000,000,000,001 minor units: their sum, 18,000,000,000,000,003, is odd and past 2^53 (no double holds it).
    expect([...rec.returning].map((r) => r.amount)).toEqual([6_000_000_000_000_001n, 6_000_000_000_000_001n, 6_000_000_000_000_001n, 9_999_999_999_999_999n]);
    expect(rec.returning.minorAt(3)).toBeNaN();
    const flows = circularFlows(rec.returning, 2);
    expect(flows.loops).toEqual([{ investor: 'alpha', investee: 'bravo', payer: null, minor: 28_000_000_000_000_002n }]);
    expect(flows.all).toBe(28_000_000_000_000_002n);
    expect(totalOf(rec.returning)).toBe(28_000_000_000_000_002n);
    expect(flows.top.map((f) => [f.row[1], f.minor])).toEqual([
      ['a8', 9_999_999_999_999_999n],
      ['a2', 6_000_000_000_000_001n],
      ['a4', 6_000_000_000_000_001n],
      ['a6', 6_000_000_000_000_001n],
    ]);
    compare(rec, [ALL]);
  });

  it('a volume set at scale 3: the same', () => {
    const inputs = generateLedgers({ companies: 10, transfers: 3000, seed: 3, scale: 3 }).map((f) => ({ name: f.name, bytes: new TextEncoder().encode(f.text) }));
    const rec = reconciled(inputs, 'pro-rata');
    expect(rec.returning.length).toBeGreaterThan(10);
    compare(rec, [ALL]);
  });
});
