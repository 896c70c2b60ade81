/**
 * The monthly batch of `roundtrip run`, assembled once below the commands:
 * read the ledgers (in threads when it pays), match, trace (in threads when
 * it pays), reconcile and check, make the report folders and write them
 * atomically. cli/run.ts parses the options, calls `runBatch` and prints.
 */
import { readLedgers, type ReadOptions } from './load/read.js';
import { matchTransfers } from './match/match.js';
import type { Ledgers } from './model.js';
import { reconcileTraced, reportFolderStreams, traceOptions } from './pipeline.js';
import type { Period } from './report/period.js';
import type { PeriodReport } from './report/reports.js';
import type { Method } from './trace/methods.js';
import { traceInThreads } from './trace/trace.js';
import { writeFolders } from './write/atomic.js';

export interface BatchOptions {
  readonly ledgers: string;
  readonly out: string;
  readonly periods: readonly Period[];
  readonly method: Method;
  readonly earmark: boolean;
  readonly bom: boolean;
  /** How to read the ledgers (`jobs`, and whatever else the reading takes); `jobs` also says how many threads trace. */
  readonly read: ReadOptions;
}

/** Where the batch says how far it is (the command shows it as a progress line). */
export interface BatchProgress {
  /** Starts a stage of `total` units (files, rows, transfers, folders). */
  stage(name: string, total: number, unit: string): void;
  /** `done` units of the current stage, and the ledger rows read so far while loading. */
  update(done: number, rows?: number): void;
}

export interface BatchResult {
  readonly ledgers: Ledgers;
  /** One a period, in the order of the periods. */
  readonly reports: readonly PeriodReport[];
}

export async function runBatch(options: BatchOptions, progress: BatchProgress): Promise<BatchResult> {
  const { method, earmark, periods } = options;
  const jobs = options.read.jobs ?? 'auto';
  progress.stage('loading', 1, 'files');
  let loading = 'loading';
  const ledgers = await readLedgers(
    options.ledgers,
    (done, total, rows) => {
      if (done === 0) progress.stage(loading, total, 'files');
      else progress.update(done, rows);
    },
    { ...options.read, onThreads: (threads) => (loading = `loading in ${threads} threads`) },
  );
  progress.stage('matching', ledgers.rows.length, 'rows');
  const matched = matchTransfers(ledgers, (done) => progress.update(done));
  progress.stage('tracing', matched.transfers.length, 'transfers');
  const traceChoice = traceOptions(ledgers, { method, earmark, onProgress: (done) => progress.update(done) });
  const traced = await traceInThreads(matched.transfers, ledgers.companies, traceChoice, jobs, (threads) =>
    progress.stage(`tracing in ${threads} threads`, matched.transfers.length, 'transfers'),
  );
  const rec = reconcileTraced(ledgers, matched, traced);
  progress.stage('reporting', periods.length, 'folders');
  const built = reportFolderStreams(rec, periods, { bom: options.bom });
  // writeFolders catches Ctrl-C (and SIGTERM) itself while it writes: no partial output.
  await writeFolders(options.out, built.folders);
  return { ledgers, reports: built.reports };
}
