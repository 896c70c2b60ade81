/**
 * The fast pro-rata trace (src/trace/fast.ts) against the general one
 * (`traceWith`, here in BigInt all the way down): the same figures for every
 * transfer, stake, view and company, on every example, the sample ledgers,
 * generated sets of every exception code, and fast-check's small sets.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateLedgers } from '../src/generate/generate.js';
import { loadLedgers } from '../src/load/load.js';
import { readLedgers } from '../src/load/read.js';
import { matchTransfers } from '../src/match/match.js';
import type { Ledgers } from '../src/model.js';
import { allocateBig } from '../src/money/allocate.js';
import { type Arith, BIGINT } from '../src/trace/arith.js';
import { traceProRata } from '../src/trace/fast.js';
import { fitsDoubles, trace, traceWith, type TraceResult } from '../src/trace/trace.js';
import { ledgerFiles, ledgerSet } from './support/ledger-set.js';

function figures(r: TraceResult) {
  return {
    method: r.method,
    earmark: r.earmark,
    returned: r.returnedByTransfer,
    returning: r.returning.map((x) => `${x.transfer.index}:${x.stake.key}>${x.stake.investor}>${x.stake.investee}#${x.stake.deal}:${x.amount}:${x.origins}:${x.company}:${x.cited.seq}:${x.kind}:${x.category}`),
    unfunded: r.unfunded.map((e) => `${e.company}:${e.id}:${e.row.seq}:${e.counterparty}:${e.counterpartyRow?.seq}:${e.amount}:${e.detail}`),
    books: [...r.books.entries()],
    origins: [...r.origins.entries()].map(([key, list]) => `${key}:${list.map((t) => t.index).join(',')}`),
    problems: r.viewProblems,
    state: r.state,
    order: r.order.map((t) => t.index),
  };
}

/** Sets traced by the fast path itself (the fast-check sets include amounts past 2^50). */
let fitted = 0;

const REFERENCE: Arith<bigint> = { ...BIGINT, allocate: (n, w) => allocateBig(n, w, w.reduce((x, y) => x + y, 0n)) };

function alike(ledgers: Ledgers): void {
  const { transfers } = matchTransfers(ledgers);
  for (const earmark of [true, false]) {
    const options = { method: 'pro-rata' as const, earmark, minorDigits: ledgers.minorDigits };
    const reference = figures(traceWith(REFERENCE, transfers, ledgers.companies, options));
    // `trace` takes the fast path for pro-rata runs that fit doubles, the BigInt path otherwise.
    expect(figures(trace(transfers, ledgers.companies, options)), `earmark ${earmark}`).toEqual(reference);
    if (fitsDoubles(transfers)) {
      fitted++;
      expect(figures(traceProRata(transfers, ledgers.companies, options)), `earmark ${earmark}`).toEqual(reference);
    } else expect(() => traceProRata(transfers, ledgers.companies, options)).toThrow(RangeError);
  }
}

const examples = join(import.meta.dirname, 'fixtures', 'examples');

describe('the fast pro-rata trace gives the general trace\'s figures', () => {
  it.each(readdirSync(examples, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name))('example %s', async (name) => {
    alike(await readLedgers(join(examples, name, 'ledgers')));
  });

  it('the sample ledgers', async () => {
    alike(await readLedgers(join(import.meta.dirname, '..', 'ledgers')));
  });

  it.each([1, 2, 3, 4, 5, 6])('a generated set (seed %i): deals, multi-hop loops, rescaled and unfunded transfers', (seed) => {
    const files = generateLedgers({ companies: 10, transfers: 3000, seed });
    alike(loadLedgers(files.map((f) => ({ name: f.name, bytes: Buffer.from(f.text, 'utf8') })), 'ledgers'));
  });

  it('small generated sets (fast-check, 300 cases), most of them within doubles', () => {
    fitted = 0;
    fc.assert(
      fc.property(ledgerSet, (set) => {
        alike(loadLedgers(ledgerFiles(set), 'ledgers'));
      }),
      { numRuns: 300 },
    );
    expect(fitted).toBeGreaterThan(300);
  });
});
