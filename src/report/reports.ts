/**
 * report: turns the traced figures into the rows of SPEC §4, one set per
 * period. Pure: no I/O, no clock.
 */
import { EXCEPTION_CODES, type Exception, type Ledgers, type Row, type Transfer, source } from '../model.js';
import type { Matched } from '../match/match.js';
import { formatAmount, percent } from '../money/amount.js';
import { type ReturningList, ReturningPicked, type TraceResult } from '../trace/trace.js';
import { byCodeUnits as cmp } from '../sort.js';
import type { Period } from './period.js';
import { CIRCULAR_COLUMNS, circularRow, sortReturning } from './circular.js';
import { exposureLines, periodEnd, type ExposureLine, type Relations } from './exposure.js';
import { table, type RowSource, type Table } from './table.js';

/** One booked revenue row with its split (SPEC §3.2 step 5). */
export interface RevenueLine {
  readonly row: Row;
  readonly transfer: Transfer;
  readonly circular: bigint;
  readonly organic: bigint;
  /** The kind on the payer's row, '' where the payer is external or recorded no row. */
  readonly payerKind: string;
}

export interface SummaryLine {
  readonly company: string;
  readonly category: string;
  booked: bigint;
  organic: bigint;
  circular: bigint;
  disputed: bigint;
  rows: number;
}

export interface PeriodReport {
  readonly period: string;
  readonly revenue: readonly RevenueLine[];
  readonly summary: readonly SummaryLine[];
  readonly returning: ReturningList;
  readonly exceptions: readonly Exception[];
  /** exposure.csv's lines (SPEC §9). */
  readonly exposure: readonly ExposureLine[];
}

/** What the exposure lines of every period need (SPEC §9). */
export interface ExposureContext {
  readonly relations: Relations;
  readonly companies: ReadonlySet<string>;
  /** The latest date part of any row of the run ('' when none): the `all` period's last day. */
  readonly latest: string;
}


/**
 * Sorts by company, then the cited row's timestamp, then its (file, line)
 * order, then `tie`. The keys are read once per item (rows read their values
 * from columns), not once per comparison.
 */
function byCompanyAndRow<T>(items: readonly T[], companyOf: (item: T) => string, rowOf: (item: T) => Row, tie?: (x: T, y: T) => number): T[] {
  const n = items.length;
  const company = new Array<string>(n);
  const ts = new Float64Array(n);
  const seq = new Float64Array(n);
  let maxSeq = 0;
  for (let i = 0; i < n; i++) {
    const item = items[i] as T;
    const row = rowOf(item);
    company[i] = companyOf(item);
    ts[i] = row.ts;
    seq[i] = row.seq;
    if (row.seq > maxSeq) maxSeq = row.seq;
  }
  // First in row order (a counting sort on seq, stable): a company's rows are then together and
  // mostly in time order, which the comparison sort (a merge sort of runs) finishes in near-linear time.
  const counts = new Int32Array(maxSeq + 2);
  for (let i = 0; i < n; i++) {
    const slot = (seq[i] as number) + 1;
    counts[slot] = (counts[slot] as number) + 1;
  }
  for (let s = 1; s < counts.length; s++) counts[s] = (counts[s] as number) + (counts[s - 1] as number);
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const slot = seq[i] as number;
    const at = counts[slot] as number;
    order[at] = i;
    counts[slot] = at + 1;
  }
  order.sort(
    (x, y) =>
      cmp(company[x] as string, company[y] as string) ||
      (ts[x] as number) - (ts[y] as number) ||
      (seq[x] as number) - (seq[y] as number) ||
      (tie === undefined ? 0 : tie(items[x] as T, items[y] as T)) ||
      x - y,
  );
  return order.map((i) => items[i] as T);
}

/** Every booked revenue row of the run with its split, in report order. */
export function revenueLines(matched: Matched, traced: TraceResult): RevenueLine[] {
  const lines: RevenueLine[] = [];
  for (const t of matched.transfers) {
    const row = t.payeeRow;
    if (row === null || row.kind !== 'revenue') continue;
    const circular = traced.returnedByTransfer[t.index] as bigint;
    lines.push({ row, transfer: t, circular, organic: row.amount - circular, payerKind: t.payerRow?.kind ?? '' });
  }
  return byCompanyAndRow(
    lines,
    (l) => l.row.company,
    (l) => l.row,
  );
}

export function isDisputed(line: RevenueLine): boolean {
  return line.payerKind === 'investment' || line.payerKind === 'other';
}

export function summarise(lines: readonly RevenueLine[]): SummaryLine[] {
  // By company, then category: no key string made per line.
  const groups = new Map<string, Map<string, SummaryLine>>();
  const all: SummaryLine[] = [];
  for (const line of lines) {
    const row = line.row;
    const company = row.company;
    const category = row.category;
    let byCategory = groups.get(company);
    if (byCategory === undefined) groups.set(company, (byCategory = new Map()));
    let s = byCategory.get(category);
    if (s === undefined) {
      s = { company, category, booked: 0n, organic: 0n, circular: 0n, disputed: 0n, rows: 0 };
      byCategory.set(category, s);
      all.push(s);
    }
    const amount = row.amount;
    s.booked += amount;
    s.organic += line.organic;
    s.circular += line.circular;
    if (isDisputed(line)) s.disputed += amount;
    s.rows++;
  }
  return all.sort((x, y) => cmp(x.company, y.company) || cmp(x.category, y.category));
}

const CODE_ORDER = new Map<string, number>(EXCEPTION_CODES.map((c, i) => [c, i]));

export function allExceptions(matched: Matched, traced: TraceResult): Exception[] {
  return byCompanyAndRow(
    [...matched.exceptions, ...traced.unfunded],
    (e) => e.company,
    (e) => e.row,
    (x, y) => (CODE_ORDER.get(x.code) as number) - (CODE_ORDER.get(y.code) as number),
  );
}

/** The returning stakes in report order (report/circular.ts: by ranks, no comparison per pair of stakes). */
export function sortedReturning(traced: TraceResult): ReturningList {
  return sortReturning(traced.returning);
}

/** The returning stakes whose cited row falls in the period (the list itself when all do); the test is made once per transfer. */
function returningIn(period: Period, returning: ReturningList): ReturningList {
  const n = returning.length;
  let lastT: Transfer | undefined;
  let inPeriod = false;
  let kept = 0;
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = returning.transferAt(i);
    if (t !== lastT) {
      lastT = t;
      inPeriod = period.contains((t.payeeRow ?? (t.payerRow as Row)).day);
    }
    if (inPeriod) {
      keep[i] = 1;
      kept++;
    }
  }
  if (kept === n) return returning;
  const index = new Int32Array(kept);
  for (let i = 0, k = 0; i < n; i++) if (keep[i] === 1) index[k++] = i;
  return new ReturningPicked(returning, index);
}

/** Selects one period's rows from the run-wide, already sorted lists. */
export function periodReport(
  period: Period,
  revenue: readonly RevenueLine[],
  returning: ReturningList,
  exceptions: readonly Exception[],
  context: ExposureContext,
  /** summarise(revenue), when already made: the period's summary when every revenue row is in it. */
  wholeSummary?: readonly SummaryLine[],
): PeriodReport {
  const test = (l: RevenueLine): boolean => period.contains(l.row.day);
  const inRevenue = revenue.every(test) ? revenue : revenue.filter(test);
  return {
    period: period.name,
    revenue: inRevenue,
    summary: inRevenue === revenue && wholeSummary !== undefined ? wholeSummary : summarise(inRevenue),
    returning: returningIn(period, returning),
    exceptions: exceptions.filter((e) => period.contains(e.row.day)),
    exposure: exposureLines(inRevenue, context.relations, context.companies, periodEnd(period, context.latest)),
  };
}

/** The five CSV tables of SPEC §4. */
export function reportTables(report: PeriodReport, digits: number): Record<'summary' | 'revenue' | 'circular' | 'exceptions' | 'exposure', RowSource> {
  const money = (m: bigint): string => formatAmount(m, digits);

  const summary = table([
    ['company', 'text'],
    ['category', 'text'],
    ['booked', 'number'],
    ['organic', 'number'],
    ['circular', 'number'],
    ['circular_pct', 'number'],
    ['disputed', 'number'],
    ['revenue_rows', 'number'],
  ]);
  for (const s of report.summary) {
    summary.rows.push([s.company, s.category, money(s.booked), money(s.organic), money(s.circular), percent(s.circular, s.booked), money(s.disputed), String(s.rows)]);
  }

  const revenue = table([
    ['company', 'text'],
    ['id', 'text'],
    ['date', 'text'],
    ['counterparty', 'text'],
    ['category', 'text'],
    ['amount', 'number'],
    ['organic', 'number'],
    ['circular', 'number'],
    ['circular_pct', 'number'],
    ['matched', 'text'],
    ['payer_kind', 'text'],
    ['source', 'text'],
  ]);
  function* revenueRows(): Generator<string[]> {
    for (const l of report.revenue) {
      const r = l.row;
      yield [
        r.company,
        r.id,
        r.date,
        r.counterparty,
        r.category,
        money(r.amount),
        money(l.organic),
        money(l.circular),
        percent(l.circular, r.amount),
        l.transfer.matched,
        l.payerKind,
        source(r),
      ];
    }
  }

  const circular = table(CIRCULAR_COLUMNS);
  function* circularRows(): Generator<string[]> {
    for (const c of report.returning) yield circularRow(c, money);
  }

  const exceptions = table([
    ['code', 'text'],
    ['company', 'text'],
    ['id', 'text'],
    ['date', 'text'],
    ['counterparty', 'text'],
    ['amount', 'number'],
    ['counterparty_id', 'text'],
    ['counterparty_amount', 'number'],
    ['detail', 'text'],
    ['source', 'text'],
  ]);
  for (const e of report.exceptions) {
    exceptions.rows.push([
      e.code,
      e.company,
      e.id,
      e.row.date,
      e.counterparty,
      money(e.amount),
      e.counterpartyRow?.id ?? '',
      e.counterpartyRow === null ? '' : money(e.counterpartyRow.amount),
      e.detail,
      source(e.row),
    ]);
  }
  return { summary, revenue: { ...revenue, rows: revenueRows() }, circular: { ...circular, rows: circularRows() }, exceptions, exposure: exposureTable(report.exposure, digits) };
}

/** exposure.csv (SPEC §9), sorted by company, counterparty, category as the lines are. */
export function exposureTable(lines: readonly ExposureLine[], digits: number): Table {
  const money = (m: bigint): string => formatAmount(m, digits);
  const exposure = table([
    ['company', 'text'],
    ['counterparty', 'text'],
    ['category', 'text'],
    ['booked', 'number'],
    ['organic', 'number'],
    ['circular', 'number'],
    ['related', 'number'],
    ['share_pct', 'number'],
    ['holds_pct', 'number'],
    ['held_pct', 'number'],
  ]);
  for (const l of lines) {
    exposure.rows.push([l.company, l.counterparty, l.category, money(l.booked), money(l.organic), money(l.circular), money(l.related), l.sharePct, l.holdsPct, l.heldPct]);
  }
  return exposure;
}

export type { Ledgers };
