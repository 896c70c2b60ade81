/**
 * SPEC §3.4, every method by hand. Each case is a small ledger set built in
 * memory (loadLedgers on CSV text) and traced through the pure pipeline
 * (reconcileLedgers); the expected cents were worked out on paper from the
 * SPEC rules (the working is in the comments), not copied from the tool.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLedgers } from '../../src/load/load.js';
import { formatAmount } from '../../src/money/amount.js';
import type { Ledgers } from '../../src/model.js';
import { reconcileLedgers, type Reconciliation } from '../../src/pipeline.js';
import { METHODS, type Method } from '../../src/trace/methods.js';
import { runCli } from '../support/helpers.js';
import { HEADER } from '../support/ledger-text.js';


/** Builds ledgers transfer by transfer; both sides of an intercompany transfer share a ref. */
class Books {
  private readonly rows = new Map<string, string[]>();
  private count = 0;

  private add(company: string, date: string, direction: 'in' | 'out', counterparty: string, kind: string, category: string, amount: string, ref = '', deal = ''): string {
    const id = `${company}-${++this.count}`;
    const list = this.rows.get(company) ?? [];
    list.push([id, date, direction, counterparty, kind, category, amount, 'USD', ref, deal, ''].join(','));
    this.rows.set(company, list);
    return id;
  }

  /** An opening balance. */
  open(company: string, date: string, amount: string): void {
    this.add(company, date, 'in', 'opening', 'other', '', amount);
  }

  /** External revenue: returns the revenue row's id. */
  sell(company: string, date: string, amount: string, category = 'api'): string {
    return this.add(company, date, 'in', 'customers', 'revenue', category, amount);
  }

  /** An external outflow (payroll, suppliers). */
  spend(company: string, date: string, amount: string, deal = ''): void {
    this.add(company, date, 'out', 'suppliers', 'other', '', amount, '', deal);
  }

  invest(investor: string, investee: string, date: string, amount: string, deal = ''): void {
    const ref = `R${this.count}`;
    this.add(investor, date, 'out', investee, 'investment', '', amount, ref, deal);
    this.add(investee, date, 'in', investor, 'investment', '', amount, ref, deal);
  }

  /** payer buys from payee: returns the payee's revenue row id. */
  buy(payer: string, payee: string, date: string, amount: string, category = 'cloud', deal = ''): string {
    const ref = `R${this.count}`;
    this.add(payer, date, 'out', payee, 'purchase', category, amount, ref, deal);
    return this.add(payee, date, 'in', payer, 'revenue', category, amount, ref, deal);
  }

  ledgers(): Ledgers {
    const enc = new TextEncoder();
    return loadLedgers(
      [...this.rows].map(([company, rows]) => ({ name: `${company}.csv`, bytes: enc.encode(`${HEADER}\n${rows.join('\n')}\n`) })),
      'ledgers',
    );
  }

  /** Writes the ledgers into a folder (for the CLI tests). */
  writeTo(dir: string): void {
    mkdirSync(dir, { recursive: true });
    for (const [company, rows] of this.rows) writeFileSync(join(dir, `${company}.csv`), `${HEADER}\n${rows.join('\n')}\n`);
  }
}

const cents = (m: bigint): string => formatAmount(m, 2);

function line(rec: Reconciliation, id: string) {
  const found = rec.revenue.find((l) => l.row.id === id);
  if (found === undefined) throw new Error(`no revenue row ${id}`);
  return found;
}

/** The circular part of each named revenue row, as decimals; also checks organic + circular = amount. */
function circularOf(rec: Reconciliation, ids: readonly string[]): string[] {
  return ids.map((id) => {
    const l = line(rec, id);
    expect(l.organic + l.circular).toBe(l.row.amount);
    expect(l.organic >= 0n && l.circular >= 0n).toBe(true);
    return cents(l.circular);
  });
}

interface Case {
  readonly name: string;
  /** Builds the ledgers; returns the revenue rows to check. */
  readonly build: (b: Books) => string[];
  readonly expected: Record<Method, string[]>;
  /** Expected with --no-earmark, where it differs. */
  readonly noEarmark?: Record<Method, string[]>;
  /** Expected unfunded exceptions (company, amount), every method. */
  readonly unfunded?: readonly [string, string][];
}

const D = '2026-01-';

const CASES: Case[] = [
  {
    // OpenAI: rest 200, Amazon's stake 100 (lots [rest 200, A 100]); pays Amazon 10.
    // pro-rata: allocate(1000, [20000, 10000]) = 666 r 20000, 333 r 10000; the
    // leftover cent goes to the larger remainder (rest): stake 333 → 3.33.
    // fifo and investor-last: rest first → 0; lifo and investor-first: the stake → 10.
    name: 'a direct loop',
    build: (b) => {
      b.open('openai', `${D}01`, '200.00');
      b.open('amazon', `${D}01`, '1000.00');
      b.invest('amazon', 'openai', `${D}02`, '100.00');
      return [b.buy('openai', 'amazon', `${D}03`, '10.00')];
    },
    expected: { 'pro-rata': ['3.33'], fifo: ['0.00'], lifo: ['10.00'], 'investor-last': ['0.00'], 'investor-first': ['10.00'] },
  },
  {
    // Nvidia → OpenAI → Oracle → Nvidia. OpenAI in Nvidia's view: lots [rest 20, N 100, rest 80].
    // OpenAI pays Oracle 50: pro-rata 25 rest/25 N; fifo rest 20 + N 30; lifo rest 50;
    // investor-last rest 50; investor-first N 50.
    // Oracle (opening 150) pays Nvidia 180 out of 200:
    // pro-rata allocate(18000, [17500, 2500]) → 2250; fifo lots [rest 170, N 30] → N 10;
    // lifo no stake; investor-last no stake; investor-first N 50 first → 50.
    name: 'an indirect loop',
    build: (b) => {
      b.open('nvidia', `${D}01`, '500.00');
      b.open('openai', `${D}01`, '20.00');
      b.open('oracle', `${D}01`, '150.00');
      b.invest('nvidia', 'openai', `${D}02`, '100.00');
      b.sell('openai', `${D}03`, '80.00');
      const oracle = b.buy('openai', 'oracle', `${D}04`, '50.00');
      return [oracle, b.buy('oracle', 'nvidia', `${D}05`, '180.00', 'chips')];
    },
    expected: {
      'pro-rata': ['0.00', '22.50'],
      fifo: ['0.00', '10.00'],
      lifo: ['0.00', '0.00'],
      'investor-last': ['0.00', '0.00'],
      'investor-first': ['0.00', '50.00'],
    },
  },
  {
    // Anthropic: opening 100, Amazon 100, Google 300 (balance 500).
    // Amazon's view [rest 100, A 100, rest 300]; Google's view [rest 200, G 300].
    // Pays Amazon 150: pro-rata allocate(150, [400, 100]) → 30; fifo rest 100 + A 50 → 50;
    // lifo rest 300 → 0; investor-last → 0; investor-first A 100 + rest 50 → 100.
    // Google's view of the same 150: pro-rata rest 60/G 90 (left: rest 140, G 210);
    // fifo rest 150 (left [rest 50, G 300]); lifo G 150 (left [rest 200, G 150]);
    // investor-last rest 150 (left rest 50, G 300); investor-first G 150 (left rest 200, G 150).
    // Pays Google 200: pro-rata 200·210/350 = 120; fifo rest 50 + G 150; lifo G 150 + rest 50;
    // investor-last rest 50 + G 150; investor-first G 150 + rest 50: 150 for all four.
    name: 'two investors in one pool',
    build: (b) => {
      b.open('anthropic', `${D}01`, '100.00');
      b.open('amazon', `${D}01`, '1000.00');
      b.open('google', `${D}01`, '1000.00');
      b.invest('amazon', 'anthropic', `${D}02`, '100.00');
      b.invest('google', 'anthropic', `${D}03`, '300.00');
      return [b.buy('anthropic', 'amazon', `${D}04`, '150.00'), b.buy('anthropic', 'google', `${D}05`, '200.00')];
    },
    expected: {
      'pro-rata': ['30.00', '120.00'],
      fifo: ['50.00', '150.00'],
      lifo: ['0.00', '150.00'],
      'investor-last': ['0.00', '150.00'],
      'investor-first': ['100.00', '150.00'],
    },
  },
  {
    // OpenAI lots [rest 60, A 100, rest 40]; pays Amazon 90, then 50.
    // fifo: rest 60 + A 30 → 30; then [A 70, rest 40]: A 50 → 50 (the stake lot split over two draws).
    // lifo: rest 40 + A 50 → 50; then [rest 60, A 50]: A 50 → 50.
    // pro-rata: 90·100/200 = 45 (left rest 55, A 55); 50·55/110 = 25.
    // investor-last: rest 90 → 0 (left rest 10, A 100); rest 10 + A 40 → 40.
    // investor-first: A 90 → 90 (left rest 100, A 10); A 10 + rest 40 → 10.
    name: 'a lot split across two draws',
    build: (b) => {
      b.open('openai', `${D}01`, '60.00');
      b.open('amazon', `${D}01`, '1000.00');
      b.invest('amazon', 'openai', `${D}02`, '100.00');
      b.sell('openai', `${D}03`, '40.00');
      return [b.buy('openai', 'amazon', `${D}04`, '90.00'), b.buy('openai', 'amazon', `${D}05`, '50.00')];
    },
    expected: {
      'pro-rata': ['45.00', '25.00'],
      fifo: ['30.00', '50.00'],
      lifo: ['50.00', '50.00'],
      'investor-last': ['0.00', '40.00'],
      'investor-first': ['90.00', '10.00'],
    },
  },
  {
    // OpenAI lots [rest 300, A#D 100, A 60, rest 40] (balance 500; view order rest,
    // amazon>openai, amazon>openai#D). Pays Amazon 150 under deal D.
    // Earmark on: A#D 100 first under every method, then 50 by the method from
    // rest 340 and A 60: pro-rata 50·60/400 = 7.50 → 107.50; fifo rest → 100;
    // lifo rest 40 + A 10 → 110; investor-last rest → 100; investor-first A 50 → 150.
    // Earmark off: pro-rata 150·160/500 = 48; fifo rest → 0; lifo rest 40 + A 60 + A#D 50 → 110;
    // investor-last rest → 0; investor-first stakes 150 of 160 → 150.
    name: 'an earmark drawn before the rest',
    build: (b) => {
      b.open('openai', `${D}01`, '300.00');
      b.open('amazon', `${D}01`, '1000.00');
      b.invest('amazon', 'openai', `${D}02`, '100.00', 'D');
      b.invest('amazon', 'openai', `${D}03`, '60.00');
      b.sell('openai', `${D}04`, '40.00');
      return [b.buy('openai', 'amazon', `${D}05`, '150.00', 'cloud', 'D')];
    },
    expected: { 'pro-rata': ['107.50'], fifo: ['100.00'], lifo: ['110.00'], 'investor-last': ['100.00'], 'investor-first': ['150.00'] },
    noEarmark: { 'pro-rata': ['48.00'], fifo: ['0.00'], lifo: ['110.00'], 'investor-last': ['0.00'], 'investor-first': ['150.00'] },
  },
  {
    // The earmark applies to an outflow to anyone: OpenAI (rest 100, A#D 100) pays a
    // supplier 100 under deal D, which spends all of Amazon's deal money; its later
    // AWS payment of 50 is organic under every method.
    // Earmark off, the supplier payment draws: pro-rata 50/50 (left rest 50, A 50 → 25);
    // fifo rest 100 (left [A 100] → 50); lifo A 100 (→ 0); investor-last rest 100 (→ 50);
    // investor-first A 100 (→ 0).
    name: 'an earmarked outflow to a third party',
    build: (b) => {
      b.open('openai', `${D}01`, '100.00');
      b.open('amazon', `${D}01`, '1000.00');
      b.invest('amazon', 'openai', `${D}02`, '100.00', 'D');
      b.spend('openai', `${D}03`, '100.00', 'D');
      return [b.buy('openai', 'amazon', `${D}04`, '50.00')];
    },
    expected: { 'pro-rata': ['0.00'], fifo: ['0.00'], lifo: ['0.00'], 'investor-last': ['0.00'], 'investor-first': ['0.00'] },
    noEarmark: { 'pro-rata': ['25.00'], fifo: ['50.00'], lifo: ['0.00'], 'investor-last': ['50.00'], 'investor-first': ['0.00'] },
  },
  {
    // OpenAI holds rest 20 + A 100 = 120 and pays Amazon 150: the whole pool is
    // drawn in every view (A 100 + rest 20) and 30 more is organic money from
    // outside: 100 circular under every method, unfunded 30. The pool is then
    // empty; a later payment of 10 out of fresh revenue is organic.
    name: 'an overdraft',
    build: (b) => {
      b.open('openai', `${D}01`, '20.00');
      b.open('amazon', `${D}01`, '1000.00');
      b.invest('amazon', 'openai', `${D}02`, '100.00');
      const first = b.buy('openai', 'amazon', `${D}03`, '150.00');
      b.sell('openai', `${D}04`, '50.00');
      return [first, b.buy('openai', 'amazon', `${D}05`, '10.00')];
    },
    expected: {
      'pro-rata': ['100.00', '0.00'],
      fifo: ['100.00', '0.00'],
      lifo: ['100.00', '0.00'],
      'investor-last': ['100.00', '0.00'],
      'investor-first': ['100.00', '0.00'],
    },
    unfunded: [['openai', '30.00']],
  },
  {
    // An overdrawn investment: OpenAI has 10 and invests 50 in CoreWeave; in OpenAI's
    // view all 50 is its stake, the unfunded 40 included. CoreWeave (opening 50)
    // holds [rest 50, O 50] and pays OpenAI 50: pro-rata 25; fifo 0; lifo 50;
    // investor-last 0; investor-first 50.
    name: 'an overdrawn investment',
    build: (b) => {
      b.open('openai', `${D}01`, '10.00');
      b.open('coreweave', `${D}01`, '50.00');
      b.invest('openai', 'coreweave', `${D}02`, '50.00');
      return [b.buy('coreweave', 'openai', `${D}03`, '50.00')];
    },
    expected: { 'pro-rata': ['25.00'], fifo: ['0.00'], lifo: ['50.00'], 'investor-last': ['0.00'], 'investor-first': ['50.00'] },
    unfunded: [['openai', '40.00']],
  },
  {
    // OpenAI: rest 100 + A 100; pays suppliers 180 (the low point), then earns 200
    // of other money, then pays Amazon 210 and 10 (the pool is then empty).
    // investor-last: the 180 takes rest 100 + A 80, leaving A 20 — the lowest
    // intermediate balance of Amazon's money. The 200 that follows is not
    // Amazon's and never restores it: rest 200 + A 10 → 10, then A 10 → 10 (20 in
    // all). (A rule that restored Amazon's claim to 100 would give 90 on the 210.)
    // pro-rata: 180 → 90/90 (rest 10, A 10); +200 → rest 210, A 10 (220).
    // 210: allocate(21000, [21000, 1000]) = 20045 r 10000, 954 r 12000 → the stake
    // gets the cent: 9.55; left A 0.45, rest 9.55; 10 draws everything: 0.45.
    // fifo: [rest 100, A 100] → rest 100 + A 80 → [A 20, rest 200]: 210 → A 20 + rest 190 → 20; then 0.
    // lifo: A 100 + rest 80 → nothing of Amazon's is left: 0, 0.
    // investor-first: the 180 takes A 100 first: 0, 0.
    name: 'a low point topped up with other money',
    build: (b) => {
      b.open('openai', `${D}01`, '100.00');
      b.open('amazon', `${D}01`, '1000.00');
      b.invest('amazon', 'openai', `${D}02`, '100.00');
      b.spend('openai', `${D}03`, '180.00');
      b.sell('openai', `${D}04`, '200.00');
      return [b.buy('openai', 'amazon', `${D}05`, '210.00'), b.buy('openai', 'amazon', `${D}06`, '10.00')];
    },
    expected: {
      'pro-rata': ['9.55', '0.45'],
      fifo: ['20.00', '0.00'],
      lifo: ['0.00', '0.00'],
      'investor-last': ['10.00', '10.00'],
      'investor-first': ['0.00', '0.00'],
    },
  },
  {
    // A receipt appends its parts in view order (rest first, then stakes).
    // OpenAI [rest 100, M 100] pays CoreWeave (empty) 150; CoreWeave pays Microsoft 120.
    // fifo: OpenAI gives rest 100 + M 50 → CoreWeave [rest 100, M 50] → rest 100 + M 20 → 20.
    // lifo: OpenAI gives M 100 + rest 50, appended as [rest 50, M 100] → M 100 + rest 20 → 100
    // (appended in drawing order it would be 70).
    // pro-rata: 75/75, then 120·75/150 = 60. investor-last: rest 100 + M 50 → rest 100 + M 20 → 20.
    // investor-first: M 100 + rest 50 → M 100 + rest 20 → 100.
    name: 'a mixed receipt, appended in view order',
    build: (b) => {
      b.open('microsoft', `${D}01`, '1000.00');
      b.open('openai', `${D}01`, '100.00');
      b.invest('microsoft', 'openai', `${D}02`, '100.00');
      b.buy('openai', 'coreweave', `${D}03`, '150.00');
      return [b.buy('coreweave', 'microsoft', `${D}04`, '120.00')];
    },
    expected: { 'pro-rata': ['60.00'], fifo: ['20.00'], lifo: ['100.00'], 'investor-last': ['20.00'], 'investor-first': ['100.00'] },
  },
];

const grid = CASES.flatMap((c) => METHODS.flatMap((method) => [true, false].map((earmark) => ({ c, method, earmark, name: c.name }))));

describe('every method by hand (SPEC §3.4)', () => {
  it.each(grid)('$name: $method, earmark $earmark', ({ c, method, earmark }) => {
    const b = new Books();
    const ids = c.build(b);
    const rec = reconcileLedgers(b.ledgers(), { method, earmark });
    const expected = earmark ? c.expected[method] : (c.noEarmark ?? c.expected)[method];
    expect(circularOf(rec, ids)).toEqual(expected);
    const unfunded = rec.exceptions.filter((e) => e.code === 'unfunded').map((e) => [e.company, cents(e.amount)]);
    expect(unfunded).toEqual(c.unfunded ?? []);
    expect(rec.checks.every((check) => check.passed)).toBe(true);
  });
});

describe('what the returning money says', () => {
  it('a direct loop is routed direct, an indirect one indirect, with the stake named', () => {
    const b = new Books();
    b.open('nvidia', `${D}01`, '500.00');
    b.open('openai', `${D}01`, '100.00');
    b.open('oracle', `${D}01`, '100.00');
    b.invest('nvidia', 'openai', `${D}02`, '100.00', 'T1');
    b.buy('openai', 'nvidia', `${D}03`, '20.00', 'chips');
    b.buy('openai', 'oracle', `${D}04`, '50.00');
    b.buy('oracle', 'nvidia', `${D}05`, '60.00', 'chips');
    const rec = reconcileLedgers(b.ledgers(), { method: 'lifo', earmark: true });
    // lifo: OpenAI [rest 100, N#T1 100]: 20 → N 20 (direct); 50 → N 50 to Oracle;
    // Oracle [rest 100, N 50] pays 60 → N 50 + rest 10 (indirect).
    expect([...rec.returning].map((r) => [r.company, r.transfer.payer, r.stake.key, r.stake.deal, cents(r.amount)])).toEqual([
      ['nvidia', 'openai', 'nvidia>openai#T1', 'T1', '20.00'],
      ['nvidia', 'oracle', 'nvidia>openai#T1', 'T1', '50.00'],
    ]);
  });
});

describe('the method is recorded', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'roundtrip-methods-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(METHODS)('run --method %s writes it into manifest.json, with the earmark setting', async (method) => {
    const b = new Books();
    CASES[4]?.build(b);
    const ledgers = join(scratch, 'ledgers');
    b.writeTo(ledgers);
    for (const earmark of [true, false]) {
      const out = join(scratch, `${method}-${earmark}`);
      const args = ['run', '--ledgers', ledgers, '--out', out, '--method', method, '--quiet'];
      if (!earmark) args.push('--no-earmark');
      const result = await runCli(args);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const manifest = JSON.parse(readFileSync(join(out, 'all', 'manifest.json'), 'utf8')) as { method: string; earmark: boolean };
      expect(manifest.method).toBe(method);
      expect(manifest.earmark).toBe(earmark);
      const summary = readFileSync(join(out, 'all', 'summary.csv'), 'utf8');
      const amazon = summary.split('\r\n').find((l) => l.startsWith('amazon,cloud,'));
      const expected = earmark ? CASES[4]?.expected[method] : CASES[4]?.noEarmark?.[method];
      expect(amazon?.split(',')[4]).toBe(expected?.[0]);
    }
  });

  it('an unknown method is a usage error (exit 2)', async () => {
    const result = await runCli(['run', '--ledgers', join(scratch, 'ledgers'), '--out', join(scratch, 'x'), '--method', 'hifo']);
    expect(result.code).toBe(2);
  });
});
