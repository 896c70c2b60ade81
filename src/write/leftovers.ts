/**
 * Recovery after a writer was killed outright (SIGKILL, power loss): its
 * temporary files or folders are removed, and a target it had moved aside
 * but not yet replaced is put back. Shared by the report folders
 * (write/atomic.ts) and methods.csv (compare/write.ts), which name their
 * leftovers differently.
 */
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

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
