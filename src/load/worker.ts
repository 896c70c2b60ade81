/**
 * A reading thread (see read-threads.ts): reads, decodes, parses and checks the
 * ledger files of some companies, and sends back their rows packed in
 * columns. If its files hold any input error it sends only that fact: the
 * main thread then reads the whole set itself, so messages come out exactly
 * as a single-threaded read gives them, in file and line order.
 */
import { RoundtripError } from '../errors.js';
import type { LedgerFile } from '../model.js';
import { threadTask } from '../threads/pool.js';
import { buffersOf, packTable, type PackedRows } from './packed.js';
import { readInto } from './read-files.js';
import { LedgerLoader } from './load.js';

export interface ReadTask {
  readonly dir: string;
  /** The files this thread reads: every file of its companies. */
  readonly names: readonly string[];
  /** Every company of the run. */
  readonly companies: readonly string[];
}

/** Files read and rows loaded so far by this thread. */
export interface ReadProgress {
  readonly files: number;
  readonly rows: number;
}

/** The thread's rows, or null when its files hold an input error. */
export type ReadResult = { readonly files: readonly LedgerFile[]; readonly currency: string; readonly rows: PackedRows } | null;

const thread = threadTask<ReadTask, ReadProgress, ReadResult>('load/worker.js');
const task = thread.task;
const loader = new LedgerLoader(task.names, task.dir, task.companies);
await readInto(task.dir, loader, (files, _total, rows) => {
  if (files > 0) thread.progress({ files, rows });
});
try {
  const ledgers = loader.finish();
  const rows = packTable(loader.rowTable);
  thread.finish({ files: ledgers.files, currency: ledgers.currency, rows }, buffersOf(rows));
} catch (error) {
  if (!(error instanceof RoundtripError)) throw error;
  thread.finish(null);
}
