/**
 * compare: every tracing method of SPEC §3.4 side by side, over one parse
 * and one match, with and without earmarks. Pure: ledgers in, figures and
 * tables out; compare/run.ts does the reading and writing.
 */
import { internalError } from '../errors.js';
import type { Ledgers } from '../model.js';
import type { Matched } from '../match/match.js';
import { formatAmount, percent } from '../money/amount.js';
import { reconcile, type Reconciliation } from '../pipeline.js';
import { assertBooks, checkBooks } from '../report/check.js';
import type { Period } from '../report/period.js';
import { summarise } from '../report/reports.js';
import { table, type Table } from '../report/table.js';
import { byCodeUnits as cmp } from '../sort.js';
import { METHODS, type Method } from '../trace/methods.js';

/** One reconciliation per method, all with the same earmark setting. */
export interface MethodSet {
  readonly earmark: boolean;
  /** In METHODS order. */
  readonly runs: ReadonlyMap<Method, Reconciliation>;
}

export interface Comparison {
  readonly ledgers: Ledgers;
  /** The setting methods.csv reports (earmarks on unless --no-earmark). */
  readonly chosen: MethodSet;
  /** The other earmark setting, traced too so the printout can say what the earmark changes. */
  readonly other: MethodSet;
}

/** One row of methods.csv: a company and revenue category with revenue in the period. */
export interface MethodsLine {
  readonly company: string;
  readonly category: string;
  readonly booked: bigint;
  /** Circular revenue per method, in METHODS order. */
  readonly circular: readonly bigint[];
  readonly min: bigint;
  readonly max: bigint;
  /** (max − min) / booked × 100, two decimals, half even. */
  readonly spreadPct: string;
}

function methodSet(ledgers: Ledgers, matched: Matched, earmark: boolean): MethodSet {
  const runs = new Map<Method, Reconciliation>();
  for (const method of METHODS) runs.set(method, reconcile(ledgers, matched, { method, earmark }));
  return { earmark, runs };
}

/** Traces the matched ledgers by all five methods, with and without earmarks (each trace checks its books). */
export function compareMethods(ledgers: Ledgers, matched: Matched, earmark: boolean): Comparison {
  return { ledgers, chosen: methodSet(ledgers, matched, earmark), other: methodSet(ledgers, matched, !earmark) };
}


/**
 * The rows of methods.csv for one period, sorted by company then category
 * (like summary.csv). Each method's period figures are checked like a run's
 * (organic + circular = amount, summary = sum of rows); every method must
 * book the same revenue rows, or it is a bug.
 */
export function methodsLines(set: MethodSet, period: Period): MethodsLine[] {
  const groups = new Map<string, { company: string; category: string; booked: bigint; circular: bigint[] }>();
  METHODS.forEach((method, m) => {
    const rec = set.runs.get(method) as Reconciliation;
    const revenue = rec.revenue.filter((l) => period.contains(l.row.day));
    const summary = summarise(revenue);
    assertBooks(checkBooks(rec.traced, revenue, summary, rec.ledgers.minorDigits), period.name);
    for (const s of summary) {
      const key = `${s.company}\u0000${s.category}`;
      let g = groups.get(key);
      if (g === undefined) {
        if (m > 0) throw internalError(`compare: ${s.company} ${s.category} has revenue under ${method} but not under ${METHODS[0]} (period ${period.name})`);
        g = { company: s.company, category: s.category, booked: s.booked, circular: [] };
        groups.set(key, g);
      } else if (g.booked !== s.booked) {
        throw internalError(`compare: ${s.company} ${s.category} books ${s.booked} under ${method} but ${g.booked} under ${METHODS[0]} (period ${period.name})`);
      }
      g.circular.push(s.circular);
    }
  });
  const lines: MethodsLine[] = [];
  for (const g of groups.values()) {
    if (g.circular.length !== METHODS.length) throw internalError(`compare: ${g.company} ${g.category} lacks a method's figure (period ${period.name})`);
    let min = g.circular[0] as bigint;
    let max = min;
    for (const c of g.circular) {
      if (c < min) min = c;
      if (c > max) max = c;
    }
    lines.push({ company: g.company, category: g.category, booked: g.booked, circular: g.circular, min, max, spreadPct: percent(max - min, g.booked) });
  }
  return lines.sort((x, y) => cmp(x.company, y.company) || cmp(x.category, y.category));
}

/** methods.csv columns: company, category, booked, circular_<method>…, circular_min, circular_max, spread_pct. */
export const METHODS_COLUMNS: readonly string[] = [
  'company',
  'category',
  'booked',
  ...METHODS.map((m) => `circular_${m}`),
  'circular_min',
  'circular_max',
  'spread_pct',
];

export function methodsTable(lines: readonly MethodsLine[], digits: number): Table {
  const money = (m: bigint): string => formatAmount(m, digits);
  const t = table(METHODS_COLUMNS.map((name, i) => [name, i < 2 ? 'text' : 'number'] as const));
  for (const l of lines) t.rows.push([l.company, l.category, money(l.booked), ...l.circular.map(money), money(l.min), money(l.max), l.spreadPct]);
  return t;
}

/** "12.34" → 1234n: percentages always have two decimals. */
function hundredths(pct: string): bigint {
  return BigInt(pct.replace('.', ''));
}

/** The printed order: widest spread first (as printed, two decimals), then company, then category. */
export function byWidestSpread(x: MethodsLine, y: MethodsLine): number {
  const a = hundredths(x.spreadPct);
  const b = hundredths(y.spreadPct);
  return a > b ? -1 : a < b ? 1 : cmp(x.company, y.company) || cmp(x.category, y.category);
}

/** Do two lines (same company and category) differ in any method's figure? */
export function differs(x: MethodsLine, y: MethodsLine): boolean {
  return x.circular.some((c, i) => c !== y.circular[i]);
}
