/**
 * The lists of returning stakes (src/trace/returning.ts): over the flat
 * engine's columns, over an array, and picked by indices from another list
 * (report order, a period). Each reads the same stakes through `at` (an
 * object) and through `transferAt`, `stakeAt`, `amountAt`, `minorAt` (none).
 */
import { describe, expect, it } from 'vitest';
import { generateLedgers } from '../../src/generate/generate.js';
import { loadLedgers } from '../../src/load/load.js';
import { reconcileLedgers } from '../../src/pipeline.js';
import { ConcatList } from '../../src/trace/returning.js';
import { ReturningArray, ReturningPicked, type ReturningList } from '../../src/trace/trace.js';

/** Every stake of a list as text, read through `at` and through the accessors (which must agree). */
function read(list: ReturningList): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const r = list.at(i);
    expect([list.transferAt(i), list.stakeAt(i), list.amountAt(i)]).toEqual([r.transfer, r.stake, r.amount]);
    expect(list.minorAt(i)).toBe(r.amount <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r.amount) : Number.NaN);
    out.push(`${r.transfer.index}:${r.stake.key}:${r.amount}:${r.origins}:${r.company}:${r.cited.seq}:${r.kind}:${r.category}`);
  }
  expect([...list].map((r) => `${r.transfer.index}:${r.stake.key}:${r.amount}:${r.origins}:${r.company}:${r.cited.seq}:${r.kind}:${r.category}`)).toEqual(out);
  return out;
}

describe('the lists of returning stakes', () => {
  const inputs = generateLedgers({ companies: 8, transfers: 800, seed: 5, profile: 'portfolio' }).map((f) => ({ name: f.name, bytes: new TextEncoder().encode(f.text) }));
  const rec = reconcileLedgers(loadLedgers(inputs, 'ledgers'), { method: 'pro-rata', earmark: true });
  const columns = rec.traced.returning;

  it('the flat engine’s columns read the same through objects and accessors, in processing order', () => {
    expect(rec.traced.engine.name).toBe('flat');
    expect(columns.length).toBeGreaterThan(50);
    const all = read(columns);
    const positions = all.map((_, i) => rec.traced.order.indexOf(columns.transferAt(i)));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('an array of the same objects reads the same', () => {
    expect(read(new ReturningArray([...columns]))).toEqual(read(columns));
  });

  it('a pick from a pick is one pick from the base, in the order given', () => {
    const n = columns.length;
    // Backwards, then every third of that.
    const back = new ReturningPicked(columns, Int32Array.from({ length: n }, (_, k) => n - 1 - k));
    const thirds = Int32Array.from({ length: Math.ceil(n / 3) }, (_, k) => 3 * k);
    const picked = new ReturningPicked(back, thirds);
    const want = read(columns)
      .reverse()
      .filter((_, k) => k % 3 === 0);
    expect(picked.length).toBe(thirds.length);
    expect(read(picked)).toEqual(want);
    expect(read(new ReturningPicked(new ReturningArray([...back]), thirds))).toEqual(want);
  });

  it('lists laid end to end (empty ones too) read as one, and a pick from them reads through', () => {
    const n = columns.length;
    const cut = Math.floor(n / 3);
    const head = new ReturningPicked(columns, Int32Array.from({ length: cut }, (_, k) => k));
    const tail = new ReturningPicked(columns, Int32Array.from({ length: n - cut }, (_, k) => cut + k));
    const none = new ReturningArray([]);
    const joined = new ConcatList([none, head, none, none, tail, none]);
    expect(joined.length).toBe(n);
    expect(read(joined)).toEqual(read(columns));
    const evens = Int32Array.from({ length: Math.ceil(n / 2) }, (_, k) => 2 * k);
    expect(read(new ReturningPicked(joined, evens))).toEqual(read(columns).filter((_, k) => k % 2 === 0));
  });

  it('the report order is a pick of the trace’s list: each stake once', () => {
    const order = read(rec.returning);
    expect(order.length).toBe(columns.length);
    expect([...order].sort()).toEqual(read(columns).sort());
  });
});
