/**
 * `roundtrip compare`: methods.csv per period folder (every method side by
 * side), its dialect, its agreement with separate runs, the printed table,
 * and its atomic write beside the run's reports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFiles } from '../../src/write/atomic.js';
import { RoundtripError } from '../../src/errors.js';
import { METHODS } from '../../src/trace/methods.js';
import { runCli } from '../support/helpers.js';

const examples = join(import.meta.dirname, '..', 'fixtures', 'examples');
const scratch = mkdtempSync(join(tmpdir(), 'roundtrip-compare-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const fresh = (name: string): string => join(scratch, `${name}-${++counter}`);

const HEADER = 'company,category,booked,circular_pro-rata,circular_fifo,circular_lifo,circular_investor-last,circular_investor-first,circular_min,circular_max,spread_pct';
const BOM = '\uFEFF';

function csvRows(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => l.split(','));
}

/** The rows of the first printed table (after the title, header and rule lines). */
function printedRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const rule = lines.findIndex((l) => /^-+ {2}-+/.test(l));
  const rows: string[][] = [];
  for (let i = rule + 1; i < lines.length && (lines[i] as string).trim() !== ''; i++) rows.push((lines[i] as string).trim().split(/ {2,}/));
  return rows;
}

function hiddenFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => p.split('/').some((part) => part.startsWith('.')));
}

describe('methods.csv', () => {
  it('direct-loop: the five answers of the example README, in the report dialect', async () => {
    const out = fresh('direct');
    const result = await runCli(['compare', '--ledgers', join(examples, 'direct-loop', 'ledgers'), '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // pro-rata $1B (25%), fifo and investor-last $0, lifo and investor-first all $4B; OpenAI's API revenue organic.
    expect(readFileSync(join(out, 'all', 'methods.csv'), 'utf8')).toBe(
      `${BOM}${HEADER}\r\n` +
        'amazon,cloud,4000000000.00,1000000000.00,0.00,4000000000.00,0.00,4000000000.00,0.00,4000000000.00,100.00\r\n' +
        'openai,api,30000000000.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00\r\n',
    );
    expect(readdirSync(join(out, 'all'))).toEqual(['methods.csv']);
    expect(printedRows(result.stdout).map((r) => r.slice(0, 2))).toEqual([
      ['amazon', 'cloud'],
      ['openai', 'api'],
    ]);
    expect(printedRows(result.stdout)[0]).toEqual(['amazon', 'cloud', '4,000,000,000.00', '1,000,000,000.00', '0.00', '4,000,000,000.00', '0.00', '4,000,000,000.00', '0.00', '4,000,000,000.00', '100.00']);
    expect(result.stdout).toContain('With earmarks off (--no-earmark), every figure is the same.');
  });

  it('direct-loop-earmarked: earmarks on (100% under every method), off (the direct-loop answers), and the printout shows the other', async () => {
    const ledgers = join(examples, 'direct-loop-earmarked', 'ledgers');
    const on = fresh('earmarked');
    const withEarmark = await runCli(['compare', '--ledgers', ledgers, '--out', on, '--no-bom']);
    expect(withEarmark.code).toBe(0);
    expect(readFileSync(join(on, 'all', 'methods.csv'), 'utf8')).toBe(
      `${HEADER}\r\n` +
        'amazon,cloud,4000000000.00,4000000000.00,4000000000.00,4000000000.00,4000000000.00,4000000000.00,4000000000.00,4000000000.00,0.00\r\n' +
        'openai,api,30000000000.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00\r\n',
    );
    expect(withEarmark.stdout).toContain('With earmarks off (--no-earmark), 1 row changes (not in methods.csv):');
    expect(withEarmark.stdout).toMatch(/\namazon +cloud +4,000,000,000\.00 +1,000,000,000\.00 +0\.00 +4,000,000,000\.00 +0\.00 +4,000,000,000\.00 +0\.00 +4,000,000,000\.00 +100\.00\n/);

    const off = fresh('earmarked-off');
    const without = await runCli(['compare', '--ledgers', ledgers, '--out', off, '--no-earmark']);
    expect(without.code).toBe(0);
    expect(csvRows(join(off, 'all', 'methods.csv'))[1]).toEqual(
      'amazon,cloud,4000000000.00,1000000000.00,0.00,4000000000.00,0.00,4000000000.00,0.00,4000000000.00,100.00'.split(','),
    );
    expect(without.stdout).toContain('earmarks off');
    expect(without.stdout).toContain('With earmarks on (the default), 1 row changes');
  });

  it('seed-deals: agrees with the shared expected reports of pro-rata, investor-last and investor-first', async () => {
    const out = fresh('seed');
    const result = await runCli(['compare', '--ledgers', join(examples, 'seed-deals', 'ledgers'), '--out', out, '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const [header, ...rows] = csvRows(join(out, 'all', 'methods.csv'));
    expect(header?.join(',')).toBe(HEADER);
    for (const method of ['pro-rata', 'investor-last', 'investor-first'] as const) {
      const [, ...summary] = csvRows(join(examples, 'seed-deals', 'expected', method, 'all', 'summary.csv'));
      const m = METHODS.indexOf(method);
      expect(rows.map((r) => [r[0], r[1], r[2], r[3 + m]])).toEqual(summary.map((s) => [s[0], s[1], s[2], s[4]]));
    }
  });

  it('seed-deals, periods, earmarks on and off: figure for figure the same as five separate runs', async () => {
    const ledgers = join(examples, 'seed-deals', 'ledgers');
    const periodArgs = ['--period', '2025', '--period', '2026-01..2026-02'];
    const periods = ['2025', '2026-01', '2026-02'];
    for (const earmark of [true, false]) {
      const flag = earmark ? [] : ['--no-earmark'];
      const out = fresh('seed-periods');
      const c = await runCli(['compare', '--ledgers', ledgers, '--out', out, '--quiet', ...periodArgs, ...flag]);
      expect(c.code).toBe(0);
      for (const method of METHODS) {
        const runOut = fresh(`run-${method}`);
        const r = await runCli(['run', '--ledgers', ledgers, '--out', runOut, '--quiet', '--method', method, ...periodArgs, ...flag]);
        expect(r.code).toBe(0);
        const m = METHODS.indexOf(method);
        for (const period of periods) {
          const [, ...rows] = csvRows(join(out, period, 'methods.csv'));
          const [, ...summary] = csvRows(join(runOut, period, 'summary.csv'));
          expect(rows.map((row) => [row[0], row[1], row[2], row[3 + m]]), `${period} ${method} earmark ${earmark}`).toEqual(summary.map((s) => [s[0], s[1], s[2], s[4]]));
        }
      }
    }
  });

  it('a period without revenue gets a header-only methods.csv', async () => {
    const out = fresh('empty-period');
    const result = await runCli(['compare', '--ledgers', join(examples, 'direct-loop', 'ledgers'), '--out', out, '--period', '2025-12', '--no-bom']);
    expect(result.code).toBe(0);
    expect(readFileSync(join(out, '2025-12', 'methods.csv'), 'utf8')).toBe(`${HEADER}\r\n`);
  });
});

describe('the printed table', () => {
  it('widest spreads first, then company and category', async () => {
    const out = fresh('printed');
    const result = await runCli(['compare', '--ledgers', join(examples, 'seed-deals', 'ledgers'), '--out', out]);
    expect(result.code).toBe(0);
    const rows = printedRows(result.stdout);
    expect(rows.length).toBe(csvRows(join(out, 'all', 'methods.csv')).length - 1);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1] as string[], rows[i] as string[]];
      const sa = Number(a[10]);
      const sb = Number(b[10]);
      expect(sa > sb || (sa === sb && `${a[0]}\u0000${a[1]}` < `${b[0]}\u0000${b[1]}`), `${a.join(' ')} before ${b.join(' ')}`).toBe(true);
    }
    expect(result.stdout.split('\n')[0]).toContain(`${out}/all/methods.csv`);
  });
});

describe('writing beside the run', () => {
  it('keeps the run\'s reports as they were and leaves no temporary file', async () => {
    const ledgers = join(examples, 'periods', 'ledgers');
    const out = fresh('beside');
    const args = ['--ledgers', ledgers, '--out', out, '--period', '2026-02', '--period', '2026', '--quiet'];
    expect((await runCli(['run', ...args])).code).toBe(0);
    const before = new Map(['2026-02', '2026'].flatMap((p) => readdirSync(join(out, p)).map((f) => [`${p}/${f}`, readFileSync(join(out, p, f), 'utf8')] as const)));
    expect(before.size).toBe(14);
    expect((await runCli(['compare', ...args])).code).toBe(0);
    for (const [path, content] of before) expect(readFileSync(join(out, path), 'utf8'), path).toBe(content);
    for (const p of ['2026-02', '2026']) expect(readdirSync(join(out, p)).sort()).toEqual(['circular.csv', 'exceptions.csv', 'exposure.csv', 'manifest.json', 'methods.csv', 'report.html', 'revenue.csv', 'summary.csv']);
    // Again, over the existing methods.csv.
    expect((await runCli(['compare', ...args])).code).toBe(0);
    expect(hiddenFiles(out)).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(['2026', '2026-02']);
  });

  it('an output path that is a file: exit 1, nothing written', async () => {
    const out = fresh('file-out');
    writeFileSync(out, 'not a folder');
    const result = await runCli(['compare', '--ledgers', join(examples, 'direct-loop', 'ledgers'), '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot create the output folder');
    expect(readFileSync(out, 'utf8')).toBe('not a folder');
  });

  it('a period folder blocked by a file: exit 1, the other period\'s methods.csv unchanged, no temporary file', async () => {
    const out = fresh('blocked');
    mkdirSync(join(out, '2026-01'), { recursive: true });
    writeFileSync(join(out, '2026-01', 'methods.csv'), 'earlier');
    writeFileSync(join(out, '2026'), 'a file where a folder is needed');
    const result = await runCli(['compare', '--ledgers', join(examples, 'direct-loop', 'ledgers'), '--out', out, '--period', '2026-01', '--period', '2026']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('a file stands where a folder is needed');
    expect(readFileSync(join(out, '2026-01', 'methods.csv'), 'utf8')).toBe('earlier');
    expect(readdirSync(join(out, '2026-01'))).toEqual(['methods.csv']);
    expect(hiddenFiles(out)).toEqual([]);
  });

  it('a folder where methods.csv should be: exit 1, nothing replaced', async () => {
    const out = fresh('folder-target');
    mkdirSync(join(out, '2026-01'), { recursive: true });
    writeFileSync(join(out, '2026-01', 'methods.csv'), 'earlier');
    mkdirSync(join(out, '2026', 'methods.csv'), { recursive: true });
    const result = await runCli(['compare', '--ledgers', join(examples, 'direct-loop', 'ledgers'), '--out', out, '--period', '2026-01', '--period', '2026']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `roundtrip: cannot write the report ${JSON.stringify(join(out, '2026', 'methods.csv'))}: a folder stands where the file is needed (move it away or choose another --out); earlier reports were left as they were\n`,
    );
    expect(readFileSync(join(out, '2026-01', 'methods.csv'), 'utf8')).toBe('earlier');
    expect(hiddenFiles(out)).toEqual([]);
  });

  it('invalid ledgers: exit 2, nothing written', async () => {
    const ledgers = fresh('bad-ledgers');
    mkdirSync(ledgers);
    writeFileSync(join(ledgers, 'amazon.csv'), 'id,date,direction,counterparty,kind,category,amount,currency\na1,2026-01-01,in,opening,other,,1,000.00,USD\n');
    const out = fresh('bad-out');
    const result = await runCli(['compare', '--ledgers', ledgers, '--out', out]);
    expect(result.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('--method is not an option of compare (it runs them all): exit 2', async () => {
    const out = fresh('usage');
    const result = await runCli(['compare', '--ledgers', join(examples, 'direct-loop', 'ledgers'), '--out', out, '--method', 'fifo']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown argument: method');
    expect(existsSync(out)).toBe(false);
  });
});

describe('writeFiles', () => {
  it('a failing disk: earlier files unchanged, temporary files and new folders removed', async () => {
    const out = fresh('failing');
    mkdirSync(join(out, 'a'), { recursive: true });
    writeFileSync(join(out, 'a', 'methods.csv'), 'earlier');
    let writes = 0;
    const failing = async (path: string, data: string): Promise<void> => {
      if (++writes === 2) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      writeFileSync(path, data, { flag: 'wx' });
    };
    const files = [
      { folder: 'a', name: 'methods.csv', content: 'new a' },
      { folder: 'b', name: 'methods.csv', content: 'new b' },
    ];
    await expect(writeFiles(out, files, { writeFileImpl: failing })).rejects.toThrow(
      `cannot write ${JSON.stringify(join(out, 'b', 'methods.csv'))}: no space left on the device; earlier reports were left as they were`,
    );
    expect(readFileSync(join(out, 'a', 'methods.csv'), 'utf8')).toBe('earlier');
    expect(readdirSync(out)).toEqual(['a']);
    expect(hiddenFiles(out)).toEqual([]);

    await writeFiles(out, files);
    expect(readFileSync(join(out, 'a', 'methods.csv'), 'utf8')).toBe('new a');
    expect(readFileSync(join(out, 'b', 'methods.csv'), 'utf8')).toBe('new b');
    expect(hiddenFiles(out)).toEqual([]);
  });

  it('a rename that fails puts every file already replaced back', async () => {
    const out = fresh('rollback');
    mkdirSync(join(out, 'a'), { recursive: true });
    writeFileSync(join(out, 'a', 'methods.csv'), 'earlier a');
    const sabotage = async (path: string, data: string): Promise<void> => {
      writeFileSync(path, data, { flag: 'wx' });
      // After the checks, something puts a non-empty folder where b/methods.csv goes: its rename fails.
      if (path.includes(`${join(out, 'b')}/`)) mkdirSync(join(out, 'b', 'methods.csv', 'x'), { recursive: true });
    };
    const files = [
      { folder: 'a', name: 'methods.csv', content: 'new a' },
      { folder: 'b', name: 'methods.csv', content: 'new b' },
    ];
    await expect(writeFiles(out, files, { writeFileImpl: sabotage })).rejects.toThrow(/cannot replace/);
    expect(readFileSync(join(out, 'a', 'methods.csv'), 'utf8')).toBe('earlier a');
    expect(hiddenFiles(out)).toEqual([]);
  });

  it('a new output folder is removed again on failure, parents included', async () => {
    const out = join(fresh('nested'), 'x', 'y');
    const failing = async (): Promise<void> => {
      throw Object.assign(new Error('denied'), { code: 'EACCES' });
    };
    await expect(writeFiles(out, [{ folder: 'all', name: 'methods.csv', content: '' }], { writeFileImpl: failing })).rejects.toThrow(/permission denied/);
    expect(existsSync(join(out, '..', '..'))).toBe(false);
  });

  it('cleans up after a write that was killed outright (a dead process\'s leftovers)', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    const out = fresh('leftovers');
    mkdirSync(join(out, 'all'), { recursive: true });
    // Killed between moving the old file aside and renaming the new one in: the old one comes back.
    writeFileSync(join(out, 'all', `.roundtrip-old-${dead}-abc1-methods.csv`), 'earlier');
    writeFileSync(join(out, 'all', `.roundtrip-tmp-${dead}-abc1-methods.csv`), 'half a fi');
    const failing = async (): Promise<void> => {
      throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    };
    await expect(writeFiles(out, [{ folder: 'all', name: 'methods.csv', content: 'new' }], { writeFileImpl: failing })).rejects.toThrow(/no space/);
    expect(readFileSync(join(out, 'all', 'methods.csv'), 'utf8')).toBe('earlier');
    expect(hiddenFiles(out)).toEqual([]);
    // A live process's files are left alone.
    const live = join(out, 'all', `.roundtrip-tmp-${process.ppid}-abc2-methods.csv`);
    writeFileSync(live, 'in progress');
    await writeFiles(out, [{ folder: 'all', name: 'methods.csv', content: 'new' }]);
    expect(readFileSync(join(out, 'all', 'methods.csv'), 'utf8')).toBe('new');
    expect(existsSync(live)).toBe(true);
  });

  it('an interrupt before the renames: nothing replaced', async () => {
    const out = fresh('interrupted');
    mkdirSync(join(out, 'all'), { recursive: true });
    writeFileSync(join(out, 'all', 'methods.csv'), 'earlier');
    const controller = new AbortController();
    const slow = async (path: string, data: string): Promise<void> => {
      writeFileSync(path, data, { flag: 'wx' });
      controller.abort();
    };
    const error = await writeFiles(out, [{ folder: 'all', name: 'methods.csv', content: 'new' }], { writeFileImpl: slow, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoundtripError);
    expect((error as RoundtripError).code).toBe('interrupted');
    expect((error as RoundtripError).message).toBe('interrupted; no report was written and earlier reports were left as they were');
    expect(readFileSync(join(out, 'all', 'methods.csv'), 'utf8')).toBe('earlier');
    expect(hiddenFiles(out)).toEqual([]);
  });
});
