/**
 * File-system steps of the report writer (atomic.ts): a durable write of a
 * new file, an I/O error in words, and the recovery after a writer was killed
 * outright (SIGKILL, power loss): its temporary files or folders are removed,
 * and a target it had moved aside but not yet replaced is put back.
 */
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RoundtripError } from '../errors.js';

export interface Leftover {
  /** `tmp`: a write in progress; `old`: a target moved aside. */
  readonly kind: 'tmp' | 'old';
  /** The process that left it. */
  readonly pid: number;
  /** The name of the target it stands for, in the same folder. */
  readonly target: string;
}

/** Is a process with this id running (EPERM: running, but not ours)? */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a file or folder, never throwing: clean-up must not hide the error that caused it. */
export async function removePath(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => undefined);
}

/** Cleans up the leftovers in `dir` of every process no longer running; leaves a live one's alone. */
export async function recoverLeftovers(dir: string, leftover: (name: string) => Leftover | undefined): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const found = leftover(name);
    if (found === undefined || found.pid === process.pid || isAlive(found.pid)) continue;
    const path = join(dir, name);
    if (found.kind === 'old') {
      const target = join(dir, found.target);
      const there = await stat(target).then(
        () => true,
        (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
      );
      if (!there) {
        await rename(path, target).catch(() => undefined);
        continue;
      }
    }
    await removePath(path);
  }
}

/**
 * A file's content: its text, or its text in chunks made as they are written
 * (a large report is never held whole). `chunks` may be called once.
 */
export type FileContent = string | { readonly chunks: () => Iterable<string> };

/** The whole text of a content (for small files and test hooks). */
export function textOf(content: FileContent): string {
  return typeof content === 'string' ? content : [...content.chunks()].join('');
}

/** Chunks are encoded into one reused buffer of this size, written out each time it fills. */
const WRITE_SIZE = 1 << 20;

/** Writes a new file (never over an existing one) and flushes it to the device. */
export async function writeNewFile(path: string, data: FileContent): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    if (typeof data === 'string') await handle.writeFile(data, 'utf8');
    else {
      const buffer = Buffer.allocUnsafe(WRITE_SIZE);
      let used = 0;
      const flush = async (): Promise<void> => {
        let done = 0;
        while (done < used) done += (await handle.write(buffer, done, used - done)).bytesWritten;
        used = 0;
      };
      for (const chunk of data.chunks()) {
        // UTF-8 takes at most 3 bytes per UTF-16 code unit.
        if (used + 3 * chunk.length > WRITE_SIZE) await flush();
        if (3 * chunk.length > WRITE_SIZE) await handle.writeFile(chunk, 'utf8');
        else used += buffer.write(chunk, used, 'utf8');
      }
      await flush();
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The error of a report write that failed, in the one wording of every
 * command that writes reports: `cannot ACTION "PATH": REASON; earlier reports
 * were left as they were`.
 */
export function ioError(action: string, path: string, error: unknown): RoundtripError {
  if (error instanceof RoundtripError) return error;
  return new RoundtripError('io', `cannot ${action} ${JSON.stringify(path)}: ${ioReason(error)}; earlier reports were left as they were`);
}

/** An I/O error in words, for messages. */
export function ioReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file stands where a folder is needed';
    case 'EISDIR':
      return 'a folder stands where the file is needed';
    case 'EROFS':
      return 'read-only file system';
    case 'EIO':
      return 'input/output error on the device';
    default:
      return e.message ?? String(error);
  }
}
