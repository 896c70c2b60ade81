/**
 * circular.csv at scale: a run can bring millions of returning stakes home,
 * so their report is made without an object per line. Three steps, each one
 * pass over the stakes:
 *   - `sortReturning`: the report order (company, the cited row's timestamp
 *     and (file, line) order, the stake's key, then processing order) by
 *     ranks: transfers and stakes are ranked once each (thousands), then the
 *     stakes are put in order by two stable counting sorts on typed arrays;
 *   - the CSV text (write/circular.ts), each line made from the text of its
 *     transfer and of its stake;
 *   - `circularFlows`: what report.html shows of them (the largest drawn one
 *     by one, each loop's sum), kept as the stakes stream by.
 * Every byte is the one the generic table path (reportTables + tableChunks)
 * would write: tests/report/circular.test.ts compares them.
 * Pure: no I/O.
 */
import { source, type Transfer } from '../model.js';
import { formatAmount } from '../money/amount.js';
import { byCodeUnits as cmp } from '../sort.js';
import { type Returning, type ReturningList, ReturningPicked } from '../trace/trace.js';
import type { Stake } from '../trace/stake.js';
import { DRAWN_FLOWS, type CircularFlows, type LoopSum } from './html.js';

/** circular.csv's columns (SPEC §4), all text but the amount. */
export const CIRCULAR_COLUMNS = [
  ['company', 'text'],
  ['id', 'text'],
  ['date', 'text'],
  ['kind', 'text'],
  ['payer', 'text'],
  ['category', 'text'],
  ['investee', 'text'],
  ['deal', 'text'],
  ['route', 'text'],
  ['amount', 'number'],
  ['source', 'text'],
] as const;

/** A returning stake's line of circular.csv, as strings (before CSV quoting). */
export function circularRow(c: Returning, money: (m: bigint) => string): string[] {
  return [
    c.company,
    c.row?.id ?? '',
    c.cited.date,
    c.kind,
    c.transfer.payer,
    c.category,
    c.stake.investee,
    c.stake.deal,
    c.stake.investee === c.transfer.payer ? 'direct' : 'indirect',
    money(c.amount),
    source(c.cited),
  ];
}

/** Stable counting sort into `to` of 0 … to.length - 1 (`from` null) or of `from`, by `rank` (0 ≤ rank < ranks). */
function countingSort(from: Int32Array | null, to: Int32Array, rank: Int32Array, ranks: number): void {
  const starts = new Int32Array(ranks + 1);
  for (let i = 0; i < rank.length; i++) starts[rank[i]! + 1]!++;
  for (let r = 1; r <= ranks; r++) starts[r]! += starts[r - 1]!;
  for (let k = 0; k < to.length; k++) {
    const i = from === null ? k : from[k]!;
    to[starts[rank[i]!]!++] = i;
  }
}

/**
 * The returning stakes in report order: by company, the cited row's
 * timestamp, its (file, line) order, the stake's key, then the order given.
 * Company and cited row are the transfer's, so transfers are ranked once
 * (equal keys, equal ranks), stakes likewise by key, and the stakes are put
 * in order by stake rank, then (stably) by transfer rank: two counting sorts
 * over typed arrays, no comparison per pair of stakes. The result is the
 * list picked in that order (an Int32Array of indices, no object per stake).
 */
export function sortReturning(items: ReturningList): ReturningList {
  const n = items.length;
  // Transfers by their index (dense), stakes by a number given on first sight.
  let transferSlots = new Int32Array(1024).fill(-1);
  const transfers: Transfer[] = [];
  const stakeIds = new Map<Stake, number>();
  const stakes: Stake[] = [];
  const tOf = new Int32Array(n);
  const sOf = new Int32Array(n);
  let lastT: Transfer | undefined;
  let lastTid = -1;
  let lastS: Stake | undefined;
  let lastSid = -1;
  for (let i = 0; i < n; i++) {
    const t = items.transferAt(i);
    if (t !== lastT) {
      if (t.index >= transferSlots.length) {
        const grown = new Int32Array(Math.max(2 * transferSlots.length, t.index + 1)).fill(-1);
        grown.set(transferSlots);
        transferSlots = grown;
      }
      let id = transferSlots[t.index]!;
      if (id < 0) {
        id = transfers.length;
        transferSlots[t.index] = id;
        transfers.push(t);
      }
      lastT = t;
      lastTid = id;
    }
    tOf[i] = lastTid;
    const s = items.stakeAt(i);
    if (s !== lastS) {
      let sid = stakeIds.get(s);
      if (sid === undefined) {
        sid = stakes.length;
        stakeIds.set(s, sid);
        stakes.push(s);
      }
      lastS = s;
      lastSid = sid;
    }
    sOf[i] = lastSid;
  }
  // Transfer ranks: by company, then the cited row's timestamp and order.
  const cited = transfers.map((t) => t.payeeRow ?? t.payerRow!);
  const tOrder = transfers.map((_, k) => k);
  tOrder.sort((x, y) => cmp(transfers[x]!.payee, transfers[y]!.payee) || cited[x]!.ts - cited[y]!.ts || cited[x]!.seq - cited[y]!.seq);
  const tRank = new Int32Array(transfers.length);
  let ranks = 0;
  for (let k = 0; k < tOrder.length; k++) {
    const x = tOrder[k]!;
    const p = tOrder[k - 1];
    if (p !== undefined && (transfers[x]!.payee !== transfers[p]!.payee || cited[x]!.ts !== cited[p]!.ts || cited[x]!.seq !== cited[p]!.seq)) ranks++;
    tRank[x] = ranks;
  }
  const transferRanks = ranks + 1;
  const sOrder = stakes.map((_, k) => k);
  sOrder.sort((x, y) => cmp(stakes[x]!.key, stakes[y]!.key));
  const sRank = new Int32Array(stakes.length);
  ranks = 0;
  for (let k = 0; k < sOrder.length; k++) {
    const x = sOrder[k]!;
    const p = sOrder[k - 1];
    if (p !== undefined && stakes[x]!.key !== stakes[p]!.key) ranks++;
    sRank[x] = ranks;
  }
  const stakeRanks = ranks + 1;
  for (let i = 0; i < n; i++) {
    tOf[i] = tRank[tOf[i]!]!;
    sOf[i] = sRank[sOf[i]!]!;
  }
  // Processing order, by stake rank into `order`, then by transfer rank into `sorted` (sOf's memory: its ranks are used).
  const order = new Int32Array(n);
  countingSort(null, order, sOf, stakeRanks);
  const sorted = sOf;
  countingSort(order, sorted, tOf, transferRanks);
  return new ReturningPicked(items, sorted);
}

/**
 * What report.html's loops part shows of the returning stakes (SPEC §11): the
 * DRAWN_FLOWS largest (larger first, then earlier in circular.csv) as their
 * circular.csv rows, every loop's sum (investor, investee, payer: null when
 * direct) in order of first appearance, their count and total. One pass; a
 * row's text is made only for the stakes drawn.
 */
export function circularFlows(returning: ReturningList, digits: number): CircularFlows {
  const money = (m: bigint): string => formatAmount(m, digits);
  const top: Flow[] = [];
  const sums: Sum[] = [];
  const byInvestor = new Map<string, Map<string, Map<string | null, Sum>>>();
  const all: Sum = { investor: '', investee: '', payer: null, minor: 0n, small: 0 };
  let worst = 0;
  let lastT: Transfer | undefined;
  let lastS: Stake | undefined;
  let lastSum = all;
  for (let index = 0; index < returning.length; index++) {
    const x = returning.minorAt(index);
    const t = returning.transferAt(index);
    const s = returning.stakeAt(index);
    // Stakes of one transfer and stake come together (report order): their loop is looked up once.
    if (t !== lastT || s !== lastS) {
      lastT = t;
      lastS = s;
      const investor = t.payee;
      const investee = s.investee;
      const payer = investee === t.payer ? null : t.payer;
      let byInvestee = byInvestor.get(investor);
      if (byInvestee === undefined) byInvestor.set(investor, (byInvestee = new Map()));
      let byPayer = byInvestee.get(investee);
      if (byPayer === undefined) byInvestee.set(investee, (byPayer = new Map()));
      let sum = byPayer.get(payer);
      if (sum === undefined) {
        sum = { investor, investee, payer, minor: 0n, small: 0 };
        byPayer.set(payer, sum);
        sums.push(sum);
      }
      lastSum = sum;
    }
    if (x === x) {
      add(all, x);
      add(lastSum, x);
    } else {
      const m = returning.amountAt(index);
      all.minor += m;
      lastSum.minor += m;
    }
    if (top.length < DRAWN_FLOWS || beats(returning, x, index, top[worst]!)) {
      const flow = { index, x, minor: x === x ? BigInt(x) : returning.amountAt(index) };
      if (top.length < DRAWN_FLOWS) top.push(flow);
      else top[worst] = flow;
      worst = 0;
      for (let i = 1; i < top.length; i++) if (before(top[worst]!.minor, top[worst]!.index, top[i]!)) worst = i;
    }
  }
  top.sort((a, b) => (before(a.minor, a.index, b) ? -1 : 1));
  return {
    header: CIRCULAR_COLUMNS.map(([name]) => name),
    top: top.map((f) => ({ row: circularRow(returning.at(f.index), money), minor: f.minor })),
    loops: sums.map((l): LoopSum => ({ investor: l.investor, investee: l.investee, payer: l.payer, minor: l.minor + BigInt(l.small) })),
    count: returning.length,
    all: all.minor + BigInt(all.small),
  };
}

/** One of the largest flows: its index, its amount as a double (NaN past 2^53 − 1) and exactly. */
interface Flow {
  readonly index: number;
  readonly x: number;
  readonly minor: bigint;
}

/** A loop's sum in the making: in doubles while exact (`small`), the rest carried in BigInt. */
interface Sum {
  readonly investor: string;
  readonly investee: string;
  readonly payer: string | null;
  minor: bigint;
  small: number;
}

/** Adds x (an exact double) to a sum, carrying into BigInt before the double would pass Number.MAX_SAFE_INTEGER. */
function add(sum: Sum, x: number): void {
  const next = sum.small + x;
  // Both terms exact: a sum within the limit is exact, one past it is carried whole.
  if (next <= Number.MAX_SAFE_INTEGER) sum.small = next;
  else {
    sum.minor += BigInt(sum.small);
    sum.small = x;
  }
}

/** Does flow a (amount `aMinor`, index `aIndex`) come before b: larger, then earlier in circular.csv. */
function before(aMinor: bigint, aIndex: number, b: Flow): boolean {
  return aMinor > b.minor || (aMinor === b.minor && aIndex < b.index);
}

/** `before` for a stake read as a double (no BigInt made unless one of the two amounts passes 2^53 − 1). */
function beats(list: ReturningList, x: number, index: number, b: Flow): boolean {
  if (x === x && b.x === b.x) return x > b.x || (x === b.x && index < b.index);
  return before(x === x ? BigInt(x) : list.amountAt(index), index, b);
}
