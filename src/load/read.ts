/**
 * The I/O edge of loading: reads a ledgers folder one file at a time (only
 * one file's bytes are held at once) into the pure loader.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RoundtripError, usageError } from '../errors.js';
import type { LedgerFile, Ledgers } from '../model.js';
import { minorDigits } from '../money/amount.js';
import { byCodeUnits, companyOf, isLedgerName, LedgerLoader } from './load.js';
import { PackReader, type PackedRows } from './packed.js';
import { readOwnership } from './read-ownership.js';
import { RowTable } from './row-table.js';
import type { WorkerMessage, WorkerTask } from './worker.js';

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'it is a broken link or was removed while reading';
  if (code === 'ELOOP') return 'it is a link that loops';
  if (code === 'EISDIR') return 'it is a folder';
  return (error as Error).message ?? String(error);
}

const NO_LEDGERS = 'expected a folder of COMPANY.csv files, e.g. amazon.csv or amazon.2026-10.csv; pass --ledgers DIR';

/** The ledger candidates of a folder: `.csv` names, not hidden, not subfolders (SPEC §1). A usage error when there are none. */
async function ledgerNames(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError(`ledgers folder ${JSON.stringify(dir)} does not exist (pass --ledgers DIR, a folder of COMPANY.csv files)`);
    if (code === 'ENOTDIR') throw usageError(`--ledgers ${JSON.stringify(dir)} is a file, not a folder (${NO_LEDGERS})`);
    if (code === 'EACCES' || code === 'EPERM') throw usageError(`ledgers folder ${JSON.stringify(dir)} cannot be read: permission denied`);
    throw usageError(`ledgers folder ${JSON.stringify(dir)} cannot be read: ${reasonOf(error)}`);
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (!isLedgerName(entry.name) || entry.isDirectory()) continue;
    // A link is followed: a link to a folder is ignored like a folder, a broken link is reported when read.
    if (entry.isSymbolicLink()) {
      const isFolder = await readdir(join(dir, entry.name)).then(
        () => true,
        () => false,
      );
      if (isFolder) continue;
    }
    names.push(entry.name);
  }
  if (names.length === 0) throw usageError(`ledgers folder ${JSON.stringify(dir)} holds no ledger file (${NO_LEDGERS})`);
  return names;
}

/** Called after each file with the files read so far, of how many, and the rows loaded so far. */
export type LoadProgress = (filesDone: number, filesTotal: number, rows: number) => void;

/**
 * The most rows files of this many bytes can hold: a row takes at least 34
 * bytes (ten commas, a line end, a date, a direction, a kind, a currency and
 * one character of id, counterparty and amount).
 */
export function rowsAtMost(bytes: number): number {
  return Math.ceil(bytes / 34);
}

/** Reads every file a loader asks for, one at a time, into it. */
export async function readInto(dir: string, loader: LedgerLoader, onProgress?: LoadProgress): Promise<void> {
  const total = loader.toRead.length;
  let bytes = 0;
  for (const name of loader.toRead) bytes += await fileSize(join(dir, name));
  loader.expectRows(rowsAtMost(bytes));
  let done = 0;
  for (const name of loader.toRead) {
    onProgress?.(done++, total, loader.rowsLoaded);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(join(dir, name));
    } catch (error) {
      loader.unreadable(name, reasonOf(error));
      continue;
    }
    loader.add(name, bytes);
  }
  onProgress?.(done, total, loader.rowsLoaded);
}

/** A file's size in bytes; 0 when it cannot be read (that is reported when it is read). */
async function fileSize(path: string): Promise<number> {
  return stat(path).then(
    (info) => info.size,
    () => 0,
  );
}

/** How many threads read the ledgers: a number, or `auto` (one per core, at most two, for sets of AUTO_BYTES or more). */
export type Jobs = number | 'auto';

export interface ReadOptions {
  readonly jobs?: Jobs;
  /** `--ownership FILE`: read instead of the folder's `_ownership.csv` (SPEC §9). */
  readonly ownership?: string;
  /** Told how many threads read the files, when more than one does (progress display). */
  readonly onThreads?: (threads: number) => void;
}

/** Below this size a set is read on the main thread: starting threads would cost more than they save. */
export const AUTO_BYTES = 16 * 1024 * 1024;
const AUTO_MAX_JOBS = 2;
const WORKER = new URL('./worker.js', import.meta.url);

export async function readLedgers(dir: string, onProgress?: LoadProgress, options: ReadOptions = {}): Promise<Ledgers> {
  const names = await ledgerNames(dir);
  const loader = new LedgerLoader(names, dir);
  // Its errors are reported with the ledgers' (the loader holds them): read it first.
  const ownership = await readOwnership(dir, names, loader, options.ownership);
  const ledgers = await readLedgerFiles(dir, loader, onProgress, options);
  return ownership === undefined ? ledgers : { ...ledgers, ownership };
}

async function readLedgerFiles(dir: string, loader: LedgerLoader, onProgress: LoadProgress | undefined, options: ReadOptions): Promise<Ledgers> {
  if (loader.issueCount === 0 && loader.toRead.length > 1) {
    const groups = await threadGroups(dir, loader, options.jobs ?? 'auto');
    if (groups.length > 1) {
      options.onThreads?.(groups.length);
      const ledgers = await readInThreads(dir, loader, groups, onProgress);
      if (ledgers !== undefined) return ledgers;
      // Some file holds an input error: read the set again here, so the messages come out exactly as a single thread gives them.
    }
  }
  await readInto(dir, loader, onProgress);
  return loader.finish();
}

/**
 * The files each thread reads: every file of a company goes to one thread
 * (ids and refs are checked across a company's files), companies dealt out
 * largest first to the thread with the fewest bytes. One group: read here.
 */
export async function threadGroups(dir: string, loader: LedgerLoader, jobs: Jobs): Promise<string[][]> {
  const wanted = jobs === 'auto' ? Math.min(AUTO_MAX_JOBS, availableParallelism()) : jobs;
  if (wanted < 2 || !existsSync(fileURLToPath(WORKER))) return [];
  const bytes = new Map<string, number>();
  let total = 0;
  for (const name of loader.toRead) {
    const size = await fileSize(join(dir, name));
    const company = companyOf(name);
    bytes.set(company, (bytes.get(company) ?? 0) + size);
    total += size;
  }
  if (jobs === 'auto' && total < AUTO_BYTES) return [];
  const count = Math.min(wanted, bytes.size);
  if (count < 2) return [];
  const load = new Array<number>(count).fill(0);
  const groupOf = new Map<string, number>();
  for (const [company, size] of [...bytes].sort((x, y) => y[1] - x[1] || byCodeUnits(x[0], y[0]))) {
    let lightest = 0;
    for (let g = 1; g < count; g++) if ((load[g] as number) < (load[lightest] as number)) lightest = g;
    groupOf.set(company, lightest);
    load[lightest] = (load[lightest] as number) + size;
  }
  const groups = Array.from({ length: count }, () => [] as string[]);
  for (const name of loader.toRead) groups[groupOf.get(companyOf(name)) as number]?.push(name);
  return groups;
}

interface Part {
  readonly files: readonly LedgerFile[];
  readonly currency: string;
  readonly rows: PackedRows;
}

/** One reading thread; resolves to its rows, or undefined if its files hold an input error. */
function readInThread(task: WorkerTask, onProgress: (files: number, rows: number) => void): { done: Promise<Part | undefined>; stop: () => void } {
  const worker = new Worker(WORKER, { workerData: task });
  const done = new Promise<Part | undefined>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress(message.files, message.rows);
      else {
        settled = true;
        resolve(message.type === 'done' ? message : undefined);
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new RoundtripError('internal', `a ledger reading thread stopped with code ${code} before it finished`));
    });
  });
  return { done, stop: () => void worker.terminate() };
}

/** Reads the groups in threads and merges their rows in file order; undefined if a file holds an input error. */
async function readInThreads(dir: string, loader: LedgerLoader, groups: readonly string[][], onProgress?: LoadProgress): Promise<Ledgers | undefined> {
  const total = loader.toRead.length;
  const files = new Array<number>(groups.length).fill(0);
  const rows = new Array<number>(groups.length).fill(0);
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  onProgress?.(0, total, 0);
  const threads = groups.map((names, g) =>
    readInThread({ dir, names, companies: loader.companyIds }, (f, r) => {
      files[g] = f;
      rows[g] = r;
      onProgress?.(sum(files), total, sum(rows));
    }),
  );
  let parts: (Part | undefined)[];
  try {
    parts = await Promise.all(threads.map((t) => t.done));
  } finally {
    for (const t of threads) t.stop();
  }
  const currencies = new Set(parts.map((p) => p?.currency ?? '').filter((c) => c !== ''));
  // An input error, or two currencies (an error the main thread words with the run's first currency).
  if (parts.some((p) => p === undefined) || currencies.size > 1) return undefined;

  const table = new RowTable(true, (parts as Part[]).reduce((n, p) => n + p.rows.count, 0));
  const readers = new Map<string, PackReader>();
  const fileInfo = new Map<string, LedgerFile>();
  for (const part of parts as Part[]) {
    const reader = new PackReader(table, part.rows);
    for (const name of reader.files) readers.set(name, reader);
    for (const file of part.files) fileInfo.set(file.name, file);
  }
  const ledgerFiles: LedgerFile[] = [];
  for (const name of loader.toRead) {
    const file = fileInfo.get(name) as LedgerFile;
    ledgerFiles.push(file);
    readers.get(name)?.append(name, table.addFile(name, file.company));
  }
  const currency = [...currencies][0] ?? '';
  return { companies: loader.companyIds, files: ledgerFiles, rows: table.rows, currency, minorDigits: currency === '' ? 2 : minorDigits(currency) };
}
