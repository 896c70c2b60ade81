/**
 * Reading the ledgers in threads (`--jobs`): every file of a company goes to
 * one thread (worker.ts), the threads send their rows back packed in columns
 * (packed.ts), and the main thread merges them in file order.
 */
import { join } from 'node:path';
import type { LedgerFile, Ledgers } from '../model.js';
import { minorDigits } from '../money/amount.js';
import { autoThreads, canRunThreads, dealOut, type Jobs, runThreads } from '../threads/pool.js';
import { byCodeUnits } from '../sort.js';
import { companyOf, type LedgerLoader } from './load.js';
import { PackReader } from './packed.js';
import { fileSize, type LoadProgress } from './read-files.js';
import { RowTable } from './row-table.js';
import type { ReadProgress, ReadResult, ReadTask } from './worker.js';

/** Below this size a set is read on the main thread: starting threads would cost more than they save. */
export const AUTO_BYTES = 16 * 1024 * 1024;
const AUTO_MAX_JOBS = 2;
const WORKER = new URL('./worker.js', import.meta.url);

/** A thread's rows, when its files hold no input error. */
type Part = NonNullable<ReadResult>;

/**
 * The files each thread reads: every file of a company goes to one thread
 * (ids and refs are checked across a company's files), companies dealt out
 * largest first to the thread with the fewest bytes. One group: read here.
 */
export async function threadGroups(dir: string, loader: LedgerLoader, jobs: Jobs): Promise<string[][]> {
  const wanted = jobs === 'auto' ? autoThreads(AUTO_MAX_JOBS) : jobs;
  if (wanted < 2 || !canRunThreads(WORKER)) return [];
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
  const companies = [...bytes.keys()];
  const threadOf = dealOut([...bytes.values()], count, (a, b) => byCodeUnits(companies[a] as string, companies[b] as string));
  const groupOf = new Map(companies.map((company, i) => [company, threadOf[i] as number]));
  const groups = Array.from({ length: count }, () => [] as string[]);
  for (const name of loader.toRead) groups[groupOf.get(companyOf(name)) as number]?.push(name);
  return groups;
}

/** Reads the groups in threads and merges their rows in file order; undefined if a file holds an input error. */
export async function readInThreads(dir: string, loader: LedgerLoader, groups: readonly string[][], onProgress?: LoadProgress, reporting?: string): Promise<Ledgers | undefined> {
  const total = loader.toRead.length;
  const files = new Array<number>(groups.length).fill(0);
  const rows = new Array<number>(groups.length).fill(0);
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  onProgress?.(0, total, 0);
  const tasks = groups.map((names): ReadTask => ({ dir, names, companies: loader.companyIds }));
  const parts = await runThreads<ReadTask, ReadProgress, ReadResult>(WORKER, tasks, 'a ledger reading thread', (g, progress) => {
    files[g] = progress.files;
    rows[g] = progress.rows;
    onProgress?.(sum(files), total, sum(rows));
  });
  const currencies = new Set(parts.map((p) => p?.currency ?? '').filter((c) => c !== ''));
  // An input error, or rows to convert (SPEC §8: the main thread converts them as it reads).
  if (reporting !== undefined) currencies.add(reporting);
  if (parts.some((p) => p === null) || currencies.size > 1) return undefined;

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
  const fx = loader.currencyInfo;
  return { companies: loader.companyIds, files: ledgerFiles, rows: table.rows, currency, minorDigits: currency === '' ? 2 : minorDigits(currency), ...(fx === undefined ? {} : { fx }) };
}
