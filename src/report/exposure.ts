/**
 * Ownership and exposure (SPEC §9): who is related to whom on a day, and the
 * lines of `exposure.csv`: per company, counterparty and category, how much
 * revenue depends on whom, how much of it is circular, and how much comes
 * from a related party. Pure: no I/O, no clock.
 */
import type { Holding, Ownership, Transfer } from '../model.js';
import { percent } from '../money/amount.js';
import { byCodeUnits as cmp } from '../sort.js';
import type { Period } from './period.js';
import type { RevenueLine } from './reports.js';

/** One row of exposure.csv: the §9 columns, amounts in minor units, percentages as written. */
export interface ExposureLine {
  readonly company: string;
  /** The revenue rows' counterparty as written (external names included). */
  readonly counterparty: string;
  readonly category: string;
  readonly booked: bigint;
  readonly organic: bigint;
  readonly circular: bigint;
  /** The booked amount of the rows whose company and counterparty were related on the row's date. */
  readonly related: bigint;
  /** The company's booked revenue in the period, all counterparties and categories (the base of `sharePct`). */
  readonly companyBooked: bigint;
  /** `100 × booked / companyBooked`, two decimals, half to even. */
  readonly sharePct: string;
  /** The percent the company holds of the counterparty on the period's last day, '' when none is declared. */
  readonly holdsPct: string;
  /** The percent the counterparty holds of the company on that day, likewise. */
  readonly heldPct: string;
  /** How many revenue rows the line sums. */
  readonly rows: number;
}

/** What ties two companies: the holdings declared either way, and the first investment between them. */
interface Pair {
  /** The date part of the earliest primary row of an investment transfer between the two, '' when none. */
  firstInvestment: string;
  /** Declared holdings of the first company (by code units) in the second, and of the second in the first, by day. */
  readonly holds: Holding[];
  readonly heldBy: Holding[];
}

/** The percent a holder owns on `day` (hundredths), from its rows sorted by day: the latest on or before it, else 0. */
function hundredthsOn(rows: readonly Holding[], day: string): number {
  let found = 0;
  for (const row of rows) {
    if (row.day > day) break;
    found = row.hundredths;
  }
  return found;
}

/**
 * Related parties (SPEC §9). Two companies are related on a day when either
 * holds a positive percent of the other on that day, or when a transfer
 * between them (either way) whose payer's kind is `investment` has a primary
 * row dated on or before that day.
 */
export class Relations {
  private readonly pairs = new Map<string, Map<string, Pair>>();

  constructor(ownership: Ownership | undefined, transfers: readonly Transfer[]) {
    for (const holding of ownership?.holdings ?? []) {
      const first = holding.holder < holding.held;
      const pair = this.pairOf(holding.holder, holding.held, true) as Pair;
      (first ? pair.holds : pair.heldBy).push(holding);
    }
    for (const byOther of this.pairs.values()) {
      for (const pair of byOther.values()) {
        pair.holds.sort((x, y) => cmp(x.day, y.day));
        pair.heldBy.sort((x, y) => cmp(x.day, y.day));
      }
    }
    for (const t of transfers) {
      if (t.payerKind !== 'investment' || !t.payerIsLedger || !t.payeeIsLedger) continue;
      const pair = this.pairOf(t.payer, t.payee, true) as Pair;
      const day = t.primary.day;
      if (pair.firstInvestment === '' || day < pair.firstInvestment) pair.firstInvestment = day;
    }
  }

  private pairOf(a: string, b: string, create: boolean): Pair | undefined {
    const [x, y] = a < b ? [a, b] : [b, a];
    let byOther = this.pairs.get(x);
    if (byOther === undefined) {
      if (!create) return undefined;
      this.pairs.set(x, (byOther = new Map()));
    }
    let pair = byOther.get(y);
    if (pair === undefined && create) byOther.set(y, (pair = { firstInvestment: '', holds: [], heldBy: [] }));
    return pair;
  }

  /** The percent `holder` owns of `held` on `day` (`YYYY-MM-DD`), in hundredths; 0 when none is declared. */
  hundredths(holder: string, held: string, day: string): number {
    const pair = this.pairOf(holder, held, false);
    if (pair === undefined) return 0;
    return hundredthsOn(holder < held ? pair.holds : pair.heldBy, day);
  }

  /** Were `a` and `b` related on `day` (`YYYY-MM-DD`)? */
  related(a: string, b: string, day: string): boolean {
    const pair = this.pairOf(a, b, false);
    if (pair === undefined) return false;
    if (pair.firstInvestment !== '' && pair.firstInvestment <= day) return true;
    return hundredthsOn(pair.holds, day) > 0 || hundredthsOn(pair.heldBy, day) > 0;
  }

  /** Why `a` and `b` were related on `day`, in words (audit), or '' when they were not. */
  reason(a: string, b: string, day: string): string {
    if (!this.related(a, b, day)) return '';
    const parts: string[] = [];
    const ab = this.hundredths(a, b, day);
    const ba = this.hundredths(b, a, day);
    if (ab > 0) parts.push(`${a} holds ${percentText(ab)}% of ${b}`);
    if (ba > 0) parts.push(`${b} holds ${percentText(ba)}% of ${a}`);
    const invested = (this.pairOf(a, b, false) as Pair).firstInvestment;
    if (invested !== '' && invested <= day) parts.push(`investment between them since ${invested}`);
    return parts.join('; ');
  }
}

/** Hundredths of a percent with two decimals: 2700 → `27.00`. */
export function percentText(hundredths: number): string {
  const rest = hundredths % 100;
  return `${Math.floor(hundredths / 100)}.${rest < 10 ? '0' : ''}${rest}`;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The day the period's holdings are read on (SPEC §9): its last day, or for
 * `all` the latest date of any row of the run (`latest`, '' when there is no
 * row).
 */
export function periodEnd(period: Period, latest: string): string {
  const name = period.name;
  if (/^\d{4}$/.test(name)) return `${name}-12-31`;
  const month = /^(\d{4})-(\d{2})$/.exec(name);
  if (month !== null) {
    const year = Number(month[1]);
    const m = Number(month[2]);
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const days = m === 2 && leap ? 29 : (MONTH_DAYS[m - 1] as number);
    return `${name}-${days}`;
  }
  return latest;
}

interface Sums {
  readonly company: string;
  readonly counterparty: string;
  readonly category: string;
  booked: bigint;
  organic: bigint;
  circular: bigint;
  related: bigint;
  rows: number;
}

/**
 * The lines of exposure.csv for one period's revenue lines, sorted by
 * company, counterparty, category (code units). `end` is the day holdings
 * are read on (see `periodEnd`); `companies` the company ids of the set.
 */
export function exposureLines(revenue: readonly RevenueLine[], relations: Relations, companies: ReadonlySet<string>, end: string): ExposureLine[] {
  const groups = new Map<string, Map<string, Map<string, Sums>>>();
  const totals = new Map<string, bigint>();
  const all: Sums[] = [];
  for (const line of revenue) {
    const row = line.row;
    const { company, counterparty, category } = row;
    let byCounterparty = groups.get(company);
    if (byCounterparty === undefined) groups.set(company, (byCounterparty = new Map()));
    let byCategory = byCounterparty.get(counterparty);
    if (byCategory === undefined) byCounterparty.set(counterparty, (byCategory = new Map()));
    let sums = byCategory.get(category);
    if (sums === undefined) {
      sums = { company, counterparty, category, booked: 0n, organic: 0n, circular: 0n, related: 0n, rows: 0 };
      byCategory.set(category, sums);
      all.push(sums);
    }
    const amount = row.amount;
    sums.booked += amount;
    sums.organic += line.organic;
    sums.circular += line.circular;
    if (companies.has(counterparty) && relations.related(company, counterparty, row.day)) sums.related += amount;
    sums.rows++;
    totals.set(company, (totals.get(company) ?? 0n) + amount);
  }
  all.sort((x, y) => cmp(x.company, y.company) || cmp(x.counterparty, y.counterparty) || cmp(x.category, y.category));
  return all.map((s) => {
    const companyBooked = totals.get(s.company) as bigint;
    const intercompany = companies.has(s.counterparty) && end !== '';
    const holds = intercompany ? relations.hundredths(s.company, s.counterparty, end) : 0;
    const held = intercompany ? relations.hundredths(s.counterparty, s.company, end) : 0;
    return {
      company: s.company,
      counterparty: s.counterparty,
      category: s.category,
      booked: s.booked,
      organic: s.organic,
      circular: s.circular,
      related: s.related,
      companyBooked,
      sharePct: percent(s.booked, companyBooked),
      holdsPct: holds > 0 ? percentText(holds) : '',
      heldPct: held > 0 ? percentText(held) : '',
      rows: s.rows,
    };
  });
}

/** One company's largest counterparty in a period (all categories together), for `run`'s printout. */
export interface TopCounterparty {
  readonly company: string;
  readonly counterparty: string;
  /** `largest`: the largest of all; `largest-company`: the largest among the ledger companies, when the largest of all is not one. */
  readonly rank: 'largest' | 'largest-company';
  readonly booked: bigint;
  readonly circular: bigint;
  readonly related: bigint;
  readonly companyBooked: bigint;
  /** `100 × booked / companyBooked`, two decimals, half to even. */
  readonly sharePct: string;
}

interface CounterpartySums {
  readonly counterparty: string;
  booked: bigint;
  circular: bigint;
  related: bigint;
}

/**
 * Each company's largest counterparty by booked revenue in the period (its
 * categories summed), ties to the first by code units; when that one is not
 * a ledger company, also the largest that is (if any). Companies in order,
 * lines as `exposureLines` sorts them.
 */
export function largestCounterparties(lines: readonly ExposureLine[], companies: ReadonlySet<string>): TopCounterparty[] {
  const tops: TopCounterparty[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i] as ExposureLine;
    const company = first.company;
    const sums: CounterpartySums[] = [];
    for (; i < lines.length && (lines[i] as ExposureLine).company === company; i++) {
      const line = lines[i] as ExposureLine;
      let last = sums[sums.length - 1];
      if (last === undefined || last.counterparty !== line.counterparty) sums.push((last = { counterparty: line.counterparty, booked: 0n, circular: 0n, related: 0n }));
      last.booked += line.booked;
      last.circular += line.circular;
      last.related += line.related;
    }
    const largest = (candidates: readonly CounterpartySums[]): CounterpartySums | undefined =>
      candidates.reduce<CounterpartySums | undefined>((best, c) => (best === undefined || c.booked > best.booked ? c : best), undefined);
    const top = (c: CounterpartySums, rank: TopCounterparty['rank']): TopCounterparty => ({
      company,
      counterparty: c.counterparty,
      rank,
      booked: c.booked,
      circular: c.circular,
      related: c.related,
      companyBooked: first.companyBooked,
      sharePct: percent(c.booked, first.companyBooked),
    });
    const best = largest(sums) as CounterpartySums;
    tops.push(top(best, 'largest'));
    if (!companies.has(best.counterparty)) {
      const bestCompany = largest(sums.filter((c) => companies.has(c.counterparty)));
      if (bestCompany !== undefined) tops.push(top(bestCompany, 'largest-company'));
    }
  }
  return tops;
}
