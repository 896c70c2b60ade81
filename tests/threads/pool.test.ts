/**
 * threads/pool.ts, the one launcher and balancing loop of the reading and
 * tracing threads: how work is dealt out, and how threads report, finish and
 * fail. The thread scripts here are small JavaScript files written for the
 * test; they take their task through the built pool (dist/), as the real
 * workers do.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RoundtripError } from '../../src/errors.js';
import { autoThreads, canRunThreads, dealOut, runThreads } from '../../src/threads/pool.js';

const root = join(import.meta.dirname, '..', '..');
const builtPool = pathToFileURL(join(root, 'dist', 'threads', 'pool.js')).href;
const scratch = mkdtempSync(join(tmpdir(), 'roundtrip-pool-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A thread script in the scratch folder: `body` runs with `thread` (from threadTask) and `task` in scope. */
function script(name: string, body: string): URL {
  const path = join(scratch, `${name}.mjs`);
  writeFileSync(path, `import { threadTask } from ${JSON.stringify(builtPool)};\nconst thread = threadTask('${name}');\nconst task = thread.task;\n${body}\n`);
  return pathToFileURL(path);
}

describe('dealOut: the heaviest item first, to the thread with the least so far', () => {
  it('deals weights 5, 3, 3, 2, 1 over two threads as 5+2 and 3+3+1 (equal loads: the lower thread)', () => {
    // 5 → t0; 3 → t1; 3 → t1 (3 < 5); 2 → t0 (5 < 6); 1 → t1 (6 < 7).
    expect(dealOut([5, 3, 3, 2, 1], 2)).toEqual([0, 1, 1, 0, 1]);
    expect(dealOut([4, 4, 4, 4], 2)).toEqual([0, 1, 0, 1]);
  });

  it('equal weights go in tie order: item order by default, or the order given', () => {
    expect(dealOut([1, 1, 1], 3)).toEqual([0, 1, 2]);
    expect(dealOut([1, 1, 1], 3, (a, b) => b - a)).toEqual([2, 1, 0]);
  });

  it('one thread takes everything; no items, no threads used', () => {
    expect(dealOut([7, 2, 9], 1)).toEqual([0, 0, 0]);
    expect(dealOut([], 4)).toEqual([]);
  });
});

describe('autoThreads and canRunThreads', () => {
  it('auto never asks for more than its maximum, and for one thread at least', () => {
    expect(autoThreads(1)).toBe(1);
    expect(autoThreads(2)).toBeGreaterThanOrEqual(1);
    expect(autoThreads(2)).toBeLessThanOrEqual(2);
  });

  it('a script runs in a thread only when its file is there', () => {
    expect(canRunThreads(new URL(builtPool))).toBe(true);
    expect(canRunThreads(pathToFileURL(join(scratch, 'absent.js')))).toBe(false);
  });
});

describe('runThreads', () => {
  it('results come back in task order, and every progress message is heard with its thread', async () => {
    const square = script('square', 'for (let i = 1; i <= task; i++) thread.progress(i);\nthread.finish(task * task);');
    const heard: string[] = [];
    const results = await runThreads<number, number, number>(square, [3, 1, 2], 'a squaring thread', (t, p) => heard.push(`${t}:${p}`));
    expect(results).toEqual([9, 1, 4]);
    expect(heard.filter((h) => h.startsWith('0:'))).toEqual(['0:1', '0:2', '0:3']);
    expect(heard.filter((h) => h.startsWith('1:'))).toEqual(['1:1']);
    expect(heard.filter((h) => h.startsWith('2:'))).toEqual(['2:1', '2:2']);
  });

  it('a thread that stops before it finishes: an internal error naming it and its exit code', async () => {
    const quits = script('quits', 'if (task === 1) process.exit(3);\nthread.finish(task);');
    const failure = runThreads<number, never, number>(quits, [0, 1], 'a quitting thread');
    await expect(failure).rejects.toThrow(new RoundtripError('internal', 'a quitting thread stopped with code 3 before it finished'));
    await expect(failure).rejects.toMatchObject({ code: 'internal' });
  });

  it("a thread that throws: the thread's own error", async () => {
    const throws = script('throws', "throw new Error('no task for me');");
    await expect(runThreads<number, never, number>(throws, [0], 'a throwing thread')).rejects.toThrow('no task for me');
  });
});
