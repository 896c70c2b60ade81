/**
 * The trace runs in doubles when a run's money stays below 2^50 and in
 * BigInt otherwise (src/trace/arith.ts). Both must give the same integers:
 * every example and generated ledger set is traced both ways, under every
 * method, with and without earmarks, and compared figure for figure.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateLedgers } from '../src/generate/generate.js';
import { loadLedgers } from '../src/load/load.js';
import { readLedgers } from '../src/load/read.js';
import { matchTransfers } from '../src/match/match.js';
import type { Ledgers } from '../src/model.js';
import { allocateBig } from '../src/money/allocate.js';
import { type Arith, BIGINT, DOUBLE } from '../src/trace/arith.js';
import { METHODS } from '../src/trace/methods.js';
import { traceWith, type TraceResult } from '../src/trace/trace.js';

function figures(r: TraceResult) {
  return {
    returned: r.returnedByTransfer,
    returning: r.returning.map((x) => `${x.transfer.index}:${x.stake.key}:${x.amount}:${x.origins}`),
    unfunded: r.unfunded.map((e) => `${e.row.seq}:${e.amount}:${e.detail}`),
    books: [...r.books.entries()],
    problems: r.viewProblems,
    state: r.state,
  };
}

/** BigInt all the way down: `allocate` itself would take its double path for small figures. */
const REFERENCE: Arith<bigint> = { ...BIGINT, allocate: (n, w) => allocateBig(n, w, w.reduce((x, y) => x + y, 0n)) };

function bothWays(ledgers: Ledgers): void {
  const { transfers } = matchTransfers(ledgers);
  for (const method of METHODS) {
    for (const earmark of [true, false]) {
      const options = { method, earmark, minorDigits: ledgers.minorDigits };
      expect(figures(traceWith(DOUBLE, transfers, ledgers.companies, options)), `${method} earmark ${earmark}`).toEqual(
        figures(traceWith(REFERENCE, transfers, ledgers.companies, options)),
      );
    }
  }
}

const examples = join(import.meta.dirname, 'fixtures', 'examples');

describe('doubles and BigInt trace alike', () => {
  it.each(readdirSync(examples, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name))('example %s', async (name) => {
    bothWays(await readLedgers(join(examples, name, 'ledgers')));
  });

  it('the sample ledgers', async () => {
    bothWays(await readLedgers(join(import.meta.dirname, '..', 'ledgers')));
  });

  it.each([1, 2, 3])('a generated set (seed %i) with every exception code', (seed) => {
    const files = generateLedgers({ companies: 8, transfers: 1500, seed });
    bothWays(loadLedgers(files.map((f) => ({ name: f.name, bytes: Buffer.from(f.text, 'utf8') })), 'ledgers'));
  });
});
