/**
 * Reading ledgers in threads (issue 6): rows cross threads packed in columns
 * (load/packed.ts), and a set read in threads is the same set, row for row,
 * as one read on the main thread; an input error reads the same either way.
 *
 * Worker threads run JavaScript, so the threaded reads here use the built
 * code in dist/ (`npm test` builds it first); the packing is tested on the
 * sources.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RoundtripError } from '../src/errors.js';
import { companyOf } from '../src/load/load.js';
import { fileRanges, packRows, unpackRows } from '../src/load/packed.js';
import type { Jobs, ReadOptions } from '../src/load/read.js';
import { readLedgers } from '../src/load/read.js';
import type { Ledgers } from '../src/model.js';

const root = join(import.meta.dirname, '..');
const examples = join(import.meta.dirname, 'fixtures', 'examples');
const sets = [join(root, 'ledgers'), ...readdirSync(examples, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(examples, e.name, 'ledgers'))];

type ReadLedgers = (dir: string, onProgress?: undefined, options?: ReadOptions) => Promise<Ledgers>;
const built = (await import(pathToFileURL(join(root, 'dist', 'load', 'read.js')).href)) as { readLedgers: ReadLedgers };

const scratch = mkdtempSync(join(tmpdir(), 'roundtrip-threads-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function intern(): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    const known = seen.get(value);
    if (known !== undefined) return known;
    seen.set(value, value);
    return value;
  };
}

/** Reads `dir` with `jobs` threads (built code); resolves to the ledgers and the threads used, or rejects with the tool's error. */
async function readWith(dir: string, jobs: Jobs): Promise<{ ledgers: Ledgers; threads: number }> {
  let threads = 1;
  const ledgers = await built.readLedgers(dir, undefined, { jobs, onThreads: (n) => (threads = n) });
  return { ledgers, threads };
}

function writeSet(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const HEADER = 'id,date,direction,counterparty,kind,category,amount,currency,ref,deal,memo\n';

describe('packed rows', () => {
  it.each(sets)('unpack(pack(rows)) gives back every row of %s, seq included', async (dir) => {
    const ledgers = await readLedgers(dir, undefined, { jobs: 1 });
    const packed = packRows(ledgers.rows);
    expect(unpackRows(packed, intern(), companyOf)).toEqual(ledgers.rows);
    // A file's rows are one contiguous range.
    const ranges = [...fileRanges(packed)].map(([file, r]) => [file, r.to - r.from]);
    expect(ranges).toEqual(ledgers.files.filter((f) => f.rows > 0).map((f) => [f.name, ledgers.rows.filter((r) => r.file === f.name).length]));
  });

  it('keeps amounts of 18 digits, a date with and without time, empty optional values and a memo with a comma and a newline', () => {
    const ledgers = {
      rows: [
        { company: 'a', file: 'a.csv', line: 2, seq: 0, id: 'x1', date: '2026-01-01', day: '2026-01-01', ts: 63902908800, direction: 'in', counterparty: 'b', kind: 'revenue', category: 'cloud', amount: 999999999999999999n, currency: 'KWD', ref: '', deal: '', memo: 'one, "two"\nthree' },
        { company: 'a', file: 'a.2026.csv', line: 3, seq: 1, id: 'x2', date: '2026-01-01T10:00', day: '2026-01-01', ts: 63902944800, direction: 'out', counterparty: 'b', kind: 'investment', category: '', amount: 1n, currency: 'KWD', ref: 'R1', deal: 'D.1', memo: '' },
      ] as const,
    };
    expect(unpackRows(packRows(ledgers.rows), intern(), companyOf)).toEqual(ledgers.rows);
  });
});

describe('reading in threads', () => {
  it.each(sets)('%s: two threads read the same ledgers as one', async (dir) => {
    const one = await readWith(dir, 1);
    const two = await readWith(dir, 2);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(Math.min(2, one.ledgers.companies.length));
    expect(two.ledgers).toEqual(one.ledgers);
  });

  it('as many threads as companies at most; auto stays on the main thread for a small set', async () => {
    const dir = join(root, 'ledgers');
    expect((await readWith(dir, 64)).threads).toBe(new Set(readdirSync(dir).filter((n) => n.endsWith('.csv')).map(companyOf)).size);
    expect((await readWith(dir, 'auto')).threads).toBe(1);
  });

  const errorOf = async (dir: string, jobs: Jobs): Promise<string> => {
    try {
      await readWith(dir, jobs);
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect((error as RoundtripError).code).toBe('input');
      return (error as Error).message;
    }
    throw new Error('expected an input error');
  };

  it('an input error in one thread: the same message, in file and line order, as one thread gives', async () => {
    const dir = writeSet('bad-id', {
      'alpha.csv': `${HEADER}a1,2026-01-02,in,customers,revenue,cloud,10.00,USD,,,\na1,2026-01-03,in,customers,revenue,cloud,5.00,USD,,,\n`,
      'beta.csv': `${HEADER}b1,2026-01-02,in,customers,revenue,cloud,10.00,USD,,,\nb2,2026-02-30,in,customers,revenue,cloud,5.00,USD,,,\n`,
    });
    const message = await errorOf(dir, 1);
    expect(message).toContain('alpha.csv:3');
    expect(message).toContain('beta.csv:3');
    expect(await errorOf(dir, 2)).toBe(message);
  });

  it('two currencies, each alone in its thread: the one-currency error of a single thread', async () => {
    const dir = writeSet('two-currencies', {
      'alpha.csv': `${HEADER}a1,2026-01-02,in,customers,revenue,cloud,10.00,USD,,,\n`,
      'beta.csv': `${HEADER}b1,2026-01-02,in,customers,revenue,cloud,10.00,EUR,,,\n`,
    });
    const message = await errorOf(dir, 1);
    expect(message).toContain('currency "EUR" differs from the run\'s currency USD, first used at');
    expect(await errorOf(dir, 2)).toBe(message);
  });
});
