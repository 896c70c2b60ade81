/**
 * One investor's view of one company's pool (SPEC §3.1, §3.4): the
 * investor's stakes in it and the rest. A view exists only while it holds
 * stakes; without one, the whole pool is rest in that view. So the state is
 * bounded by the number of stakes, whatever the length of history.
 */
import { allocate, allocateSafe, SAFE_LIMIT } from '../money/allocate.js';
import type { Method } from './methods.js';
import { compareKeys, type Parts } from './stake.js';

export interface View {
  /** Sum of the investor's stakes in this pool. */
  readonly stakeTotal: bigint;
  /** The stakes, keys sorted, amounts non-zero. */
  stakes(): { keys: string[]; amounts: bigint[] };
  /** Takes `amount` (at most `balance`, the pool's balance) by the method; earmarked stakes first. */
  draw(amount: bigint, balance: bigint, earmark: string): Parts;
  /** Adds a receipt's parts (in view order: rest, then stakes by key). */
  receive(parts: Parts): void;
  /** Problems with the view's own books (lots vs totals), for the self-check. */
  audit(balance: bigint): string[];
  /** Lots held (fifo/lifo; 0 for the balance-only methods). */
  readonly lotCount: number;
}

function dealOf(key: string): string {
  const hash = key.indexOf('#');
  return hash < 0 ? '' : key.slice(hash + 1);
}

function sortedParts(rest: bigint, drawn: Map<string, bigint>): Parts {
  const keys = [...drawn.keys()].filter((k) => (drawn.get(k) as bigint) > 0n).sort(compareKeys);
  return { rest, keys, amounts: keys.map((k) => drawn.get(k) as bigint) };
}

/** pro-rata, investor-last and investor-first: only balances matter. */
export class BalanceView implements View {
  readonly lotCount = 0;
  private keys: string[] = [];
  private amounts: bigint[] = [];
  stakeTotal = 0n;

  constructor(private readonly method: Method) {}

  stakes(): { keys: string[]; amounts: bigint[] } {
    return { keys: [...this.keys], amounts: [...this.amounts] };
  }

  /** Does the view hold a stake of this deal? */
  private holdsDeal(deal: string): boolean {
    for (const key of this.keys) if (dealOf(key) === deal) return true;
    return false;
  }

  /**
   * The common case, pro rata with no earmarked stake and a pool below 2^50
   * minor units: one allocate over [rest, stakes] in exact doubles, the
   * stakes updated in place. Same integers as the general path below.
   */
  private drawProRata(amount: bigint, balance: bigint): Parts {
    const { keys, amounts } = this;
    const k = keys.length;
    const weights = new Array<number>(k + 1);
    weights[0] = Number(balance - this.stakeTotal);
    for (let i = 0; i < k; i++) weights[i + 1] = Number(amounts[i] as bigint);
    const split = allocateSafe(Number(amount), weights, Number(balance));
    const outKeys: string[] = [];
    const outAmounts: bigint[] = [];
    let emptied = false;
    for (let i = 0; i < k; i++) {
      const part = split[i + 1] as number;
      if (part === 0) continue;
      const taken = BigInt(part);
      outKeys.push(keys[i] as string);
      outAmounts.push(taken);
      const kept = (amounts[i] as bigint) - taken;
      amounts[i] = kept;
      this.stakeTotal -= taken;
      if (kept === 0n) emptied = true;
    }
    if (emptied) {
      const keepKeys: string[] = [];
      const keepAmounts: bigint[] = [];
      for (let i = 0; i < k; i++) {
        if ((amounts[i] as bigint) === 0n) continue;
        keepKeys.push(keys[i] as string);
        keepAmounts.push(amounts[i] as bigint);
      }
      this.keys = keepKeys;
      this.amounts = keepAmounts;
    }
    return { rest: BigInt(split[0] as number), keys: outKeys, amounts: outAmounts };
  }

  draw(amount: bigint, balance: bigint, earmark: string): Parts {
    if (this.method === 'pro-rata' && balance < SAFE_LIMIT && (earmark === '' || !this.holdsDeal(earmark))) {
      return this.drawProRata(amount, balance);
    }
    const { keys, amounts } = this;
    const k = keys.length;
    const taken = new Array<bigint>(k).fill(0n);
    let left = amount;
    let rest = balance - this.stakeTotal;
    let restTaken = 0n;
    let stakesLeft = this.stakeTotal;

    if (earmark !== '') {
      const marked: number[] = [];
      let markedTotal = 0n;
      for (let i = 0; i < k; i++) {
        if ((amounts[i] as bigint) > 0n && dealOf(keys[i] as string) === earmark) {
          marked.push(i);
          markedTotal += amounts[i] as bigint;
        }
      }
      if (markedTotal > 0n) {
        const first = left < markedTotal ? left : markedTotal;
        const split = allocate(first, marked.map((i) => amounts[i] as bigint));
        marked.forEach((i, j) => {
          taken[i] = split[j] as bigint;
        });
        left -= first;
        stakesLeft -= first;
      }
    }

    if (left > 0n) {
      const remaining = amounts.map((a, i) => a - (taken[i] as bigint));
      switch (this.method) {
        case 'pro-rata': {
          const split = allocate(left, [rest, ...remaining]);
          restTaken += split[0] as bigint;
          for (let i = 0; i < k; i++) taken[i] = (taken[i] as bigint) + (split[i + 1] as bigint);
          break;
        }
        case 'investor-last': {
          const fromRest = left < rest ? left : rest;
          restTaken += fromRest;
          const fromStakes = left - fromRest;
          if (fromStakes > 0n) {
            const split = allocate(fromStakes, remaining);
            for (let i = 0; i < k; i++) taken[i] = (taken[i] as bigint) + (split[i] as bigint);
          }
          break;
        }
        case 'investor-first': {
          const fromStakes = left < stakesLeft ? left : stakesLeft;
          if (fromStakes > 0n) {
            const split = allocate(fromStakes, remaining);
            for (let i = 0; i < k; i++) taken[i] = (taken[i] as bigint) + (split[i] as bigint);
          }
          restTaken += left - fromStakes;
          break;
        }
        default:
          throw new Error(`BalanceView cannot draw by ${this.method}`);
      }
    }
    rest -= restTaken;

    const outKeys: string[] = [];
    const outAmounts: bigint[] = [];
    const keepKeys: string[] = [];
    const keepAmounts: bigint[] = [];
    let total = 0n;
    for (let i = 0; i < k; i++) {
      const t = taken[i] as bigint;
      if (t > 0n) {
        outKeys.push(keys[i] as string);
        outAmounts.push(t);
      }
      const kept = (amounts[i] as bigint) - t;
      if (kept > 0n) {
        keepKeys.push(keys[i] as string);
        keepAmounts.push(kept);
        total += kept;
      }
    }
    this.keys = keepKeys;
    this.amounts = keepAmounts;
    this.stakeTotal = total;
    return { rest: restTaken, keys: outKeys, amounts: outAmounts };
  }

  receive(parts: Parts): void {
    for (let j = 0; j < parts.keys.length; j++) {
      const key = parts.keys[j] as string;
      const amount = parts.amounts[j] as bigint;
      if (amount === 0n) continue;
      this.stakeTotal += amount;
      let lo = 0;
      let hi = this.keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((this.keys[mid] as string) < key) lo = mid + 1;
        else hi = mid;
      }
      if (this.keys[lo] === key) this.amounts[lo] = (this.amounts[lo] as bigint) + amount;
      else {
        this.keys.splice(lo, 0, key);
        this.amounts.splice(lo, 0, amount);
      }
    }
  }

  audit(balance: bigint): string[] {
    const problems: string[] = [];
    let total = 0n;
    this.amounts.forEach((a, i) => {
      if (a < 0n) problems.push(`stake ${this.keys[i]} is negative (${a})`);
      total += a;
    });
    if (total !== this.stakeTotal) problems.push(`stakes sum to ${total}, recorded ${this.stakeTotal}`);
    if (total > balance) problems.push(`stakes ${total} exceed the balance ${balance} (negative rest)`);
    return problems;
  }
}

/**
 * fifo and lifo: an ordered queue of lots (stake key or null for rest,
 * amount). Adjacent lots of the same kind merge.
 */
export class LotView implements View {
  private lotKeys: (string | null)[] = [];
  private lotAmounts: bigint[] = [];
  private head = 0;
  private totals = new Map<string, bigint>();
  stakeTotal = 0n;

  get lotCount(): number {
    return this.lotKeys.length - this.head;
  }

  constructor(
    private readonly method: 'fifo' | 'lifo',
    openingRest: bigint,
  ) {
    if (openingRest > 0n) this.push(null, openingRest);
  }

  stakes(): { keys: string[]; amounts: bigint[] } {
    const keys = [...this.totals.keys()].filter((k) => (this.totals.get(k) as bigint) > 0n).sort(compareKeys);
    return { keys, amounts: keys.map((k) => this.totals.get(k) as bigint) };
  }

  private push(key: string | null, amount: bigint): void {
    if (amount === 0n) return;
    const last = this.lotKeys.length - 1;
    if (last >= this.head && this.lotKeys[last] === key) this.lotAmounts[last] = (this.lotAmounts[last] as bigint) + amount;
    else {
      this.lotKeys.push(key);
      this.lotAmounts.push(amount);
    }
  }

  private takeFrom(i: number, want: bigint, drawn: Map<string, bigint>): bigint {
    const have = this.lotAmounts[i] as bigint;
    const take = want < have ? want : have;
    this.lotAmounts[i] = have - take;
    const key = this.lotKeys[i] as string | null;
    if (key !== null) {
      drawn.set(key, (drawn.get(key) ?? 0n) + take);
      this.totals.set(key, (this.totals.get(key) as bigint) - take);
      this.stakeTotal -= take;
    }
    return take;
  }

  draw(amount: bigint, _balance: bigint, earmark: string): Parts {
    const drawn = new Map<string, bigint>();
    let left = amount;
    let restTaken = 0n;
    const fifo = this.method === 'fifo';

    if (earmark !== '') {
      let marked = 0n;
      for (const [key, total] of this.totals) if (dealOf(key) === earmark) marked += total;
      if (marked > 0n) {
        let want = left < marked ? left : marked;
        left -= want;
        const n = this.lotKeys.length;
        for (let step = 0; step < n - this.head && want > 0n; step++) {
          const i = fifo ? this.head + step : n - 1 - step;
          const key = this.lotKeys[i];
          if (key === null || key === undefined || dealOf(key) !== earmark) continue;
          want -= this.takeFrom(i, want, drawn);
        }
        this.compact();
      }
    }

    while (left > 0n && this.head < this.lotKeys.length) {
      const i = fifo ? this.head : this.lotKeys.length - 1;
      const key = this.lotKeys[i] as string | null;
      const took = this.takeFrom(i, left, drawn);
      if (key === null) restTaken += took;
      left -= took;
      if ((this.lotAmounts[i] as bigint) === 0n) {
        if (fifo) this.head++;
        else {
          this.lotKeys.pop();
          this.lotAmounts.pop();
        }
      }
    }
    if (this.head > 64 && this.head * 2 > this.lotKeys.length) this.compact();
    for (const [key, total] of this.totals) if (total === 0n) this.totals.delete(key);
    return sortedParts(restTaken, drawn);
  }

  /** Drops empty lots and merges neighbours of the same kind. */
  private compact(): void {
    const keys: (string | null)[] = [];
    const amounts: bigint[] = [];
    for (let i = this.head; i < this.lotKeys.length; i++) {
      const amount = this.lotAmounts[i] as bigint;
      if (amount === 0n) continue;
      const key = this.lotKeys[i] as string | null;
      const last = keys.length - 1;
      if (last >= 0 && keys[last] === key) amounts[last] = (amounts[last] as bigint) + amount;
      else {
        keys.push(key);
        amounts.push(amount);
      }
    }
    this.lotKeys = keys;
    this.lotAmounts = amounts;
    this.head = 0;
  }

  receive(parts: Parts): void {
    this.push(null, parts.rest);
    for (let j = 0; j < parts.keys.length; j++) {
      const key = parts.keys[j] as string;
      const amount = parts.amounts[j] as bigint;
      if (amount === 0n) continue;
      this.push(key, amount);
      this.totals.set(key, (this.totals.get(key) ?? 0n) + amount);
      this.stakeTotal += amount;
    }
  }

  audit(balance: bigint): string[] {
    const problems: string[] = [];
    let lots = 0n;
    const byKey = new Map<string, bigint>();
    for (let i = this.head; i < this.lotKeys.length; i++) {
      const amount = this.lotAmounts[i] as bigint;
      if (amount < 0n) problems.push(`a lot of ${this.lotKeys[i] ?? 'rest'} is negative (${amount})`);
      lots += amount;
      const key = this.lotKeys[i];
      if (key !== null && key !== undefined) byKey.set(key, (byKey.get(key) ?? 0n) + amount);
    }
    if (lots !== balance) problems.push(`lots sum to ${lots}, the balance is ${balance}`);
    for (const [key, total] of this.totals) if ((byKey.get(key) ?? 0n) !== total) problems.push(`stake ${key} lots ${byKey.get(key) ?? 0n} vs total ${total}`);
    return problems;
  }
}
