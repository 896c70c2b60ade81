/**
 * The I/O edge of loading: reads a ledgers folder one file at a time (only
 * one file's bytes are held at once) into the pure loader.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { usageError } from '../errors.js';
import type { Ledgers } from '../model.js';
import { isLedgerName, LedgerLoader } from './load.js';

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

export async function readLedgers(dir: string, onProgress?: LoadProgress): Promise<Ledgers> {
  const loader = new LedgerLoader(await ledgerNames(dir), dir);
  const total = loader.toRead.length;
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
  return loader.finish();
}
