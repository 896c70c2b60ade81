/** The I/O edge of loading: reads a ledgers folder into memory. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { usageError } from '../errors.js';
import type { Ledgers } from '../model.js';
import { isLedgerName, loadLedgers, type LedgerInput } from './load.js';

export async function readLedgerInputs(dir: string): Promise<LedgerInput[]> {
  let names: string[];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw usageError(`--ledgers ${JSON.stringify(dir)} is not a folder (expected a folder of COMPANY.csv files)`);
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw usageError(`ledgers folder ${JSON.stringify(dir)} does not exist (pass --ledgers DIR, a folder of COMPANY.csv files)`);
    }
    if ((error as NodeJS.ErrnoException).code === 'EACCES') throw usageError(`ledgers folder ${JSON.stringify(dir)} cannot be read (permission denied)`);
    throw error;
  }
  const inputs: LedgerInput[] = [];
  for (const name of names.filter(isLedgerName).sort()) {
    const path = join(dir, name);
    const info = await stat(path);
    if (!info.isFile()) continue; // subfolders are ignored (SPEC §1)
    inputs.push({ name, bytes: await readFile(path) });
  }
  if (inputs.length === 0) {
    throw usageError(`ledgers folder ${JSON.stringify(dir)} holds no ledger file (expected COMPANY.csv files, e.g. amazon.csv)`);
  }
  return inputs;
}

export async function readLedgers(dir: string): Promise<Ledgers> {
  return loadLedgers(await readLedgerInputs(dir), dir);
}
