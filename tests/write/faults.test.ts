/**
 * Faults (issue 5): a ledgers folder that is missing or holds no ledger is a
 * usage error (exit 2); an output folder that cannot be written (read-only,
 * a file in the way, a full disk) is an I/O fault (exit 1) with a clear
 * message; an interrupt stops the run. In every case earlier reports are
 * left byte for byte as they were and no temporary folder is left behind.
 *
 * Tests run as root, where chmod does not stop writes: permission errors and
 * a full disk are simulated through `writeFileImpl`; a file standing where a
 * folder should be is real.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodeOf, RoundtripError } from '../../src/errors.js';
import { writeFolders, type FolderContent } from '../../src/write/atomic.js';
import { runCli } from '../support/helpers.js';
import { HEADER } from '../support/ledger-text.js';

const repo = join(import.meta.dirname, '..', '..');
const examples = join(import.meta.dirname, '..', 'fixtures', 'examples');
const root = mkdtempSync(join(tmpdir(), 'roundtrip-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let cases = 0;
const fresh = (name: string): string => {
  const dir = join(root, `${++cases}-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** Every file under `dir` (relative path → bytes), hidden ones included. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string, prefix: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full, `${prefix}${entry.name}/`);
      else out[`${prefix}${entry.name}`] = readFileSync(full).toString('base64');
    }
  };
  walk(dir, '');
  return out;
}

const leftovers = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith('.roundtrip-'));

/** An output folder holding an earlier report, as a run leaves it. */
function earlierReports(name: string): string {
  const out = join(fresh(name), 'reports');
  mkdirSync(join(out, 'all'), { recursive: true });
  writeFileSync(join(out, 'all', 'summary.csv'), 'earlier summary\r\n');
  writeFileSync(join(out, 'all', 'revenue.csv'), 'earlier revenue\r\n');
  mkdirSync(join(out, '2026-01'));
  writeFileSync(join(out, '2026-01', 'summary.csv'), 'earlier january\r\n');
  writeFileSync(join(out, 'README.txt'), 'not ours\n');
  return out;
}

const folders: FolderContent[] = [
  { name: 'all', files: new Map([['summary.csv', 'new summary'], ['revenue.csv', 'new revenue'], ['manifest.json', '{}']]) },
  { name: '2026-01', files: new Map([['summary.csv', 'new january'], ['revenue.csv', 'new january revenue']]) },
];

async function failure(promise: Promise<unknown>): Promise<RoundtripError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RoundtripError);
    return error as RoundtripError;
  }
  throw new Error('expected the write to fail');
}

const errnoError = (code: string, message: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: ${message}`), { code });

describe('the ledgers folder', () => {
  it('a folder that does not exist is a usage error (exit 2)', async () => {
    const dir = join(fresh('missing'), 'ledgers');
    const result = await runCli(['run', '--ledgers', dir, '--out', join(dir, '..', 'reports')]);
    expect(result.stderr).toBe(`roundtrip: ledgers folder ${JSON.stringify(dir)} does not exist (pass --ledgers DIR, a folder of COMPANY.csv files)\n`);
    expect(result.code).toBe(2);
    expect(existsSync(join(dir, '..', 'reports'))).toBe(false);
  });

  it('a folder without a ledger (only other files, hidden files and subfolders) is a usage error (exit 2)', async () => {
    const dir = join(fresh('no-ledgers'), 'ledgers');
    mkdirSync(join(dir, 'amazon.csv'), { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    writeFileSync(join(dir, '.amazon.csv'), 'id\n');
    symlinkSync(join(dir, 'amazon.csv'), join(dir, 'link.csv'));
    for (const command of [['run', '--out', join(dir, '..', 'reports')], ['check']]) {
      const result = await runCli([...command, '--ledgers', dir]);
      expect(result.stderr).toBe(
        `roundtrip: ledgers folder ${JSON.stringify(dir)} holds no ledger file (expected a folder of COMPANY.csv files, e.g. amazon.csv or amazon.2026-10.csv; pass --ledgers DIR)\n`,
      );
      expect(result.code).toBe(2);
    }
    expect(existsSync(join(dir, '..', 'reports'))).toBe(false);
  });

  it('an empty folder is a usage error; so is a file given as the folder', async () => {
    const dir = join(fresh('empty'), 'ledgers');
    mkdirSync(dir);
    const empty = await runCli(['check', '--ledgers', dir]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('holds no ledger file');
    const file = join(dir, '..', 'amazon.csv');
    writeFileSync(file, 'id\n');
    const notFolder = await runCli(['check', '--ledgers', file]);
    expect(notFolder.stderr).toBe(
      `roundtrip: --ledgers ${JSON.stringify(file)} is a file, not a folder (expected a folder of COMPANY.csv files, e.g. amazon.csv or amazon.2026-10.csv; pass --ledgers DIR)\n`,
    );
    expect(notFolder.code).toBe(2);
  });

  it('a ledger that cannot be read (a broken link) is an input error naming it (exit 2)', async () => {
    const dir = join(fresh('broken-link'), 'ledgers');
    mkdirSync(dir);
    writeFileSync(join(dir, 'amazon.csv'), 'id,date,direction,counterparty,kind,amount,currency\n');
    symlinkSync(join(dir, 'gone.csv'), join(dir, 'openai.csv'));
    const result = await runCli(['check', '--ledgers', dir]);
    expect(result.stderr).toBe(
      `${dir}/openai.csv: cannot be read: it is a broken link or was removed while reading (expected a readable ledger file)\nroundtrip: 1 input error; nothing was written.\n`,
    );
    expect(result.code).toBe(2);
  });
});

describe('an output folder that cannot be written (exit 1)', () => {
  const ledgers = join(examples, 'direct-loop', 'ledgers');

  it('a file where the output folder should be', async () => {
    const dir = fresh('out-is-file');
    const out = join(dir, 'reports');
    writeFileSync(out, 'a file, not a folder');
    const result = await runCli(['run', '--ledgers', ledgers, '--out', out, '--quiet']);
    expect(result.stderr).toBe(`roundtrip: cannot create the output folder ${JSON.stringify(out)}: a file stands where a folder is needed; earlier reports were left as they were\n`);
    expect(result.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('a file, not a folder');
    expect(readdirSync(dir)).toEqual(['reports']);
  });

  it('a file where a parent of the output folder should be', async () => {
    const dir = fresh('parent-is-file');
    writeFileSync(join(dir, 'work'), 'a file');
    const out = join(dir, 'work', 'reports');
    const result = await runCli(['run', '--ledgers', ledgers, '--out', out, '--quiet']);
    expect(result.stderr).toBe(`roundtrip: cannot create the output folder ${JSON.stringify(out)}: a file stands where a folder is needed; earlier reports were left as they were\n`);
    expect(result.code).toBe(1);
    expect(readdirSync(dir)).toEqual(['work']);
  });

  it('a file where a report folder should be: left alone, nothing written', async () => {
    const out = earlierReports('report-is-file');
    writeFileSync(join(out, '2026-02'), 'my notes, not a report');
    const before = snapshot(out);
    const result = await runCli(['run', '--ledgers', ledgers, '--out', out, '--period', '2026-01..2026-02', '--quiet']);
    expect(result.stderr).toBe(
      `roundtrip: cannot write the report folder ${JSON.stringify(join(out, '2026-02'))}: a file stands there (move it away or choose another --out); earlier reports were left as they were\n`,
    );
    expect(result.code).toBe(1);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('a read-only folder (EACCES on writing): clear error, earlier reports intact, no temporary folder', async () => {
    const out = earlierReports('read-only');
    const before = snapshot(out);
    const error = await failure(
      writeFolders(out, folders, {
        writeFileImpl: async () => {
          throw errnoError('EACCES', 'permission denied');
        },
      }),
    );
    expect(error.code).toBe('io');
    expect(exitCodeOf(error)).toBe(1);
    expect(error.message).toBe(`cannot write ${JSON.stringify(join(out, 'all', 'summary.csv'))}: permission denied; earlier reports were left as they were`);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('a full disk (ENOSPC after the first files): clear error, earlier reports intact, no temporary folder', async () => {
    const out = earlierReports('disk-full');
    const before = snapshot(out);
    let written = 0;
    const error = await failure(
      writeFolders(out, folders, {
        writeFileImpl: async (path, data) => {
          if (++written > 4) throw errnoError('ENOSPC', 'no space left on device');
          writeFileSync(path, data);
        },
      }),
    );
    expect(written).toBe(5);
    expect(error.code).toBe('io');
    expect(exitCodeOf(error)).toBe(1);
    expect(error.message).toBe(`cannot write ${JSON.stringify(join(out, '2026-01', 'revenue.csv'))}: no space left on the device; earlier reports were left as they were`);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('a failure into a new output folder leaves no folder behind', async () => {
    const dir = fresh('new-out');
    const out = join(dir, 'a', 'b', 'reports');
    const error = await failure(
      writeFolders(out, folders, {
        writeFileImpl: async () => {
          throw errnoError('EROFS', 'read-only file system');
        },
      }),
    );
    expect(error.message).toBe(`cannot write ${JSON.stringify(join(out, 'all', 'summary.csv'))}: read-only file system; earlier reports were left as they were`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a successful write replaces each report folder whole and leaves the rest of the folder alone', async () => {
    const out = earlierReports('success');
    await writeFolders(out, folders);
    expect(snapshot(out)).toEqual({
      'README.txt': Buffer.from('not ours\n').toString('base64'),
      '2026-01/revenue.csv': Buffer.from('new january revenue').toString('base64'),
      '2026-01/summary.csv': Buffer.from('new january').toString('base64'),
      'all/manifest.json': Buffer.from('{}').toString('base64'),
      'all/revenue.csv': Buffer.from('new revenue').toString('base64'),
      'all/summary.csv': Buffer.from('new summary').toString('base64'),
    });
    expect(leftovers(out)).toEqual([]);
  });
});

describe('interrupts', () => {
  it('an interrupt before writing writes nothing', async () => {
    const out = earlierReports('aborted-before');
    const before = snapshot(out);
    const controller = new AbortController();
    controller.abort();
    const error = await failure(writeFolders(out, folders, { signal: controller.signal }));
    expect(error.code).toBe('interrupted');
    expect(error.message).toBe('interrupted; no report was written and earlier reports were left as they were');
    expect(snapshot(out)).toEqual(before);
    const fresher = join(fresh('aborted-new'), 'reports');
    await failure(writeFolders(fresher, folders, { signal: controller.signal }));
    expect(existsSync(fresher)).toBe(false);
  });

  it('an interrupt in the middle of writing removes the temporary folders', async () => {
    const out = earlierReports('aborted-during');
    const before = snapshot(out);
    const controller = new AbortController();
    let written = 0;
    const error = await failure(
      writeFolders(out, folders, {
        signal: controller.signal,
        writeFileImpl: async (path, data) => {
          writeFileSync(path, data);
          if (++written === 4) controller.abort();
        },
      }),
    );
    expect(written).toBe(4);
    expect(error.code).toBe('interrupted');
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('a real SIGINT (twice) while writing is caught: the write stops and cleans up; the handlers are removed afterwards', async () => {
    const out = earlierReports('sigint-in-process');
    const before = snapshot(out);
    const listeners = process.listenerCount('SIGINT');
    let written = 0;
    const error = await failure(
      writeFolders(out, folders, {
        writeFileImpl: async (path, data) => {
          writeFileSync(path, data);
          if (++written === 2) {
            // Wait until the signals have been delivered (to a listener of our own as well; two may arrive as one).
            let seen = 0;
            const count = (): void => {
              seen++;
            };
            process.on('SIGINT', count);
            process.kill(process.pid, 'SIGINT');
            process.kill(process.pid, 'SIGINT');
            for (let i = 0; i < 400 && seen < 1; i++) await new Promise((resolve) => setTimeout(resolve, 5));
            await new Promise((resolve) => setTimeout(resolve, 20));
            process.removeListener('SIGINT', count);
          }
        },
      }),
    );
    expect(error.code).toBe('interrupted');
    expect(exitCodeOf(error)).toBe(130);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });

  it('leftovers of a run that was killed outright are cleaned up by the next run; a moved-aside report is put back', async () => {
    const out = earlierReports('killed-before');
    const dead = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '0']);
      child.on('exit', () => resolve(child.pid as number));
    });
    mkdirSync(join(out, `.roundtrip-tmp-${dead}-abc-all`));
    writeFileSync(join(out, `.roundtrip-tmp-${dead}-abc-all`, 'summary.csv'), 'half');
    mkdirSync(join(out, `.roundtrip-old-${dead}-abc-2025-12`));
    writeFileSync(join(out, `.roundtrip-old-${dead}-abc-2025-12`, 'summary.csv'), 'earlier december');
    // A run still going (our parent) is left alone.
    mkdirSync(join(out, `.roundtrip-tmp-${process.ppid}-abc-all`));
    await writeFolders(out, folders.slice(0, 1));
    expect(readFileSync(join(out, '2025-12', 'summary.csv'), 'utf8')).toBe('earlier december');
    expect(readFileSync(join(out, 'all', 'summary.csv'), 'utf8')).toBe('new summary');
    expect(leftovers(out)).toEqual([`.roundtrip-tmp-${process.ppid}-abc-all`]);
  });
});

/** The built binary (npm run build); these tests spawn it, as a user would. */
const binary = join(repo, 'bin', 'roundtrip.js');
const built = existsSync(join(repo, 'dist', 'cli', 'main.js'));

/** A ledger set big enough that writing 120 period folders takes a while. */
function bigLedgers(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (let c = 0; c < 2; c++) {
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      const year = 2016 + (i % 10);
      const month = String(1 + (i % 12)).padStart(2, '0');
      const income = i % 3 !== 0;
      lines.push(`r${i},${year}-${month}-15,${income ? 'in' : 'out'},ext${i % 7},${income ? 'revenue' : 'purchase'},cloud,${100 + i}.00,USD,,,`);
    }
    writeFileSync(join(dir, `c${c}.csv`), `${HEADER}\n${lines.join('\n')}\n`);
  }
}

describe.skipIf(!built)('SIGINT end to end (node bin/roundtrip.js run, built by npm run build)', () => {
  const base = fresh('e2e');
  const ledgers = join(base, 'ledgers');
  bigLedgers(ledgers);
  const periods = ['--period', '2016-01..2025-12'];

  /**
   * Starts a run and sends SIGINT `times` times as soon as `when(outDir)`
   * holds; resolves with the exit code, the signal and stderr.
   */
  function interrupt(out: string, when: (names: string[]) => boolean, times = 1): Promise<{ code: number | null; signal: string | null; stderr: string; sent: boolean }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [binary, 'run', '--ledgers', ledgers, '--out', out, ...periods, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let sent = false;
      let done = false;
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const poll = (): void => {
        if (done) return;
        if (when(existsSync(out) ? readdirSync(out) : [])) {
          sent = true;
          for (let i = 0; i < times; i++) child.kill('SIGINT');
          return;
        }
        setImmediate(poll);
      };
      poll();
      child.on('exit', (code, signal) => {
        done = true;
        resolve({ code, signal, stderr, sent });
      });
    });
  }

  it('SIGINT while the report folders are written: exit 130, no partial output, earlier reports intact', { timeout: 120_000 }, async () => {
    const out = earlierReports('e2e-writing');
    mkdirSync(join(out, '2020-06'));
    writeFileSync(join(out, '2020-06', 'summary.csv'), 'earlier june 2020\r\n');
    const before = snapshot(out);
    const result = await interrupt(out, (names) => names.filter((n) => n.startsWith('.roundtrip-tmp-')).length >= 20);
    expect(result.sent).toBe(true);
    expect(result.stderr).toBe('roundtrip: interrupted; no report was written and earlier reports were left as they were\n');
    expect(result.code).toBe(130);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('SIGINT three times in a row while writing: still a clean stop', { timeout: 120_000 }, async () => {
    const out = join(fresh('e2e-twice'), 'reports');
    const result = await interrupt(out, (names) => names.some((n) => n.startsWith('.roundtrip-tmp-')), 3);
    expect(result.sent).toBe(true);
    expect(result.code).toBe(130);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('SIGINT while reading and tracing (before any write): the run ends and writes nothing', { timeout: 120_000 }, async () => {
    const out = earlierReports('e2e-early');
    const before = snapshot(out);
    const result = await interrupt(out, () => true);
    expect(result.sent).toBe(true);
    expect(result.code === 130 || result.signal === 'SIGINT').toBe(true);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });
});
