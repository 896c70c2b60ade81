/**
 * The pipeline, composed: load → match → trace → report. Everything here is
 * pure; the commands in src/cli/ do the reading and writing at the edges.
 */
import type { Exception, Ledgers } from './model.js';
import { matchTransfers, type Matched } from './match/match.js';
import { assertBooks, checkBooks, type CheckResult } from './report/check.js';
import { reportHtmlChunks, type ManifestFigures } from './report/html.js';
import { circularFlows } from './report/circular.js';
import { Relations } from './report/exposure.js';
import { manifest } from './report/manifest.js';
import type { Period } from './report/period.js';
import { allExceptions, periodReport, revenueLines, reportTables, sortedReturning, summarise, type PeriodReport, type RevenueLine, type SummaryLine } from './report/reports.js';
import type { Method } from './trace/methods.js';
import { engineLabel, trace, type ReturningList, type TraceOptions, type TraceResult } from './trace/trace.js';
import { circularChunks } from './write/circular.js';
import { tableChunks, type CsvOptions } from './write/csv.js';
import { type FileContent, textOf } from './write/files.js';
import type { FolderContent } from './write/atomic.js';

export interface Reconciliation {
  readonly ledgers: Ledgers;
  readonly matched: Matched;
  readonly traced: TraceResult;
  /** Run-wide, in report order. */
  readonly revenue: readonly RevenueLine[];
  readonly returning: ReturningList;
  readonly exceptions: readonly Exception[];
  readonly checks: readonly CheckResult[];
  /** summarise(revenue): the summary of a period that holds every revenue row. */
  readonly summary: readonly SummaryLine[];
  /** Who is related to whom, on which day (SPEC §9). */
  readonly relations: Relations;
}

export interface TraceChoice {
  readonly method: Method;
  readonly earmark: boolean;
  readonly observe?: TraceOptions['observe'];
  readonly onProgress?: TraceOptions['onProgress'];
}

/** The trace options of a choice. */
export function traceOptions(ledgers: Ledgers, choice: TraceChoice): TraceOptions {
  return {
    method: choice.method,
    earmark: choice.earmark,
    minorDigits: ledgers.minorDigits,
    ...(choice.observe === undefined ? {} : { observe: choice.observe }),
    ...(choice.onProgress === undefined ? {} : { onProgress: choice.onProgress }),
  };
}

/** Traces matched ledgers by one method and checks the books (throws exit 1 if they do not balance). */
export function reconcile(ledgers: Ledgers, matched: Matched, choice: TraceChoice): Reconciliation {
  return reconcileTraced(ledgers, matched, trace(matched.transfers, ledgers.companies, traceOptions(ledgers, choice)));
}

/** The reconciliation of a trace already made (`reconcile` traces in this thread; `run` may trace in threads). */
export function reconcileTraced(ledgers: Ledgers, matched: Matched, traced: TraceResult): Reconciliation {
  const revenue = revenueLines(matched, traced);
  const summary = summarise(revenue);
  const checks = checkBooks(traced, revenue, summary, ledgers.minorDigits);
  assertBooks(checks, 'all');
  const relations = new Relations(ledgers.ownership, matched.transfers);
  return { ledgers, matched, traced, revenue, returning: sortedReturning(traced), exceptions: allExceptions(matched, traced), checks, summary, relations };
}

export function reconcileLedgers(ledgers: Ledgers, choice: TraceChoice): Reconciliation {
  return reconcile(ledgers, matchTransfers(ledgers), choice);
}

export interface ReportOptions {
  readonly bom: boolean;
}

/** A table's CSV, made as it is written. */
function csvContent(t: Parameters<typeof tableChunks>[0], options: CsvOptions): FileContent {
  return { chunks: () => tableChunks(t, options) };
}

/**
 * report.html (SPEC §11), made when it is written from the same table rows as
 * the CSV files and the figures of the manifest, so its figures are theirs.
 */
function htmlContent(report: PeriodReport, digits: number, manifestText: string, tables: Pick<ReturnType<typeof reportTables>, 'summary' | 'exposure'>): FileContent {
  return {
    chunks: () => {
      const circular = circularFlows(report.returning, digits);
      return reportHtmlChunks({ manifest: JSON.parse(manifestText) as ManifestFigures, summary: tables.summary, circular, exposure: tables.exposure, digits });
    },
  };
}

/**
 * The report folders of a run, one per period. The CSV files are made while
 * they are written (`writeFolders`), so a report of millions of rows is never
 * held whole; the checks and the manifest are done here, before anything is
 * written.
 */
export function reportFolderStreams(rec: Reconciliation, periods: readonly Period[], options: ReportOptions): { reports: PeriodReport[]; folders: FolderContent[] } {
  const reports: PeriodReport[] = [];
  const folders: FolderContent[] = [];
  const exposure = { relations: rec.relations, companies: new Set(rec.ledgers.companies), latest: latestDay(rec.ledgers) };
  for (const period of periods) {
    const report = periodReport(period, rec.revenue, rec.returning, rec.exceptions, exposure, rec.summary);
    // A period that holds every revenue row has the run's rows and summary: its checks are the run's.
    const checks = report.revenue === rec.revenue && report.summary === rec.summary ? rec.checks : checkBooks(rec.traced, report.revenue, report.summary, rec.ledgers.minorDigits);
    assertBooks(checks, period.name);
    const tables = reportTables(report, rec.ledgers.minorDigits);
    const manifestText = manifest({
      ledgers: rec.ledgers,
      report,
      method: rec.traced.method,
      earmark: rec.traced.earmark,
      engine: engineLabel(rec.traced.engine),
      bom: options.bom,
      transfers: rec.traced.order.length,
      checks,
    });
    const files = new Map<string, FileContent>([
      ['summary.csv', csvContent(tables.summary, options)],
      ['revenue.csv', csvContent(tables.revenue, options)],
      ['circular.csv', { chunks: () => circularChunks(report.returning, rec.ledgers.minorDigits, options) }],
      ['exceptions.csv', csvContent(tables.exceptions, options)],
      ['exposure.csv', csvContent(tables.exposure, options)],
      ['manifest.json', manifestText],
      ['report.html', htmlContent(report, rec.ledgers.minorDigits, manifestText, tables)],
    ]);
    reports.push(report);
    folders.push({ name: period.name, files });
  }
  return { reports, folders };
}

/** The latest date part of any row of the run, '' when there is none (SPEC §9: where `all` reads its holdings). */
function latestDay(ledgers: Ledgers): string {
  let latest = '';
  for (const row of ledgers.rows) if (row.day > latest) latest = row.day;
  return latest;
}

/** The report folders of a run with every file as text (tests, small runs). */
export function reportFolders(rec: Reconciliation, periods: readonly Period[], options: ReportOptions): { reports: PeriodReport[]; folders: FolderContent<string>[] } {
  const { reports, folders } = reportFolderStreams(rec, periods, options);
  return { reports, folders: folders.map((f) => ({ name: f.name, files: new Map([...f.files].map(([name, content]) => [name, textOf(content)])) })) };
}
