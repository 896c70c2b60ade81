/**
 * The general trace: one implementation over an integer arithmetic (doubles
 * while every figure of the run stays below 2^50, BigInt otherwise; see
 * arith.ts), with views as objects keyed by stake (views.ts). It reports
 * every step of a transfer to an observer, which `audit --id` needs; the
 * flat engine (flat.ts, engine.ts) gives the same figures faster and is
 * what runs otherwise (trace.ts chooses). Tests take it, in BigInt all the
 * way down, as the reference.
 */
import { formatAmount } from '../money/amount.js';
import type { Exception, Transfer } from '../model.js';
import { byCodeUnits } from '../sort.js';
import { usesLots } from './methods.js';
import { processingOrder } from './order.js';
import { type Arith, DOUBLE_LIMIT } from './arith.js';
import { type Parts, type Stake, stakeKey } from './stake.js';
import { BalanceView, LotView, type View } from './views.js';
import { ReturningArray, ReturningStake } from './returning.js';
import type { CompanyBooks, Returning, TraceOptions, TraceResult, ViewSnapshot } from './types.js';
import { unfundedException } from './unfunded.js';

interface Pool<A> {
  balance: A;
  readonly views: Map<string, View<A>>;
}

interface Books<A> {
  received: A;
  paid: A;
  unfunded: A;
}

function byInvestor<T>([x]: [string, T], [y]: [string, T]): number {
  return byCodeUnits(x, y);
}

function snapshot<A>(m: Arith<A>, views: Map<string, View<A>>, balance: A): ViewSnapshot[] {
  return [...views.entries()].sort(byInvestor).map(([investor, view]) => {
    const { keys, amounts } = view.stakes();
    return { investor, rest: m.big(m.sub(balance, view.stakeTotal)), keys, amounts: amounts.map(m.big) };
  });
}

function motionSnapshot<A>(m: Arith<A>, motion: Motion<A>): ViewSnapshot[] {
  return motion
    .entries()
    .sort(byInvestor)
    .map(([investor, p]) => ({ investor, rest: m.big(p.rest), keys: [...p.keys], amounts: p.amounts.map(m.big) }));
}

/**
 * The money in motion during one transfer, per investor's view: a handful
 * of entries, kept in two arrays reused from transfer to transfer (a Map
 * made per transfer was a third of the trace's time). Order does not matter:
 * each investor's parts go to that investor's view alone.
 */
class Motion<A> {
  readonly investors: string[] = [];
  readonly parts: Parts<A>[] = [];
  get size(): number {
    return this.investors.length;
  }
  clear(): void {
    this.investors.length = 0;
    this.parts.length = 0;
  }
  get(investor: string): Parts<A> | undefined {
    const i = this.investors.indexOf(investor);
    return i < 0 ? undefined : this.parts[i];
  }
  set(investor: string, parts: Parts<A>): void {
    const i = this.investors.indexOf(investor);
    if (i >= 0) this.parts[i] = parts;
    else {
      this.investors.push(investor);
      this.parts.push(parts);
    }
  }
  entries(): [string, Parts<A>][] {
    return this.investors.map((investor, i) => [investor, this.parts[i] as Parts<A>]);
  }
}


/**
 * Does every company receive plus pay less than 2^50 in all (then every
 * figure of the trace fits a double exactly)? Summed in doubles: exact while
 * the sums stay below 2^53, and a sum that reaches 2^50 can only round to at
 * least 2^50, so the answer is exact.
 */
export function fitsDoubles(transfers: readonly Transfer[]): boolean {
  const moved = new Map<string, number>();
  const limit = Number(DOUBLE_LIMIT);
  const count = (company: string, amount: bigint): boolean => {
    const total = (moved.get(company) ?? 0) + Number(amount);
    moved.set(company, total);
    return total < limit;
  };
  for (const t of transfers) {
    const a = t.a;
    if (t.payerIsLedger && !count(t.payer, a)) return false;
    if (t.payeeIsLedger && !count(t.payee, t.payeeRow === null ? a : t.b)) return false;
  }
  return true;
}

/** The trace in a given integer arithmetic (`trace` chooses it; tests compare the two). */
export function traceWith<A>(m: Arith<A>, transfers: readonly Transfer[], companies: readonly string[], options: TraceOptions): TraceResult {
  const { method, earmark: earmarksOn, observe } = options;
  const { zero, add, sub, lt } = m;
  const lots = usesLots(method);
  const money = (x: A): string => formatAmount(m.big(x), options.minorDigits);
  const pools = new Map<string, Pool<A>>();
  const books = new Map<string, Books<A>>();
  for (const c of companies) {
    pools.set(c, { balance: zero, views: new Map() });
    books.set(c, { received: zero, paid: zero, unfunded: zero });
  }
  const stakes = new Map<string, Stake>();
  const origins = new Map<string, Transfer[]>();
  const returnedByTransfer = new Array<bigint>(transfers.length).fill(0n);
  const returning: Returning[] = [];
  const unfunded: Exception[] = [];
  const order = processingOrder(transfers);

  const newView = (opening: A): View<A> => (lots ? new LotView(m, method as 'fifo' | 'lifo', opening) : new BalanceView(m, method));

  const motion = new Motion<A>();
  const onProgress = options.onProgress;
  order.forEach((t, position) => {
    if (onProgress !== undefined && (position & 4095) === 0) onProgress(position, order.length);
    const watching = observe !== undefined && observe.wants(t);
    // A transfer reads its values from its rows: read each once.
    const payer = t.payer;
    const payee = t.payee;
    const payerIsLedger = t.payerIsLedger;
    const payeeIsLedger = t.payeeIsLedger;
    const ta = t.a;
    const tb = t.b;
    const a = m.of(ta);
    const b = tb === ta ? a : m.of(tb);
    motion.clear();
    let balanceBefore = zero;
    let before: ViewSnapshot[] = [];
    let drawnSnapshot: ViewSnapshot[] = [];
    let uncovered = zero;

    // 1. Draw.
    if (payerIsLedger) {
      const pool = pools.get(payer) as Pool<A>;
      const book = books.get(payer) as Books<A>;
      const balance = pool.balance;
      balanceBefore = balance;
      if (watching) before = snapshot(m, pool.views, balance);
      book.paid = add(book.paid, a);
      if (lt(balance, a)) {
        uncovered = sub(a, balance);
        for (const [investor, view] of pool.views) {
          const { keys, amounts } = view.stakes();
          let total = zero;
          for (const x of amounts) total = add(total, x);
          if (keys.length > 0) motion.set(investor, { rest: sub(a, total), keys, amounts });
        }
        pool.views.clear();
        pool.balance = zero;
        book.unfunded = add(book.unfunded, uncovered);
        unfunded.push(unfundedException(t, payer, m.big(uncovered), money(a), money(balance)));
      } else {
        const earmark = earmarksOn ? t.earmark : '';
        for (const [investor, view] of pool.views) {
          const parts = view.draw(a, balance, earmark);
          if (parts.keys.length > 0) motion.set(investor, parts);
          if (view.stakeTotal === zero) pool.views.delete(investor);
        }
        pool.balance = sub(balance, a);
      }
      if (watching) drawnSnapshot = motionSnapshot(m, motion);
    }

    // 2. Invest: in the payer's view the money is all its new stake.
    if (payerIsLedger && payeeIsLedger && t.payerKind === 'investment') {
      const deal = t.stakeDeal;
      const key = stakeKey(payer, payee, deal);
      if (!stakes.has(key)) stakes.set(key, { key, investor: payer, investee: payee, deal });
      const list = origins.get(key);
      if (list === undefined) origins.set(key, [t]);
      else list.push(t);
      motion.set(payer, { rest: zero, keys: [key], amounts: [a] });
    }

    // 3. Rescale to the payee's amount.
    if (tb !== ta) {
      let kept = 0;
      for (let e = 0; e < motion.size; e++) {
        const parts = motion.parts[e] as Parts<A>;
        const split = m.allocate(b, [parts.rest, ...parts.amounts]);
        const keys: string[] = [];
        const amounts: A[] = [];
        parts.keys.forEach((k, i) => {
          const x = split[i + 1] as A;
          if (lt(zero, x)) {
            keys.push(k);
            amounts.push(x);
          }
        });
        if (keys.length === 0) continue; // nothing of this investor's arrives
        motion.investors[kept] = motion.investors[e] as string;
        motion.parts[kept] = { rest: split[0] as A, keys, amounts };
        kept++;
      }
      motion.investors.length = kept;
      motion.parts.length = kept;
    }

    // 4. Receive; 5. book the returning stakes.
    const came: Returning[] = [];
    if (payeeIsLedger) {
      const pool = pools.get(payee) as Pool<A>;
      const book = books.get(payee) as Books<A>;
      book.received = add(book.received, b);
      for (let e = 0; e < motion.size; e++) {
        const investor = motion.investors[e] as string;
        const parts = motion.parts[e] as Parts<A>;
        if (investor === payee) continue;
        let view = pool.views.get(investor);
        if (view === undefined) {
          view = newView(pool.balance);
          pool.views.set(investor, view);
        }
        view.receive(parts);
      }
      if (lots) {
        for (const [investor, view] of pool.views) if (motion.get(investor) === undefined) view.receive({ rest: b, keys: [], amounts: [] });
      }
      pool.balance = add(pool.balance, b);

      const own = motion.get(payee);
      if (own !== undefined) {
        let total = zero;
        own.keys.forEach((key, i) => {
          const part = own.amounts[i] as A;
          if (part === zero) return;
          total = add(total, part);
          const amount = m.big(part);
          const r = new ReturningStake(t, stakes.get(key) as Stake, amount, origins.get(key)?.length ?? 0);
          came.push(r);
          returning.push(r);
        });
        returnedByTransfer[t.index] = m.big(total);
      }
    }

    if (watching) {
      observe.seen({
        transfer: t,
        order: position,
        balanceBefore: m.big(balanceBefore),
        before,
        drawn: drawnSnapshot,
        arrived: motionSnapshot(m, motion),
        unfunded: m.big(uncovered),
        returning: came,
      });
    }
  });

  const viewProblems: string[] = [];
  const state = { views: 0, stakeFigures: 0, lots: 0 };
  const finalBooks = new Map<string, CompanyBooks>();
  for (const [company, pool] of pools) {
    const book = books.get(company) as Books<A>;
    finalBooks.set(company, { received: m.big(book.received), paid: m.big(book.paid), unfunded: m.big(book.unfunded), balance: m.big(pool.balance) });
    for (const [investor, view] of pool.views) {
      for (const problem of view.audit(pool.balance)) viewProblems.push(`${company} in ${investor}'s view: ${problem}`);
      state.views++;
      state.stakeFigures += view.stakes().keys.length;
      state.lots += view.lotCount;
    }
  }
  const engine = { name: 'general', threads: 1, arithmetic: m.name === 'bigint' ? 'bigint' : 'doubles', bigTransfers: 0, bigSplits: 0, draws: 0, outflows: 0, parts: 0 } as const;
  return { method, earmark: earmarksOn, returnedByTransfer, returning: new ReturningArray(returning), unfunded, books: finalBooks, origins, viewProblems, state, order, engine };
}
