/**
 * One investor's view of one company's pool (SPEC §3.1, §3.4): the
 * investor's stakes in it and the rest. A view exists only while it holds
 * stakes; without one, the whole pool is rest in that view. So the state is
 * bounded by the number of stakes, whatever the length of history.
 *
 * `A` is the trace's integer type (doubles or BigInt, see arith.ts); all
 * arithmetic goes through the view's `Arith`.
 */
import { byCodeUnits } from '../sort.js';
import type { Arith } from './arith.js';
import type { Method } from './methods.js';
import { dealOf, type Parts } from './stake.js';

export interface View<A> {
  /** Sum of the investor's stakes in this pool. */
  readonly stakeTotal: A;
  /** The stakes, keys sorted, amounts non-zero. */
  stakes(): { keys: string[]; amounts: A[] };
  /** Takes `amount` (at most `balance`, the pool's balance) by the method; earmarked stakes first. */
  draw(amount: A, balance: A, earmark: string): Parts<A>;
  /** Adds a receipt's parts (in view order: rest, then stakes by key). */
  receive(parts: Parts<A>): void;
  /** Problems with the view's own books (lots vs totals), for the self-check. */
  audit(balance: A): string[];
  /** Lots held (fifo/lifo; 0 for the balance-only methods). */
  readonly lotCount: number;
}

/** pro-rata, investor-last and investor-first: only balances matter. */
export class BalanceView<A> implements View<A> {
  readonly lotCount = 0;
  private keys: string[] = [];
  private amounts: A[] = [];
  stakeTotal: A;

  constructor(
    private readonly m: Arith<A>,
    private readonly method: Method,
  ) {
    this.stakeTotal = m.zero;
  }

  /** A view holding these stakes (keys sorted, amounts non-zero): the engine hands a pool over to BigInt this way. */
  static of<A>(m: Arith<A>, method: Method, keys: string[], amounts: A[]): BalanceView<A> {
    const view = new BalanceView(m, method);
    view.keys = keys;
    view.amounts = amounts;
    let total = m.zero;
    for (const x of amounts) total = m.add(total, x);
    view.stakeTotal = total;
    return view;
  }

  stakes(): { keys: string[]; amounts: A[] } {
    return { keys: [...this.keys], amounts: [...this.amounts] };
  }

  /** Does the view hold a stake of this deal? */
  private holdsDeal(deal: string): boolean {
    for (const key of this.keys) if (dealOf(key) === deal) return true;
    return false;
  }

  /** The common case, pro rata with no earmarked stake: one allocate over [rest, stakes], the stakes updated in place. */
  private drawProRata(amount: A, balance: A): Parts<A> {
    const { keys, amounts, m } = this;
    const k = keys.length;
    const weights = new Array<A>(k + 1);
    weights[0] = m.sub(balance, this.stakeTotal);
    for (let i = 0; i < k; i++) weights[i + 1] = amounts[i] as A;
    const split = m.allocate(amount, weights, balance);
    const outKeys: string[] = [];
    const outAmounts: A[] = [];
    let emptied = false;
    let total = this.stakeTotal;
    for (let i = 0; i < k; i++) {
      const part = split[i + 1] as A;
      if (part === m.zero) continue;
      outKeys.push(keys[i] as string);
      outAmounts.push(part);
      const kept = m.sub(amounts[i] as A, part);
      amounts[i] = kept;
      total = m.sub(total, part);
      if (kept === m.zero) emptied = true;
    }
    this.stakeTotal = total;
    if (emptied) {
      const keepKeys: string[] = [];
      const keepAmounts: A[] = [];
      for (let i = 0; i < k; i++) {
        if (amounts[i] === m.zero) continue;
        keepKeys.push(keys[i] as string);
        keepAmounts.push(amounts[i] as A);
      }
      this.keys = keepKeys;
      this.amounts = keepAmounts;
    }
    return { rest: split[0] as A, keys: outKeys, amounts: outAmounts };
  }

  draw(amount: A, balance: A, earmark: string): Parts<A> {
    if (this.method === 'pro-rata' && (earmark === '' || !this.holdsDeal(earmark))) return this.drawProRata(amount, balance);
    const { keys, amounts, m } = this;
    const { zero, add, sub, lt, min } = m;
    const k = keys.length;
    const taken = new Array<A>(k).fill(zero);
    let left = amount;
    let rest = sub(balance, this.stakeTotal);
    let restTaken = zero;
    let stakesLeft = this.stakeTotal;

    if (earmark !== '') {
      const marked: number[] = [];
      let markedTotal = zero;
      for (let i = 0; i < k; i++) {
        if (lt(zero, amounts[i] as A) && dealOf(keys[i] as string) === earmark) {
          marked.push(i);
          markedTotal = add(markedTotal, amounts[i] as A);
        }
      }
      if (lt(zero, markedTotal)) {
        const first = min(left, markedTotal);
        const split = m.allocate(
          first,
          marked.map((i) => amounts[i] as A),
        );
        marked.forEach((i, j) => {
          taken[i] = split[j] as A;
        });
        left = sub(left, first);
        stakesLeft = sub(stakesLeft, first);
      }
    }

    if (lt(zero, left)) {
      const remaining = amounts.map((a, i) => sub(a, taken[i] as A));
      switch (this.method) {
        case 'pro-rata': {
          const split = m.allocate(left, [rest, ...remaining]);
          restTaken = add(restTaken, split[0] as A);
          for (let i = 0; i < k; i++) taken[i] = add(taken[i] as A, split[i + 1] as A);
          break;
        }
        case 'investor-last': {
          const fromRest = min(left, rest);
          restTaken = add(restTaken, fromRest);
          const fromStakes = sub(left, fromRest);
          if (lt(zero, fromStakes)) {
            const split = m.allocate(fromStakes, remaining);
            for (let i = 0; i < k; i++) taken[i] = add(taken[i] as A, split[i] as A);
          }
          break;
        }
        case 'investor-first': {
          const fromStakes = min(left, stakesLeft);
          if (lt(zero, fromStakes)) {
            const split = m.allocate(fromStakes, remaining);
            for (let i = 0; i < k; i++) taken[i] = add(taken[i] as A, split[i] as A);
          }
          restTaken = add(restTaken, sub(left, fromStakes));
          break;
        }
        default:
          throw new Error(`BalanceView cannot draw by ${this.method}`);
      }
    }
    rest = sub(rest, restTaken);

    const outKeys: string[] = [];
    const outAmounts: A[] = [];
    const keepKeys: string[] = [];
    const keepAmounts: A[] = [];
    let total = zero;
    for (let i = 0; i < k; i++) {
      const t = taken[i] as A;
      if (lt(zero, t)) {
        outKeys.push(keys[i] as string);
        outAmounts.push(t);
      }
      const kept = sub(amounts[i] as A, t);
      if (lt(zero, kept)) {
        keepKeys.push(keys[i] as string);
        keepAmounts.push(kept);
        total = add(total, kept);
      }
    }
    this.keys = keepKeys;
    this.amounts = keepAmounts;
    this.stakeTotal = total;
    return { rest: restTaken, keys: outKeys, amounts: outAmounts };
  }

  receive(parts: Parts<A>): void {
    const { add, zero } = this.m;
    for (let j = 0; j < parts.keys.length; j++) {
      const key = parts.keys[j] as string;
      const amount = parts.amounts[j] as A;
      if (amount === zero) continue;
      this.stakeTotal = add(this.stakeTotal, amount);
      let lo = 0;
      let hi = this.keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((this.keys[mid] as string) < key) lo = mid + 1;
        else hi = mid;
      }
      if (this.keys[lo] === key) this.amounts[lo] = add(this.amounts[lo] as A, amount);
      else {
        this.keys.splice(lo, 0, key);
        this.amounts.splice(lo, 0, amount);
      }
    }
  }

  audit(balance: A): string[] {
    const { add, lt, zero } = this.m;
    const problems: string[] = [];
    let total = zero;
    this.amounts.forEach((a, i) => {
      if (lt(a, zero)) problems.push(`stake ${this.keys[i]} is negative (${a})`);
      total = add(total, a);
    });
    if (total !== this.stakeTotal) problems.push(`stakes sum to ${total}, recorded ${this.stakeTotal}`);
    if (lt(balance, total)) problems.push(`stakes ${total} exceed the balance ${balance} (negative rest)`);
    return problems;
  }
}

/**
 * fifo and lifo: an ordered queue of lots (stake key or null for rest,
 * amount). Adjacent lots of the same kind merge.
 */
export class LotView<A> implements View<A> {
  private lotKeys: (string | null)[] = [];
  private lotAmounts: A[] = [];
  private head = 0;
  private totals = new Map<string, A>();
  stakeTotal: A;

  get lotCount(): number {
    return this.lotKeys.length - this.head;
  }

  constructor(
    private readonly m: Arith<A>,
    private readonly method: 'fifo' | 'lifo',
    openingRest: A,
  ) {
    this.stakeTotal = m.zero;
    if (m.lt(m.zero, openingRest)) this.push(null, openingRest);
  }

  /** A view holding these lots, oldest first (null: rest): the engine hands a pool over to BigInt this way. */
  static ofLots<A>(m: Arith<A>, method: 'fifo' | 'lifo', keys: readonly (string | null)[], amounts: readonly A[]): LotView<A> {
    const view = new LotView(m, method, m.zero);
    keys.forEach((key, i) => {
      const amount = amounts[i] as A;
      view.push(key, amount);
      if (key !== null && amount !== m.zero) {
        view.totals.set(key, m.add(view.totals.get(key) ?? m.zero, amount));
        view.stakeTotal = m.add(view.stakeTotal, amount);
      }
    });
    return view;
  }

  /** The lots, oldest first (null: rest). */
  lots(): { keys: (string | null)[]; amounts: A[] } {
    return { keys: this.lotKeys.slice(this.head), amounts: this.lotAmounts.slice(this.head) };
  }

  stakes(): { keys: string[]; amounts: A[] } {
    const { lt, zero } = this.m;
    const keys = [...this.totals.keys()].filter((k) => lt(zero, this.totals.get(k) as A)).sort(byCodeUnits);
    return { keys, amounts: keys.map((k) => this.totals.get(k) as A) };
  }

  private push(key: string | null, amount: A): void {
    if (amount === this.m.zero) return;
    const last = this.lotKeys.length - 1;
    if (last >= this.head && this.lotKeys[last] === key) this.lotAmounts[last] = this.m.add(this.lotAmounts[last] as A, amount);
    else {
      this.lotKeys.push(key);
      this.lotAmounts.push(amount);
    }
  }

  private takeFrom(i: number, want: A, drawn: Map<string, A>): A {
    const { add, sub, min, zero } = this.m;
    const have = this.lotAmounts[i] as A;
    const take = min(want, have);
    this.lotAmounts[i] = sub(have, take);
    const key = this.lotKeys[i] as string | null;
    if (key !== null) {
      drawn.set(key, add(drawn.get(key) ?? zero, take));
      this.totals.set(key, sub(this.totals.get(key) as A, take));
      this.stakeTotal = sub(this.stakeTotal, take);
    }
    return take;
  }

  draw(amount: A, _balance: A, earmark: string): Parts<A> {
    const { add, sub, lt, min, zero } = this.m;
    const drawn = new Map<string, A>();
    let left = amount;
    let restTaken = zero;
    const fifo = this.method === 'fifo';

    if (earmark !== '') {
      let marked = zero;
      for (const [key, total] of this.totals) if (dealOf(key) === earmark) marked = add(marked, total);
      if (lt(zero, marked)) {
        let want = min(left, marked);
        left = sub(left, want);
        const n = this.lotKeys.length;
        for (let step = 0; step < n - this.head && lt(zero, want); step++) {
          const i = fifo ? this.head + step : n - 1 - step;
          const key = this.lotKeys[i];
          if (key === null || key === undefined || dealOf(key) !== earmark) continue;
          want = sub(want, this.takeFrom(i, want, drawn));
        }
        this.compact();
      }
    }

    while (lt(zero, left) && this.head < this.lotKeys.length) {
      const i = fifo ? this.head : this.lotKeys.length - 1;
      const key = this.lotKeys[i] as string | null;
      const took = this.takeFrom(i, left, drawn);
      if (key === null) restTaken = add(restTaken, took);
      left = sub(left, took);
      if (this.lotAmounts[i] === zero) {
        if (fifo) this.head++;
        else {
          this.lotKeys.pop();
          this.lotAmounts.pop();
        }
      }
    }
    if (this.head > 64 && this.head * 2 > this.lotKeys.length) this.compact();
    for (const [key, total] of this.totals) if (total === zero) this.totals.delete(key);
    const keys = [...drawn.keys()].filter((k) => lt(zero, drawn.get(k) as A)).sort(byCodeUnits);
    return { rest: restTaken, keys, amounts: keys.map((k) => drawn.get(k) as A) };
  }

  /** Drops empty lots and merges neighbours of the same kind. */
  private compact(): void {
    const { add, zero } = this.m;
    const keys: (string | null)[] = [];
    const amounts: A[] = [];
    for (let i = this.head; i < this.lotKeys.length; i++) {
      const amount = this.lotAmounts[i] as A;
      if (amount === zero) continue;
      const key = this.lotKeys[i] as string | null;
      const last = keys.length - 1;
      if (last >= 0 && keys[last] === key) amounts[last] = add(amounts[last] as A, amount);
      else {
        keys.push(key);
        amounts.push(amount);
      }
    }
    this.lotKeys = keys;
    this.lotAmounts = amounts;
    this.head = 0;
  }

  receive(parts: Parts<A>): void {
    const { add, zero } = this.m;
    this.push(null, parts.rest);
    for (let j = 0; j < parts.keys.length; j++) {
      const key = parts.keys[j] as string;
      const amount = parts.amounts[j] as A;
      if (amount === zero) continue;
      this.push(key, amount);
      this.totals.set(key, add(this.totals.get(key) ?? zero, amount));
      this.stakeTotal = add(this.stakeTotal, amount);
    }
  }

  audit(balance: A): string[] {
    const { add, lt, zero } = this.m;
    const problems: string[] = [];
    let lots = zero;
    const byKey = new Map<string, A>();
    for (let i = this.head; i < this.lotKeys.length; i++) {
      const amount = this.lotAmounts[i] as A;
      if (lt(amount, zero)) problems.push(`a lot of ${this.lotKeys[i] ?? 'rest'} is negative (${amount})`);
      lots = add(lots, amount);
      const key = this.lotKeys[i];
      if (key !== null && key !== undefined) byKey.set(key, add(byKey.get(key) ?? zero, amount));
    }
    if (lots !== balance) problems.push(`lots sum to ${lots}, the balance is ${balance}`);
    for (const [key, total] of this.totals) if ((byKey.get(key) ?? zero) !== total) problems.push(`stake ${key} lots ${byKey.get(key) ?? zero} vs total ${total}`);
    return problems;
  }
}
