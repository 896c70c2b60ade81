/**
 * The trace's engine: every method of SPEC §3.4 (pro-rata, fifo, lifo,
 * investor-last, investor-first), with and without earmarks, on one flat
 * representation built for millions of transfers and thousands of stakes.
 *
 * - Companies and stakes are numbers (stake numbers in key order, so sorted
 *   numbers are sorted keys: SPEC §3.1 view order).
 * - A view is arrays: its stakes (numbers, amounts, total) and, for fifo and
 *   lifo, its queue of lots (stake number or -1 for rest, amount). A view
 *   exists only while it holds stakes, so memory follows the live stake
 *   parts, not the history. A view holding a good share of its investor's
 *   stakes is dense: a slot for each of them, so that money arriving is
 *   added slot by slot.
 * - A pro-rata draw whose money arrives unchanged in another company moves
 *   each stake's part straight into the payee's dense view (steps 1 and 4
 *   in one loop); other draws put it in motion first.
 * - The money in motion sits in flat buffers reused from transfer to
 *   transfer; a draw allocates nothing but what the reports keep.
 *
 * Exact integers throughout, doubles wherever they are exact, decided where
 * the figures are known:
 * - each `allocate` runs in doubles when the figures it multiplies (n, the
 *   weights and their sum W, which bounds them) are below 2^50, in BigInt
 *   otherwise (money/allocate.ts);
 * - a pool is stored in doubles while its balance is at most
 *   Number.MAX_SAFE_INTEGER (every stake and lot in it is at most the
 *   balance); a pool whose balance passes that, or a transfer whose amount
 *   does, is handed to the general views in BigInt (views.ts) and comes back
 *   to doubles at its first draw that brings the balance within the limit.
 *
 * A test compares this engine figure for figure with the general trace in
 * BigInt all the way down, on every example, the sample ledgers and dense
 * generated sets, under every method, with and without earmarks.
 */
import { allocate, allocateBig, allocateRest, allocateSafeInto } from '../money/allocate.js';
import { BIGINT } from './arith.js';
import { type Method, usesLots } from './methods.js';
import { BalanceView, LotView, type View } from './views.js';

/** Below this, `allocate`'s double path is exact (see money/allocate.ts). */
export const SPLIT_LIMIT = 2 ** 50;
/** Up to this, a double holds every integer exactly. */
export const STORE_LIMIT = Number.MAX_SAFE_INTEGER;
const STORE_LIMIT_BIG = BigInt(STORE_LIMIT);
/** Views of an investor of this many stakes or fewer are always dense (a slot each costs less than a search). */
const SMALL_INVESTOR = 32;
/** An earmark no stake carries, for the general views (a deal never holds '#'). */
const NO_DEAL = '#';

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
  /** What leaves and what arrives, in minor units (exact doubles, except where `big` is 1). */
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** 1 where an amount passes Number.MAX_SAFE_INTEGER: the exact figures are in `bigAmounts`. */
  readonly big: Uint8Array;
  readonly bigAmounts: ReadonlyMap<number, readonly [bigint, bigint]>;
  /** The stake an investment creates or adds to, -1 for none. */
  readonly invest: Int32Array;
  /** The earmark's deal number: 0 none (or earmarks off), -1 a deal no stake carries. */
  readonly earmark: Int32Array;
  /** Per stake: its deal number (0 none). */
  readonly stakeDeal: Int32Array;
  /** Deal names by number ('' for 0). */
  readonly deals: readonly string[];
}

/** What one run of the views found: the returning stakes, in processing order, and the views at the end. */
export interface ViewOutput {
  readonly count: number;
  readonly position: Int32Array;
  readonly stake: Int32Array;
  /** Exact doubles; NaN where the amount is in `bigAmounts` (by index in this output). */
  readonly amount: Float64Array;
  readonly bigAmounts: ReadonlyMap<number, bigint>;
  /** How many investments had made the stake when the money came back. */
  readonly origins: Int32Array;
  /** The views left at the end: pool, investor, stake count, lots, and problems with their books. */
  readonly views: readonly { readonly pool: number; readonly investor: number; readonly stakes: number; readonly lots: number; readonly problems: readonly string[] }[];
  /** Work done: draws (per view), outflows from pools with views, stake parts the draws touched, splits that needed BigInt, transfers handed to BigInt views. */
  readonly work: { readonly draws: number; readonly outflows: number; readonly parts: number; readonly bigSplits: number; readonly bigTransfers: number };
}

class FlatView {
  /**
   * Stake numbers, ascending (so keys in order), and their amounts. Sparse
   * (the usual form for a view holding few of its investor's stakes): the
   * stakes held, none with a zero amount. Dense (a view holding a quarter of
   * its investor's stakes or more, or any view of an investor of 32 stakes
   * or fewer): every stake of the investor, numbered lo to
   * lo + m − 1 (`ids` is the investor's shared list), zeros included, so
   * that money arriving is added in place, with no search and no move.
   */
  ids: number[] = [];
  amounts: number[] = [];
  total = 0;
  /** Dense: the investor's first stake number (−1 while sparse); `held`: the stakes with an amount. */
  lo = -1;
  held = 0;
  /** fifo/lifo: the lots from `head` on, oldest first (stake number, -1 rest); no empty lot, no two neighbours alike. */
  lotIds: number[] = [];
  lotAmounts: number[] = [];
  head = 0;
}

interface BigPool {
  balance: bigint;
  readonly views: Map<number, View<bigint>>;
}

class Pool {
  balance = 0;
  views = new Map<number, FlatView>();
  /** Non-null while the pool is held in BigInt (its balance passed STORE_LIMIT). */
  big: BigPool | null = null;
}

/** Money in motion of one investor, in BigInt (transfers handed to the general views). */
interface BigEntry {
  investor: number;
  rest: bigint;
  ids: number[];
  amounts: bigint[];
}

/** A growable scratch buffer of doubles. */
function ensure(buffer: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> {
  if (buffer.length >= size) return buffer;
  const next = new Float64Array(Math.max(size, 2 * buffer.length));
  next.set(buffer);
  return next;
}

function growInts(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(2 * a.length);
  next.set(a);
  return next;
}

/**
 * Replays the transfers through the views of the investors `owns` marks
 * (by company number), by `method`: the pool balances in full, the views of
 * those investors only. Views of different investors never meet (SPEC §3:
 * each investor's view is its own), so threads can each take some investors.
 */
export function runViews(
  input: ViewInput,
  owns: Uint8Array,
  keys: readonly string[],
  method: Method,
  onProgress?: (done: number, total: number) => void,
  splitLimit = SPLIT_LIMIT,
): ViewOutput {
  const { stakeDeal, deals } = input;
  const lots = usesLots(method);
  const fifo = method === 'fifo';
  const stakeCount = stakeDeal.length;
  const stakeId = new Map<string, number>(keys.map((k, i) => [k, i]));
  const pools: Pool[] = Array.from({ length: input.companies }, () => new Pool());
  const originCount = new Int32Array(stakeCount);
  // Each investor's stakes are numbered together (keys begin with the investor): its range, for dense views.
  const investorLo = new Int32Array(input.companies).fill(-1);
  const investorCount = new Int32Array(input.companies);
  {
    const stakeInvestor = new Int32Array(stakeCount).fill(-1);
    for (let position = 0; position < input.count; position++) {
      const invested = input.invest[position]!;
      if (invested >= 0) stakeInvestor[invested] = input.payer[position]!;
    }
    for (let id = 0; id < stakeCount; id++) {
      const investor = stakeInvestor[id]!;
      if (investor < 0) continue;
      if (investorLo[investor]! < 0) investorLo[investor] = id;
      investorCount[investor] = investorCount[investor]! + 1;
    }
    // Dense views need the range unbroken (it always is: keys sort by investor first); a broken one keeps its views sparse.
    for (let c = 0; c < input.companies; c++) {
      const lo = investorLo[c]!;
      if (lo < 0) continue;
      const n = investorCount[c]!;
      for (let id = lo; id < lo + n; id++) if (stakeInvestor[id] !== c) investorCount[c] = 0;
    }
  }
  const identity: (number[] | undefined)[] = new Array<number[] | undefined>(input.companies);
  const identityOf = (investor: number): number[] => {
    let list = identity[investor];
    if (list === undefined) {
      const lo = investorLo[investor]!;
      list = Array.from({ length: investorCount[investor]! }, (_, j) => lo + j);
      identity[investor] = list;
    }
    return list;
  };
  /** A sparse view holding a quarter of its investor's stakes or more (or any, when `always` or for an investor of few stakes) becomes dense. */
  const densify = (view: FlatView, investor: number, always = false): void => {
    const m = investorCount[investor]!;
    if (m === 0 || (!always && m > SMALL_INVESTOR && view.ids.length * 4 < m)) return;
    const lo = investorLo[investor]!;
    const amounts = new Array<number>(m);
    for (let j = 0; j < m; j++) amounts[j] = 0;
    const { ids } = view;
    for (let i = 0; i < ids.length; i++) amounts[ids[i]! - lo] = view.amounts[i]!;
    view.held = ids.length;
    view.ids = identityOf(investor);
    view.amounts = amounts;
    view.lo = lo;
  };
  /** A dense view left holding fewer than a sixteenth of its investor's stakes (of an investor of many) becomes sparse. */
  const sparsify = (view: FlatView): void => {
    if (view.lo < 0 || view.ids.length <= SMALL_INVESTOR || view.held * 16 >= view.ids.length) return;
    const ids: number[] = [];
    const amounts: number[] = [];
    const { lo } = view;
    for (let j = 0; j < view.amounts.length; j++) {
      const x = view.amounts[j]!;
      if (x === 0) continue;
      ids.push(lo + j);
      amounts.push(x);
    }
    view.ids = ids;
    view.amounts = amounts;
    view.lo = -1;
    view.held = ids.length;
  };
  /** A new dense view of an investor, holding nothing yet. */
  const denseView = (investor: number): FlatView => {
    const view = new FlatView();
    const m = investorCount[investor]!;
    const amounts = new Array<number>(m);
    for (let j = 0; j < m; j++) amounts[j] = 0;
    view.ids = identityOf(investor);
    view.amounts = amounts;
    view.lo = investorLo[investor]!;
    return view;
  };
  /** The stakes a view holds (no zero), as new lists. */
  const heldStakes = (view: FlatView): { ids: number[]; amounts: number[] } => {
    if (view.lo < 0) return { ids: [...view.ids], amounts: [...view.amounts] };
    const ids: number[] = [];
    const amounts: number[] = [];
    view.amounts.forEach((x, j) => {
      if (x === 0) return;
      ids.push(view.lo + j);
      amounts.push(x);
    });
    return { ids, amounts };
  };
  let draws = 0;
  let outflows = 0;
  let partsTouched = 0;
  let bigSplits = 0;
  let bigTransfers = 0;

  // ---- returning stakes (the output) ----
  let outCount = 0;
  let outPosition = new Int32Array(new ArrayBuffer(4096));
  let outStake = new Int32Array(new ArrayBuffer(4096));
  let outAmount = new Float64Array(1024);
  let outOrigins = new Int32Array(new ArrayBuffer(4096));
  const outBig = new Map<number, bigint>();
  const emit = (position: number, stake: number, amount: number, origins: number): void => {
    if (outCount === outPosition.length) {
      outPosition = growInts(outPosition);
      outStake = growInts(outStake);
      outAmount = ensure(outAmount, outCount + 1);
      outOrigins = growInts(outOrigins);
    }
    outPosition[outCount] = position;
    outStake[outCount] = stake;
    outAmount[outCount] = amount;
    outOrigins[outCount] = origins;
    outCount++;
  };

  // ---- the money in motion: entry e is investor motionInvestor[e] with rest motionRest[e]
  // and the stakes motionIds/motionAmounts[motionStart[e] .. motionStart[e + 1]) ----
  const maxEntries = input.companies + 1;
  const motionInvestor = new Int32Array(maxEntries);
  const motionRest = new Float64Array(maxEntries);
  const motionStart = new Int32Array(maxEntries + 1);
  let motionIds = new Int32Array(new ArrayBuffer(4 * Math.max(16, stakeCount + 1)));
  let motionAmounts = new Float64Array(motionIds.length);
  let entries = 0;
  let used = 0;
  // Scratch: allocate's weights and parts, what a draw takes per stake.
  let weights = new Float64Array(64);
  let splitParts = new Float64Array(64);
  let taken = new Float64Array(64);
  const drawnBy = new Float64Array(stakeCount);
  const touched: number[] = [];

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
      motionIds = growInts(motionIds);
      motionAmounts = ensure(motionAmounts, used + 1);
    }
    motionIds[used] = id;
    motionAmounts[used] = amount;
    used++;
  };

  /**
   * Splits `n` over weights[0..k) (sum `total`) into parts[0..k) by SPEC
   * §3.1 allocate, decided per split: doubles when the figures it multiplies
   * are below 2^50, BigInt otherwise.
   */
  const split = (n: number, k: number, total: number): void => {
    if (k === 0 || total <= 0 || n < 0) throw new RangeError('allocate needs weights with a positive sum and a non-negative amount');
    if (total < splitLimit && n < splitLimit) allocateSafeInto(n, weights, k, total, splitParts);
    else {
      bigSplits++;
      const big = new Array<bigint>(k);
      for (let i = 0; i < k; i++) big[i] = BigInt(weights[i]!);
      const out = allocateBig(BigInt(n), big, BigInt(total));
      for (let i = 0; i < k; i++) splitParts[i] = Number(out[i]);
    }
  };

  /** Keeps the stakes with an amount left (after a draw took some), in place; a dense view keeps its zeros, counts what it holds and may turn sparse. */
  const compactStakes = (view: FlatView): void => {
    if (view.lo >= 0) {
      let held = 0;
      for (let j = 0; j < view.amounts.length; j++) if (view.amounts[j] !== 0) held++;
      view.held = held;
      sparsify(view);
      return;
    }
    const { ids, amounts } = view;
    let kept = 0;
    for (let i = 0; i < ids.length; i++) {
      const amount = amounts[i]!;
      if (amount === 0) continue;
      ids[kept] = ids[i]!;
      amounts[kept] = amount;
      kept++;
    }
    ids.length = kept;
    amounts.length = kept;
  };

  /** Room for `more` stakes in the money in motion. */
  const reserve = (more: number): void => {
    while (used + more > motionIds.length) {
      motionIds = growInts(motionIds);
      motionAmounts = ensure(motionAmounts, motionIds.length);
    }
  };

  /** Drops empty lots and merges neighbours alike (the lots from `head` on). */
  const compactLots = (view: FlatView): void => {
    const ids: number[] = [];
    const amounts: number[] = [];
    for (let i = view.head; i < view.lotIds.length; i++) {
      const amount = view.lotAmounts[i]!;
      if (amount === 0) continue;
      const id = view.lotIds[i]!;
      const last = ids.length - 1;
      if (last >= 0 && ids[last] === id) amounts[last] = amounts[last]! + amount;
      else {
        ids.push(id);
        amounts.push(amount);
      }
    }
    view.lotIds = ids;
    view.lotAmounts = amounts;
    view.head = 0;
  };

  const pushLot = (view: FlatView, id: number, amount: number): void => {
    if (amount === 0) return;
    const last = view.lotIds.length - 1;
    if (last >= view.head && view.lotIds[last] === id) view.lotAmounts[last] = view.lotAmounts[last]! + amount;
    else {
      view.lotIds.push(id);
      view.lotAmounts.push(amount);
    }
  };

  /** Pro rata, no earmarked stake in the view: one allocate over [rest, stakes], the stakes updated in place. */
  const drawProRata = (view: FlatView, amount: number, balance: number, into: FlatView | null): void => {
    const { ids, amounts } = view;
    const k = ids.length;
    let parts: Float64Array;
    if (balance < splitLimit && amount < splitLimit) parts = allocateRest(amount, balance - view.total, amounts, k, balance, splitParts);
    else {
      weights[0] = balance - view.total;
      for (let i = 0; i < k; i++) weights[i + 1] = amounts[i]!;
      split(amount, k + 1, balance);
      parts = splitParts;
    }
    if (into !== null) {
      moveInto(view, into, parts);
      return;
    }
    motionRest[entries] = parts[0]!;
    reserve(k);
    const outIds = motionIds;
    const outAmounts = motionAmounts;
    let at = used;
    let total = view.total;
    let emptied = false;
    for (let i = 0; i < k; i++) {
      const part = parts[i + 1]!;
      if (part === 0) continue;
      outIds[at] = ids[i]!;
      outAmounts[at] = part;
      at++;
      const kept = amounts[i]! - part;
      amounts[i] = kept;
      total -= part;
      if (kept === 0) emptied = true;
    }
    used = at;
    view.total = total;
    if (emptied) compactStakes(view);
  };

  /**
   * Steps 1 and 4 at once for a view whose money arrives unchanged in
   * another company's dense view of the same investor (`into`): each
   * stake's part (in `parts`) leaves the view and enters its slot in the
   * other (the same slot, from a dense view), with no money in motion
   * between them.
   */
  const moveInto = (view: FlatView, into: FlatView, parts: Float64Array): void => {
    const { amounts, ids } = view;
    const target = into.amounts;
    const k = amounts.length;
    let total = view.total;
    let arrived = into.total;
    let filled = 0;
    let emptied = false;
    if (view.lo >= 0) {
      // Dense to dense: the same slots.
      for (let i = 0; i < k; i++) {
        const part = parts[i + 1]!;
        if (part === 0) continue;
        const kept = amounts[i]! - part;
        amounts[i] = kept;
        total -= part;
        if (kept === 0) emptied = true;
        const had = target[i]!;
        filled += had === 0 ? 1 : 0;
        target[i] = had + part;
        arrived += part;
      }
    } else {
      // Sparse to dense: each stake to its slot.
      const lo = into.lo;
      for (let i = 0; i < k; i++) {
        const part = parts[i + 1]!;
        if (part === 0) continue;
        const kept = amounts[i]! - part;
        amounts[i] = kept;
        total -= part;
        if (kept === 0) emptied = true;
        const j = ids[i]! - lo;
        const had = target[j]!;
        filled += had === 0 ? 1 : 0;
        target[j] = had + part;
        arrived += part;
      }
    }
    view.total = total;
    into.total = arrived;
    into.held += filled;
    if (emptied) compactStakes(view);
  };

  /** The balance methods in general (earmarks, investor-last, investor-first): what each stake gives in `taken`. */
  const drawBalances = (view: FlatView, amount: number, balance: number, earmark: number): void => {
    const { ids, amounts } = view;
    const k = ids.length;
    taken = ensure(taken, k);
    taken.fill(0, 0, k);
    let left = amount;
    const rest = balance - view.total;
    let restTaken = 0;
    let stakesLeft = view.total;
    if (earmark > 0) {
      let m = 0;
      let markedTotal = 0;
      for (let i = 0; i < k; i++) {
        if (stakeDeal[ids[i]!] === earmark) {
          weights[m++] = amounts[i]!;
          markedTotal += amounts[i]!;
        }
      }
      if (markedTotal > 0) {
        const first = Math.min(left, markedTotal);
        split(first, m, markedTotal);
        for (let i = 0, j = 0; i < k; i++) if (stakeDeal[ids[i]!] === earmark) taken[i] = splitParts[j++]!;
        left -= first;
        stakesLeft -= first;
      }
    }
    if (left > 0) {
      if (method === 'pro-rata') {
        weights[0] = rest;
        for (let i = 0; i < k; i++) weights[i + 1] = amounts[i]! - taken[i]!;
        split(left, k + 1, rest + stakesLeft);
        restTaken = splitParts[0]!;
        for (let i = 0; i < k; i++) taken[i] = taken[i]! + splitParts[i + 1]!;
      } else {
        const fromStakes = method === 'investor-last' ? left - Math.min(left, rest) : Math.min(left, stakesLeft);
        restTaken = left - fromStakes;
        if (fromStakes > 0) {
          for (let i = 0; i < k; i++) weights[i] = amounts[i]! - taken[i]!;
          split(fromStakes, k, stakesLeft);
          for (let i = 0; i < k; i++) taken[i] = taken[i]! + splitParts[i]!;
        }
      }
    }
    motionRest[entries] = restTaken;
    let total = view.total;
    let emptied = false;
    for (let i = 0; i < k; i++) {
      const t = taken[i]!;
      if (t === 0) continue;
      pushStake(ids[i]!, t);
      const kept = amounts[i]! - t;
      amounts[i] = kept;
      total -= t;
      if (kept === 0) emptied = true;
    }
    view.total = total;
    if (emptied) compactStakes(view);
  };

  /** Takes up to `want` from lot i; what a stake gives is noted in drawnBy. */
  const takeLot = (view: FlatView, i: number, want: number): number => {
    const have = view.lotAmounts[i]!;
    const take = want < have ? want : have;
    view.lotAmounts[i] = have - take;
    const id = view.lotIds[i]!;
    if (id >= 0 && take > 0) {
      if (drawnBy[id] === 0) touched.push(id);
      drawnBy[id] = drawnBy[id]! + take;
    }
    return take;
  };

  /** fifo and lifo: the oldest (newest) lots first; earmarked stakes' lots first of all. */
  const drawLots = (view: FlatView, amount: number, earmark: number): void => {
    let left = amount;
    let restTaken = 0;
    if (earmark > 0) {
      let marked = 0;
      for (let i = 0; i < view.ids.length; i++) if (stakeDeal[view.ids[i]!] === earmark) marked += view.amounts[i]!;
      if (marked > 0) {
        let want = Math.min(left, marked);
        left -= want;
        const n = view.lotIds.length;
        for (let step = 0; step < n - view.head && want > 0; step++) {
          const i = fifo ? view.head + step : n - 1 - step;
          const id = view.lotIds[i]!;
          if (id < 0 || stakeDeal[id] !== earmark) continue;
          want -= takeLot(view, i, want);
        }
        compactLots(view);
      }
    }
    while (left > 0 && view.head < view.lotIds.length) {
      const i = fifo ? view.head : view.lotIds.length - 1;
      const id = view.lotIds[i]!;
      const took = takeLot(view, i, left);
      if (id < 0) restTaken += took;
      left -= took;
      if (view.lotAmounts[i] === 0) {
        if (fifo) view.head++;
        else {
          view.lotIds.pop();
          view.lotAmounts.pop();
        }
      }
    }
    if (view.head > 64 && view.head * 2 > view.lotIds.length) compactLots(view);
    motionRest[entries] = restTaken;
    if (touched.length === 0) return;
    touched.sort((x, y) => x - y);
    // The stakes' totals: one pass over the view's stakes (both lists ascending).
    const { ids, amounts } = view;
    let total = view.total;
    let emptied = false;
    for (let i = 0, j = 0; j < touched.length; i++) {
      if (ids[i] !== touched[j]) continue;
      const id = touched[j++]!;
      const t = drawnBy[id]!;
      drawnBy[id] = 0;
      pushStake(id, t);
      const kept = amounts[i]! - t;
      amounts[i] = kept;
      total -= t;
      if (kept === 0) emptied = true;
    }
    touched.length = 0;
    view.total = total;
    if (emptied) compactStakes(view);
  };

  /**
   * Draws `amount` (at most `balance`) from a view by the method; records the
   * motion. `to`: the payee's pool when the money arrives there unchanged
   * (b = a, another company), where a pro-rata draw from a dense view moves
   * it straight into the payee's view of the investor, made dense for it
   * (the same work as the draw) and made anew if there is none.
   */
  const draw = (investor: number, view: FlatView, amount: number, balance: number, earmark: number, to: Pool | null = null): void => {
    partsTouched += lots ? view.lotIds.length - view.head : view.lo >= 0 ? view.held : view.ids.length;
    weights = ensure(weights, view.ids.length + 1);
    splitParts = ensure(splitParts, weights.length);
    openEntry(investor, 0);
    if (lots) drawLots(view, amount, earmark);
    else if (method === 'pro-rata' && !(earmark > 0 && holdsDeal(view, earmark))) {
      let into: FlatView | null = null;
      let made = false;
      if (to !== null && (view.lo >= 0 || investorCount[investor]! <= SMALL_INVESTOR)) {
        into = to.views.get(investor) ?? null;
        if (into === null) {
          into = denseView(investor);
          to.views.set(investor, into);
          made = true;
        } else if (into.lo < 0) {
          // As dense as the view the money comes from, for this move (the same work as the draw); sparse again after if it holds few stakes.
          densify(into, investor, true);
          made = true;
        }
      }
      drawProRata(view, amount, balance, into);
      if (made && into !== null) {
        // A view exists only while it holds stakes; one holding few of them is sparse.
        if (into.total === 0) to!.views.delete(investor);
        else sparsify(into);
      }
    } else drawBalances(view, amount, balance, earmark);
    closeEntry();
  };

  const holdsDeal = (view: FlatView, deal: number): boolean => {
    for (let i = 0; i < view.ids.length; i++) if (stakeDeal[view.ids[i]!] === deal && view.amounts[i] !== 0) return true;
    return false;
  };

  /**
   * Adds entry e's stakes to a view (ids kept ascending; fifo/lifo: the
   * rest's lot, then the stakes' in view order). Both lists are ascending:
   * one walk adds to the stakes the view holds, and the others, if any, are
   * merged in from the back, in place (only what lies after the first new
   * stake moves).
   */
  const receive = (view: FlatView, e: number): void => {
    const from = motionStart[e]!;
    const to = motionStart[e + 1]!;
    const movingIds = motionIds;
    const movingAmounts = motionAmounts;
    if (lots) {
      pushLot(view, -1, motionRest[e]!);
      for (let s = from; s < to; s++) pushLot(view, movingIds[s]!, movingAmounts[s]!);
    }
    if (view.lo >= 0) {
      // Dense: every stake of the investor has its place.
      const { amounts, lo } = view;
      let total = view.total;
      let held = view.held;
      for (let s = from; s < to; s++) {
        const amount = movingAmounts[s]!;
        const j = movingIds[s]! - lo;
        const had = amounts[j]!;
        if (had === 0 && amount !== 0) held++;
        amounts[j] = had + amount;
        total += amount;
      }
      view.total = total;
      view.held = held;
      return;
    }
    const ids = view.ids;
    const amounts = view.amounts;
    const n = ids.length;
    let missing = 0;
    let total = view.total;
    for (let s = from, i = 0; s < to; s++) {
      const id = movingIds[s]!;
      const amount = movingAmounts[s]!;
      if (amount === 0) continue;
      total += amount;
      while (i < n && ids[i]! < id) i++;
      if (i < n && ids[i] === id) amounts[i] = amounts[i]! + amount;
      else missing++;
    }
    view.total = total;
    if (missing === 0) return;
    for (let j = 0; j < missing; j++) {
      ids.push(0);
      amounts.push(0);
    }
    let i = n - 1;
    let w = n + missing - 1;
    for (let s = to - 1; s >= from; s--) {
      const id = movingIds[s]!;
      const amount = movingAmounts[s]!;
      if (amount === 0) continue;
      while (i >= 0 && ids[i]! > id) {
        ids[w] = ids[i]!;
        amounts[w] = amounts[i]!;
        w--;
        i--;
      }
      if (i >= 0 && ids[i] === id) continue; // added above
      ids[w] = id;
      amounts[w] = amount;
      w--;
    }
  };

  /** Step 3: every entry split again over the amount that arrives; stakes that get nothing are dropped, and entries left empty. */
  const rescale = (b: number): void => {
    let kept = 0;
    let write = 0;
    for (let e = 0; e < entries; e++) {
      const from = motionStart[e]!;
      const to = motionStart[e + 1]!;
      const k = to - from;
      weights = ensure(weights, k + 1);
      splitParts = ensure(splitParts, weights.length);
      weights[0] = motionRest[e]!;
      let total = weights[0]!;
      for (let s = 0; s < k; s++) {
        weights[s + 1] = motionAmounts[from + s]!;
        total += motionAmounts[from + s]!;
      }
      split(b, k + 1, total);
      const start = write;
      for (let s = 0; s < k; s++) {
        const x = splitParts[s + 1]!;
        if (x > 0) {
          motionIds[write] = motionIds[from + s]!;
          motionAmounts[write] = x;
          write++;
        }
      }
      if (write === start) continue;
      motionInvestor[kept] = motionInvestor[e]!;
      motionRest[kept] = splitParts[0]!;
      motionStart[kept] = start;
      kept++;
    }
    entries = kept;
    used = write;
    motionStart[entries] = used;
  };

  /** Steps 4 and 5 in doubles: the payee's views receive the money in motion, its own stakes come back. */
  const arrive = (position: number, payee: number, b: number): void => {
    const pool = pools[payee]!;
    let own = -1;
    for (let e = 0; e < entries; e++) {
      const investor = motionInvestor[e]!;
      if (investor === payee) {
        own = e;
        continue;
      }
      let view = pool.views.get(investor);
      if (view === undefined) {
        view = new FlatView();
        if (lots) pushLot(view, -1, pool.balance);
        pool.views.set(investor, view);
      }
      receive(view, e);
      if (view.lo < 0) densify(view, investor);
    }
    if (lots) {
      // Views that drew nothing of this money: it is all rest in them.
      for (const [investor, view] of pool.views) {
        let moving = false;
        for (let e = 0; e < entries && !moving; e++) moving = motionInvestor[e] === investor;
        if (!moving) pushLot(view, -1, b);
      }
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
  };

  // ---- pools in BigInt ----

  const toBig = (pool: Pool): BigPool => {
    const views = new Map<number, View<bigint>>();
    for (const [investor, view] of pool.views) {
      if (lots) {
        const lotKeys: (string | null)[] = [];
        const lotAmounts: bigint[] = [];
        for (let i = view.head; i < view.lotIds.length; i++) {
          const id = view.lotIds[i]!;
          lotKeys.push(id < 0 ? null : keys[id]!);
          lotAmounts.push(BigInt(view.lotAmounts[i]!));
        }
        views.set(investor, LotView.ofLots(BIGINT, method as 'fifo' | 'lifo', lotKeys, lotAmounts));
      } else {
        const held = heldStakes(view);
        views.set(
          investor,
          BalanceView.of(
            BIGINT,
            method,
            held.ids.map((id) => keys[id]!),
            held.amounts.map((x) => BigInt(x)),
          ),
        );
      }
    }
    const big = { balance: BigInt(pool.balance), views };
    pool.big = big;
    pool.views = new Map();
    return big;
  };

  /** Back to doubles (the balance is within STORE_LIMIT, and so is every figure in the pool). */
  const toFlat = (pool: Pool, big: BigPool): void => {
    const views = new Map<number, FlatView>();
    for (const [investor, view] of big.views) {
      const flat = new FlatView();
      const { keys: stakeKeys, amounts } = view.stakes();
      flat.ids = stakeKeys.map((k) => stakeId.get(k)!);
      flat.amounts = amounts.map(Number);
      for (const x of flat.amounts) flat.total += x;
      if (lots) {
        const held = (view as LotView<bigint>).lots();
        flat.lotIds = held.keys.map((k) => (k === null ? -1 : stakeId.get(k)!));
        flat.lotAmounts = held.amounts.map(Number);
      }
      views.set(investor, flat);
    }
    pool.views = views;
    pool.balance = Number(big.balance);
    pool.big = null;
  };

  const bigMotion: BigEntry[] = [];
  const takeFlatMotion = (): void => {
    for (let e = 0; e < entries; e++) {
      const ids: number[] = [];
      const amounts: bigint[] = [];
      for (let s = motionStart[e]!; s < motionStart[e + 1]!; s++) {
        ids.push(motionIds[s]!);
        amounts.push(BigInt(motionAmounts[s]!));
      }
      bigMotion.push({ investor: motionInvestor[e]!, rest: BigInt(motionRest[e]!), ids, amounts });
    }
    entries = 0;
    used = 0;
    motionStart[0] = 0;
  };

  /** A transfer in BigInt: an amount or a pool past STORE_LIMIT (the same steps, through the general views where a pool is in BigInt). */
  const bigTransfer = (position: number, payer: number, payee: number, earmark: number): void => {
    bigTransfers++;
    const [a, b] = input.big[position] === 1 ? input.bigAmounts.get(position)! : [BigInt(input.a[position]!), BigInt(input.b[position]!)];
    bigMotion.length = 0;
    if (payer >= 0) {
      const pool = pools[payer]!;
      const big = pool.big;
      if (big === null) {
        if (a > BigInt(pool.balance)) {
          for (const [investor, view] of pool.views) {
            const { ids, amounts } = heldStakes(view);
            bigMotion.push({ investor, rest: a - BigInt(view.total), ids, amounts: amounts.map((x) => BigInt(x)) });
          }
          pool.views.clear();
          pool.balance = 0;
        } else {
          const amount = Number(a);
          entries = 0;
          used = 0;
          motionStart[0] = 0;
          for (const [investor, view] of pool.views) {
            draws++;
            draw(investor, view, amount, pool.balance, earmark);
            if (view.total === 0) pool.views.delete(investor);
          }
          pool.balance -= amount;
          takeFlatMotion();
        }
      } else if (big.balance < a) {
        for (const [investor, view] of big.views) {
          const { keys: stakeKeys, amounts } = view.stakes();
          let total = 0n;
          for (const x of amounts) total += x;
          if (stakeKeys.length > 0) bigMotion.push({ investor, rest: a - total, ids: stakeKeys.map((k) => stakeId.get(k)!), amounts });
        }
        pool.big = null;
        pool.views = new Map();
        pool.balance = 0;
      } else {
        const deal = earmark === 0 ? '' : earmark < 0 ? NO_DEAL : deals[earmark]!;
        for (const [investor, view] of big.views) {
          draws++;
          const drawn = view.draw(a, big.balance, deal);
          if (drawn.keys.length > 0) bigMotion.push({ investor, rest: drawn.rest, ids: drawn.keys.map((k) => stakeId.get(k)!), amounts: drawn.amounts });
          if (view.stakeTotal === 0n) big.views.delete(investor);
        }
        big.balance -= a;
        if (big.balance <= STORE_LIMIT_BIG) toFlat(pool, big);
      }
    }
    const invested = input.invest[position]!;
    if (invested >= 0) {
      originCount[invested] = originCount[invested]! + 1;
      if (owns[payer] === 1) bigMotion.push({ investor: payer, rest: 0n, ids: [invested], amounts: [a] });
    }
    if (b !== a) {
      let kept = 0;
      for (const entry of bigMotion) {
        const shares = allocate(b, [entry.rest, ...entry.amounts]);
        const ids: number[] = [];
        const amounts: bigint[] = [];
        entry.ids.forEach((id, i) => {
          const x = shares[i + 1]!;
          if (x > 0n) {
            ids.push(id);
            amounts.push(x);
          }
        });
        if (ids.length === 0) continue;
        bigMotion[kept++] = { investor: entry.investor, rest: shares[0]!, ids, amounts };
      }
      bigMotion.length = kept;
    }
    if (payee < 0) return;
    const pool = pools[payee]!;
    const after = (pool.big === null ? BigInt(pool.balance) : pool.big.balance) + b;
    if (pool.big === null && after <= STORE_LIMIT_BIG) {
      // The payee stays in doubles: the money in motion is within the limit too (at most b).
      entries = 0;
      used = 0;
      motionStart[0] = 0;
      for (const entry of bigMotion) {
        openEntry(entry.investor, Number(entry.rest));
        entry.ids.forEach((id, i) => pushStake(id, Number(entry.amounts[i]!)));
        closeEntry();
      }
      arrive(position, payee, Number(b));
      return;
    }
    const big = pool.big ?? toBig(pool);
    let own: BigEntry | undefined;
    for (const entry of bigMotion) {
      if (entry.investor === payee) {
        own = entry;
        continue;
      }
      let view = big.views.get(entry.investor);
      if (view === undefined) {
        view = lots ? new LotView(BIGINT, method as 'fifo' | 'lifo', big.balance) : new BalanceView(BIGINT, method);
        big.views.set(entry.investor, view);
      }
      view.receive({ rest: entry.rest, keys: entry.ids.map((id) => keys[id]!), amounts: entry.amounts });
    }
    if (lots) {
      for (const [investor, view] of big.views) if (!bigMotion.some((entry) => entry.investor === investor)) view.receive({ rest: b, keys: [], amounts: [] });
    }
    big.balance = after;
    if (own !== undefined) {
      own.ids.forEach((id, i) => {
        const part = own.amounts[i]!;
        if (part === 0n) return;
        if (part > STORE_LIMIT_BIG) {
          outBig.set(outCount, part);
          emit(position, id, Number.NaN, originCount[id]!);
        } else emit(position, id, Number(part), originCount[id]!);
      });
    }
  };

  for (let position = 0; position < input.count; position++) {
    if (onProgress !== undefined && (position & 4095) === 0) onProgress(position, input.count);
    const payer = input.payer[position]!;
    const payee = input.payee[position]!;
    const a = input.a[position]!;
    const b = input.b[position]!;
    const earmark = input.earmark[position]!;
    if (
      input.big[position] === 1 ||
      (payer >= 0 && pools[payer]!.big !== null) ||
      (payee >= 0 && (pools[payee]!.big !== null || pools[payee]!.balance + b > STORE_LIMIT))
    ) {
      bigTransfer(position, payer, payee, earmark);
      continue;
    }
    entries = 0;
    used = 0;
    motionStart[0] = 0;

    // 1. Draw.
    if (payer >= 0) {
      const pool = pools[payer]!;
      const balance = pool.balance;
      if (balance < a) {
        // Unfunded: every view's stakes leave whole (the exception and the books are the caller's).
        for (const [investor, view] of pool.views) {
          openEntry(investor, a - view.total);
          for (let i = 0; i < view.ids.length; i++) if (view.amounts[i] !== 0) pushStake(view.ids[i]!, view.amounts[i]!);
          closeEntry();
        }
        pool.views.clear();
        pool.balance = 0;
      } else {
        if (pool.views.size > 0) outflows++;
        // The money arrives unchanged in another company: pro-rata draws from dense views go straight there.
        const to = payee >= 0 && payee !== payer && b === a ? pools[payee]! : null;
        draws += pool.views.size;
        // forEach, not for-of: no [key, value] pair made per view (a million and more draws).
        pool.views.forEach((view, investor) => {
          draw(investor, view, a, balance, earmark, investor === payee ? null : to);
          if (view.total === 0) pool.views.delete(investor);
        });
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
    if (payee >= 0) arrive(position, payee, b);
  }

  const views: { pool: number; investor: number; stakes: number; lots: number; problems: string[] }[] = [];
  pools.forEach((pool, c) => {
    if (pool.big !== null) {
      for (const [investor, view] of pool.big.views) {
        views.push({ pool: c, investor, stakes: view.stakes().keys.length, lots: view.lotCount, problems: view.audit(pool.big.balance) });
      }
      return;
    }
    for (const [investor, view] of pool.views) {
      const problems: string[] = [];
      let total = 0;
      view.amounts.forEach((x, i) => {
        if (x < 0) problems.push(`stake ${keys[view.ids[i]!]} is negative (${x})`);
        total += x;
      });
      if (total !== view.total) problems.push(`stakes sum to ${total}, recorded ${view.total}`);
      if (lots) {
        let held = 0;
        const byStake = new Map<number, number>();
        for (let i = view.head; i < view.lotIds.length; i++) {
          const amount = view.lotAmounts[i]!;
          const id = view.lotIds[i]!;
          if (amount < 0) problems.push(`a lot of ${id < 0 ? 'rest' : keys[id]} is negative (${amount})`);
          held += amount;
          if (id >= 0) byStake.set(id, (byStake.get(id) ?? 0) + amount);
        }
        if (held !== pool.balance) problems.push(`lots sum to ${held}, the balance is ${pool.balance}`);
        view.ids.forEach((id, i) => {
          if ((byStake.get(id) ?? 0) !== view.amounts[i]) problems.push(`stake ${keys[id]} lots ${byStake.get(id) ?? 0} vs total ${view.amounts[i]}`);
        });
      } else if (pool.balance < total) problems.push(`stakes ${total} exceed the balance ${pool.balance} (negative rest)`);
      if (view.lo >= 0 && view.held !== view.amounts.filter((x) => x !== 0).length) problems.push(`dense view counts ${view.held} stakes held, holds ${view.amounts.filter((x) => x !== 0).length}`);
      views.push({ pool: c, investor, stakes: heldStakes(view).ids.length, lots: lots ? view.lotIds.length - view.head : 0, problems });
    }
  });
  return {
    count: outCount,
    position: outPosition.slice(0, outCount),
    stake: outStake.slice(0, outCount),
    amount: outAmount.slice(0, outCount),
    bigAmounts: outBig,
    origins: outOrigins.slice(0, outCount),
    views,
    work: { draws, outflows, parts: partsTouched, bigSplits, bigTransfers },
  };
}
