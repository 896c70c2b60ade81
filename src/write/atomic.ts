/**
 * The I/O edge of reporting: every period folder is written into a temporary
 * folder beside its target and renamed into place only when all of them are
 * complete (SPEC §5). A failure or an interrupt removes the temporary folders
 * and leaves earlier reports as they were.
 */
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RoundtripError } from '../errors.js';

export interface FolderContent {
  /** Folder name under the output directory (`all`, `2026-02`). */
  readonly name: string;
  /** File name → content. */
  readonly files: ReadonlyMap<string, string>;
}

export interface WriteOptions {
  /** Aborted on SIGINT: the write stops and cleans up. */
  readonly signal?: AbortSignal;
  /** Test hook: replaces writeFile to simulate a failing disk. */
  readonly writeFileImpl?: (path: string, data: string) => Promise<void>;
}

const TMP_PREFIX = '.roundtrip-tmp-';
const OLD_PREFIX = '.roundtrip-old-';

function ioError(action: string, path: string, error: unknown): RoundtripError {
  const e = error as NodeJS.ErrnoException;
  const reason =
    e.code === 'EACCES' || e.code === 'EPERM'
      ? 'permission denied'
      : e.code === 'ENOSPC'
        ? 'no space left on the device'
        : e.code === 'ENOTDIR' || e.code === 'EEXIST'
          ? 'a file stands where a folder is needed'
          : e.code === 'EROFS'
            ? 'read-only file system'
            : (e.message ?? String(error));
  return new RoundtripError('io', `cannot ${action} ${JSON.stringify(path)}: ${reason}; earlier reports were left as they were`);
}

async function defaultWrite(path: string, data: string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeFolders(outDir: string, folders: readonly FolderContent[], options: WriteOptions = {}): Promise<void> {
  const write = options.writeFileImpl ?? defaultWrite;
  const checkAbort = (): void => {
    if (options.signal?.aborted) throw new RoundtripError('interrupted', 'interrupted; no report was written and earlier reports were left as they were');
  };
  try {
    const info = await stat(outDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (info !== undefined && !info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw ioError('create the output folder', outDir, error);
  }

  const tag = `${process.pid}-${Date.now().toString(36)}`;
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
    await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
    throw error;
  }

  // Every folder is complete: swap them into place.
  for (let i = 0; i < folders.length; i++) {
    const folder = folders[i] as FolderContent;
    const tmp = temps[i] as string;
    const target = join(outDir, folder.name);
    const old = join(outDir, `${OLD_PREFIX}${tag}-${folder.name}`);
    let moved = false;
    try {
      await rename(target, old);
      moved = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        await Promise.all(temps.slice(i).map((t) => rm(t, { recursive: true, force: true })));
        throw ioError('replace', target, error);
      }
    }
    try {
      await rename(tmp, target);
    } catch (error) {
      if (moved) await rename(old, target).catch(() => undefined);
      await Promise.all(temps.slice(i).map((t) => rm(t, { recursive: true, force: true })));
      throw ioError('replace', target, error);
    }
    if (moved) await rm(old, { recursive: true, force: true });
  }
}
