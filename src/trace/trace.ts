/**
 * trace: replays every transfer through the companies' pools, in every
 * investor's view (SPEC §3), and finds the money that came back to its
 * investor. Pure: transfers in, figures out.
 */
import { allocate } from '../money/allocate.js';
import { formatAmount } from '../money/amount.js';
import type { Exception, Kind, Row, Transfer } from '../model.js';
import { complementKind } from '../model.js';
import { type Method, usesLots } from './methods.js';
import { processingOrder } from './order.js';
import { type Parts, type Stake, stakeKey } from './stake.js';
import { BalanceView, LotView, type View } from './views.js';

export interface TraceOptions {
  readonly method: Method;
  readonly earmark: boolean;
  readonly minorDigits: number;
  /** Called for the transfers it selects, with the pool before the draw and the money in motion (audit --id). */
  readonly observe?: { wants(t: Transfer): boolean; seen(detail: TransferDetail): void };
  /** Called every few thousand transfers with how many are done (a progress display). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A returning stake: money that came back to its investor (SPEC §3.2 step 4). */
export interface Returning {
  readonly transfer: Transfer;
  /** The receiving company (the investor). */
  readonly company: string;
  /** The payee's row, null where the payee never recorded the receipt. */
  readonly row: Row | null;
  /** The row cited in reports: the payee's row, else the payer's. */
  readonly cited: Row;
  readonly kind: Kind;
  readonly category: string;
  readonly stake: Stake;
  readonly amount: bigint;
  /** How many investment transfers had created this stake when the money came back (audit trail). */
  readonly origins: number;
}

export interface CompanyBooks {
  received: bigint;
  paid: bigint;
  unfunded: bigint;
  balance: bigint;
}

export interface ViewSnapshot {
  readonly investor: string;
  readonly rest: bigint;
  readonly keys: readonly string[];
  readonly amounts: readonly bigint[];
}

export interface TransferDetail {
  readonly transfer: Transfer;
  readonly order: number;
  /** The payer's balance before the draw (0 for an external payer). */
  readonly balanceBefore: bigint;
  /** The payer's pool before the draw, in every view holding stakes. */
  readonly before: readonly ViewSnapshot[];
  /** What the outflow drew, per view holding stakes (before the invest and rescale steps). */
  readonly drawn: readonly ViewSnapshot[];
  /** The money that arrived (after invest and rescale), per view holding stakes. */
  readonly arrived: readonly ViewSnapshot[];
  readonly unfunded: bigint;
  readonly returning: readonly Returning[];
}

export interface TraceResult {
  readonly method: Method;
  readonly earmark: boolean;
  /** Returning money per transfer index (the circular part of a revenue receipt). */
  readonly returnedByTransfer: readonly bigint[];
  /** Every returning stake, in processing order. */
  readonly returning: readonly Returning[];
  readonly unfunded: readonly Exception[];
  readonly books: ReadonlyMap<string, CompanyBooks>;
  /** The investment transfers that created each stake, in processing order. */
  readonly origins: ReadonlyMap<string, readonly Transfer[]>;
  /** Problems found in the views' own books at the end (empty when they balance). */
  readonly viewProblems: readonly string[];
  /**
   * The size of the state at the end: views held (a pool seen by an investor
   * holding stakes in it), stake figures in them, and lots (fifo/lifo). The
   * first two are bounded by pools × stakes, whatever the length of history.
   */
  readonly state: { readonly views: number; readonly stakeFigures: number; readonly lots: number };
  /** Transfers in processing order. */
  readonly order: readonly Transfer[];
}

interface Pool {
  balance: bigint;
  readonly views: Map<string, View>;
}

function snapshot(views: Map<string, View>, balance: bigint): ViewSnapshot[] {
  return [...views.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([investor, view]) => {
      const { keys, amounts } = view.stakes();
      return { investor, rest: balance - view.stakeTotal, keys, amounts };
    });
}

function motionSnapshot(motion: Map<string, Parts>): ViewSnapshot[] {
  return [...motion.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([investor, p]) => ({ investor, rest: p.rest, keys: [...p.keys], amounts: [...p.amounts] }));
}

export function trace(transfers: readonly Transfer[], companies: readonly string[], options: TraceOptions): TraceResult {
  const { method, earmark: earmarksOn, observe } = options;
  const lots = usesLots(method);
  const money = (m: bigint): string => formatAmount(m, options.minorDigits);
  const pools = new Map<string, Pool>();
  const books = new Map<string, CompanyBooks>();
  for (const c of companies) {
    pools.set(c, { balance: 0n, views: new Map() });
    books.set(c, { received: 0n, paid: 0n, unfunded: 0n, balance: 0n });
  }
  const stakes = new Map<string, Stake>();
  const origins = new Map<string, Transfer[]>();
  const returnedByTransfer = new Array<bigint>(transfers.length).fill(0n);
  const returning: Returning[] = [];
  const unfunded: Exception[] = [];
  const order = processingOrder(transfers);

  const newView = (opening: bigint): View => (lots ? new LotView(method as 'fifo' | 'lifo', opening) : new BalanceView(method));

  const onProgress = options.onProgress;
  order.forEach((t, position) => {
    if (onProgress !== undefined && (position & 4095) === 0) onProgress(position, order.length);
    const watching = observe !== undefined && observe.wants(t);
    const motion = new Map<string, Parts>();
    let balanceBefore = 0n;
    let before: ViewSnapshot[] = [];
    let drawnSnapshot: ViewSnapshot[] = [];
    let uncovered = 0n;

    // 1. Draw.
    if (t.payerIsLedger) {
      const pool = pools.get(t.payer) as Pool;
      const book = books.get(t.payer) as CompanyBooks;
      const balance = pool.balance;
      balanceBefore = balance;
      if (watching) before = snapshot(pool.views, balance);
      book.paid += t.a;
      if (t.a > balance) {
        uncovered = t.a - balance;
        for (const [investor, view] of pool.views) {
          const { keys, amounts } = view.stakes();
          let total = 0n;
          for (const a of amounts) total += a;
          if (keys.length > 0) motion.set(investor, { rest: t.a - total, keys, amounts });
        }
        pool.views.clear();
        pool.balance = 0n;
        book.unfunded += uncovered;
        const payerRow = t.payerRow;
        unfunded.push({
          code: 'unfunded',
          company: t.payer,
          id: payerRow?.id ?? '',
          row: payerRow ?? (t.payeeRow as Row),
          counterparty: payerRow?.counterparty ?? t.payee,
          amount: uncovered,
          counterpartyRow: t.payeeRow,
          detail: `outflow ${money(t.a)} exceeds traced balance ${money(balance)}`,
        });
      } else {
        const earmark = earmarksOn ? t.earmark : '';
        for (const [investor, view] of pool.views) {
          const parts = view.draw(t.a, balance, earmark);
          if (parts.keys.length > 0) motion.set(investor, parts);
          if (view.stakeTotal === 0n) pool.views.delete(investor);
        }
        pool.balance = balance - t.a;
      }
      if (watching) drawnSnapshot = motionSnapshot(motion);
    }

    // 2. Invest: in the payer's view the money is all its new stake.
    if (t.payerKind === 'investment' && t.payerIsLedger && t.payeeIsLedger) {
      const key = stakeKey(t.payer, t.payee, t.stakeDeal);
      if (!stakes.has(key)) stakes.set(key, { key, investor: t.payer, investee: t.payee, deal: t.stakeDeal });
      const list = origins.get(key);
      if (list === undefined) origins.set(key, [t]);
      else list.push(t);
      motion.set(t.payer, { rest: 0n, keys: [key], amounts: [t.a] });
    }

    // 3. Rescale to the payee's amount.
    if (t.b !== t.a) {
      for (const [investor, parts] of motion) {
        const split = allocate(t.b, [parts.rest, ...parts.amounts]);
        const keys: string[] = [];
        const amounts: bigint[] = [];
        parts.keys.forEach((k, i) => {
          const a = split[i + 1] as bigint;
          if (a > 0n) {
            keys.push(k);
            amounts.push(a);
          }
        });
        if (keys.length === 0) motion.delete(investor);
        else motion.set(investor, { rest: split[0] as bigint, keys, amounts });
      }
    }

    // 4. Receive; 5. book the returning stakes.
    const came: Returning[] = [];
    if (t.payeeIsLedger) {
      const pool = pools.get(t.payee) as Pool;
      (books.get(t.payee) as CompanyBooks).received += t.b;
      for (const [investor, parts] of motion) {
        if (investor === t.payee) continue;
        let view = pool.views.get(investor);
        if (view === undefined) {
          view = newView(pool.balance);
          pool.views.set(investor, view);
        }
        view.receive(parts);
      }
      if (lots) {
        for (const [investor, view] of pool.views) if (!motion.has(investor)) view.receive({ rest: t.b, keys: [], amounts: [] });
      }
      pool.balance += t.b;

      const own = motion.get(t.payee);
      if (own !== undefined) {
        const row = t.payeeRow;
        const cited = row ?? (t.payerRow as Row);
        const kind = row?.kind ?? complementKind(t.payerKind);
        let total = 0n;
        own.keys.forEach((key, i) => {
          const amount = own.amounts[i] as bigint;
          if (amount === 0n) return;
          total += amount;
          const r: Returning = {
            transfer: t,
            company: t.payee,
            row,
            cited,
            kind,
            category: cited.category,
            stake: stakes.get(key) as Stake,
            amount,
            origins: origins.get(key)?.length ?? 0,
          };
          came.push(r);
          returning.push(r);
        });
        returnedByTransfer[t.index] = total;
      }
    }

    if (watching) {
      observe.seen({
        transfer: t,
        order: position,
        balanceBefore,
        before,
        drawn: drawnSnapshot,
        arrived: motionSnapshot(motion),
        unfunded: uncovered,
        returning: came,
      });
    }
  });

  const viewProblems: string[] = [];
  const state = { views: 0, stakeFigures: 0, lots: 0 };
  for (const [company, pool] of pools) {
    const book = books.get(company) as CompanyBooks;
    book.balance = pool.balance;
    for (const [investor, view] of pool.views) {
      for (const problem of view.audit(pool.balance)) viewProblems.push(`${company} in ${investor}'s view: ${problem}`);
      state.views++;
      state.stakeFigures += view.stakes().keys.length;
      state.lots += view.lotCount;
    }
  }
  return { method, earmark: earmarksOn, returnedByTransfer, returning, unfunded, books, origins, viewProblems, state, order };
}
