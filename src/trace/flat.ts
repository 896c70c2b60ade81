/**
 * The flat trace: the transfers laid out as numbers in processing order
 * (`prepareViews`), the views replayed by the engine (engine.ts: every
 * method, doubles or BigInt decided per split and per pool), and the books,
 * `unfunded` exceptions and returning stakes assembled (`assembleTrace`).
 * Threads run the engine over the same layout, each for some investors
 * (threads.ts). The same figures as the general trace (`traceWith`), which
 * a test checks figure for figure.
 */
import { formatAmount } from '../money/amount.js';
import type { Exception, Transfer } from '../model.js';
import { byCodeUnits } from '../sort.js';
import { runViews, STORE_LIMIT, type ViewInput, type ViewOutput } from './engine.js';
import { processingOrder } from './order.js';
import { dealOf, type Stake, stakeKey } from './stake.js';
import { ColumnList, ConcatList, ReturningColumns, ReturningPicked } from './returning.js';
import type { CompanyBooks, TraceOptions, TraceResult } from './types.js';
import { unfundedException } from './unfunded.js';

/**
 * Running totals per company (what it received, paid, left unfunded): in
 * doubles while exact, the part past Number.MAX_SAFE_INTEGER carried in
 * BigInt (a total over a whole history can pass it where no balance does).
 */
class Tally {
  private readonly low: Float64Array;
  private readonly high: bigint[];
  constructor(size: number) {
    this.low = new Float64Array(size);
    this.high = new Array<bigint>(size).fill(0n);
  }
  /** `x` at most Number.MAX_SAFE_INTEGER. */
  add(i: number, x: number): void {
    const sum = this.low[i]! + x;
    // Both terms exact: a sum within the limit is exact, one past it is carried whole.
    if (sum <= STORE_LIMIT) this.low[i] = sum;
    else {
      this.high[i] = this.high[i]! + BigInt(this.low[i]!);
      this.low[i] = x;
    }
  }
  total(i: number): bigint {
    return this.high[i]! + BigInt(this.low[i]!);
  }
}

export interface Prepared {
  readonly input: ViewInput;
  /**
   * Every amount and every company's balance, all along, stays within
   * Number.MAX_SAFE_INTEGER: every pool stays in doubles (each split still
   * chooses doubles or BigInt for its own `allocate`), and the books can be
   * summed in doubles.
   */
  readonly fits: boolean;
  readonly order: Transfer[];
  readonly keys: readonly string[];
  readonly stakes: readonly Stake[];
}

/**
 * Numbers the companies, stakes (in key order) and deals, and lays the
 * transfers out in processing order. `shared`: in memory threads can share.
 * `storeLimit` is Number.MAX_SAFE_INTEGER; tests pass a wrong one to see the
 * comparison with the reference fail.
 */
export function prepareViews(transfers: readonly Transfer[], companies: readonly string[], earmarksOn: boolean, shared = false, storeLimit = STORE_LIMIT): Prepared {
  const storeLimitBig = BigInt(storeLimit);
  const companyIndex = new Map<string, number>(companies.map((c, i) => [c, i]));
  const order = processingOrder(transfers);
  const stakeKeys = new Map<string, { investor: string; investee: string; deal: string }>();
  for (const t of transfers) {
    if (!t.payerIsLedger || !t.payeeIsLedger || t.payerKind !== 'investment') continue;
    const deal = t.stakeDeal;
    const key = stakeKey(t.payer, t.payee, deal);
    if (!stakeKeys.has(key)) stakeKeys.set(key, { investor: t.payer, investee: t.payee, deal });
  }
  const keys = [...stakeKeys.keys()].sort(byCodeUnits);
  const stakeId = new Map<string, number>(keys.map((k, i) => [k, i]));
  const dealIds = new Map<string, number>([['', 0]]);
  const n = order.length;
  const memory = (bytes: number): ArrayBuffer => (shared ? (new SharedArrayBuffer(bytes) as unknown as ArrayBuffer) : new ArrayBuffer(bytes));
  const ints = (length: number): Int32Array => new Int32Array(memory(4 * length));
  const doubles = (length: number): Float64Array => new Float64Array(memory(8 * length));
  const stakeDeal = ints(keys.length);
  keys.forEach((k, i) => {
    const deal = dealOf(k);
    let id = dealIds.get(deal);
    if (id === undefined) dealIds.set(deal, (id = dealIds.size));
    stakeDeal[i] = id;
  });
  const bigAmounts = new Map<number, readonly [bigint, bigint]>();
  const input = {
    companies: companies.length,
    count: n,
    payer: ints(n),
    payee: ints(n),
    a: doubles(n),
    b: doubles(n),
    big: new Uint8Array(memory(n)),
    bigAmounts,
    invest: ints(n),
    earmark: ints(n),
    stakeDeal,
    deals: [...dealIds.keys()],
  };
  // The balances as the trace will move them (SPEC §3.2 step 1), to know that every one stays storable.
  const balance = new Float64Array(companies.length);
  let fits = true;
  for (let i = 0; i < n; i++) {
    const t = order[i] as Transfer;
    const payerIsLedger = t.payerIsLedger;
    const payeeIsLedger = t.payeeIsLedger;
    const payer = payerIsLedger ? t.payer : '';
    const payee = payeeIsLedger ? t.payee : '';
    input.payer[i] = payerIsLedger ? (companyIndex.get(payer) as number) : -1;
    input.payee[i] = payeeIsLedger ? (companyIndex.get(payee) as number) : -1;
    const ta = t.a;
    const tb = t.b;
    input.a[i] = Number(ta);
    input.b[i] = tb === ta ? input.a[i]! : Number(tb);
    input.invest[i] = payerIsLedger && payeeIsLedger && t.payerKind === 'investment' ? (stakeId.get(stakeKey(payer, payee, t.stakeDeal)) as number) : -1;
    input.earmark[i] = earmarksOn && payerIsLedger ? (dealIds.get(t.earmark) ?? -1) : 0;
    if (ta > storeLimitBig || tb > storeLimitBig) {
      fits = false;
      input.big[i] = 1;
      bigAmounts.set(i, [ta, tb]);
    } else if (fits) {
      {
        const p = input.payer[i]!;
        const q = input.payee[i]!;
        if (p >= 0) balance[p] = balance[p]! < input.a[i]! ? 0 : balance[p]! - input.a[i]!;
        // Both terms are exact: a sum past the limit can only round to past the limit.
        if (q >= 0 && (balance[q] = balance[q]! + input.b[i]!) > storeLimit) fits = false;
      }
    }
  }
  const stakes: Stake[] = keys.map((key) => ({ key, ...(stakeKeys.get(key) as { investor: string; investee: string; deal: string }) }));
  return { input, fits, order, keys, stakes };
}

/**
 * The trace's result from the views' runs (one, or one per thread, each
 * over its own investors): the books and `unfunded` exceptions from one pass
 * over the balances, the returning stakes merged in processing order.
 * Problems with views' books are listed by company, then investor.
 */
export function assembleTrace(prepared: Prepared, outputs: readonly ViewOutput[], companies: readonly string[], options: TraceOptions, transferCount: number): TraceResult {
  const { order, stakes } = prepared;
  const { unfunded, origins, books } = prepared.fits ? booksInDoubles(prepared, companies, options) : booksInBigInt(prepared, companies, options);

  // Returning stakes: each output is in processing order, and one transfer's come from one output (the payee's investor).
  // The outputs' columns are kept as they came (transferred from the threads, not copied): one output is the list;
  // several are laid end to end, and the list in processing order picks from them (`slot`: 4 bytes a stake).
  const total = outputs.reduce((n, o) => n + o.count, 0);
  const lists = outputs.map((o) => new ColumnList(new ReturningColumns(order, stakes, o.position, o.stake, o.amount, o.origins, o.bigAmounts)));
  const base = outputs.length === 1 ? (lists[0] as ColumnList) : new ConcatList(lists);
  const first: number[] = [];
  for (let o = 0, n = 0; o < outputs.length; n += (outputs[o] as ViewOutput).count, o++) first.push(n);
  const slot = outputs.length === 1 ? null : new Int32Array(total);
  const returnedByTransfer = new Array<bigint>(transferCount).fill(0n);
  const next = outputs.map(() => 0);
  let at = 0;
  for (;;) {
    let pick = -1;
    for (let o = 0; o < outputs.length; o++) {
      const out = outputs[o] as ViewOutput;
      const i = next[o] as number;
      if (i < out.count && (pick < 0 || (out.position[i] as number) < ((outputs[pick] as ViewOutput).position[next[pick] as number] as number))) pick = o;
    }
    if (pick < 0) break;
    const out = outputs[pick] as ViewOutput;
    const here = out.position[next[pick] as number] as number;
    const t = order[here] as Transfer;
    const from = first[pick] as number;
    let sum = 0n;
    let small = 0;
    let i = next[pick] as number;
    for (; i < out.count && out.position[i] === here; i++, at++) {
      const x = out.amount[i]!;
      if (slot !== null) slot[at] = from + i;
      // NaN: an amount past Number.MAX_SAFE_INTEGER, kept as a BigInt.
      if (x !== x) sum += out.bigAmounts.get(i) as bigint;
      else if (small + x <= STORE_LIMIT) small += x;
      else sum += BigInt(x);
    }
    next[pick] = i;
    returnedByTransfer[t.index] = sum + BigInt(small);
  }
  const returning = slot === null ? base : new ReturningPicked(base, slot);

  const views = outputs.flatMap((o) => o.views).sort((x, y) => x.pool - y.pool || x.investor - y.investor);
  const viewProblems = views.flatMap((v) => v.problems.map((p) => `${companies[v.pool]} in ${companies[v.investor]}'s view: ${p}`));
  const state = { views: views.length, stakeFigures: views.reduce((n, v) => n + v.stakes, 0), lots: views.reduce((n, v) => n + v.lots, 0) };
  // Every thread replays every balance (so meets every BigInt transfer); each view, so each split, is one thread's.
  const sum = (f: (o: ViewOutput) => number): number => outputs.reduce((n, o) => n + f(o), 0);
  const engine = {
    name: 'flat',
    threads: outputs.length,
    arithmetic: 'per split',
    bigTransfers: Math.max(0, ...outputs.map((o) => o.work.bigTransfers)),
    bigSplits: sum((o) => o.work.bigSplits),
    draws: sum((o) => o.work.draws),
    outflows: Math.max(0, ...outputs.map((o) => o.work.outflows)),
    parts: sum((o) => o.work.parts),
  } as const;
  return { method: options.method, earmark: options.earmark, returnedByTransfer, returning, unfunded, books, origins, viewProblems, state, order, engine };
}

interface Books {
  readonly unfunded: Exception[];
  readonly origins: Map<string, Transfer[]>;
  readonly books: Map<string, CompanyBooks>;
}

function noteOrigin(origins: Map<string, Transfer[]>, key: string, t: Transfer): void {
  const list = origins.get(key);
  if (list === undefined) origins.set(key, [t]);
  else list.push(t);
}

/** The books and `unfunded` exceptions from one pass over the balances, in doubles (every balance fits, see `Prepared.fits`). */
function booksInDoubles(prepared: Prepared, companies: readonly string[], options: TraceOptions): Books {
  const { input, order, stakes } = prepared;
  const money = (x: number): string => formatAmount(BigInt(x), options.minorDigits);
  const balance = new Float64Array(companies.length);
  const received = new Tally(companies.length);
  const paid = new Tally(companies.length);
  const unfundedTotal = new Tally(companies.length);
  const unfunded: Exception[] = [];
  const origins = new Map<string, Transfer[]>();
  for (let position = 0; position < input.count; position++) {
    const t = order[position] as Transfer;
    const payer = input.payer[position]!;
    const payee = input.payee[position]!;
    const a = input.a[position]!;
    if (payer >= 0) {
      paid.add(payer, a);
      const before = balance[payer]!;
      if (before < a) {
        unfundedTotal.add(payer, a - before);
        balance[payer] = 0;
        unfunded.push(unfundedException(t, companies[payer] as string, BigInt(a - before), money(a), money(before)));
      } else balance[payer] = before - a;
    }
    const invested = input.invest[position]!;
    if (invested >= 0) noteOrigin(origins, (stakes[invested] as Stake).key, t);
    if (payee >= 0) {
      received.add(payee, input.b[position]!);
      balance[payee] = balance[payee]! + input.b[position]!;
    }
  }
  const books = new Map<string, CompanyBooks>();
  companies.forEach((company, c) => {
    books.set(company, { received: received.total(c), paid: paid.total(c), unfunded: unfundedTotal.total(c), balance: BigInt(balance[c]!) });
  });
  return { unfunded, origins, books };
}

/** The same pass in BigInt, for runs with an amount or a balance past Number.MAX_SAFE_INTEGER. */
function booksInBigInt(prepared: Prepared, companies: readonly string[], options: TraceOptions): Books {
  const { input, order, stakes } = prepared;
  const money = (x: bigint): string => formatAmount(x, options.minorDigits);
  const all = companies.map(() => ({ received: 0n, paid: 0n, unfunded: 0n, balance: 0n }));
  const unfunded: Exception[] = [];
  const origins = new Map<string, Transfer[]>();
  for (let position = 0; position < input.count; position++) {
    const t = order[position] as Transfer;
    const payer = input.payer[position]!;
    const payee = input.payee[position]!;
    const a = t.a;
    if (payer >= 0) {
      const book = all[payer]!;
      book.paid += a;
      const before = book.balance;
      if (before < a) {
        book.unfunded += a - before;
        book.balance = 0n;
        unfunded.push(unfundedException(t, companies[payer] as string, a - before, money(a), money(before)));
      } else book.balance = before - a;
    }
    const invested = input.invest[position]!;
    if (invested >= 0) noteOrigin(origins, (stakes[invested] as Stake).key, t);
    if (payee >= 0) {
      const book = all[payee]!;
      book.received += t.b;
      book.balance += t.b;
    }
  }
  return { unfunded, origins, books: new Map(companies.map((company, c) => [company, all[c]!])) };
}

/** The flat trace, any method (the engine decides doubles or BigInt per split and per pool). */
export function traceFlat(transfers: readonly Transfer[], companies: readonly string[], options: TraceOptions, storeLimit = STORE_LIMIT): TraceResult {
  const prepared = prepareViews(transfers, companies, options.earmark, false, storeLimit);
  return traceFlatPrepared(prepared, companies, options, transfers.length);
}

/** traceFlat for transfers already laid out. */
export function traceFlatPrepared(prepared: Prepared, companies: readonly string[], options: TraceOptions, transferCount: number): TraceResult {
  const output = runViews(prepared.input, new Uint8Array(companies.length).fill(1), prepared.keys, options.method, options.onProgress);
  return assembleTrace(prepared, [output], companies, options, transferCount);
}
