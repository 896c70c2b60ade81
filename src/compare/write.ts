/**
 * The I/O edge of compare: writes one file (methods.csv) into each period
 * folder without touching the folder's other files (the run's reports).
 *
 * Every file is first written in full to a hidden temporary file beside its
 * target (`.methods.csv.roundtrip-tmp-PID-TAG`). Only when all of them are
 * complete is each renamed over its target, an atomic replace: a reader sees
 * the old file or the new one, never a part. The old file is kept as a hard
 * link (`.methods.csv.roundtrip-old-PID-TAG`) until every rename is done, so
 * a failed rename puts every earlier file back. A failure or an interrupt
 * removes the temporary files and any folder this call created.
 *
 * A process killed outright (SIGKILL, power loss) cannot clean up; the next
 * write into the same folder removes what it left (and, should the file
 * itself be missing, puts its kept copy back), unless that process is still
 * running.
 */
import { link, mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { RoundtripError } from '../errors.js';
import { ioReason, type Leftover, recoverLeftovers, writeNewFile } from '../write/files.js';

export interface FileInFolder {
  /** Folder name under the output directory (`all`, `2026-02`). */
  readonly folder: string;
  /** File name inside it (`methods.csv`). */
  readonly name: string;
  readonly content: string;
}

export interface FileWriteOptions {
  /** Aborted on SIGINT or SIGTERM: the write stops and cleans up. */
  readonly signal?: AbortSignal;
  /** Test hook: replaces the write of one temporary file to simulate a failing disk. */
  readonly writeFileImpl?: (path: string, data: string) => Promise<void>;
}

const TMP = 'roundtrip-tmp';
const OLD = 'roundtrip-old';
const LEFTOVER = /^\.(.+)\.roundtrip-(tmp|old)-(\d+)-[0-9a-z]+$/;

function ioError(action: string, path: string, error: unknown): RoundtripError {
  if (error instanceof RoundtripError) return error;
  return new RoundtripError('io', `cannot ${action} ${JSON.stringify(path)}: ${ioReason(error)}; earlier files were left as they were`);
}


/** Removes a file, never throwing: clean-up must not hide the error that caused it. */
async function remove(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined);
}


/** The folders from `first` down to `dir`, outermost first. */
function chain(first: string, dir: string): string[] {
  const stop = resolve(first);
  const out: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    out.push(d);
    if (d === stop || dirname(d) === d) break;
  }
  return out.reverse();
}

/** Creates `dir` (and its parents) if needed; returns the folders it created, outermost first. Fails if a file stands there. */
async function ensureFolder(dir: string): Promise<string[]> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (info !== undefined) {
    if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    return [];
  }
  const first = await mkdir(dir, { recursive: true });
  return first === undefined ? [] : chain(first, dir);
}

/** A leftover of a killed compare: `.methods.csv.roundtrip-tmp-PID-TAG` or `.methods.csv.roundtrip-old-PID-TAG`. */
function leftoverOf(name: string): Leftover | undefined {
  const m = LEFTOVER.exec(name);
  return m === null ? undefined : { kind: m[2] as 'tmp' | 'old', pid: Number(m[3]), target: m[1] as string };
}

let sequence = 0;

export async function writeFilesAtomically(outDir: string, files: readonly FileInFolder[], options: FileWriteOptions = {}): Promise<void> {
  const write = options.writeFileImpl ?? writeNewFile;
  const checkAbort = (): void => {
    if (options.signal?.aborted) throw new RoundtripError('interrupted', 'interrupted; no file was written and earlier files were left as they were');
  };
  const created: string[] = [];
  const removeCreated = async (): Promise<void> => {
    // Folders this call created are empty again: remove them, innermost first (rmdir never removes a non-empty folder).
    for (const dir of [...created].reverse()) await rmdir(dir).catch(() => undefined);
  };
  const tag = `${process.pid}-${Date.now().toString(36)}${(sequence++).toString(36)}`;
  const temps: { tmp: string; target: string; old: string }[] = [];

  try {
    checkAbort();
    try {
      created.push(...(await ensureFolder(outDir)));
    } catch (error) {
      throw ioError('create the output folder', outDir, error);
    }
    for (const file of files) {
      checkAbort();
      const dir = join(outDir, file.folder);
      try {
        created.push(...(await ensureFolder(dir)));
      } catch (error) {
        throw ioError('create the folder', dir, error);
      }
      await recoverLeftovers(dir, leftoverOf);
      const target = join(dir, file.name);
      const info = await stat(target).catch(() => undefined);
      if (info !== undefined && !info.isFile()) throw ioError('write', target, Object.assign(new Error('not a file'), { code: 'EISDIR' }));
      const tmp = join(dir, `.${file.name}.${TMP}-${tag}`);
      temps.push({ tmp, target, old: join(dir, `.${file.name}.${OLD}-${tag}`) });
      try {
        await write(tmp, file.content);
      } catch (error) {
        throw ioError('write', target, error);
      }
    }
    checkAbort();
  } catch (error) {
    for (const t of temps) await remove(t.tmp);
    await removeCreated();
    throw error;
  }

  // Every file is complete: rename each over its target, keeping the old one until all are done.
  const swapped: { target: string; old: string | undefined }[] = [];
  for (const { tmp, target, old } of temps) {
    try {
      let kept: string | undefined;
      try {
        await link(target, old);
        kept = old;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      try {
        await rename(tmp, target);
      } catch (error) {
        if (kept !== undefined) await remove(kept);
        throw error;
      }
      swapped.push({ target, old: kept });
    } catch (error) {
      for (const done of swapped.reverse()) {
        if (done.old === undefined) await remove(done.target);
        else await rename(done.old, done.target).catch(() => undefined);
      }
      for (const t of temps) await remove(t.tmp);
      await removeCreated();
      throw ioError('replace', target, error);
    }
  }
  for (const done of swapped) if (done.old !== undefined) await remove(done.old);
}
