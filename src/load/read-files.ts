/**
 * Reading a loader's files from disk, one at a time (only one file's bytes
 * are held at once): on the main thread (read.ts) and in each reading thread
 * (worker.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerLoader } from './load.js';

/** Why a ledger file or folder cannot be read, in words. */
export function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'it is a broken link or was removed while reading';
  if (code === 'ELOOP') return 'it is a link that loops';
  if (code === 'EISDIR') return 'it is a folder';
  return (error as Error).message ?? String(error);
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
export async function fileSize(path: string): Promise<number> {
  return stat(path).then(
    (info) => info.size,
    () => 0,
  );
}
