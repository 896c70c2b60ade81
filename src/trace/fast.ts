/**
 * The pro-rata trace (the default method) in doubles, built for a million
 * transfers: the same steps and the same integers as `traceWith` (a test
 * compares them figure for figure on every example and on generated sets),
 * with the state in small integers and flat arrays instead of strings, maps
 * and objects made per transfer.
 *
 * - Companies and stakes are numbered up front; stake numbers follow the
 *   order of stake keys (SPEC §3.1: stakes are ordered by key), so sorted
 *   numbers are sorted keys.
 * - A view is two arrays (stake numbers, amounts) and their total; a draw
 *   writes what it takes into one flat buffer of money in motion, reused
 *   from transfer to transfer, so a transfer allocates nothing but what the
 *   reports keep (the returning stakes).
 *
 * `trace` uses it when every amount and balance of the run can be stored
 * as a double (`prepareViews` tells), the method is pro-rata and nobody observes single transfers (audit --id
 * takes the general path, which reports every step). Called on a run that
 * does not fit doubles, it throws rather than round.
 */
import { formatAmount } from '../money/amount.js';
import { allocateBig, allocateSafeInto } from '../money/allocate.js';
import type { Exception, Row, Transfer } from '../model.js';
import { processingOrder } from './order.js';
import { dealOf, type Stake, stakeKey } from './stake.js';
import { ReturningStake } from './returning.js';
import type { CompanyBooks, Returning, TraceOptions, TraceResult } from './trace.js';

/** Below this, `allocate`'s double path is exact (its figures n, w_i and W; see money/allocate.ts). */
const SPLIT_LIMIT = 2 ** 50;
/** Up to this, a double holds every integer exactly: balances, stakes and amounts are stored as doubles. */
const STORE_LIMIT = Number.MAX_SAFE_INTEGER;

class View {
  /** Stake numbers, ascending (so keys in order), each with a non-zero amount. */
  ids: number[] = [];
  amounts: number[] = [];
  total = 0;
}

interface Pool {
  balance: number;
  readonly views: Map<number, View>;
}

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

/** A growable scratch buffer of doubles. */
function ensure(buffer: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> {
  if (buffer.length >= size) return buffer;
  const next = new Float64Array(Math.max(size, 2 * buffer.length));
  next.set(buffer);
  return next;
}

/**
 * The transfers in processing order as numbers: all the views need. Arrays
 * of one entry per transfer, or per stake; shareable between threads.
 */
export interface ViewInput {
  readonly companies: number;
  readonly count: number;
  /** Company number of the payer and the payee, -1 outside the ledgers. */
  readonly payer: Int32Array;
  readonly payee: Int32Array;
  /** What leaves and what arrives, in minor units (exact doubles). */
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** The stake an investment creates or adds to, -1 for none. */
  readonly invest: Int32Array;
  /** The earmark's deal number: 0 none (or earmarks off), -1 a deal no stake carries. */
  readonly earmark: Int32Array;
  /** Per stake: its deal number (0 none). */
  readonly stakeDeal: Int32Array;
}

/** What one run of the views found: the returning stakes, in processing order, and the views at the end. */
export interface ViewOutput {
  readonly count: number;
  readonly position: Int32Array;
  readonly stake: Int32Array;
  readonly amount: Float64Array;
  /** How many investments had made the stake when the money came back. */
  readonly origins: Int32Array;
  /** The views left at the end: pool, investor, stake count, and problems with their books. */
  readonly views: { readonly pool: number; readonly investor: number; readonly stakes: number; readonly problems: readonly string[] }[];
  /** How many splits needed BigInt (their figures reached 2^50). */
  readonly bigSplits: number;
}

export interface Prepared {
  readonly input: ViewInput;
  /**
   * Every amount and every company's balance, all along, stays within
   * Number.MAX_SAFE_INTEGER: the figures can be stored as doubles (each
   * draw still chooses doubles or BigInt for its own `allocate`).
   */
  readonly fits: boolean;
  readonly order: Transfer[];
  readonly keys: readonly string[];
  readonly stakes: readonly Stake[];
}

/** Numbers the companies, stakes (in key order) and deals, and lays the transfers out in processing order. `shared`: in memory threads can share. */
/** `storeLimit` is Number.MAX_SAFE_INTEGER; tests pass a wrong one to see the comparison with the reference fail. */
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
  const keys = [...stakeKeys.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
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
  const input = {
    companies: companies.length,
    count: n,
    payer: ints(n),
    payee: ints(n),
    a: doubles(n),
    b: doubles(n),
    invest: ints(n),
    earmark: ints(n),
    stakeDeal,
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
    if (fits) {
      if (ta > storeLimitBig || tb > storeLimitBig) fits = false;
      else {
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
 * Replays the transfers through the views of the investors `owns` marks
 * (by company number): the pool balances in full, the views of those
 * investors only. Views of different investors never meet (SPEC §3: each
 * investor's view is its own), so threads can each take some investors.
 */
export function runViews(
  input: ViewInput,
  owns: Uint8Array,
  keys: readonly string[],
  onProgress?: (done: number, total: number) => void,
): ViewOutput {
  const { stakeDeal } = input;
  let bigSplits = 0;
  const pools: Pool[] = Array.from({ length: input.companies }, () => ({ balance: 0, views: new Map() }));
  const originCount = new Int32Array(stakeDeal.length);
  let outCount = 0;
  let outPosition = new Int32Array(1024);
  let outStake = new Int32Array(1024);
  let outAmount = new Float64Array(1024);
  let outOrigins = new Int32Array(1024);
  const emit = (position: number, stake: number, amount: number, origins: number): void => {
    if (outCount === outPosition.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const next = new (a.constructor as new (n: number) => T)(2 * a.length);
        next.set(a);
        return next;
      };
      outPosition = grow(outPosition);
      outStake = grow(outStake);
      outAmount = grow(outAmount);
      outOrigins = grow(outOrigins);
    }
    outPosition[outCount] = position;
    outStake[outCount] = stake;
    outAmount[outCount] = amount;
    outOrigins[outCount] = origins;
    outCount++;
  };

  // The money in motion: entry e is investor motionInvestor[e] with rest motionRest[e]
  // and the stakes motionIds/motionAmounts[motionStart[e] .. motionStart[e + 1]).
  const maxEntries = input.companies + 1;
  const motionInvestor = new Int32Array(maxEntries);
  const motionRest = new Float64Array(maxEntries);
  const motionStart = new Int32Array(maxEntries + 1);
  let motionIds = new Float64Array(Math.max(16, stakeDeal.length + 1));
  let motionAmounts = new Float64Array(motionIds.length);
  let entries = 0;
  let used = 0;
  // Scratch for allocate: weights and parts.
  let weights = new Float64Array(64);
  const parts: number[] = [];

  const openEntry = (investor: number, rest: number): void => {
    motionInvestor[entries] = investor;
    motionRest[entries] = rest;
    motionStart[entries] = used;
  };
  const closeEntry = (): void => {
    if (used > motionStart[entries]!) {
      entries++;
      motionStart[entries] = used;
    }
  };
  const pushStake = (id: number, amount: number): void => {
    if (used === motionIds.length) {
      motionIds = ensure(motionIds, used + 1);
      motionAmounts = ensure(motionAmounts, used + 1);
    }
    motionIds[used] = id;
    motionAmounts[used] = amount;
    used++;
  };

  /**
   * Splits `n` over weights[0..k) (sum `total`) into parts[0..k), decided
   * per draw: in doubles when the figures this split multiplies (n, every
   * weight, and W, which bounds them) are below 2^50, in BigInt otherwise.
   */
  const split = (n: number, k: number, total: number): void => {
    if (k === 0 || total <= 0 || n < 0) throw new RangeError('allocate needs weights with a positive sum and a non-negative amount');
    if (total < SPLIT_LIMIT && n < SPLIT_LIMIT) allocateSafeInto(n, weights, k, total, parts);
    else {
      bigSplits++;
      const big: bigint[] = new Array<bigint>(k);
      for (let i = 0; i < k; i++) big[i] = BigInt(weights[i]!);
      const out = allocateBig(BigInt(n), big, BigInt(total));
      for (let i = 0; i < k; i++) parts[i] = Number(out[i]);
    }
  };

  /** Draws `amount` from a view of a pool of `balance` (SPEC §3.4 pro rata, earmarked stakes first); records the motion. */
  const draw = (investor: number, view: View, amount: number, balance: number, earmark: number): void => {
    const { ids, amounts } = view;
    const k = ids.length;
    weights = ensure(weights, k + 1);
    let marked = false;
    if (earmark > 0) for (let i = 0; i < k && !marked; i++) marked = stakeDeal[ids[i]!] === earmark;
    openEntry(investor, 0);
    if (!marked) {
      // One allocate over [rest, stakes]; the stakes are updated in place.
      weights[0] = balance - view.total;
      for (let i = 0; i < k; i++) weights[i + 1] = amounts[i]!;
      split(amount, k + 1, balance);
      motionRest[entries] = parts[0]!;
      let total = view.total;
      let emptied = false;
      for (let i = 0; i < k; i++) {
        const part = parts[i + 1]!;
        if (part === 0) continue;
        pushStake(ids[i]!, part);
        const kept = amounts[i]! - part;
        amounts[i] = kept;
        total -= part;
        if (kept === 0) emptied = true;
      }
      view.total = total;
      if (emptied) compact(view);
      closeEntry();
      return;
    }
    // The earmarked stakes first, in proportion; the rest of the outflow pro rata over [rest, what is left of every stake].
    const taken = new Array<number>(k).fill(0);
    let left = amount;
    let markedTotal = 0;
    let m = 0;
    for (let i = 0; i < k; i++) {
      if (stakeDeal[ids[i]!] === earmark) {
        weights[m++] = amounts[i]!;
        markedTotal += amounts[i]!;
      }
    }
    const first = Math.min(left, markedTotal);
    split(first, m, markedTotal);
    for (let i = 0, j = 0; i < k; i++) if (stakeDeal[ids[i]!] === earmark) taken[i] = parts[j++]!;
    left -= first;
    let restTaken = 0;
    if (left > 0) {
      weights[0] = balance - view.total;
      for (let i = 0; i < k; i++) weights[i + 1] = amounts[i]! - taken[i]!;
      split(left, k + 1, balance - first);
      restTaken = parts[0]!;
      for (let i = 0; i < k; i++) taken[i] = taken[i]! + parts[i + 1]!;
    }
    motionRest[entries] = restTaken;
    let total = 0;
    const keepIds: number[] = [];
    const keepAmounts: number[] = [];
    for (let i = 0; i < k; i++) {
      const t = taken[i]!;
      if (t > 0) pushStake(ids[i]!, t);
      const kept = amounts[i]! - t;
      if (kept > 0) {
        keepIds.push(ids[i]!);
        keepAmounts.push(kept);
        total += kept;
      }
    }
    view.ids = keepIds;
    view.amounts = keepAmounts;
    view.total = total;
    closeEntry();
  };

  const compact = (view: View): void => {
    const ids: number[] = [];
    const amounts: number[] = [];
    for (let i = 0; i < view.ids.length; i++) {
      if (view.amounts[i] === 0) continue;
      ids.push(view.ids[i]!);
      amounts.push(view.amounts[i]!);
    }
    view.ids = ids;
    view.amounts = amounts;
  };

  /** Adds entry e's stakes to a view (ids kept ascending). */
  const receive = (view: View, e: number): void => {
    for (let s = motionStart[e]!; s < motionStart[e + 1]!; s++) {
      const id = motionIds[s]!;
      const amount = motionAmounts[s]!;
      if (amount === 0) continue;
      view.total += amount;
      const ids = view.ids;
      let lo = 0;
      let hi = ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ids[mid]! < id) lo = mid + 1;
        else hi = mid;
      }
      if (ids[lo] === id) view.amounts[lo] = view.amounts[lo]! + amount;
      else {
        ids.splice(lo, 0, id);
        view.amounts.splice(lo, 0, amount);
      }
    }
  };

  /** Step 3: every entry split again over the amount that arrives; stakes that get nothing are dropped, and entries left empty. */
  const rescale = (b: number): void => {
    let kept = 0;
    let write = 0;
    const starts = motionStart.slice(0, entries + 1);
    for (let e = 0; e < entries; e++) {
      const from = starts[e]!;
      const to = starts[e + 1]!;
      const k = to - from;
      weights = ensure(weights, k + 1);
      weights[0] = motionRest[e]!;
      let total = weights[0]!;
      for (let s = 0; s < k; s++) {
        weights[s + 1] = motionAmounts[from + s]!;
        total += motionAmounts[from + s]!;
      }
      split(b, k + 1, total);
      const start = write;
      for (let s = 0; s < k; s++) {
        const x = parts[s + 1]!;
        if (x > 0) {
          motionIds[write] = motionIds[from + s]!;
          motionAmounts[write] = x;
          write++;
        }
      }
      if (write === start) continue;
      motionInvestor[kept] = motionInvestor[e]!;
      motionRest[kept] = parts[0]!;
      motionStart[kept] = start;
      kept++;
    }
    entries = kept;
    used = write;
    motionStart[entries] = used;
  };

  for (let position = 0; position < input.count; position++) {
    if (onProgress !== undefined && (position & 4095) === 0) onProgress(position, input.count);
    const payer = input.payer[position]!;
    const payee = input.payee[position]!;
    const a = input.a[position]!;
    const b = input.b[position]!;
    entries = 0;
    used = 0;
    motionStart[0] = 0;

    // 1. Draw.
    if (payer >= 0) {
      const pool = pools[payer] as Pool;
      const balance = pool.balance;
      if (balance < a) {
        // Unfunded: every view's stakes leave whole (the exception and the books are the caller's).
        for (const [investor, view] of pool.views) {
          openEntry(investor, a - view.total);
          for (let i = 0; i < view.ids.length; i++) pushStake(view.ids[i]!, view.amounts[i]!);
          closeEntry();
        }
        pool.views.clear();
        pool.balance = 0;
      } else {
        const earmark = input.earmark[position]!;
        for (const [investor, view] of pool.views) {
          draw(investor, view, a, balance, earmark);
          if (view.total === 0) pool.views.delete(investor);
        }
        pool.balance = balance - a;
      }
    }

    // 2. Invest: in the payer's view the money is all its new stake.
    const invested = input.invest[position]!;
    if (invested >= 0) {
      originCount[invested] = originCount[invested]! + 1;
      if (owns[payer] === 1) {
        openEntry(payer, 0);
        pushStake(invested, a);
        closeEntry();
      }
    }

    // 3. Rescale to the payee's amount.
    if (b !== a && entries > 0) rescale(b);

    // 4. Receive; 5. book the returning stakes.
    if (payee >= 0) {
      const pool = pools[payee] as Pool;
      let own = -1;
      for (let e = 0; e < entries; e++) {
        const investor = motionInvestor[e]!;
        if (investor === payee) {
          own = e;
          continue;
        }
        let view = pool.views.get(investor);
        if (view === undefined) {
          view = new View();
          pool.views.set(investor, view);
        }
        receive(view, e);
      }
      pool.balance += b;
      if (own >= 0) {
        for (let s = motionStart[own]!; s < motionStart[own + 1]!; s++) {
          const part = motionAmounts[s]!;
          if (part === 0) continue;
          const id = motionIds[s]!;
          emit(position, id, part, originCount[id]!);
        }
      }
    }
  }

  const views: { pool: number; investor: number; stakes: number; problems: string[] }[] = [];
  pools.forEach((pool, c) => {
    for (const [investor, view] of pool.views) {
      const problems: string[] = [];
      let total = 0;
      view.amounts.forEach((x, i) => {
        if (x < 0) problems.push(`stake ${keys[view.ids[i]!]} is negative (${x})`);
        total += x;
      });
      if (total !== view.total) problems.push(`stakes sum to ${total}, recorded ${view.total}`);
      if (pool.balance < total) problems.push(`stakes ${total} exceed the balance ${pool.balance} (negative rest)`);
      views.push({ pool: c, investor, stakes: view.ids.length, problems });
    }
  });
  return {
    count: outCount,
    position: outPosition.slice(0, outCount),
    stake: outStake.slice(0, outCount),
    amount: outAmount.slice(0, outCount),
    origins: outOrigins.slice(0, outCount),
    views,
    bigSplits,
  };
}

/**
 * The trace's result from the views' runs (one, or one per thread, each
 * over its own investors): the books and `unfunded` exceptions from one pass
 * over the balances, the returning stakes merged in processing order.
 * Problems with views' books are listed by company, then investor.
 */
export function assembleTrace(prepared: Prepared, outputs: readonly ViewOutput[], companies: readonly string[], options: TraceOptions, transferCount: number): TraceResult {
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
        const payerRow = t.payerRow;
        unfunded.push({
          code: 'unfunded',
          company: companies[payer] as string,
          id: payerRow?.id ?? '',
          row: payerRow ?? (t.payeeRow as Row),
          counterparty: payerRow?.counterparty ?? t.payee,
          amount: BigInt(a - before),
          counterpartyRow: t.payeeRow,
          detail: `outflow ${money(a)} exceeds traced balance ${money(before)}`,
        });
      } else balance[payer] = before - a;
    }
    const invested = input.invest[position]!;
    if (invested >= 0) {
      const key = (stakes[invested] as Stake).key;
      const list = origins.get(key);
      if (list === undefined) origins.set(key, [t]);
      else list.push(t);
    }
    if (payee >= 0) {
      received.add(payee, input.b[position]!);
      balance[payee] = balance[payee]! + input.b[position]!;
    }
  }

  // Returning stakes: each output is in processing order, and one transfer's come from one output (the payee's investor).
  const returnedByTransfer = new Array<bigint>(transferCount).fill(0n);
  const returning: Returning[] = [];
  const next = outputs.map(() => 0);
  for (;;) {
    let pick = -1;
    for (let o = 0; o < outputs.length; o++) {
      const out = outputs[o] as ViewOutput;
      const i = next[o] as number;
      if (i < out.count && (pick < 0 || (out.position[i] as number) < ((outputs[pick] as ViewOutput).position[next[pick] as number] as number))) pick = o;
    }
    if (pick < 0) break;
    const out = outputs[pick] as ViewOutput;
    const position = out.position[next[pick] as number] as number;
    const t = order[position] as Transfer;
    let total = 0;
    let i = next[pick] as number;
    for (; i < out.count && out.position[i] === position; i++) {
      total += out.amount[i]!;
      returning.push(new ReturningStake(t, stakes[out.stake[i]!] as Stake, out.amount[i]!, out.origins[i]!));
    }
    next[pick] = i;
    returnedByTransfer[t.index] = BigInt(total);
  }

  const views = outputs.flatMap((o) => o.views).sort((x, y) => x.pool - y.pool || x.investor - y.investor);
  const viewProblems = views.flatMap((v) => v.problems.map((p) => `${companies[v.pool]} in ${companies[v.investor]}'s view: ${p}`));
  const state = { views: views.length, stakeFigures: views.reduce((n, v) => n + v.stakes, 0), lots: 0 };
  const books = new Map<string, CompanyBooks>();
  companies.forEach((company, c) => {
    books.set(company, { received: received.total(c), paid: paid.total(c), unfunded: unfundedTotal.total(c), balance: BigInt(balance[c]!) });
  });
  return { method: 'pro-rata', earmark: options.earmark, returnedByTransfer, returning, unfunded, books, origins, viewProblems, state, order };
}

/** The fast pro-rata trace; throws on a run whose figures cannot be stored as doubles (`prepared.fits`). */
export function traceProRata(transfers: readonly Transfer[], companies: readonly string[], options: TraceOptions, storeLimit = STORE_LIMIT): TraceResult {
  const prepared = prepareViews(transfers, companies, options.earmark, false, storeLimit);
  if (!prepared.fits) throw new RangeError('traceProRata: an amount or a balance passes Number.MAX_SAFE_INTEGER minor units; use traceWith(BIGINT, ...)');
  return traceProRataPrepared(prepared, companies, options, transfers.length);
}

/** traceProRata for transfers already laid out (and known to fit). */
export function traceProRataPrepared(prepared: Prepared, companies: readonly string[], options: TraceOptions, transferCount: number): TraceResult {
  const output = runViews(prepared.input, new Uint8Array(companies.length).fill(1), prepared.keys, options.onProgress);
  return assembleTrace(prepared, [output], companies, options, transferCount);
}
