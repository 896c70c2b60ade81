/**
 * The trace runs in doubles when a run's money stays below 2^50 and in
 * BigInt otherwise (src/trace/arith.ts), and pro-rata runs in doubles take
 * the fast trace (src/trace/fast.ts). All must give the same integers: every
 * example and generated ledger set is traced every way, under every method,
 * with and without earmarks, and compared figure for figure with the general
 * trace in BigInt all the way down.
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
import { traceProRata } from '../../src/trace/fast.js';
import { METHODS, type Method } from '../../src/trace/methods.js';
import { fitsDoubles, trace, traceWith } from '../../src/trace/trace.js';
import { ledgerFiles, ledgerSet } from '../support/ledger-set.js';
import { figures } from '../support/trace-figures.js';

/** Sets the fast pro-rata trace itself traced (the fast-check sets include amounts past 2^50). */
let fitted = 0;

/** BigInt all the way down: `allocate` itself would take its double path for small figures. */
const REFERENCE: Arith<bigint> = { ...BIGINT, allocate: (n, w) => allocateBig(n, w, w.reduce((x, y) => x + y, 0n)) };

function bothWays(ledgers: Ledgers, methods: readonly Method[] = METHODS): void {
  const { transfers } = matchTransfers(ledgers);
  const doubles = fitsDoubles(transfers);
  for (const method of methods) {
    for (const earmark of [true, false]) {
      const options = { method, earmark, minorDigits: ledgers.minorDigits };
      const reference = figures(traceWith(REFERENCE, transfers, ledgers.companies, options));
      const label = `${method} earmark ${earmark}`;
      if (doubles) expect(figures(traceWith(DOUBLE, transfers, ledgers.companies, options)), label).toEqual(reference);
      // `trace` picks the fast trace for pro-rata in doubles, the general one otherwise.
      expect(figures(trace(transfers, ledgers.companies, options)), label).toEqual(reference);
      if (method !== 'pro-rata') continue;
      if (doubles) {
        fitted++;
        expect(figures(traceProRata(transfers, ledgers.companies, options)), label).toEqual(reference);
      } else expect(() => traceProRata(transfers, ledgers.companies, options)).toThrow(RangeError);
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

  it.each([4, 5, 6])('a larger generated set (seed %i), pro-rata: deals, multi-hop loops, rescaled and unfunded transfers', (seed) => {
    const files = generateLedgers({ companies: 10, transfers: 3000, seed });
    bothWays(loadLedgers(files.map((f) => ({ name: f.name, bytes: Buffer.from(f.text, 'utf8') })), 'ledgers'), ['pro-rata']);
  });

  it('small generated sets (fast-check, 300 cases), pro-rata, most of them within doubles', () => {
    fitted = 0;
    fc.assert(
      fc.property(ledgerSet, (set) => {
        bothWays(loadLedgers(ledgerFiles(set), 'ledgers'), ['pro-rata']);
      }),
      { numRuns: 300 },
    );
    expect(fitted).toBeGreaterThan(300);
  });
});
