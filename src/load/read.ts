/**
 * The I/O edge of loading: reads a ledgers folder one file at a time (only
 * one file's bytes are held at once) into the pure loader.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { usageError } from '../errors.js';
import type { Ledgers } from '../model.js';
import type { Jobs } from '../threads/pool.js';
import type { CurrencyOptions } from './fx.js';
import { isLedgerName, LedgerLoader } from './load.js';
import { RATES_FILE, readRates } from './rates.js';
import { type LoadProgress, readInto, reasonOf } from './read-files.js';
import { readOwnership } from './read-ownership.js';
import { readInThreads, threadGroups } from './read-threads.js';
import { isRulesName } from './rules/folder.js';

export type { Jobs } from '../threads/pool.js';
export type { LoadProgress } from './read-files.js';

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
    if (!(isLedgerName(entry.name) || isRulesName(entry.name)) || entry.isDirectory()) continue;
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

export interface ReadOptions {
  readonly jobs?: Jobs;
  /** `--ownership FILE`: read instead of the folder's `_ownership.csv` (SPEC §9). */
  readonly ownership?: string;
  /** `--currency`: the reporting currency (SPEC §1). */
  readonly currency?: string | undefined;
  /** `--rates FILE`: replaces the folder's `_rates.csv` (SPEC §8). */
  readonly rates?: string | undefined;
  /** Told how many threads read the files, when more than one does (progress display). */
  readonly onThreads?: (threads: number) => void;
}

/** The rates file of a run (SPEC §8): `--rates FILE`, else `_rates.csv` in the folder when there is one. */
async function currencyOptions(dir: string, names: readonly string[], options: ReadOptions): Promise<CurrencyOptions> {
  const inFolder = `${dir.replace(/\/+$/, '')}/${RATES_FILE}`;
  const path = options.rates ?? (names.includes(RATES_FILE) ? inFolder : undefined);
  if (path === undefined) return { currency: options.currency, ratesPath: inFolder };
  let bytes: Uint8Array;
  try {
    bytes = await readFile(options.rates ?? join(dir, RATES_FILE));
  } catch (error) {
    const what = options.rates === undefined ? `rates file ${JSON.stringify(path)}` : `--rates ${JSON.stringify(path)}`;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError(`${what} does not exist (expected a rates file: date,from,to,rate)`);
    throw usageError(`${what} cannot be read: ${reasonOf(error)} (expected a readable rates file: date,from,to,rate)`);
  }
  return { currency: options.currency, ratesPath: path, rates: readRates(bytes, path, basename(path)) };
}

export async function readLedgers(dir: string, onProgress?: LoadProgress, options: ReadOptions = {}): Promise<Ledgers> {
  const names = await ledgerNames(dir);
  const loader = new LedgerLoader(names, dir, undefined, await currencyOptions(dir, names, options));
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
      const ledgers = await readInThreads(dir, loader, groups, onProgress, options.currency);
      if (ledgers !== undefined) return ledgers;
      // Some file holds an input error: read the set again here, so the messages come out exactly as a single thread gives them.
    }
  }
  await readInto(dir, loader, onProgress);
  return loader.finish();
}
