/**
 * Synthetic ledger sets (issue 6): a pure, deterministic generator of valid
 * ledger folders (SPEC §1) with the shape of the real thing — vendors
 * investing in labs, labs buying the investors' cloud and chips, multi-hop
 * loops, deals — and a small, known share of every exception of SPEC §2.
 *
 * The same options give byte-identical files. Nothing here does I/O: the
 * generator yields chunks of text to append to named files, so a million
 * transfers never become one giant string (see write.ts for the streaming
 * writer and `generateLedgers` for small in-memory sets).
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
 * - Every fifth company is an investor, in two to four fixed investees, and a
 *   deal is named by pair and year (`co001-co004-2025`): as in the real thing,
 *   a handful of deals drive the loops, so the number of stakes (SPEC §3.1)
 *   stays in the tens whatever the number of transfers (50 companies: ~84).
 * - A payee row dated later than its payer row (`date_mismatch`) is held back
 *   until the payee's ledger reaches that date, so every company's rows are
 *   in date order across its files.
 */
import { Prng } from './prng.js';

export interface GenerateOptions {
  /** Number of ledger companies, 1..MAX_COMPANIES. */
  readonly companies: number;
  /** Number of transfers (intercompany transfers and external rows), 1..MAX_TRANSFERS; opening balances come on top. */
  readonly transfers: number;
  /** Any non-negative safe integer. */
  readonly seed: number;
  /**
   * `volume` (the default): a handful of deals drive the loops, so the stakes
   * stay in the tens at any size. `portfolio`: every third company invests,
   * in any other, investments are about a tenth of intercompany transfers and
   * most carry a deal of their own, so the stakes grow with the set; amounts
   * are those of real contracts (`scale` 3 unless given), and a few treasury
   * sweeps move amounts at the 15-digit limit in and out of a company.
   */
  readonly profile?: Profile;
  /** Amounts times 10^scale (0 to MAX_SCALE): 3 gives billions where 0 gives millions. Default 0 (volume), 3 (portfolio). */
  readonly scale?: number;
}

export const PROFILES = ['volume', 'portfolio'] as const;
export type Profile = (typeof PROFILES)[number];
export const MAX_SCALE = 4;

/** One whole file, for small sets held in memory. */
export interface GeneratedFile {
  readonly name: string;
  readonly text: string;
}

/** Text to append to `file` (chunks of one file arrive in order). */
export interface GeneratedChunk {
  readonly file: string;
  readonly text: string;
}

export { EXCEPTION_CODES, type ExceptionCode } from '../model.js';
import { EXCEPTION_CODES, type ExceptionCode } from '../model.js';

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

export const LEDGER_HEADER = 'id,date,direction,counterparty,kind,category,amount,currency,ref,deal,memo';
export const MAX_COMPANIES = 10_000;
export const MAX_TRANSFERS = 100_000_000;
/** The first day of every generated set; transfers spread over about two years. */
export const START_DATE = '2025-01-01';

const START_MS = Date.UTC(2025, 0, 1);
const DAY = 86_400;
const SPAN_DAYS = 730;
const CURRENCY = 'USD';

/** Categories companies sell; `cloud` and `chips` are the headline ones. */
export const CATEGORIES = ['cloud', 'chips', 'api', 'storage', 'networking', 'consulting'] as const;
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

const MEMOS: Readonly<Record<'purchase' | 'investment' | 'other' | 'revenue', readonly string[]>> = {
  purchase: ['', '', '', 'committed spend', 'capacity reservation', 'GPU cluster order', 'usage invoice', 'Q3 true-up, "committed spend"'],
  investment: ['strategic investment', 'Series F', 'convertible note', 'tranche 2'],
  other: ['intercompany loan', 'loan repayment', 'dividend', 'settlement'],
  revenue: ['', '', 'monthly usage', 'enterprise contract'],
};
// Rare memos that exercise CSV quoting and formula injection downstream.
const ODD_MEMOS = ['invoice 4471\nsee attached schedule', '=SUM(B2:B9) pasted from a spreadsheet', '-adjustment', '+reclass from suspense'];

/** Share of transfers (per code) that carry each planted exception. */
const EXCEPTION_RATES: Readonly<Record<ExceptionCode, number>> = {
  unmatched: 0.004,
  amount_mismatch: 0.0025,
  date_mismatch: 0.0025,
  kind_mismatch: 0.0025,
  category_mismatch: 0.0025,
  unfunded: 0.0015,
  lookalike_counterparty: 0.002,
};
const INTERCOMPANY_CODES: ReadonlySet<ExceptionCode> = new Set([
  'unmatched',
  'amount_mismatch',
  'date_mismatch',
  'kind_mismatch',
  'category_mismatch',
]);

const MAX_PLANS = 5_000;
/** A payer needs at least this much (cents) for an ordinary outflow. */
const MIN_FUNDS = 100_000;

type Direction = 'in' | 'out';
type Kind = 'investment' | 'revenue' | 'purchase' | 'other';

interface Row {
  readonly time: number;
  readonly dateOnly: boolean;
  readonly direction: Direction;
  readonly counterparty: string;
  readonly kind: Kind;
  readonly category: string;
  /** Cents, or the amount as written (past what a double holds). */
  readonly amount: number | string;
  readonly ref: string;
  readonly deal: string;
  readonly memo: string;
}

interface FileState {
  readonly name: string;
  buffer: string;
}

interface Company {
  readonly id: string;
  readonly index: number;
  readonly sells: readonly string[];
  readonly files: readonly FileState[];
  readonly eol: string;
  /** The companies this one invests in (investors only; a few each, so stakes stay few). */
  readonly investees: Company[];
  /** Traced balance in cents (SPEC §3.2), never negative. */
  balance: number;
  rowSeq: number;
  /** Rows dated later than now (date_mismatch payee rows), sorted by time. */
  readonly deferred: Row[];
}

interface Plan {
  readonly payer: Company;
  readonly payee: Company;
  readonly category: string;
  readonly deal: string;
  readonly amount: number;
  readonly memo: string;
}

interface TransferSpec {
  readonly payer: Company;
  readonly payee: Company;
  readonly payerKind: Kind;
  readonly payeeKind: Kind;
  readonly payerCategory: string;
  readonly payeeCategory: string;
  readonly amount: number;
  readonly payeeAmount: number;
  readonly ref: string;
  readonly deal: string;
  readonly memo: string;
  readonly payeeShiftDays: number;
  readonly record: 'both' | 'payer' | 'payee';
}

/** Returns what is wrong with the options, or undefined when they are usable. */
export function validateGenerateOptions(options: GenerateOptions): string | undefined {
  const { companies, transfers, seed, profile, scale } = options;
  if (profile !== undefined && !(PROFILES as readonly string[]).includes(profile)) return `--profile must be one of ${PROFILES.join(', ')} (got ${String(profile)})`;
  if (scale !== undefined && (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE)) return `--scale must be a whole number from 0 to ${MAX_SCALE} (got ${String(scale)})`;
  for (const [name, value] of [['companies', companies], ['transfers', transfers]] as const) {
    if ((value as number | undefined) === undefined) return `--${name} is required`;
  }
  if (!Number.isInteger(companies) || companies < 1 || companies > MAX_COMPANIES)
    return `--companies must be a whole number from 1 to ${MAX_COMPANIES} (got ${String(companies)})`;
  if (!Number.isInteger(transfers) || transfers < 1 || transfers > MAX_TRANSFERS)
    return `--transfers must be a whole number from 1 to ${MAX_TRANSFERS} (got ${String(transfers)})`;
  if (!Number.isSafeInteger(seed) || seed < 0) return `--seed must be a whole number, 0 or more (got ${String(seed)})`;
  return undefined;
}

/** Company ids of a set: `co001`, `co002`… (at least three digits, so every id has 5+ characters). */
export function companyIds(count: number): string[] {
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, i) => `co${String(i + 1).padStart(width, '0')}`);
}

/** Companies whose ledger comes in two files (`co003.part1.csv`, `co003.part2.csv`). */
function isSplit(index: number): boolean {
  return index % 4 === 2;
}

/** The file names of a set, sorted. */
export function ledgerFileNames(companies: number): string[] {
  const names: string[] = [];
  companyIds(companies).forEach((id, index) => {
    if (isSplit(index)) names.push(`${id}.part1.csv`, `${id}.part2.csv`);
    else names.push(`${id}.csv`);
  });
  return names.sort(compareCodeUnits);
}

/**
 * The generator: yields chunks of text to append to files (every file of the
 * set gets at least its header) and returns a summary. Memory stays bounded
 * by the number of files, not the number of rows.
 */
export function* generateLedgerChunks(options: GenerateOptions): Generator<GeneratedChunk, GenerationSummary, undefined> {
  const problem = validateGenerateOptions(options);
  if (problem !== undefined) throw new RangeError(problem);
  const state = new LedgerGenerator(options);
  for (let step = 0; step < options.transfers; step++) {
    state.step(step);
    if (state.ready.length > 0) {
      yield* state.ready;
      state.ready.length = 0;
    }
  }
  state.finish();
  yield* state.ready;
  state.ready.length = 0;
  return state.summary();
}

/** A whole set in memory (for tests and small sets), files sorted by name. */
export function generateLedgers(options: GenerateOptions): GeneratedFile[] {
  return generateLedgerSet(options).files;
}

/** Like `generateLedgers`, with the summary. */
export function generateLedgerSet(options: GenerateOptions): { files: GeneratedFile[]; summary: GenerationSummary } {
  const texts = new Map<string, string[]>();
  const iterator = generateLedgerChunks(options);
  for (;;) {
    const next = iterator.next();
    if (next.done === true) {
      const files = [...texts.entries()]
        .map(([name, parts]) => ({ name, text: parts.join('') }))
        .sort((x, y) => compareCodeUnits(x.name, y.name));
      return { files, summary: next.value };
    }
    const parts = texts.get(next.value.file);
    if (parts === undefined) texts.set(next.value.file, [next.value.text]);
    else parts.push(next.value.text);
  }
}

class LedgerGenerator {
  readonly ready: GeneratedChunk[] = [];
  private readonly rng: Prng;
  private readonly companies: Company[];
  private readonly fileCount: number;
  private readonly chunkSize: number;
  private readonly averageStep: number;
  private readonly cutoff: number;
  private readonly dayCache: string[] = [];
  private readonly nextDue = new Map<ExceptionCode, number>();
  private readonly planted: Record<ExceptionCode, number> = {
    unmatched: 0,
    amount_mismatch: 0,
    date_mismatch: 0,
    kind_mismatch: 0,
    category_mismatch: 0,
    unfunded: 0,
    lookalike_counterparty: 0,
  };
  private readonly lookalikePairs = new Set<string>();
  private readonly plans: Plan[] = [];
  private planHead = 0;
  private now = 0;
  private rows = 0;
  private refSeq = 0;
  /** Every fifth company invests, each in a few others: the stakes of a set stay few, whatever its size (portfolio: every third, in any other). */
  private readonly investors: Company[];
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
    this.cutoff = Math.floor((options.transfers * this.averageStep) / 2 / DAY) * DAY;
    this.companies = companyIds(options.companies).map((id, index) => {
      const bom = index % 7 === 5 ? '\uFEFF' : '';
      const eol = index % 5 === 4 ? '\r\n' : '\n';
      const names = isSplit(index) ? [`${id}.part1.csv`, `${id}.part2.csv`] : [`${id}.csv`];
      return {
        id,
        index,
        sells: SELLS[index % SELLS.length] ?? ['cloud'],
        files: names.map((name) => ({ name, buffer: `${bom}${LEDGER_HEADER}${eol}` })),
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
    this.fileCount = this.companies.reduce((n, c) => n + c.files.length, 0);
    // Bounded buffering: about 8 MB in all, at most 8 KB per file. Small
    // chunks die young: big long-lived buffers made the garbage collector
    // dominate (1M transfers: 6 s with 64 KB chunks, 2.4 s with 8 KB).
    this.chunkSize = Math.max(512, Math.min(8192, Math.floor((8 * 1024 * 1024) / this.fileCount)));
    for (const code of EXCEPTION_CODES) {
      if (options.companies < 2 && INTERCOMPANY_CODES.has(code)) continue;
      this.nextDue.set(code, this.rng.int(Math.ceil(1 / EXCEPTION_RATES[code])));
    }
    for (const company of this.companies) {
      const amount = this.nominal(7, 8);
      this.emit(company, row(0, true, 'in', 'opening', 'other', '', amount, '', '', 'opening balance'));
      company.balance = amount;
    }
  }

  step(step: number): void {
    this.now += 1 + this.rng.int(2 * this.averageStep - 1);
    const code = this.firstDue(step);
    if (code !== undefined && this.plantException(code)) {
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
      for (const row of company.deferred) this.write(company, row);
      company.deferred.length = 0;
    }
    const files = this.companies.flatMap((c) => c.files).sort((x, y) => compareCodeUnits(x.name, y.name));
    for (const file of files) {
      if (file.buffer.length > 0) this.ready.push({ file: file.name, text: file.buffer });
      file.buffer = '';
    }
  }

  summary(): GenerationSummary {
    return {
      files: ledgerFileNames(this.options.companies),
      companies: this.options.companies,
      transfers: this.options.transfers,
      rows: this.rows,
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
        ? `${investor.id}-${investee.id}-${this.formatTime(this.now, true).slice(0, 4)}`
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
    this.emit(company, row(this.now, false, 'in', 'Bond investors', 'other', '', amount, '', '', 'bond issue proceeds'));
    this.emit(company, row(this.now, false, 'out', 'Custodian bank', 'other', '', amount, '', '', 'treasury sweep'));
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

  /** Plants one exception of the code; false when the set cannot take it right now (tried again next step). */
  private plantException(code: ExceptionCode): boolean {
    if (code === 'unfunded') return this.unfunded();
    if (code === 'lookalike_counterparty') return this.lookalike();
    const payer = this.fundedCompany();
    if (payer === undefined) return false;
    const payee = this.otherCompany(payer);
    const category = this.rng.pick(payee.sells);
    const amount = Math.min(this.nominal(3, 6), Math.floor(payer.balance * 0.25));
    const base: TransferSpec = { ...this.clean(payer, payee, 'purchase', category, amount, '', this.memo('purchase')), ref: this.nextRef() };
    switch (code) {
      case 'unmatched':
        this.transfer({ ...base, record: this.rng.chance(0.5) ? 'payer' : 'payee' });
        return true;
      case 'amount_mismatch': {
        const delta = Math.max(1, Math.floor((amount * this.rng.range(1, 30)) / 1000));
        const lower = this.rng.chance(0.7) && amount - delta >= 1;
        this.transfer({ ...base, payeeAmount: lower ? amount - delta : amount + delta, memo: lower ? 'net of wire fee' : 'includes late fee' });
        return true;
      }
      case 'date_mismatch':
        this.transfer({ ...base, payeeShiftDays: this.rng.range(1, 3), memo: 'booked on receipt' });
        return true;
      case 'kind_mismatch': {
        // The classic warning: the investor calls it an investment, the investee books revenue.
        const investor = this.rng.chance(0.6) ? this.fundedCompany(this.investors) : undefined;
        if (investor !== undefined) {
          const investee = this.rng.pick(investor.investees);
          const invested = Math.min(this.nominal(3, 6), Math.floor(investor.balance * 0.25));
          const spec = this.clean(investor, investee, 'purchase', this.rng.pick(investee.sells), invested, '', this.memo('investment'));
          this.transfer({ ...spec, ref: this.nextRef(), payerKind: 'investment', payerCategory: '' });
        } else {
          this.transfer({ ...base, payerKind: 'other', payerCategory: '', memo: this.memo('other') });
        }
        return true;
      }
      case 'category_mismatch': {
        const others = CATEGORIES.filter((c) => c !== category);
        this.transfer({ ...base, payeeCategory: this.rng.pick(others) });
        return true;
      }
    }
  }

  /** A payment larger than the payer's balance: the uncovered part is unfunded. */
  private unfunded(): boolean {
    const payer = this.anyCompany();
    const amount = payer.balance + this.nominal(5, 7);
    if (this.companies.length >= 2 && this.rng.chance(0.5)) {
      const payee = this.otherCompany(payer);
      this.transfer({ ...this.clean(payer, payee, 'purchase', this.rng.pick(payee.sells), amount, '', 'prepayment'), ref: this.nextRef() });
    } else {
      this.external(payer, 'out', 'Shareholders', 'other', '', amount, 'special dividend');
    }
    return true;
  }

  /** An external counterparty one edit from (or equal after normalising to) a company id. */
  private lookalike(): boolean {
    const company = this.anyCompany();
    const target = this.anyCompany();
    const name = lookalikeName(target.id, this.rng);
    this.lookalikePairs.add(`${company.id}\u0000${name}`);
    const amount = Math.min(this.nominal(3, 5), Math.floor(company.balance * 0.2));
    if (amount < MIN_FUNDS || this.rng.chance(0.6)) {
      this.external(company, 'in', name, 'revenue', this.rng.pick(company.sells), this.nominal(3, 6), '');
    } else {
      this.external(company, 'out', name, 'purchase', this.rng.pick(target.sells), amount, '');
    }
    return true;
  }

  // ---- transfers and rows -------------------------------------------------

  private clean(payer: Company, payee: Company, kind: 'purchase' | 'investment' | 'other', category: string, amount: number, deal: string, memo: string): TransferSpec {
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

  private transfer(spec: TransferSpec): void {
    const { payer, payee, ref, deal, memo } = spec;
    if (spec.record !== 'payee') {
      this.emit(payer, row(this.now, false, 'out', payee.id, spec.payerKind, spec.payerCategory, spec.amount, ref, deal, memo));
    }
    if (spec.record !== 'payer') {
      const time = this.now + spec.payeeShiftDays * DAY;
      const received = row(time, false, 'in', payer.id, spec.payeeKind, spec.payeeCategory, spec.payeeAmount, ref, deal, memo);
      if (spec.payeeShiftDays > 0) this.defer(payee, received);
      else this.emit(payee, received);
    }
    // SPEC §3.2: a side never recorded is traced as recorded with the same amount.
    spec.payer.balance = Math.max(0, spec.payer.balance - spec.amount);
    spec.payee.balance += spec.record === 'payer' ? spec.amount : spec.payeeAmount;
  }

  private external(company: Company, direction: Direction, counterparty: string, kind: Kind, category: string, amount: number, memo: string): void {
    this.emit(company, row(this.now, false, direction, counterparty, kind, category, amount, '', '', memo));
    company.balance = direction === 'in' ? company.balance + amount : Math.max(0, company.balance - amount);
  }

  private defer(company: Company, row: Row): void {
    const list = company.deferred;
    let i = list.length;
    while (i > 0 && (list[i - 1] as Row).time > row.time) i--;
    list.splice(i, 0, row);
  }

  /** Writes a row now, after any held-back row of the company dated at or before it. */
  private emit(company: Company, row: Row): void {
    const list = company.deferred;
    if (list.length > 0) {
      let n = 0;
      while (n < list.length && (list[n] as Row).time <= row.time) this.write(company, list[n++] as Row);
      if (n > 0) list.splice(0, n);
    }
    this.write(company, row);
  }

  private write(company: Company, row: Row): void {
    const file = (company.files.length > 1 && row.time >= this.cutoff ? company.files[1] : company.files[0]) as FileState;
    company.rowSeq++;
    this.rows++;
    file.buffer +=
      `JE${String(company.rowSeq).padStart(7, '0')},${this.formatTime(row.time, row.dateOnly)},${row.direction},` +
      `${csvField(row.counterparty)},${row.kind},${row.category},${typeof row.amount === 'string' ? row.amount : formatCents(row.amount)},${CURRENCY},` +
      `${row.ref},${row.deal},${csvField(row.memo)}${company.eol}`;
    if (file.buffer.length >= this.chunkSize) {
      this.ready.push({ file: file.name, text: file.buffer });
      file.buffer = '';
    }
  }

  private formatTime(time: number, dateOnly: boolean): string {
    const day = Math.floor(time / DAY);
    let date = this.dayCache[day];
    if (date === undefined) {
      date = new Date(START_MS + day * DAY * 1000).toISOString().slice(0, 10);
      this.dayCache[day] = date;
    }
    if (dateOnly) return date;
    const seconds = time - day * DAY;
    const hh = Math.floor(seconds / 3600);
    const mm = Math.floor((seconds % 3600) / 60);
    const ss = seconds % 60;
    return `${date}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
  }

  // ---- helpers -----------------------------------------------------------

  private anyCompany(): Company {
    return this.rng.pick(this.companies);
  }

  private otherCompany(company: Company): Company {
    const i = this.rng.int(this.companies.length - 1);
    return this.companies[i >= company.index ? i + 1 : i] as Company;
  }

  /** A company able to pay (a few random tries), or undefined. */
  private fundedCompany(among: readonly Company[] = this.companies): Company | undefined {
    if (among.length === 0) return undefined;
    for (let tries = 0; tries < 8; tries++) {
      const company = this.rng.pick(among);
      if (company.balance >= 4 * MIN_FUNDS) return company;
    }
    return undefined;
  }

  /** An amount in cents from 10^lo to just under 10^(hi+1) dollars, spread over the decades. */
  private nominal(lo: number, hi: number): number {
    const decade = 10 ** (this.rng.range(lo, hi) + this.scale);
    return (decade + this.rng.int(9 * decade)) * 100 + this.rng.int(100);
  }

  private memo(kind: keyof typeof MEMOS): string {
    if (this.rng.chance(0.001)) return this.rng.pick(ODD_MEMOS);
    return this.rng.pick(MEMOS[kind]);
  }

  private nextRef(): string {
    return `RT${String(++this.refSeq).padStart(8, '0')}`;
  }
}

/** A name that looks like `id` (SPEC §2): equal after normalising, or one edit away. */
export function lookalikeName(id: string, rng: Prng): string {
  const digits = id.slice(2);
  const variants = [id.toUpperCase(), `Co${digits}`, `co ${digits}`, `co_${digits}`, `${id}x`];
  const zero = id.lastIndexOf('0');
  if (zero >= 2) variants.push(`${id.slice(0, zero)}O${id.slice(zero + 1)}`);
  return rng.pick(variants);
}

/** Rows are built in one place so that they all share one object shape (fast property access). */
function row(time: number, dateOnly: boolean, direction: Direction, counterparty: string, kind: Kind, category: string, amount: number | string, ref: string, deal: string, memo: string): Row {
  return { time, dateOnly, direction, counterparty, kind, category, amount, ref, deal, memo };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function formatCents(cents: number): string {
  const units = Math.floor(cents / 100);
  return `${units}.${pad2(cents - units * 100)}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function compareCodeUnits(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
