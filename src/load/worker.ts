/**
 * A reading thread (see read.ts): reads, decodes, parses and checks the
 * ledger files of some companies, and sends back their rows packed in
 * columns. If its files hold any input error it sends only that fact: the
 * main thread then reads the whole set itself, so messages come out exactly
 * as a single-threaded read gives them, in file and line order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RoundtripError } from '../errors.js';
import type { LedgerFile } from '../model.js';
import { buffersOf, packTable, type PackedRows } from './packed.js';
import { readInto } from './read.js';
import { LedgerLoader } from './load.js';

export interface WorkerTask {
  readonly dir: string;
  /** The files this thread reads: every file of its companies. */
  readonly names: readonly string[];
  /** Every company of the run. */
  readonly companies: readonly string[];
}

export type WorkerMessage =
  /** Files read and rows loaded so far by this thread. */
  | { readonly type: 'progress'; readonly files: number; readonly rows: number }
  | { readonly type: 'done'; readonly files: readonly LedgerFile[]; readonly currency: string; readonly rows: PackedRows }
  | { readonly type: 'invalid' };

const port = parentPort;
if (port === null) throw new Error('load/worker.js runs as a worker thread');
const task = workerData as WorkerTask;
const loader = new LedgerLoader(task.names, task.dir, task.companies);
await readInto(task.dir, loader, (files, _total, rows) => {
  if (files > 0) port.postMessage({ type: 'progress', files, rows } satisfies WorkerMessage);
});
try {
  const ledgers = loader.finish();
  const rows = packTable(loader.rowTable);
  port.postMessage({ type: 'done', files: ledgers.files, currency: ledgers.currency, rows } satisfies WorkerMessage, buffersOf(rows));
} catch (error) {
  if (!(error instanceof RoundtripError)) throw error;
  port.postMessage({ type: 'invalid' } satisfies WorkerMessage);
}
