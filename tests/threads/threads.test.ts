/**
 * Threads (issue 6). Reading: rows cross threads packed in columns
 * (load/packed.ts), and a set read in threads is the same set, row for row,
 * as one read on the main thread; an input error reads the same either way.
 * Tracing: threads that each keep some investors' views give the figures of
 * one trace.
 *
 * Worker threads run JavaScript, so the threaded runs here use the built
 * code in dist/ (`npm test` builds it first); the packing is tested on the
 * sources.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RoundtripError } from '../../src/errors.js';
import { companyOf, LedgerLoader } from '../../src/load/load.js';
import { packTable, PackReader } from '../../src/load/packed.js';
import type { Jobs, ReadOptions } from '../../src/load/read.js';
import { readInto } from '../../src/load/read-files.js';
import { readRates } from '../../src/load/rates.js';
import { RowTable, type RowValues } from '../../src/load/row-table.js';
import { generateLedgers } from '../../src/generate/generate.js';
import { loadLedgers } from '../../src/load/load.js';
import { matchTransfers } from '../../src/match/match.js';
import type { Ledgers, Row } from '../../src/model.js';
import type { traceInThreads } from '../../src/trace/trace.js';
import { METHODS } from '../../src/trace/methods.js';
import { trace } from '../../src/trace/trace.js';
import { figures } from '../support/trace-figures.js';
import { HEADER } from '../support/ledger-text.js';

const root = join(import.meta.dirname, '..', '..');
const examples = join(import.meta.dirname, '..', 'fixtures', 'examples');
const sets = [join(root, 'ledgers'), ...readdirSync(examples, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(examples, e.name, 'ledgers'))];

type ReadLedgers = (dir: string, onProgress?: undefined, options?: ReadOptions) => Promise<Ledgers>;
const built = (await import(pathToFileURL(join(root, 'dist', 'load', 'read.js')).href)) as { readLedgers: ReadLedgers };
const builtThreads = (await import(pathToFileURL(join(root, 'dist', 'trace', 'trace.js')).href)) as { traceInThreads: typeof traceInThreads };

const scratch = mkdtempSync(join(tmpdir(), 'roundtrip-threads-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FIELDS = ['company', 'file', 'line', 'seq', 'id', 'date', 'day', 'ts', 'direction', 'counterparty', 'kind', 'category', 'amount', 'currency', 'ref', 'deal', 'memo'] as const;

/** A row's values as a plain object (rows are read through getters). */
function plain(row: Row): Record<string, unknown> {
  return Object.fromEntries(FIELDS.map((f) => [f, row[f]]));
}

function plainLedgers(ledgers: Ledgers): unknown {
  return { ...ledgers, rows: ledgers.rows.map(plain) };
}

/** A pack's rows appended to a new table, file by file. */
function throughPack(table: RowTable): RowTable {
  const target = new RowTable();
  const reader = new PackReader(target, packTable(table));
  table.fileNames.forEach((name, i) => reader.append(name, target.addFile(name, table.fileCompanies[i] as string)));
  return target;
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


describe('rows in columns, packed for another thread', () => {
  it.each(sets)('pack then append gives back every row of %s, seq included', async (dir) => {
    // A set in several currencies is converted as it is read, on the main thread (a reading thread converts nothing).
    const rates = existsSync(join(dir, '_rates.csv')) ? { rates: readRates(readFileSync(join(dir, '_rates.csv')), `${dir}/_rates.csv`, '_rates.csv') } : {};
    const loader = new LedgerLoader(readdirSync(dir), dir, undefined, rates);
    await readInto(dir, loader);
    const ledgers = loader.finish();
    expect(ledgers.rows.length).toBeGreaterThan(0);
    expect(throughPack(loader.rowTable).rows.map(plain)).toEqual(ledgers.rows.map(plain));
  });

  it('keeps amounts of 18 digits, dates with and without a time, a date in year 0000, empty optional values and a memo with a comma and a newline', () => {
    const values: RowValues[] = [
      { line: 2, id: 'x1', date: '2026-01-01', day: '2026-01-01', ts: 63902908800, direction: 'in', counterparty: 'b', kind: 'revenue', category: 'cloud', amount: 999999999999999999n, currency: 'KWD', ref: '', deal: '', memo: 'one, "two"\nthree' },
      { line: 3, id: 'x2', date: '2026-01-01T10:05', day: '2026-01-01', ts: 63902908800 + 36300, direction: 'out', counterparty: 'b', kind: 'investment', category: '', amount: 1n, currency: 'KWD', ref: 'R1', deal: 'D.1', memo: '' },
      { line: 9, id: 'x3', date: '0000-01-01T23:59:58', day: '0000-01-01', ts: -59 * 86400 + 86398, direction: 'out', counterparty: 'c', kind: 'purchase', category: 'chips', amount: 5n, currency: 'KWD', ref: 'R2', deal: '', memo: 'm' },
    ];
    const table = new RowTable();
    const a = table.addFile('a.csv', 'a');
    const b = table.addFile('a.2026.csv', 'a');
    // A file's rows are contiguous (a loader reads one file at a time).
    const order = [0, 2, 1];
    for (const i of order) table.push(i === 1 ? b : a, values[i] as RowValues);
    const rows = table.rows.map(plain);
    expect(rows).toEqual(order.map((i, seq) => ({ ...values[i], company: 'a', file: i === 1 ? 'a.2026.csv' : 'a.csv', seq })));
    expect(throughPack(table).rows.map(plain)).toEqual(rows);
  });
});

describe('reading in threads', () => {
  it.each(sets)('%s: two threads read the same ledgers as one', async (dir) => {
    const one = await readWith(dir, 1);
    const two = await readWith(dir, 2);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(Math.min(2, one.ledgers.companies.length));
    expect(plainLedgers(two.ledgers)).toEqual(plainLedgers(one.ledgers));
    expect(two.ledgers.rows.map((r) => r.conversion)).toEqual(one.ledgers.rows.map((r) => r.conversion));
  });

  it('as many threads as companies at most; auto stays on the main thread for a small set', async () => {
    const dir = join(root, 'ledgers');
    expect((await readWith(dir, 64)).threads).toBe(new Set(readdirSync(dir).filter((n) => n.endsWith('.csv') && !n.startsWith('_')).map(companyOf)).size);
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
      'alpha.csv': `${HEADER}\na1,2026-01-02,in,customers,revenue,cloud,10.00,USD,,,\na1,2026-01-03,in,customers,revenue,cloud,5.00,USD,,,\n`,
      'beta.csv': `${HEADER}\nb1,2026-01-02,in,customers,revenue,cloud,10.00,USD,,,\nb2,2026-02-30,in,customers,revenue,cloud,5.00,USD,,,\n`,
    });
    const message = await errorOf(dir, 1);
    expect(message).toContain('alpha.csv:3');
    expect(message).toContain('beta.csv:3');
    expect(await errorOf(dir, 2)).toBe(message);
  });

  it('two currencies, each alone in its thread, no rates file: the no-rate error of a single thread', async () => {
    const dir = writeSet('two-currencies', {
      'alpha.csv': `${HEADER}\na1,2026-01-02,in,customers,revenue,cloud,10.00,USD,,,\n`,
      'beta.csv': `${HEADER}\nb1,2026-01-02,in,customers,revenue,cloud,10.00,EUR,,,\n`,
    });
    const message = await errorOf(dir, 1);
    expect(message).toContain('beta.csv:2: no EUR→USD rate on or before 2026-01-02: there is no rates file');
    expect(await errorOf(dir, 2)).toBe(message);
  });
});

describe('tracing in threads', () => {
  const generated = [1, 2, 3].map((seed) => {
    const files = generateLedgers({ companies: 10, transfers: 3000, seed });
    return loadLedgers(files.map((f) => ({ name: f.name, bytes: Buffer.from(f.text, 'utf8') })), 'ledgers');
  });
  let threaded = 0;

  /** Traces in `jobs` threads under every method; checks the threads actually used (one per investor at most) and the figures of one trace. */
  async function alike(ledgers: Ledgers, jobs: number): Promise<number> {
    const { transfers } = matchTransfers(ledgers);
    const investors = new Set(transfers.filter((t) => t.payerIsLedger && t.payeeIsLedger && t.payerKind === 'investment').map((t) => t.payer)).size;
    const expected = Math.max(1, Math.min(jobs, investors));
    for (const method of METHODS) {
      for (const earmark of [true, false]) {
        const options = { method, earmark, minorDigits: ledgers.minorDigits };
        let told = 1;
        const result = await builtThreads.traceInThreads(transfers, ledgers.companies, options, jobs, (n) => (told = n));
        const label = `${method}, earmark ${earmark}, ${investors} investors`;
        expect(result.engine.name, label).toBe('flat');
        expect(result.engine.threads, label).toBe(expected);
        expect(told, label).toBe(expected);
        if (expected > 1) threaded++;
        expect(figures(result), label).toEqual(figures(trace(transfers, ledgers.companies, options)));
      }
    }
    return investors;
  }

  it.each(sets)('%s: two threads trace as one (threads used: one per investor, at most two)', async (dir) => {
    const investors = await alike(await built.readLedgers(dir, undefined, { jobs: 1 }), 2);
    // The sample ledgers have several investors: they do trace in two threads.
    if (dir === sets[0]) expect(investors).toBeGreaterThan(1);
  });

  it.each([2, 3, 5])('generated sets with many investors, %i threads: the figures of one trace, every method', async (jobs) => {
    threaded = 0;
    for (const ledgers of generated) await alike(ledgers, jobs);
    expect(threaded).toBe(2 * METHODS.length * generated.length);
  });

  it('a portfolio set (hundreds of stakes, amounts at the 15-digit limit: pools handed to BigInt), 2 threads: the figures of one trace, every method', async () => {
    threaded = 0;
    const files = generateLedgers({ companies: 12, transfers: 2500, seed: 7, profile: 'portfolio' });
    const ledgers = loadLedgers(files.map((f) => ({ name: f.name, bytes: Buffer.from(f.text, 'utf8') })), 'ledgers');
    await alike(ledgers, 2);
    expect(threaded).toBe(2 * METHODS.length);
    const { transfers } = matchTransfers(ledgers);
    const result = await builtThreads.traceInThreads(transfers, ledgers.companies, { method: 'pro-rata', earmark: true, minorDigits: 2 }, 2);
    expect(result.engine).toMatchObject({ name: 'flat', threads: 2 });
    expect(result.engine.bigTransfers).toBeGreaterThan(0);
  });

  it('auto traces in this thread below 200,000 transfers (and few stakes); the general engine when transfers are observed', async () => {
    const ledgers = generated[0] as Ledgers;
    const { transfers } = matchTransfers(ledgers);
    let threads = 1;
    const options = { method: 'fifo' as const, earmark: true, minorDigits: 2 };
    const auto = await builtThreads.traceInThreads(transfers, ledgers.companies, options, 'auto', (n) => (threads = n));
    expect(threads).toBe(1);
    expect(auto.engine).toMatchObject({ name: 'flat', threads: 1 });
    const observed = await builtThreads.traceInThreads(transfers, ledgers.companies, { ...options, observe: { wants: () => false, seen: () => undefined } }, 2);
    expect(observed.engine).toMatchObject({ name: 'general', threads: 1 });
    expect(figures(observed)).toEqual(figures(auto));
  });
});
