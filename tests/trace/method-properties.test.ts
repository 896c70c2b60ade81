/**
 * Property tests for the tracing methods (SPEC §3.4), with fast-check:
 * - over random small ledger sets, every method, earmarks on and off:
 *   organic + circular = amount on every revenue row (and the run's own
 *   books balance);
 * - for any single outflow from any view state, the investor's money drawn
 *   under investor-last ≤ pro-rata, fifo, lifo ≤ investor-first (with and
 *   without an earmark);
 * - `compare` agrees figure for figure with separate `run --method M`s.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLedgers } from '../../src/load/load.js';
import { matchTransfers } from '../../src/match/match.js';
import type { Ledgers, Transfer } from '../../src/model.js';
import { reconcileLedgers } from '../../src/pipeline.js';
import { METHODS, type Method } from '../../src/trace/methods.js';
import { processingOrder } from '../../src/trace/order.js';
import { trace } from '../../src/trace/trace.js';
import { BIGINT } from '../../src/trace/arith.js';
import type { Parts as PartsOf } from '../../src/trace/stake.js';
import { BalanceView, LotView, type View as ViewOf } from '../../src/trace/views.js';

type Parts = PartsOf<bigint>;
type View = ViewOf<bigint>;
import { runCli } from '../support/helpers.js';
import { HEADER } from '../support/ledger-text.js';

const SEED = 20260120;
const COMPANIES = ['amazon', 'nvidia', 'openai', 'oracle'];
const DEALS = ['', '', 'D1', 'D2'];

// ---------------------------------------------------------------------------
// A generator of valid small ledger sets.

/** How an intercompany transfer was recorded: both sides, one side only (unmatched), or with the payee booking another amount. */
type Sides = 'both' | 'payer-only' | 'payee-only' | 'rescaled';

type Event =
  | { readonly t: 'sell'; readonly day: number; readonly c: number; readonly cents: number; readonly category: string }
  | { readonly t: 'spend'; readonly day: number; readonly c: number; readonly cents: number; readonly deal: string }
  | { readonly t: 'invest' | 'buy'; readonly day: number; readonly p: number; readonly q: number; readonly cents: number; readonly other: number; readonly deal: string; readonly sides: Sides; readonly category: string };

interface LedgerSet {
  readonly companies: readonly string[];
  readonly openings: readonly number[];
  readonly events: readonly Event[];
}

const centsArb = fc.integer({ min: 1, max: 50_000 });
const dayArb = fc.integer({ min: 1, max: 9 });
const dealArb = fc.constantFrom(...DEALS);
const categoryArb = fc.constantFrom('cloud', 'chips', 'api');
const sidesArb = fc.constantFrom<Sides>('both', 'both', 'both', 'both', 'both', 'payer-only', 'payee-only', 'rescaled');

// Investments tend to come early and purchases later, so that money has time to come back.
const pair = { p: fc.nat(3), q: fc.nat(3), cents: centsArb, other: centsArb, deal: dealArb, sides: sidesArb, category: categoryArb };
const eventArb: fc.Arbitrary<Event> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('sell' as const), day: dayArb, c: fc.nat(3), cents: centsArb, category: categoryArb }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('spend' as const), day: dayArb, c: fc.nat(3), cents: centsArb, deal: dealArb }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('invest' as const), day: fc.integer({ min: 1, max: 6 }), ...pair }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('buy' as const), day: fc.integer({ min: 2, max: 9 }), ...pair }), weight: 5 },
);

const ledgerSetArb: fc.Arbitrary<LedgerSet> = fc
  .integer({ min: 2, max: 4 })
  .chain((n) =>
    fc.record({
      companies: fc.constant(COMPANIES.slice(0, n)),
      openings: fc.array(fc.integer({ min: 0, max: 150_000 }), { minLength: n, maxLength: n }),
      events: fc.array(eventArb, { minLength: 4, maxLength: 30 }),
    }),
  );

const money = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** CSV text per company (every company has a file, header-only if it has no rows). */
function ledgerFiles(set: LedgerSet): Map<string, string> {
  const n = set.companies.length;
  const rows = new Map<string, string[]>(set.companies.map((c) => [c, []]));
  let count = 0;
  const add = (company: string, date: string, direction: string, counterparty: string, kind: string, category: string, cents: number, ref = '', deal = ''): void => {
    (rows.get(company) as string[]).push([`${company}-${++count}`, date, direction, counterparty, kind, category, money(cents), 'USD', ref, deal, ''].join(','));
  };
  set.companies.forEach((c, i) => {
    const opening = set.openings[i] as number;
    if (opening > 0) add(c, '2026-01-01', 'in', 'opening', 'other', '', opening);
  });
  for (const e of set.events) {
    // Days 1–9 over three months (2026-01-01 … 2026-03-09), in order.
    const date = `2026-0${Math.ceil(e.day / 3)}-${String(e.day).padStart(2, '0')}`;
    if (e.t === 'sell') add(set.companies[e.c % n] as string, date, 'in', 'customers', 'revenue', e.category, e.cents);
    else if (e.t === 'spend') add(set.companies[e.c % n] as string, date, 'out', 'suppliers', 'other', '', e.cents, '', e.deal);
    else {
      const p = e.p % n;
      let q = e.q % n;
      if (q === p) q = (p + 1) % n;
      const payer = set.companies[p] as string;
      const payee = set.companies[q] as string;
      const ref = `R${count}`;
      const [outKind, inKind, category] = e.t === 'invest' ? ['investment', 'investment', ''] : ['purchase', 'revenue', e.category];
      if (e.sides !== 'payee-only') add(payer, date, 'out', payee, outKind, category, e.cents, ref, e.deal);
      if (e.sides !== 'payer-only') add(payee, date, 'in', payer, inKind, category, e.sides === 'rescaled' ? e.other : e.cents, ref, e.deal);
    }
  }
  return new Map([...rows].map(([c, list]) => [c, `${HEADER}\n${list.join('\n')}${list.length > 0 ? '\n' : ''}`]));
}

function ledgersOf(set: LedgerSet): Ledgers {
  const enc = new TextEncoder();
  return loadLedgers([...ledgerFiles(set)].map(([c, text]) => ({ name: `${c}.csv`, bytes: enc.encode(text) })), 'ledgers');
}

// ---------------------------------------------------------------------------

describe('over random small ledger sets', () => {
  it('every method, earmarks on and off: organic + circular = amount on every revenue row, and the books balance', () => {
    fc.assert(
      fc.property(ledgerSetArb, (set) => {
        const ledgers = ledgersOf(set);
        for (const method of METHODS) {
          for (const earmark of [true, false]) {
            // reconcileLedgers runs the self-check of SPEC §4 and throws if it fails.
            const rec = reconcileLedgers(ledgers, { method, earmark });
            const wrong = rec.revenue.filter((l) => l.organic + l.circular !== l.row.amount || l.circular < 0n || l.organic < 0n);
            expect(wrong.map((l) => `${method} ${earmark}: ${l.row.company} ${l.row.id}`)).toEqual([]);
            expect(rec.checks.filter((c) => !c.passed)).toEqual([]);
            expect([...rec.returning].every((r) => r.amount > 0n)).toBe(true);
          }
        }
      }),
      { numRuns: 60, seed: SEED },
    );
  });
});

// ---------------------------------------------------------------------------
// The bracket of SPEC §3.4, one outflow at a time, on the views directly.

const KEYS = ['amazon>openai', 'amazon>openai#D1', 'amazon>oracle#D2', 'amazon>oracle#D1', 'amazon>xai'];

/** Random receipts: rest and some stakes, each in view order (rest, then stakes by key). */
const partsArb: fc.Arbitrary<Parts> = fc
  .record({
    rest: fc.integer({ min: 0, max: 500 }),
    stakes: fc.uniqueArray(fc.record({ key: fc.constantFrom(...KEYS), amount: fc.integer({ min: 1, max: 500 }) }), { selector: (s) => s.key, maxLength: 3 }),
  })
  .map(({ rest, stakes }) => {
    const sorted = [...stakes].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    return { rest: BigInt(rest), keys: sorted.map((s) => s.key), amounts: sorted.map((s) => BigInt(s.amount)) };
  });

const clone = (p: Parts): Parts => ({ rest: p.rest, keys: [...p.keys], amounts: [...p.amounts] });
const stakeSum = (p: Parts): bigint => p.amounts.reduce((s, a) => s + a, 0n);
const dealOf = (key: string): string => (key.includes('#') ? key.slice(key.indexOf('#') + 1) : '');

function newView(method: Method, opening: bigint): View {
  return method === 'fifo' || method === 'lifo' ? new LotView(BIGINT, method, opening) : new BalanceView(BIGINT, method);
}

/** Views of one pool, one per method, all holding the same rest and stakes. */
interface Pool {
  readonly views: Map<Method, View>;
  readonly balance: bigint;
}

/** The same opening rest and receipts, in the same order, into a view per method. */
function poolFromReceipts(opening: bigint, receipts: readonly Parts[]): Pool {
  const views = new Map<Method, View>();
  let balance = opening;
  for (const r of receipts) balance += r.rest + stakeSum(r);
  for (const method of METHODS) {
    const view = newView(method, opening);
    for (const r of receipts) view.receive(clone(r));
    views.set(method, view);
  }
  return { views, balance };
}

interface Step {
  readonly receive?: Parts;
  readonly draw?: { readonly fraction: number; readonly earmark: string };
}

/**
 * A history with draws: receipts and outflows into one lot view (fifo or
 * lifo), so its lots get split and spent; then the other four views are given
 * the same totals (as one receipt), and the history-shaped view is kept.
 */
function poolFromHistory(shaped: 'fifo' | 'lifo', opening: bigint, steps: readonly Step[]): Pool {
  const lots = new LotView(BIGINT, shaped, opening);
  let balance = opening;
  for (const s of steps) {
    if (s.receive !== undefined) {
      lots.receive(clone(s.receive));
      balance += s.receive.rest + stakeSum(s.receive);
    } else if (s.draw !== undefined && balance > 0n) {
      const amount = BigInt(Math.max(1, Math.floor(Number(balance) * s.draw.fraction)));
      lots.draw(amount, balance, s.draw.earmark);
      balance -= amount;
    }
  }
  const { keys, amounts } = lots.stakes();
  const totals: Parts = { rest: balance - lots.stakeTotal, keys, amounts };
  const views = new Map<Method, View>();
  for (const method of METHODS) {
    if (method === shaped) views.set(method, lots);
    else {
      const view = newView(method, 0n);
      view.receive(clone(totals));
      views.set(method, view);
    }
  }
  return { views, balance };
}

/** Draws `amount` from every view; checks each draw on its own; returns the investor's money drawn per method. */
function drawAll(pool: Pool, amount: bigint, earmark: string): Map<Method, bigint> {
  const drawnStakes = new Map<Method, bigint>();
  const first = pool.views.get('pro-rata') as View;
  const held = first.stakes();
  const heldRest = pool.balance - first.stakeTotal;
  const marked = held.keys.reduce((s, k, i) => (earmark !== '' && dealOf(k) === earmark ? s + (held.amounts[i] as bigint) : s), 0n);
  const stakeTotal = held.amounts.reduce((s, a) => s + a, 0n);
  for (const [method, view] of pool.views) {
    // Every view holds the same money.
    expect(view.stakes(), method).toEqual(held);
    const parts = view.draw(amount, pool.balance, earmark);
    const stakes = stakeSum(parts);
    expect(parts.rest + stakes, `${method} draws the amount`).toBe(amount);
    expect(parts.rest <= heldRest, `${method} rest`).toBe(true);
    parts.keys.forEach((k, i) => {
      const j = held.keys.indexOf(k);
      expect(j >= 0 && (parts.amounts[i] as bigint) > 0n && (parts.amounts[i] as bigint) <= (held.amounts[j] as bigint), `${method} ${k}`).toBe(true);
    });
    // The earmarked stakes go first, up to their total, whatever the method.
    const fromMarked = parts.keys.reduce((s, k, i) => (earmark !== '' && dealOf(k) === earmark ? s + (parts.amounts[i] as bigint) : s), 0n);
    expect(fromMarked, `${method} earmark`).toBe(amount < marked ? amount : marked);
    expect(view.audit(pool.balance - amount), `${method} books`).toEqual([]);
    drawnStakes.set(method, stakes);
  }
  // investor-last and investor-first are the two extremes, exactly.
  const first2 = amount < marked ? amount : marked;
  const left = amount - first2;
  expect(drawnStakes.get('investor-last')).toBe(first2 + (left > heldRest ? left - heldRest : 0n));
  expect(drawnStakes.get('investor-first')).toBe(amount < stakeTotal ? amount : stakeTotal);
  return drawnStakes;
}

function expectBracket(drawn: Map<Method, bigint>): void {
  const low = drawn.get('investor-last') as bigint;
  const high = drawn.get('investor-first') as bigint;
  for (const method of ['pro-rata', 'fifo', 'lifo'] as const) {
    const d = drawn.get(method) as bigint;
    expect(low <= d, `investor-last ${low} ≤ ${method} ${d}`).toBe(true);
    expect(d <= high, `${method} ${d} ≤ investor-first ${high}`).toBe(true);
  }
}

const earmarkArb = fc.constantFrom('', 'D1', 'D2', 'D3');

describe('one outflow, every view: investor-last ≤ pro-rata, fifo, lifo ≤ investor-first', () => {
  it('from a pool built by receipts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.array(partsArb, { minLength: 1, maxLength: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), earmarkArb, (opening, receipts, fraction, earmark) => {
        const pool = poolFromReceipts(BigInt(opening), receipts);
        fc.pre(pool.balance > 0n);
        const amount = 1n + BigInt(Math.floor(Number(pool.balance - 1n) * fraction));
        expectBracket(drawAll(pool, amount, earmark));
      }),
      { numRuns: 250, seed: SEED },
    );
  });

  it('from a pool with a history of draws (split and spent lots)', () => {
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      partsArb.map((receive) => ({ receive })),
      fc.record({ fraction: fc.double({ min: 0, max: 1, noNaN: true }), earmark: earmarkArb }).map((draw) => ({ draw })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<'fifo' | 'lifo'>('fifo', 'lifo'),
        fc.integer({ min: 0, max: 500 }),
        fc.array(stepArb, { minLength: 1, maxLength: 16 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        earmarkArb,
        (shaped, opening, steps, fraction, earmark) => {
          const pool = poolFromHistory(shaped, BigInt(opening), steps);
          fc.pre(pool.balance > 0n);
          const amount = 1n + BigInt(Math.floor(Number(pool.balance - 1n) * fraction));
          expectBracket(drawAll(pool, amount, earmark));
        },
      ),
      { numRuns: 250, seed: SEED },
    );
  });

  it('the whole pool, and a single cent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.array(partsArb, { minLength: 1, maxLength: 6 }), earmarkArb, (opening, receipts, earmark) => {
        const pool = poolFromReceipts(BigInt(opening), receipts);
        fc.pre(pool.balance > 0n);
        expectBracket(drawAll(pool, 1n, earmark));
        const again = poolFromReceipts(BigInt(opening), receipts);
        const held = (again.views.get('pro-rata') as View).stakeTotal;
        // Drawing everything takes every stake under every method.
        for (const d of drawAll(again, again.balance, earmark).values()) expect(d).toBe(held);
      }),
      { numRuns: 150, seed: SEED },
    );
  });
});

// ---------------------------------------------------------------------------
// A reference model of SPEC §3.2–§3.4, written from the text and kept naive:
// every pool holds, for every investor, a plain list of lots in arrival
// order (balance methods included, which only look at the totals). It
// shares nothing with src/trace but the processing order of §3.2.

interface Lot {
  key: string | null;
  amount: bigint;
}

interface Moving {
  rest: bigint;
  /** key → amount, any order. */
  stakes: Map<string, bigint>;
}

/** SPEC §3.1, literally. */
function refAllocate(n: bigint, weights: readonly bigint[]): bigint[] {
  const total = weights.reduce((s, w) => s + w, 0n);
  const q = weights.map((w) => (n * w) / total);
  const r = weights.map((w) => (n * w) % total);
  let leftover = n - q.reduce((s, x) => s + x, 0n);
  const order = weights.map((_, i) => i).sort((x, y) => ((r[y] as bigint) > (r[x] as bigint) ? 1 : (r[y] as bigint) < (r[x] as bigint) ? -1 : x - y));
  for (const i of order) {
    if (leftover === 0n) break;
    q[i] = (q[i] as bigint) + 1n;
    leftover--;
  }
  return q;
}

const byKey = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

function totalsOf(lots: readonly Lot[]): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const l of lots) if (l.key !== null) totals.set(l.key, (totals.get(l.key) ?? 0n) + l.amount);
  return totals;
}

/** Takes `want` from the lots, oldest (fifo) or newest (lifo) first, only lots that `eligible` accepts. */
function takeLots(lots: Lot[], want: bigint, newestFirst: boolean, eligible: (key: string | null) => boolean, into: Moving): void {
  const order = lots.map((_, i) => i);
  if (newestFirst) order.reverse();
  for (const i of order) {
    if (want === 0n) break;
    const lot = lots[i] as Lot;
    if (!eligible(lot.key)) continue;
    const take = want < lot.amount ? want : lot.amount;
    lot.amount -= take;
    want -= take;
    if (lot.key === null) into.rest += take;
    else into.stakes.set(lot.key, (into.stakes.get(lot.key) ?? 0n) + take);
  }
}

/** One view's draw of `a` (≤ balance) by the method, earmarked stakes first. Mutates the lots. */
function refDraw(lots: Lot[], balance: bigint, a: bigint, method: Method, deal: string): Moving {
  const out: Moving = { rest: 0n, stakes: new Map() };
  const lotsMethod = method === 'fifo' || method === 'lifo';
  const totals = totalsOf(lots);
  let rest = balance - [...totals.values()].reduce((s, x) => s + x, 0n);
  let left = a;
  const marked = [...totals.keys()].filter((k) => deal !== '' && k.includes('#') && k.slice(k.indexOf('#') + 1) === deal && (totals.get(k) as bigint) > 0n).sort(byKey);
  const markedTotal = marked.reduce((s, k) => s + (totals.get(k) as bigint), 0n);
  if (markedTotal > 0n) {
    const first = left < markedTotal ? left : markedTotal;
    if (lotsMethod) takeLots(lots, first, method === 'lifo', (k) => k !== null && marked.includes(k), out);
    else refAllocate(first, marked.map((k) => totals.get(k) as bigint)).forEach((x, i) => out.stakes.set(marked[i] as string, x));
    left -= first;
  }
  if (left > 0n) {
    if (lotsMethod) takeLots(lots, left, method === 'lifo', () => true, out);
    else {
      const keys = [...totals.keys()].sort(byKey);
      const remaining = keys.map((k) => (totals.get(k) as bigint) - (out.stakes.get(k) ?? 0n));
      const stakesLeft = remaining.reduce((s, x) => s + x, 0n);
      const addStakes = (amount: bigint): void => {
        if (amount === 0n) return;
        refAllocate(amount, remaining).forEach((x, i) => out.stakes.set(keys[i] as string, (out.stakes.get(keys[i] as string) ?? 0n) + x));
      };
      if (method === 'pro-rata') {
        const split = refAllocate(left, [rest, ...remaining]);
        out.rest += split[0] as bigint;
        split.slice(1).forEach((x, i) => out.stakes.set(keys[i] as string, (out.stakes.get(keys[i] as string) ?? 0n) + x));
      } else if (method === 'investor-last') {
        const fromRest = left < rest ? left : rest;
        out.rest += fromRest;
        addStakes(left - fromRest);
      } else {
        const fromStakes = left < stakesLeft ? left : stakesLeft;
        addStakes(fromStakes);
        out.rest += left - fromStakes;
      }
    }
  }
  if (!lotsMethod) {
    // Balance methods: only the totals matter; keep them as one lot each.
    rest -= out.rest;
    const after: Lot[] = [{ key: null, amount: rest }];
    for (const k of [...totals.keys()].sort(byKey)) after.push({ key: k, amount: (totals.get(k) as bigint) - (out.stakes.get(k) ?? 0n) });
    lots.splice(0, lots.length, ...after);
  }
  for (let i = lots.length - 1; i >= 0; i--) if ((lots[i] as Lot).amount === 0n) lots.splice(i, 1);
  for (const [k, v] of out.stakes) if (v === 0n) out.stakes.delete(k);
  return out;
}

interface RefResult {
  readonly returned: bigint[];
  readonly unfunded: string[];
}

function refTrace(transfers: readonly Transfer[], companies: readonly string[], method: Method, earmarks: boolean): RefResult {
  const investors = [...new Set(transfers.filter((t) => t.payerKind === 'investment' && t.payerIsLedger && t.payeeIsLedger).map((t) => t.payer))];
  const pools = new Map(companies.map((c) => [c, { balance: 0n, views: new Map(investors.filter((i) => i !== c).map((i) => [i, [] as Lot[]])) }]));
  const returned = transfers.map(() => 0n);
  const unfunded: string[] = [];
  for (const t of processingOrder(transfers)) {
    // In every view, the money in motion; a view not listed carries it all as rest.
    const motion = new Map<string, Moving>();
    if (t.payerIsLedger) {
      const pool = pools.get(t.payer) as { balance: bigint; views: Map<string, Lot[]> };
      if (t.a > pool.balance) {
        unfunded.push(`${t.payer} ${t.a - pool.balance}`);
        for (const [investor, lots] of pool.views) {
          const stakes = totalsOf(lots);
          motion.set(investor, { rest: t.a - [...stakes.values()].reduce((s, x) => s + x, 0n), stakes });
          lots.splice(0, lots.length);
        }
        pool.balance = 0n;
      } else {
        for (const [investor, lots] of pool.views) motion.set(investor, refDraw(lots, pool.balance, t.a, method, earmarks ? t.earmark : ''));
        pool.balance -= t.a;
      }
    }
    if (t.payerKind === 'investment' && t.payerIsLedger && t.payeeIsLedger) {
      const key = t.stakeDeal === '' ? `${t.payer}>${t.payee}` : `${t.payer}>${t.payee}#${t.stakeDeal}`;
      motion.set(t.payer, { rest: 0n, stakes: new Map([[key, t.a]]) });
    }
    if (t.b !== t.a) {
      for (const [investor, m] of motion) {
        const keys = [...m.stakes.keys()].sort(byKey);
        const split = refAllocate(t.b, [m.rest, ...keys.map((k) => m.stakes.get(k) as bigint)]);
        motion.set(investor, { rest: split[0] as bigint, stakes: new Map(keys.map((k, i) => [k, split[i + 1] as bigint])) });
      }
    }
    if (t.payeeIsLedger) {
      const pool = pools.get(t.payee) as { balance: bigint; views: Map<string, Lot[]> };
      for (const [investor, lots] of pool.views) {
        const m = motion.get(investor) ?? { rest: t.b, stakes: new Map<string, bigint>() };
        if (m.rest > 0n) lots.push({ key: null, amount: m.rest });
        for (const k of [...m.stakes.keys()].sort(byKey)) if ((m.stakes.get(k) as bigint) > 0n) lots.push({ key: k, amount: m.stakes.get(k) as bigint });
      }
      pool.balance += t.b;
      const own = motion.get(t.payee);
      if (own !== undefined) returned[t.index] = [...own.stakes.values()].reduce((s, x) => s + x, 0n);
    }
  }
  return { returned, unfunded };
}

describe('a reference model of SPEC §3.2–§3.4', () => {
  it('agrees with the trace cent for cent: every method, earmarks on and off', () => {
    fc.assert(
      fc.property(ledgerSetArb, (set) => {
        const ledgers = ledgersOf(set);
        const matched = matchTransfers(ledgers);
        for (const method of METHODS) {
          for (const earmark of [true, false]) {
            const traced = trace(matched.transfers, ledgers.companies, { method, earmark, minorDigits: ledgers.minorDigits });
            const ref = refTrace(matched.transfers, ledgers.companies, method, earmark);
            expect(traced.returnedByTransfer, `${method} earmark ${earmark}`).toEqual(ref.returned);
            expect(traced.unfunded.map((e) => `${e.company} ${e.amount}`), `${method} earmark ${earmark}`).toEqual(ref.unfunded);
          }
        }
      }),
      { numRuns: 60, seed: SEED },
    );
  });
});

// ---------------------------------------------------------------------------
// compare vs separate runs, through the CLI, on generated ledger sets.

const scratch = mkdtempSync(join(tmpdir(), 'roundtrip-method-props-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A CSV report (BOM, CRLF) as rows of fields; none of these fields needs quoting. */
function csvRows(path: string): string[][] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  return text
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => l.split(','));
}

/** Checks methods.csv of `compareOut` against summary.csv of `runOut/<method>` for every method and period. */
function expectAgreement(compareOut: string, runOut: string, periods: readonly string[]): void {
  for (const period of periods) {
    const [header, ...rows] = csvRows(join(compareOut, period, 'methods.csv'));
    expect(header).toEqual(['company', 'category', 'booked', ...METHODS.map((m) => `circular_${m}`), 'circular_min', 'circular_max', 'spread_pct']);
    METHODS.forEach((method, m) => {
      const [sHeader, ...summary] = csvRows(join(runOut, method, period, 'summary.csv'));
      expect(sHeader?.slice(0, 5)).toEqual(['company', 'category', 'booked', 'organic', 'circular']);
      expect(rows.map((r) => [r[0], r[1], r[2], r[3 + m]]), `${period} ${method}`).toEqual(summary.map((s) => [s[0], s[1], s[2], s[4]]));
    });
    for (const r of rows) {
      const figures = r.slice(3, 8).map((x) => BigInt(x.replace('.', '')));
      const min = figures.reduce((a, b) => (b < a ? b : a));
      const max = figures.reduce((a, b) => (b > a ? b : a));
      expect(BigInt((r[8] as string).replace('.', ''))).toBe(min);
      expect(BigInt((r[9] as string).replace('.', ''))).toBe(max);
      // spread = (max − min) / booked × 100, two decimals, half even (worked independently here).
      const booked = BigInt((r[2] as string).replace('.', ''));
      const num = (max - min) * 10000n;
      let q = num / booked;
      const twice = 2n * (num - q * booked);
      if (twice > booked || (twice === booked && q % 2n === 1n)) q += 1n;
      expect(r[10]).toBe(`${q / 100n}.${String(q % 100n).padStart(2, '0')}`);
    }
  }
}

let sample = 0;

describe('compare agrees figure for figure with separate runs', () => {
  it('on generated ledger sets, earmarks on and off', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerSetArb, async (set) => {
        const dir = join(scratch, `set-${++sample}`);
        const ledgerDir = join(dir, 'ledgers');
        mkdirSync(ledgerDir, { recursive: true });
        for (const [c, text] of ledgerFiles(set)) writeFileSync(join(ledgerDir, `${c}.csv`), text);
        // A month and the year (the generated rows run from 2026-01-01 to 2026-03-09).
        const periods = ['2026-02', '2026'];
        const periodArgs = ['--period', '2026-02', '--period', '2026'];
        for (const earmark of [true, false]) {
          const flag = earmark ? [] : ['--no-earmark'];
          const compareOut = join(dir, `compare-${earmark}`);
          const c = await runCli(['compare', '--ledgers', ledgerDir, '--out', compareOut, '--quiet', ...flag, ...periodArgs]);
          expect(c.stderr).toBe('');
          expect(c.code).toBe(0);
          for (const method of METHODS) {
            const runOut = join(dir, `run-${earmark}`, method);
            const r = await runCli(['run', '--ledgers', ledgerDir, '--out', runOut, '--method', method, '--quiet', ...flag, ...periodArgs]);
            expect(r.stderr).toBe('');
            expect(r.code).toBe(0);
          }
          expectAgreement(compareOut, join(dir, `run-${earmark}`), periods);
        }
      }),
      { numRuns: 3, seed: SEED },
    );
  });
});
