/**
 * The simulated economy of a generated set (issue 6): vendors investing in
 * labs, labs buying the investors' cloud and chips, multi-hop loops, deals,
 * and the exceptions planted on purpose (exceptions.ts); each transfer
 * becomes ledger lines (text.ts).
 *
 * How the data stays valid and the exceptions stay deliberate:
 * - Every transfer gets its own timestamp (strictly increasing seconds), so
 *   the tool replays transfers in exactly the generator's order. Only the
 *   opening balances are date-only (midnight of the first day, before any
 *   transfer).
 * - The generator traces every company's balance the way SPEC §3.2 does
 *   (payer amount leaves, payee amount arrives, a side never recorded still
 *   moves the money) and caps every ordinary outflow at a fraction of the
 *   payer's balance. The only outflows larger than the balance are the
 *   planned `unfunded` ones; companies get steady external revenue.
 * - Refs are unique in the whole set; a few clean transfers carry no ref
 *   (matched by date, amount and kind). Mismatches always carry a ref, and a
 *   ref is never on one side only except for the planned `unmatched` rows,
 *   which have no mirror at all.
 * - Volume profile: every fifth company is an investor, in two to four fixed
 *   investees, and a deal is named by pair and year (`co001-co004-2025`): as
 *   in the real thing, a handful of deals drive the loops, so the number of
 *   stakes (SPEC §3.1) stays in the tens whatever the number of transfers
 *   (50 companies: ~84). Portfolio profile: see `GenerateOptions.profile`.
 * - A payee line dated later than its payer line (`date_mismatch`) is held
 *   back until the payee's ledger reaches that date, so every company's
 *   lines are in date order across its files.
 */
import type { GenerateOptions } from './options.js';
import { EXCEPTION_CODES, EXCEPTION_RATES, type Economy, type ExceptionCode, INTERCOMPANY_CODES, plantException } from './exceptions.js';
import { Prng } from './prng.js';
import { type Company, type Direction, type LedgerLine, type LineKind, line, MIN_FUNDS, type Plan, type TransferSpec } from './shapes.js';
import { companyFiles, companyIds, DAY, LedgerText, ledgerFileNames, pad2 } from './text.js';

/** What the generator made: files, counts, and the exceptions it planted. */
export interface GenerationSummary {
  /** File names, sorted (code units). */
  readonly files: readonly string[];
  readonly companies: number;
  readonly transfers: number;
  /** Data rows written (headers not counted), opening balances included. */
  readonly rows: number;
  /**
   * Exceptions the generator planted; the tool should report exactly these
   * counts (`lookalike_counterparty` counts distinct (company, name) pairs).
   */
  readonly exceptions: Readonly<Record<ExceptionCode, number>>;
}

const SPAN_DAYS = 730;

const SELLS: readonly (readonly string[])[] = [
  ['cloud'],
  ['chips'],
  ['api'],
  ['cloud', 'storage'],
  ['chips', 'networking'],
  ['api', 'consulting'],
];

// External names are long enough never to be one edit from a company id
// (`co001`…`co10000`): only the planted lookalikes are.
const CUSTOMERS = [
  'Enterprise customers',
  'Consumer subscriptions',
  'Government contracts',
  'Retail API users',
  'Acme Robotics',
  'Globex Corporation',
  'Initech, Inc.',
  'Umbrella Health',
  'Stark Industries',
  'Wayne Enterprises',
  'Tyrell Corporation',
  'Cyberdyne Systems',
];
const SUPPLIERS: readonly (readonly [string, 'other' | 'purchase', string])[] = [
  ['Payroll', 'other', ''],
  ['Power utility', 'other', ''],
  ['Datacenter landlord', 'other', ''],
  ['Tax authority', 'other', ''],
  ['Taiwan Semiconductor', 'purchase', 'chips'],
  ['Memory supplier', 'purchase', 'chips'],
  ['Fiber carrier', 'purchase', 'networking'],
  ['Law firm LLP', 'purchase', 'consulting'],
];
const EXTERNAL_INVESTORS = ['Sovereign wealth fund', 'Venture partners LP', 'Pension plan trust'];

const MEMOS: Readonly<Record<LineKind, readonly string[]>> = {
  purchase: ['', '', '', 'committed spend', 'capacity reservation', 'GPU cluster order', 'usage invoice', 'Q3 true-up, "committed spend"'],
  investment: ['strategic investment', 'Series F', 'convertible note', 'tranche 2'],
  other: ['intercompany loan', 'loan repayment', 'dividend', 'settlement'],
  revenue: ['', '', 'monthly usage', 'enterprise contract'],
};
// Rare memos that exercise CSV quoting and formula injection downstream.
const ODD_MEMOS = ['invoice 4471\nsee attached schedule', '=SUM(B2:B9) pasted from a spreadsheet', '-adjustment', '+reclass from suspense'];

const MAX_PLANS = 5_000;

export class LedgerGenerator implements Economy {
  readonly rng: Prng;
  readonly companies: Company[];
  readonly text: LedgerText;
  private readonly averageStep: number;
  private readonly nextDue = new Map<ExceptionCode, number>();
  private readonly planted: Record<ExceptionCode, number> = {
    unmatched: 0,
    amount_mismatch: 0,
    fx_difference: 0,
    date_mismatch: 0,
    kind_mismatch: 0,
    category_mismatch: 0,
    unfunded: 0,
    lookalike_counterparty: 0,
  };
  readonly lookalikePairs = new Set<string>();
  private readonly plans: Plan[] = [];
  private planHead = 0;
  private now = 0;
  private refSeq = 0;
  /** Every fifth company invests, each in a few others: the stakes of a set stay few, whatever its size (portfolio: every third, in any other). */
  readonly investors: Company[];
  private readonly portfolio: boolean;
  /** Amounts times 10^scale. */
  private readonly scale: number;
  private dealSeq = 0;

  constructor(private readonly options: GenerateOptions) {
    this.rng = new Prng(options.seed);
    this.portfolio = options.profile === 'portfolio';
    this.scale = options.scale ?? (this.portfolio ? 3 : 0);
    this.averageStep = Math.max(1, Math.floor((SPAN_DAYS * DAY) / options.transfers));
    // Split companies: part1 holds rows before the middle day of the set.
    const cutoff = Math.floor((options.transfers * this.averageStep) / 2 / DAY) * DAY;
    this.companies = companyIds(options.companies).map((id, index) => {
      const { files, eol } = companyFiles(id, index);
      return {
        id,
        index,
        sells: SELLS[index % SELLS.length] ?? ['cloud'],
        files,
        eol,
        investees: [],
        balance: 0,
        rowSeq: 0,
        deferred: [],
      };
    });
    this.investors = options.companies < 2 ? [] : this.companies.filter((c) => c.index % (this.portfolio ? 3 : 5) === 0);
    for (const investor of this.investors) {
      const count = Math.min(options.companies - 1, this.rng.range(2, 4));
      while (investor.investees.length < count) {
        const investee = this.otherCompany(investor);
        if (!investor.investees.includes(investee)) investor.investees.push(investee);
      }
    }
    const fileCount = this.companies.reduce((n, c) => n + c.files.length, 0);
    // Bounded buffering: about 8 MB in all, at most 8 KB per file. Small
    // chunks die young: big long-lived buffers made the garbage collector
    // dominate (1M transfers: 6 s with 64 KB chunks, 2.4 s with 8 KB).
    this.text = new LedgerText(cutoff, Math.max(512, Math.min(8192, Math.floor((8 * 1024 * 1024) / fileCount))));
    for (const code of EXCEPTION_CODES) {
      if ((options.companies < 2 && INTERCOMPANY_CODES.has(code)) || EXCEPTION_RATES[code] === 0) continue;
      this.nextDue.set(code, this.rng.int(Math.ceil(1 / EXCEPTION_RATES[code])));
    }
    for (const company of this.companies) {
      const amount = this.nominal(7, 8);
      this.emit(company, line(0, true, 'in', 'opening', 'other', '', amount, '', '', 'opening balance'));
      company.balance = amount;
    }
  }

  step(step: number): void {
    this.now += 1 + this.rng.int(2 * this.averageStep - 1);
    const code = this.firstDue(step);
    if (code !== undefined && plantException(this, code)) {
      this.planted[code] += code === 'lookalike_counterparty' ? 0 : 1;
      const gap = Math.ceil(1 / EXCEPTION_RATES[code]);
      this.nextDue.set(code, step + Math.ceil(gap / 2) + this.rng.int(gap));
      return;
    }
    if (this.planHead < this.plans.length && this.rng.chance(0.3)) {
      const plan = this.plans[this.planHead++] as Plan;
      if (this.planHead > 1024 && this.planHead * 2 > this.plans.length) {
        this.plans.splice(0, this.planHead);
        this.planHead = 0;
      }
      if (this.runPlan(plan)) return;
    }
    this.randomEvent();
  }

  finish(): void {
    for (const company of this.companies) {
      for (const deferred of company.deferred) this.text.write(company, deferred);
      company.deferred.length = 0;
    }
    this.text.finish(this.companies);
  }

  summary(): GenerationSummary {
    return {
      files: ledgerFileNames(this.options.companies),
      companies: this.options.companies,
      transfers: this.options.transfers,
      rows: this.text.rows,
      exceptions: { ...this.planted, lookalike_counterparty: this.lookalikePairs.size },
    };
  }

  // ---- events -------------------------------------------------------------

  private firstDue(step: number): ExceptionCode | undefined {
    for (const code of EXCEPTION_CODES) {
      const due = this.nextDue.get(code);
      if (due !== undefined && due <= step) return code;
    }
    return undefined;
  }

  private randomEvent(): void {
    const r = this.rng.next();
    if (this.companies.length < 2) {
      const company = this.anyCompany();
      if (r < 0.7) this.externalRevenue(company);
      else if (r < 0.97) this.externalExpense(company);
      else this.externalInvestment(company);
      return;
    }
    if (r < 0.17) this.externalRevenue(this.anyCompany());
    else if (r < 0.23) this.externalExpense(this.anyCompany());
    else if (r < 0.235) {
      if (this.portfolio && this.rng.chance(0.1)) this.treasurySweep(this.anyCompany());
      else this.externalInvestment(this.anyCompany());
    } else if (r < (this.portfolio ? 0.3115 : 0.275)) this.investment();
    else if (r < 0.4) this.intercompanyOther();
    else this.intercompanyPurchase();
  }

  private externalRevenue(company: Company): void {
    this.external(company, 'in', this.rng.pick(CUSTOMERS), 'revenue', this.rng.pick(company.sells), this.nominal(4, 6), this.memo('revenue'));
  }

  private externalExpense(company: Company): void {
    const amount = Math.min(this.nominal(4, 6), Math.floor(company.balance * 0.3));
    if (amount < MIN_FUNDS) return this.externalRevenue(company);
    const [name, kind, category] = this.rng.pick(SUPPLIERS);
    this.external(company, 'out', name, kind, category, amount, '');
  }

  private externalInvestment(company: Company): void {
    this.external(company, 'in', this.rng.pick(EXTERNAL_INVESTORS), 'investment', '', this.nominal(6, 8), this.memo('investment'));
  }

  private intercompanyPurchase(): void {
    const payer = this.fundedCompany();
    if (payer === undefined) return this.externalRevenue(this.anyCompany());
    const payee = this.otherCompany(payer);
    const category = this.rng.pick(payee.sells);
    const amount = Math.min(this.nominal(3, 6), Math.floor(payer.balance * 0.25));
    this.transfer(this.clean(payer, payee, 'purchase', category, amount, '', this.memo('purchase')));
  }

  private intercompanyOther(): void {
    const payer = this.fundedCompany();
    if (payer === undefined) return this.externalRevenue(this.anyCompany());
    const payee = this.otherCompany(payer);
    const amount = Math.min(this.nominal(4, 7), Math.floor(payer.balance * 0.2));
    this.transfer(this.clean(payer, payee, 'other', '', amount, '', this.memo('other')));
  }

  /** An investment between companies, often with a deal and the purchases it requires (loops). */
  private investment(): void {
    const investor = this.fundedCompany(this.investors);
    if (investor === undefined) return this.externalRevenue(this.anyCompany());
    const investee = this.portfolio ? this.otherCompany(investor) : this.rng.pick(investor.investees);
    const amount = Math.min(this.nominal(6, 8), Math.floor(investor.balance * 0.5));
    // One deal per pair and year (tranches of one agreement share it); portfolio: most investments are a deal of their own.
    const deal = this.portfolio
      ? this.rng.chance(0.8)
        ? `${investor.id}-${investee.id}-D${String(++this.dealSeq).padStart(6, '0')}`
        : ''
      : this.rng.chance(0.6)
        ? `${investor.id}-${investee.id}-${this.text.formatTime(this.now, true).slice(0, 4)}`
        : '';
    this.transfer({ ...this.clean(investor, investee, 'investment', '', amount, deal, this.memo('investment')), ref: this.nextRef() });
    if (deal !== '' && this.rng.chance(0.6)) {
      // Direct loop: the deal requires the investee to buy the investor's products.
      const parts = this.rng.range(1, 4);
      const total = Math.floor(amount * (0.3 + 0.7 * this.rng.next()));
      for (let i = 0; i < parts; i++) {
        this.plan({
          payer: investee,
          payee: investor,
          category: this.rng.pick(investor.sells),
          deal,
          amount: Math.max(100, Math.floor(total / parts)),
          memo: `committed spend under ${deal}`,
        });
      }
    } else if (this.companies.length >= 3 && this.rng.chance(0.7)) {
      // Multi-hop loop: investor → investee → third → investor.
      let third = this.otherCompany(investee);
      while (third === investor) third = this.otherCompany(investee);
      const hop = Math.max(100, Math.floor(amount * (0.3 + 0.6 * this.rng.next())));
      this.plan({ payer: investee, payee: third, category: this.rng.pick(third.sells), deal, amount: hop, memo: this.memo('purchase') });
      const back = Math.max(100, Math.floor(hop * (0.3 + 0.6 * this.rng.next())));
      this.plan({ payer: third, payee: investor, category: this.rng.pick(investor.sells), deal: '', amount: back, memo: this.memo('purchase') });
    }
  }

  /**
   * Portfolio: money at the 15-digit limit passes through a company (bond
   * proceeds swept to a custodian the same second). The two rows cancel, so
   * the company's balance here is untouched; the text is written digit by
   * digit, past what a double holds.
   */
  private treasurySweep(company: Company): void {
    let digits = String(1 + this.rng.int(9));
    for (let i = 0; i < 14; i++) digits += String(this.rng.int(10));
    const amount = `${digits}.${pad2(this.rng.int(100))}`;
    this.emit(company, line(this.now, false, 'in', 'Bond investors', 'other', '', amount, '', '', 'bond issue proceeds'));
    this.emit(company, line(this.now, false, 'out', 'Custodian bank', 'other', '', amount, '', '', 'treasury sweep'));
  }

  private plan(plan: Plan): void {
    if (this.plans.length - this.planHead < MAX_PLANS) this.plans.push(plan);
  }

  private runPlan(plan: Plan): boolean {
    const amount = Math.min(plan.amount, Math.floor(plan.payer.balance * 0.6));
    if (amount < 100) return false;
    this.transfer({ ...this.clean(plan.payer, plan.payee, 'purchase', plan.category, amount, plan.deal, plan.memo), ref: this.nextRef() });
    return true;
  }

  // ---- transfers and rows -------------------------------------------------

  clean(payer: Company, payee: Company, kind: Exclude<LineKind, 'revenue'>, category: string, amount: number, deal: string, memo: string): TransferSpec {
    return {
      payer,
      payee,
      payerKind: kind,
      payeeKind: kind === 'purchase' ? 'revenue' : kind,
      payerCategory: category,
      payeeCategory: category,
      amount,
      payeeAmount: amount,
      // A few clean transfers carry no ref: the tool matches them by date, amount and kind.
      ref: this.rng.chance(0.08) ? '' : this.nextRef(),
      deal,
      memo,
      payeeShiftDays: 0,
      record: 'both',
    };
  }

  transfer(spec: TransferSpec): void {
    const { payer, payee, ref, deal, memo } = spec;
    if (spec.record !== 'payee') {
      this.emit(payer, line(this.now, false, 'out', payee.id, spec.payerKind, spec.payerCategory, spec.amount, ref, deal, memo));
    }
    if (spec.record !== 'payer') {
      const time = this.now + spec.payeeShiftDays * DAY;
      const received = line(time, false, 'in', payer.id, spec.payeeKind, spec.payeeCategory, spec.payeeAmount, ref, deal, memo);
      if (spec.payeeShiftDays > 0) this.defer(payee, received);
      else this.emit(payee, received);
    }
    // SPEC §3.2: a side never recorded is traced as recorded with the same amount.
    spec.payer.balance = Math.max(0, spec.payer.balance - spec.amount);
    spec.payee.balance += spec.record === 'payer' ? spec.amount : spec.payeeAmount;
  }

  external(company: Company, direction: Direction, counterparty: string, kind: LineKind, category: string, amount: number, memo: string): void {
    this.emit(company, line(this.now, false, direction, counterparty, kind, category, amount, '', '', memo));
    company.balance = direction === 'in' ? company.balance + amount : Math.max(0, company.balance - amount);
  }

  private defer(company: Company, row: LedgerLine): void {
    const list = company.deferred;
    let i = list.length;
    while (i > 0 && (list[i - 1] as LedgerLine).time > row.time) i--;
    list.splice(i, 0, row);
  }

  /** Writes a line now, after any held-back line of the company dated at or before it. */
  private emit(company: Company, row: LedgerLine): void {
    const list = company.deferred;
    if (list.length > 0) {
      let n = 0;
      while (n < list.length && (list[n] as LedgerLine).time <= row.time) this.text.write(company, list[n++] as LedgerLine);
      if (n > 0) list.splice(0, n);
    }
    this.text.write(company, row);
  }

  // ---- helpers -----------------------------------------------------------

  anyCompany(): Company {
    return this.rng.pick(this.companies);
  }

  otherCompany(company: Company): Company {
    const i = this.rng.int(this.companies.length - 1);
    return this.companies[i >= company.index ? i + 1 : i] as Company;
  }

  /** A company able to pay (a few random tries), or undefined. */
  fundedCompany(among: readonly Company[] = this.companies): Company | undefined {
    if (among.length === 0) return undefined;
    for (let tries = 0; tries < 8; tries++) {
      const company = this.rng.pick(among);
      if (company.balance >= 4 * MIN_FUNDS) return company;
    }
    return undefined;
  }

  /** An amount in cents from 10^lo to just under 10^(hi+1) dollars, spread over the decades. */
  nominal(lo: number, hi: number): number {
    const decade = 10 ** (this.rng.range(lo, hi) + this.scale);
    return (decade + this.rng.int(9 * decade)) * 100 + this.rng.int(100);
  }

  memo(kind: keyof typeof MEMOS): string {
    if (this.rng.chance(0.001)) return this.rng.pick(ODD_MEMOS);
    return this.rng.pick(MEMOS[kind]);
  }

  nextRef(): string {
    return `RT${String(++this.refSeq).padStart(8, '0')}`;
  }
}
