/**
 * The flat trace (src/trace/flat.ts, engine.ts) decides doubles or BigInt
 * per split and per pool; the general trace runs in doubles when a run's
 * money stays below 2^50 and in BigInt otherwise (src/trace/arith.ts). All
 * must give the same integers: every example and generated ledger set is
 * traced every way, under every method, with and without earmarks, and
 * compared figure for figure with the general trace in BigInt all the way
 * down.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateLedgers } from '../../src/generate/generate.js';
import { loadLedgers } from '../../src/load/load.js';
import { readLedgers } from '../../src/load/read.js';
import { matchTransfers } from '../../src/match/match.js';
import type { Ledgers } from '../../src/model.js';
import { allocateBig } from '../../src/money/allocate.js';
import { type Arith, BIGINT, DOUBLE } from '../../src/trace/arith.js';
import fc from 'fast-check';
import { prepareViews, traceFlat } from '../../src/trace/flat.js';
import { METHODS, type Method } from '../../src/trace/methods.js';
import { fitsDoubles, traceWith } from '../../src/trace/general.js';
import { trace } from '../../src/trace/trace.js';
import { ledgerFiles, ledgerSet } from '../support/ledger-set.js';
import { figures } from '../support/trace-figures.js';

/** Sets traced with every pool in doubles, and with some pool or amount in BigInt (the fast-check sets include amounts past 2^53). */
let fitted = 0;
let unfitted = 0;

/** BigInt all the way down: `allocate` itself would take its double path for small figures. */
const REFERENCE: Arith<bigint> = { ...BIGINT, allocate: (n, w) => allocateBig(n, w, w.reduce((x, y) => x + y, 0n)) };

function bothWays(ledgers: Ledgers, methods: readonly Method[] = METHODS): void {
  const { transfers } = matchTransfers(ledgers);
  const doubles = fitsDoubles(transfers);
  const storable = prepareViews(transfers, ledgers.companies, false).fits;
  for (const method of methods) {
    for (const earmark of [true, false]) {
      const options = { method, earmark, minorDigits: ledgers.minorDigits };
      const reference = figures(traceWith(REFERENCE, transfers, ledgers.companies, options));
      const label = `${method} earmark ${earmark}`;
      if (doubles) expect(figures(traceWith(DOUBLE, transfers, ledgers.companies, options)), label).toEqual(reference);
      // `trace` takes the flat trace.
      expect(figures(trace(transfers, ledgers.companies, options)), label).toEqual(reference);
      if (storable) fitted++;
      else unfitted++;
    }
  }
}

const examples = join(import.meta.dirname, '..', 'fixtures', 'examples');

describe('doubles and BigInt trace alike', () => {
  it.each(readdirSync(examples, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name))('example %s', async (name) => {
    bothWays(await readLedgers(join(examples, name, 'ledgers')));
  });

  it('the sample ledgers', async () => {
    bothWays(await readLedgers(join(import.meta.dirname, '..', '..', 'ledgers')));
  });

  it.each([1, 2, 3])('a generated set (seed %i) with every exception code', (seed) => {
    const files = generateLedgers({ companies: 8, transfers: 1500, seed });
    bothWays(loadLedgers(files.map((f) => ({ name: f.name, bytes: Buffer.from(f.text, 'utf8') })), 'ledgers'));
  });

  it.each([4, 5, 6])('a larger generated set (seed %i), amounts in billions: deals, multi-hop loops, rescaled and unfunded transfers', (seed) => {
    const files = generateLedgers({ companies: 10, transfers: 3000, seed, scale: 3 });
    bothWays(loadLedgers(files.map((f) => ({ name: f.name, bytes: Buffer.from(f.text, 'utf8') })), 'ledgers'));
  });

  it.each(METHODS)('small generated sets (fast-check, 150 cases), %s: most of them within doubles, some past 2^53', (method) => {
    fitted = 0;
    unfitted = 0;
    fc.assert(
      fc.property(ledgerSet, (set) => {
        bothWays(loadLedgers(ledgerFiles(set), 'ledgers'), [method]);
      }),
      { numRuns: 150 },
    );
    expect(fitted).toBeGreaterThan(150);
    expect(unfitted).toBeGreaterThan(0);
  });

  it.each([7, 8])('a portfolio set (seed %i): hundreds of stakes, most under a deal of their own, amounts at the 15-digit limit', (seed) => {
    const files = generateLedgers({ companies: 12, transfers: 2500, seed, profile: 'portfolio' });
    const ledgers = loadLedgers(files.map((f) => ({ name: f.name, bytes: Buffer.from(f.text, 'utf8') })), 'ledgers');
    const { transfers } = matchTransfers(ledgers);
    expect(prepareViews(transfers, ledgers.companies, true).fits).toBe(false);
    bothWays(ledgers);
  });
});

describe('the double/BigInt switch is decided per split, and a wrong switch is caught', () => {
  // Figures past 2^50 minor units but within Number.MAX_SAFE_INTEGER: storable as doubles,
  // but their products need BigInt. A split in doubles would round them.
  const HEADER = 'id,date,direction,counterparty,kind,category,amount,currency,ref,deal,memo\n';
  const files = [
    {
      name: 'alpha.csv',
      text:
        HEADER +
        'a0,2026-01-01,in,opening,other,,40000000000000.01,USD,,,\n' +
        'a1,2026-01-02,in,bravo,investment,,3333333333333.33,USD,R1,,\n' +
        'a2,2026-01-03,out,ext:vendor,purchase,chips,1234567890123.45,USD,,,\n' +
        'a3,2026-01-04,out,bravo,purchase,cloud,2718281828459.05,USD,R2,,\n',
    },
    {
      name: 'bravo.csv',
      text:
        HEADER +
        'b0,2026-01-01,in,opening,other,,5000000000000.00,USD,,,\n' +
        'b1,2026-01-02,out,alpha,investment,,3333333333333.33,USD,R1,,\n' +
        'b2,2026-01-04,in,alpha,revenue,cloud,2718281828459.05,USD,R2,,\n',
    },
  ];
  const ledgers = loadLedgers(files.map((f) => ({ name: f.name, bytes: Buffer.from(f.text, 'utf8') })), 'ledgers');
  const { transfers } = matchTransfers(ledgers);
  const options = { method: 'pro-rata' as const, earmark: true, minorDigits: 2 };

  it('figures past 2^50: the flat trace takes BigInt for those splits and agrees with the reference, where the old whole-run test gave up', () => {
    expect(fitsDoubles(transfers)).toBe(false);
    expect(prepareViews(transfers, ledgers.companies, true).fits).toBe(true);
    const reference = figures(traceWith(REFERENCE, transfers, ledgers.companies, options));
    expect(figures(traceFlat(transfers, ledgers.companies, options))).toEqual(reference);
    // Of bravo's 2,718,281,828,459.05 of revenue, its own money coming back: the exact figure, to the cent.
    expect(reference.returned.filter((x) => x > 0n)).toEqual([20909860218916n]);
  });

  it('a wrong storage threshold (doubles past Number.MAX_SAFE_INTEGER) is caught: the flat trace then disagrees with the reference', () => {
    // 99,999,999,999,999.99 (15 digits) is 9,999,999,999,999,999 cents: past 2^53, no double holds it.
    const big = files.map((f) => ({ name: f.name, bytes: Buffer.from(f.text.replaceAll('40000000000000.01', '99999999999999.99').replaceAll('5000000000000.00', '99999999999999.97'), 'utf8') }));
    const set = loadLedgers(big, 'ledgers');
    const moved = matchTransfers(set).transfers;
    expect(prepareViews(moved, set.companies, true).fits).toBe(false);
    const reference = figures(traceWith(REFERENCE, moved, set.companies, options));
    expect(figures(traceFlat(moved, set.companies, options))).toEqual(reference);
    expect(figures(traceFlat(moved, set.companies, options, 2 ** 60))).not.toEqual(reference);
  });

  it.each(METHODS)('%s: money at the 15-digit limit comes back exactly (a returning amount past 2^53, pools in BigInt and back)', (method) => {
    const round = [
      {
        name: 'alpha.csv',
        text:
          HEADER +
          'a0,2026-01-01,in,opening,other,,999999999999999.99,USD,,,\n' +
          'a1,2026-01-02,out,bravo,investment,,99999999999999.99,USD,R1,D-1,\n' +
          'a2,2026-01-04,in,bravo,revenue,cloud,99999999999999.98,USD,R2,,\n',
      },
      {
        name: 'bravo.csv',
        text:
          HEADER +
          'b0,2026-01-01,in,opening,other,,1.00,USD,,,\n' +
          'b1,2026-01-02,in,alpha,investment,,99999999999999.99,USD,R1,D-1,\n' +
          'b2,2026-01-03,out,ext:payroll,other,,0.01,USD,,,\n' +
          'b3,2026-01-04,out,alpha,purchase,cloud,99999999999999.98,USD,R2,,\n',
      },
    ];
    const set = loadLedgers(round.map((f) => ({ name: f.name, bytes: Buffer.from(f.text, 'utf8') })), 'ledgers');
    const moved = matchTransfers(set).transfers;
    const opts = { method, earmark: true, minorDigits: 2 };
    const reference = figures(traceWith(REFERENCE, moved, set.companies, opts));
    const flat = traceFlat(moved, set.companies, opts);
    expect(figures(flat)).toEqual(reference);
    expect(flat.engine.bigTransfers).toBeGreaterThan(0);
    const back = [...flat.returning].reduce((n, r) => n + r.amount, 0n);
    expect(back).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(back).toBe(reference.returned.reduce((n, x) => n + x, 0n));
  });
});
