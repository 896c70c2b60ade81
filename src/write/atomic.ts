/**
 * The I/O edge of reporting: every period folder is written into a temporary
 * folder beside its target and renamed into place only when all of them are
 * complete (SPEC §5). A failure or an interrupt removes the temporary folders
 * and leaves earlier reports as they were.
 *
 * Interrupts: while the folders are written, SIGINT and SIGTERM are caught
 * (so a second Ctrl-C cannot kill the process halfway through its clean-up)
 * and turn into an `interrupted` error once the temporary folders are gone.
 * Once every folder is complete the swap is not interrupted: it is a few
 * renames, and finishing it is the only state that is not partial.
 *
 * A run killed outright (SIGKILL, power loss) cannot clean up after itself;
 * the next run into the same folder removes what it left (`.roundtrip-tmp-*`)
 * and puts back an earlier report it had moved aside (`.roundtrip-old-*`).
 */
import { mkdir, rename, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { RoundtripError } from '../errors.js';
import { type FileContent, ioReason, type Leftover, recoverLeftovers, removePath, textOf, writeNewFile } from './files.js';

export interface FolderContent<C extends FileContent = FileContent> {
  /** Folder name under the output directory (`all`, `2026-02`). */
  readonly name: string;
  /** File name → content (text, or chunks made while they are written). */
  readonly files: ReadonlyMap<string, C>;
}

export interface WriteOptions {
  /** Aborted on SIGINT: the write stops and cleans up. */
  readonly signal?: AbortSignal;
  /** Test hook: replaces writeFile to simulate a failing disk (it is given the whole text). */
  readonly writeFileImpl?: (path: string, data: string) => Promise<void>;
  /** Catch SIGINT and SIGTERM while writing (default true); the signal then acts like `signal`. */
  readonly catchSignals?: boolean;
}

export const TMP_PREFIX = '.roundtrip-tmp-';
export const OLD_PREFIX = '.roundtrip-old-';
const LEFTOVER = /^\.roundtrip-(tmp|old)-(\d+)-[0-9a-z]+-(.+)$/;

const INTERRUPTED = 'interrupted; no report was written and earlier reports were left as they were';


function ioError(action: string, path: string, error: unknown): RoundtripError {
  return new RoundtripError('io', `cannot ${action} ${JSON.stringify(path)}: ${ioReason(error)}; earlier reports were left as they were`);
}


/** A leftover of a killed run: `.roundtrip-tmp-PID-TAG-NAME` or `.roundtrip-old-PID-TAG-NAME`. */
function leftoverOf(name: string): Leftover | undefined {
  const m = LEFTOVER.exec(name);
  return m === null ? undefined : { kind: m[1] as 'tmp' | 'old', pid: Number(m[2]), target: m[3] as string };
}

let sequence = 0;

export async function writeFolders(outDir: string, folders: readonly FolderContent[], options: WriteOptions = {}): Promise<void> {
  const hook = options.writeFileImpl;
  const write = hook === undefined ? writeNewFile : (path: string, data: FileContent) => hook(path, textOf(data));
  let caught = false;
  const onSignal = (): void => {
    caught = true;
  };
  const aborted = (): boolean => caught || options.signal?.aborted === true;
  const checkAbort = (): void => {
    if (aborted()) throw new RoundtripError('interrupted', INTERRUPTED);
  };
  const catchSignals = options.catchSignals ?? true;
  if (catchSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    checkAbort();
    await writeAll(outDir, folders, write, checkAbort);
  } finally {
    if (catchSignals) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }
}

async function writeAll(
  outDir: string,
  folders: readonly FolderContent[],
  write: (path: string, data: FileContent) => Promise<void>,
  checkAbort: () => void,
): Promise<void> {
  // The output folder: created when missing (and removed again if the run fails).
  let created: string | undefined;
  try {
    const info = await stat(outDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (info !== undefined && !info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    created = await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw ioError('create the output folder', outDir, error);
  }
  /** Removes the folders this run created (empty once the temporary folders are gone), innermost first. */
  const undoCreate = async (): Promise<void> => {
    if (created === undefined) return;
    const first = resolve(created);
    for (let path = resolve(outDir); path.startsWith(first); path = dirname(path)) {
      const removed = await rmdir(path).then(
        () => true,
        () => false,
      );
      if (!removed || path === first) break;
    }
  };

  await recoverLeftovers(outDir, leftoverOf);

  // A report folder may replace an earlier report folder, never a file.
  for (const folder of folders) {
    const target = join(outDir, folder.name);
    const info = await stat(target).catch(() => undefined);
    if (info !== undefined && !info.isDirectory()) {
      await undoCreate();
      throw new RoundtripError(
        'io',
        `cannot write the report folder ${JSON.stringify(target)}: a file stands there (move it away or choose another --out); earlier reports were left as they were`,
      );
    }
  }

  const tag = `${process.pid}-${Date.now().toString(36)}${(sequence++).toString(36)}`;
  const temps: string[] = [];
  try {
    for (const folder of folders) {
      checkAbort();
      const tmp = join(outDir, `${TMP_PREFIX}${tag}-${folder.name}`);
      try {
        await mkdir(tmp);
      } catch (error) {
        throw ioError('create a folder in', outDir, error);
      }
      temps.push(tmp);
      for (const [name, content] of folder.files) {
        checkAbort();
        try {
          await write(join(tmp, name), content);
        } catch (error) {
          throw ioError('write', join(outDir, folder.name, name), error);
        }
      }
    }
    checkAbort();
  } catch (error) {
    for (const tmp of temps) await removePath(tmp);
    await undoCreate();
    throw error;
  }

  // Every folder is complete: swap them into place, undoing every swap if one fails.
  const swapped: { target: string; old: string | undefined }[] = [];
  for (let i = 0; i < folders.length; i++) {
    const target = join(outDir, (folders[i] as FolderContent).name);
    const tmp = temps[i] as string;
    const old = join(outDir, `${OLD_PREFIX}${tag}-${(folders[i] as FolderContent).name}`);
    let moved: string | undefined;
    try {
      try {
        await rename(target, old);
        moved = old;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      try {
        await rename(tmp, target);
      } catch (error) {
        if (moved !== undefined) await rename(moved, target).catch(() => undefined);
        throw error;
      }
      swapped.push({ target, old: moved });
    } catch (error) {
      for (const done of swapped.reverse()) {
        await removePath(done.target);
        if (done.old !== undefined) await rename(done.old, done.target).catch(() => undefined);
      }
      for (const t of temps) await removePath(t);
      await undoCreate();
      throw ioError('replace', target, error);
    }
  }
  for (const done of swapped) if (done.old !== undefined) await removePath(done.old);
}
