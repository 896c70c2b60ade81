/** The I/O edge of the ownership file (SPEC §9): finds and reads it; src/load/ownership.ts checks it. */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { usageError } from '../errors.js';
import type { Ownership } from '../model.js';
import { IssueList } from './issues.js';
import type { LedgerLoader } from './load.js';
import { OWNERSHIP_FILE, parseOwnership } from './ownership.js';
import { reasonOf } from './read-files.js';

/**
 * Reads `--ownership FILE` when given (it replaces the folder's file), else
 * `_ownership.csv` when the folder has one (`names`: the folder's entries).
 * Its input issues go to the loader, to be reported with the ledgers'.
 */
export async function readOwnership(dir: string, names: readonly string[], loader: LedgerLoader, option?: string): Promise<Ownership | undefined> {
  let name: string;
  let path: string;
  let file: string;
  if (option !== undefined) {
    name = basename(option);
    path = option;
    file = option;
  } else if (names.includes(OWNERSHIP_FILE)) {
    name = OWNERSHIP_FILE;
    path = loader.pathOf(OWNERSHIP_FILE);
    file = join(dir, OWNERSHIP_FILE);
  } else return undefined;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (option !== undefined && code === 'ENOENT') throw usageError(`--ownership ${JSON.stringify(option)} does not exist (expected a CSV file of holdings: ${'date,holder,held,percent'})`);
    const list = new IssueList();
    list.add({ file: path, line: 0, message: `cannot be read: ${reasonOf(error)} (expected a readable ownership file)` });
    loader.addIssues(list);
    return undefined;
  }
  const read = parseOwnership(bytes, name, path, loader.companyIds);
  loader.addIssues(read.issues);
  return read.ownership;
}
