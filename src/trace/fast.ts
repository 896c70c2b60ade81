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
 * `trace` uses it when the run fits doubles (`fitsDoubles`, see arith.ts),
 * the method is pro-rata and nobody observes single transfers (audit --id
 * takes the general path, which reports every step). Called on a run that
 * does not fit doubles, it throws rather than round.
 */
import { formatAmount } from '../money/amount.js';
import { allocateSafeInto } from '../money/allocate.js';
import type { Exception, Row, Transfer } from '../model.js';
import { processingOrder } from './order.js';
import { type Stake, stakeKey } from './stake.js';
import { ReturningStake } from './returning.js';
import { type CompanyBooks, fitsDoubles, type Returning, type TraceOptions, type TraceResult } from './trace.js';

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

function dealOf(key: string): string {
  const hash = key.indexOf('#');
  return hash < 0 ? '' : key.slice(hash + 1);
}

/** A growable scratch buffer of doubles. */
function ensure(buffer: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> {
  if (buffer.length >= size) return buffer;
  const next = new Float64Array(Math.max(size, 2 * buffer.length));
  next.set(buffer);
  return next;
}

export function traceProRata(transfers: readonly Transfer[], companies: readonly string[], options: TraceOptions): TraceResult {
  if (!fitsDoubles(transfers)) throw new RangeError('traceProRata: a company receives and pays 2^50 minor units or more; use traceWith(BIGINT, ...)');
  const { earmark: earmarksOn, onProgress } = options;
  const money = (x: number): string => formatAmount(BigInt(x), options.minorDigits);
  const companyIndex = new Map<string, number>(companies.map((c, i) => [c, i]));
  const order = processingOrder(transfers);

  // Stakes, numbered in key order; the deal of each, numbered (0: none).
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
  const stakeDeal = keys.map((k) => {
    const deal = dealOf(k);
    let id = dealIds.get(deal);
    if (id === undefined) dealIds.set(deal, (id = dealIds.size));
    return id;
  });
  const stakes: Stake[] = keys.map((key) => ({ key, ...(stakeKeys.get(key) as { investor: string; investee: string; deal: string }) }));
  const originCount = new Int32Array(keys.length);
  const origins = new Map<string, Transfer[]>();

  const pools: Pool[] = companies.map(() => ({ balance: 0, views: new Map() }));
  const received = new Float64Array(companies.length);
  const paid = new Float64Array(companies.length);
  const unfundedTotal = new Float64Array(companies.length);
  const returnedByTransfer = new Array<bigint>(transfers.length).fill(0n);
  const returning: Returning[] = [];
  const unfunded: Exception[] = [];

  // The money in motion: entry e is investor motionInvestor[e] with rest motionRest[e]
  // and the stakes motionIds/motionAmounts[motionStart[e] .. motionStart[e + 1]).
  const maxEntries = companies.length + 1;
  const motionInvestor = new Int32Array(maxEntries);
  const motionRest = new Float64Array(maxEntries);
  const motionStart = new Int32Array(maxEntries + 1);
  let motionIds = new Float64Array(Math.max(16, keys.length + 1));
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

  /** Splits `n` over weights[0..k) (sum `total`) into parts[0..k). */
  const split = (n: number, k: number, total: number): void => {
    if (k === 0 || total <= 0 || n < 0) throw new RangeError('allocate needs weights with a positive sum and a non-negative amount');
    allocateSafeInto(n, weights, k, total, parts);
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

  for (let position = 0; position < order.length; position++) {
    const t = order[position] as Transfer;
    if (onProgress !== undefined && (position & 4095) === 0) onProgress(position, order.length);
    const payerIsLedger = t.payerIsLedger;
    const payeeIsLedger = t.payeeIsLedger;
    const payer = payerIsLedger ? (companyIndex.get(t.payer) as number) : -1;
    const payee = payeeIsLedger ? (companyIndex.get(t.payee) as number) : -1;
    const ta = t.a;
    const tb = t.b;
    const a = Number(ta);
    const b = tb === ta ? a : Number(tb);
    entries = 0;
    used = 0;
    motionStart[0] = 0;

    // 1. Draw.
    if (payerIsLedger) {
      const pool = pools[payer] as Pool;
      const balance = pool.balance;
      paid[payer] = paid[payer]! + a;
      if (balance < a) {
        const uncovered = a - balance;
        for (const [investor, view] of pool.views) {
          openEntry(investor, a - view.total);
          for (let i = 0; i < view.ids.length; i++) pushStake(view.ids[i]!, view.amounts[i]!);
          closeEntry();
        }
        pool.views.clear();
        pool.balance = 0;
        unfundedTotal[payer] = unfundedTotal[payer]! + uncovered;
        const payerRow = t.payerRow;
        unfunded.push({
          code: 'unfunded',
          company: t.payer,
          id: payerRow?.id ?? '',
          row: payerRow ?? (t.payeeRow as Row),
          counterparty: payerRow?.counterparty ?? t.payee,
          amount: BigInt(uncovered),
          counterpartyRow: t.payeeRow,
          detail: `outflow ${money(a)} exceeds traced balance ${money(balance)}`,
        });
      } else {
        const earmark = earmarksOn ? (dealIds.get(t.earmark) ?? -1) : 0;
        for (const [investor, view] of pool.views) {
          draw(investor, view, a, balance, earmark);
          if (view.total === 0) pool.views.delete(investor);
        }
        pool.balance = balance - a;
      }
    }

    // 2. Invest: in the payer's view the money is all its new stake.
    if (payerIsLedger && payeeIsLedger && t.payerKind === 'investment') {
      const key = stakeKey(t.payer, t.payee, t.stakeDeal);
      const id = stakeId.get(key) as number;
      originCount[id] = originCount[id]! + 1;
      const list = origins.get(key);
      if (list === undefined) origins.set(key, [t]);
      else list.push(t);
      openEntry(payer, 0);
      pushStake(id, a);
      closeEntry();
    }

    // 3. Rescale to the payee's amount.
    if (tb !== ta && entries > 0) rescale(b);

    // 4. Receive; 5. book the returning stakes.
    if (payeeIsLedger) {
      const pool = pools[payee] as Pool;
      received[payee] = received[payee]! + b;
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
        let total = 0;
        for (let s = motionStart[own]!; s < motionStart[own + 1]!; s++) {
          const part = motionAmounts[s]!;
          if (part === 0) continue;
          total += part;
          const id = motionIds[s]!;
          returning.push(new ReturningStake(t, stakes[id] as Stake, part, originCount[id]!));
        }
        returnedByTransfer[t.index] = BigInt(total);
      }
    }
  }

  const viewProblems: string[] = [];
  const state = { views: 0, stakeFigures: 0, lots: 0 };
  const books = new Map<string, CompanyBooks>();
  companies.forEach((company, c) => {
    const pool = pools[c] as Pool;
    books.set(company, { received: BigInt(received[c]!), paid: BigInt(paid[c]!), unfunded: BigInt(unfundedTotal[c]!), balance: BigInt(pool.balance) });
    for (const [investor, view] of pool.views) {
      let total = 0;
      view.amounts.forEach((x, i) => {
        if (x < 0) viewProblems.push(`${company} in ${companies[investor]}'s view: stake ${keys[view.ids[i]!]} is negative (${x})`);
        total += x;
      });
      if (total !== view.total) viewProblems.push(`${company} in ${companies[investor]}'s view: stakes sum to ${total}, recorded ${view.total}`);
      if (pool.balance < total) viewProblems.push(`${company} in ${companies[investor]}'s view: stakes ${total} exceed the balance ${pool.balance} (negative rest)`);
      state.views++;
      state.stakeFigures += view.ids.length;
    }
  });
  return { method: 'pro-rata', earmark: earmarksOn, returnedByTransfer, returning, unfunded, books, origins, viewProblems, state, order };
}
