/**
 * The one writer of reports: it replaces whole folders (`run`: one folder a
 * period, SPEC §5) or single files in folders (`compare`: methods.csv beside
 * the run's reports), atomically, all or nothing.
 *
 * Every target is first written in full beside itself under a temporary name;
 * only when all of them are complete is each one swapped into place. A folder
 * is swapped by moving the earlier one aside and renaming the new one in; a
 * file by renaming the new one over it (an atomic replace: a reader sees the
 * old file or the new one), the earlier one being kept as a hard link. The
 * earlier targets are kept until every swap is done, so a failed swap puts
 * back every target already replaced. A failure or an interrupt removes the
 * temporary files and folders, and the folders this call created.
 *
 * Interrupts: while it writes, the writer catches SIGINT and SIGTERM (so a
 * second Ctrl-C cannot kill the process halfway through its clean-up) and
 * turns them into an `interrupted` error once the temporary files are gone.
 * Once every target is complete the swap is not interrupted: it is a few
 * renames, and finishing it is the only state that is not partial.
 *
 * Leftovers: a writer killed outright (SIGKILL, power loss) cannot clean up
 * after itself. Its temporary targets are `.roundtrip-tmp-PID-TAG-NAME` and
 * the earlier targets it kept `.roundtrip-old-PID-TAG-NAME`, beside the
 * target NAME; the next write into the same folder removes them and puts back
 * an earlier target that is missing, unless that process is still running.
 */
import { link, mkdir, rename, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { RoundtripError } from '../errors.js';
import { type FileContent, ioError, type Leftover, recoverLeftovers, removePath, textOf, writeNewFile } from './files.js';

export interface FolderContent<C extends FileContent = FileContent> {
  /** Folder name under the output directory (`all`, `2026-02`). */
  readonly name: string;
  /** File name → content (text, or chunks made while they are written). */
  readonly files: ReadonlyMap<string, C>;
}

export interface FileInFolder {
  /** Folder name under the output directory (`all`, `2026-02`). */
  readonly folder: string;
  /** File name inside it (`methods.csv`). */
  readonly name: string;
  readonly content: FileContent;
}

export interface WriteOptions {
  /** Aborted like an interrupt: the write stops and cleans up. */
  readonly signal?: AbortSignal;
  /** Test hook: replaces the write of one file to simulate a failing disk (it is given the whole text). */
  readonly writeFileImpl?: (path: string, data: string) => Promise<void>;
  /** Catch SIGINT and SIGTERM while writing (default true); they then act like `signal`. */
  readonly catchSignals?: boolean;
}

export const TMP_PREFIX = '.roundtrip-tmp-';
export const OLD_PREFIX = '.roundtrip-old-';
const LEFTOVER = /^\.roundtrip-(tmp|old)-(\d+)-[0-9a-z]+-(.+)$/;

const INTERRUPTED = 'interrupted; no report was written and earlier reports were left as they were';

/** A leftover of a killed writer: `.roundtrip-tmp-PID-TAG-NAME` or `.roundtrip-old-PID-TAG-NAME`. */
function leftoverOf(name: string): Leftover | undefined {
  const m = LEFTOVER.exec(name);
  return m === null ? undefined : { kind: m[1] as 'tmp' | 'old', pid: Number(m[2]), target: m[3] as string };
}

type Write = (path: string, data: FileContent) => Promise<void>;

/** One thing to replace: a folder or a file named `name` in folder `dir`. */
interface Target {
  readonly kind: 'folder' | 'file';
  readonly dir: string;
  readonly name: string;
  /** Writes the new target in full at `tmp`. */
  readonly write: (tmp: string, write: Write, checkAbort: () => void) => Promise<void>;
}

/** Replaces report folders under `outDir` (`run`). */
export async function writeFolders(outDir: string, folders: readonly FolderContent[], options: WriteOptions = {}): Promise<void> {
  const targets = folders.map(
    (folder): Target => ({
      kind: 'folder',
      dir: outDir,
      name: folder.name,
      write: async (tmp, write, checkAbort) => {
        try {
          await mkdir(tmp);
        } catch (error) {
          throw ioError('create a folder in', outDir, error);
        }
        for (const [name, content] of folder.files) {
          checkAbort();
          try {
            await write(join(tmp, name), content);
          } catch (error) {
            throw ioError('write', join(outDir, folder.name, name), error);
          }
        }
      },
    }),
  );
  await replaceAll(outDir, targets, options);
}

/** Replaces single files in folders under `outDir`, leaving the folders' other files alone (`compare`). */
export async function writeFiles(outDir: string, files: readonly FileInFolder[], options: WriteOptions = {}): Promise<void> {
  const targets = files.map(
    (file): Target => ({
      kind: 'file',
      dir: join(outDir, file.folder),
      name: file.name,
      write: async (tmp, write) => {
        try {
          await write(tmp, file.content);
        } catch (error) {
          throw ioError('write', join(outDir, file.folder, file.name), error);
        }
      },
    }),
  );
  await replaceAll(outDir, targets, options);
}

let sequence = 0;

/** Catches the interrupts (see the top of this file) around the whole write. */
async function replaceAll(outDir: string, targets: readonly Target[], options: WriteOptions): Promise<void> {
  const hook = options.writeFileImpl;
  const write: Write = hook === undefined ? writeNewFile : (path, data) => hook(path, textOf(data));
  let caught = false;
  const onSignal = (): void => {
    caught = true;
  };
  const checkAbort = (): void => {
    if (caught || options.signal?.aborted === true) throw new RoundtripError('interrupted', INTERRUPTED);
  };
  const catchSignals = options.catchSignals ?? true;
  if (catchSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    checkAbort();
    await replace(outDir, targets, write, checkAbort);
  } finally {
    if (catchSignals) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }
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
  if (first === undefined) return [];
  const created: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    created.unshift(d);
    if (d === resolve(first) || dirname(d) === d) break;
  }
  return created;
}

async function replace(outDir: string, targets: readonly Target[], write: Write, checkAbort: () => void): Promise<void> {
  // The folders: created when missing (and removed again if the write fails).
  const created: string[] = [];
  /** Removes the folders this call created (empty again by then), innermost first: rmdir never removes a non-empty folder. */
  const undoCreate = async (): Promise<void> => {
    for (const dir of [...created].reverse()) await rmdir(dir).catch(() => undefined);
  };
  try {
    created.push(...(await ensureFolder(outDir)));
  } catch (error) {
    throw ioError('create the output folder', outDir, error);
  }
  const dirs = [...new Set(targets.map((t) => t.dir))];
  try {
    for (const dir of dirs) {
      if (dir === outDir) continue;
      try {
        created.push(...(await ensureFolder(dir)));
      } catch (error) {
        throw ioError('create the folder', dir, error);
      }
    }
    for (const dir of dirs) await recoverLeftovers(dir, leftoverOf);
    // A folder replaces a folder, a file a file.
    for (const target of targets) {
      const path = join(target.dir, target.name);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined || (target.kind === 'folder' ? info.isDirectory() : info.isFile())) continue;
      throw new RoundtripError(
        'io',
        target.kind === 'folder'
          ? `cannot write the report folder ${JSON.stringify(path)}: a file stands there (move it away or choose another --out); earlier reports were left as they were`
          : `cannot write the report ${JSON.stringify(path)}: a folder stands where the file is needed (move it away or choose another --out); earlier reports were left as they were`,
      );
    }
  } catch (error) {
    await undoCreate();
    throw error;
  }

  const tag = `${process.pid}-${Date.now().toString(36)}${(sequence++).toString(36)}`;
  const temps: string[] = [];
  try {
    for (const target of targets) {
      checkAbort();
      const tmp = join(target.dir, `${TMP_PREFIX}${tag}-${target.name}`);
      temps.push(tmp);
      await target.write(tmp, write, checkAbort);
    }
    checkAbort();
  } catch (error) {
    for (const tmp of temps) await removePath(tmp);
    await undoCreate();
    throw error;
  }

  // Every target is complete: swap them into place, undoing every swap if one fails.
  const swapped: { target: Target; path: string; old: string | undefined }[] = [];
  for (const [i, target] of targets.entries()) {
    const path = join(target.dir, target.name);
    const old = join(target.dir, `${OLD_PREFIX}${tag}-${target.name}`);
    let kept: string | undefined;
    try {
      try {
        // A folder is moved aside; a file stays in place while a hard link keeps it.
        await (target.kind === 'folder' ? rename(path, old) : link(path, old));
        kept = old;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      try {
        await rename(temps[i] as string, path);
      } catch (error) {
        if (kept !== undefined) await (target.kind === 'folder' ? rename(kept, path).catch(() => undefined) : removePath(kept));
        throw error;
      }
      swapped.push({ target, path, old: kept });
    } catch (error) {
      for (const done of swapped.reverse()) {
        if (done.old === undefined || done.target.kind === 'folder') await removePath(done.path);
        if (done.old !== undefined) await rename(done.old, done.path).catch(() => undefined);
      }
      for (const tmp of temps) await removePath(tmp);
      await undoCreate();
      throw ioError('replace', path, error);
    }
  }
  for (const done of swapped) if (done.old !== undefined) await removePath(done.old);
}
