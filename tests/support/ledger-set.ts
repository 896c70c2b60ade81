/**
 * A fast-check arbitrary for small valid ledger sets (SPEC §1), with an
 * oracle computed without the tool: the money every company received and
 * paid, what was unfunded and the closing balance (SPEC §2, §3.2 step 1),
 * and how much each investor invested in other ledger companies.
 *
 * Shape: 2–5 companies (`alpha`…`echo`), opening balances, external revenue
 * and funding, external outflows, investments and purchases between the
 * companies (refs on both sides, sometimes no ref, matched by date, amount
 * and kind), occasional deals (earmarks), unmatched sides, a ref on one side
 * only, amount, date, kind and category mismatches. Ids, memos and external
 * names sometimes carry hostile text (formula starts, quotes, commas, line
 * breaks, non-ASCII). Amounts go up to 15 integer digits, in USD, JPY or KWD,
 * written in any valid form (`100.5`, `0100.50`).
 *
 * Invariants that keep the properties true by construction:
 * - within a company every row has its own timestamp (event i is at hour i;
 *   a payee row dated differently is at hh:30 the next day), so any reorder
 *   of a company's rows is a reorder of rows whose timestamps differ;
 * - rows matched without a ref are unique by (payer, payee, day, amount,
 *   kind class), so the k-th pairing of SPEC §2 never depends on row order;
 * - external names start with `ext:` (never a company id, never a lookalike).
 */
import fc from 'fast-check';

export const COMPANY_POOL = ['alpha', 'bravo', 'charlie', 'delta', 'echo'] as const;
export const COLUMNS = ['id', 'date', 'direction', 'counterparty', 'kind', 'category', 'amount', 'currency', 'ref', 'deal', 'memo'] as const;
export type Column = (typeof COLUMNS)[number];
export type LedgerRow = Record<Column, string>;

export interface Books {
  received: bigint;
  paid: bigint;
  unfunded: bigint;
  balance: bigint;
}

export interface LedgerSet {
  readonly currency: string;
  readonly digits: number;
  readonly companies: readonly string[];
  /** Each company's rows, in the order generated. */
  readonly rows: ReadonlyMap<string, readonly LedgerRow[]>;
  /** The oracle: each company's books as SPEC §3.2 moves the money. */
  readonly books: ReadonlyMap<string, Books>;
  /** Per investor, the payer amounts of the investments that create its stakes. */
  readonly invested: ReadonlyMap<string, bigint>;
  /** Some transfer arrives with a different amount than it left with (stakes rescaled). */
  readonly rescaled: boolean;
  /** Counts, for the record. */
  readonly stats: { readonly intercompany: number; readonly unmatched: number; readonly mismatched: number; readonly deals: number; readonly noRef: number };
}

const CURRENCIES = [
  { currency: 'USD', digits: 2 },
  { currency: 'JPY', digits: 0 },
  { currency: 'KWD', digits: 3 },
] as const;

/** Text that reaches the reports and the spreadsheet: formula starts, CSV metacharacters, non-ASCII. */
export const HOSTILE_TEXT = [
  '=1+1',
  '=HYPERLINK("http://x","y")',
  '+1',
  '-2',
  '@SUM(A1)',
  '\tx',
  ' =x',
  "'q",
  'Société Générale',
  'a, b',
  'say "hi"',
  'line1\nline2',
  'crlf\r\nx',
  '株式会社',
  '＝1',
  '🚀',
] as const;

const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).map((t) => [...t].slice(0, 24).join('')) },
);

/** A low-probability flag: true once in `n`. */
const rarely = (n: number): fc.Arbitrary<boolean> => fc.nat({ max: n - 1 }).map((x) => x === 0);

/** A value once in `n`, else null. */
const sometimes = <T>(arb: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

/** Minor units: small, medium or up to 15 integer digits (scaled to the currency later). */
const magnitude = fc.oneof(
  { weight: 3, arbitrary: fc.bigInt(1n, 1_000n) },
  { weight: 4, arbitrary: fc.bigInt(1n, 10_000_000n) },
  { weight: 1, arbitrary: fc.bigInt(1n, 999_999_999_999_999n) },
);

/** Opening balances: mostly large enough to fund the flows, sometimes tiny. */
const opening = fc.oneof({ weight: 6, arbitrary: fc.bigInt(10_000_000n, 100_000_000_000n) }, { weight: 1, arbitrary: fc.bigInt(1n, 1_000n) });

/**
 * What an event does. `buyback`: the investee of an earlier investment buys
 * from its investor (the loop of SPEC §3); `onward`: the investee pays a third
 * company (money travels on, for indirect loops).
 */
const SHAPES = ['ext-in', 'ext-in', 'fund', 'ext-out', 'invest', 'invest', 'buy', 'buy', 'buyback', 'buyback', 'buyback', 'onward', 'other'] as const;
type Shape = (typeof SHAPES)[number];

const eventSpec = fc.record({
  shape: fc.constantFrom(...SHAPES),
  payer: fc.nat(),
  payee: fc.nat(),
  amount: magnitude,
  /** Investments are large, like the deals they model. */
  stake: fc.bigInt(1_000_000n, 100_000_000_000n),
  record: fc.constantFrom('both', 'both', 'both', 'both', 'both', 'both', 'both', 'both', 'payer', 'payee'),
  refMode: fc.constantFrom('ref', 'ref', 'ref', 'ref', 'ref', 'noref', 'noref', 'noref', 'half'),
  payerDeal: sometimes(fc.constantFrom('D1', '-D2', 'deal.3'), 3),
  payeeDeal: sometimes(fc.constantFrom('D1', '-D2', 'deal.3'), 6),
  category: fc.constantFrom('cloud', 'chips', 'api'),
  bump: sometimes(fc.bigInt(-3n, 5n), 10),
  dateMismatch: rarely(15),
  kindMismatch: rarely(12),
  categoryMismatch: rarely(15),
  idText: sometimes(hostile, 3),
  nameText: sometimes(hostile, 3),
  memo: sometimes(fc.oneof(hostile, fc.string({ unit: 'grapheme', maxLength: 20 })), 2),
  amountStyle: fc.nat({ max: 3 }),
});
type EventSpec = typeof eventSpec extends fc.Arbitrary<infer T> ? T : never;

const setSpec = fc.record({
  n: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 2, max: 3 }) }, { weight: 2, arbitrary: fc.integer({ min: 4, max: 5 }) }),
  currency: fc.constantFrom(...CURRENCIES),
  openings: fc.array(fc.oneof({ weight: 7, arbitrary: opening }, { weight: 1, arbitrary: fc.constant(null) }), { minLength: 5, maxLength: 5 }),
  events: fc.array(eventSpec, { minLength: 1, maxLength: 40, size: 'max' }),
});

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Event slot i: its date part and timestamp text (hour i of the run; the payee side of a date mismatch: hh:30 the day after). */
function when(slot: number, shifted = false): { day: string; date: string } {
  const day = 1 + Math.floor(slot / 24) + (shifted ? 1 : 0);
  const hour = slot % 24;
  const dayText = `2026-01-${pad2(day)}`;
  if (shifted) return { day: dayText, date: `${dayText}T${pad2(hour)}:30` };
  // Three ways of writing a time: date only (00:00:00), HH:MM, HH:MM:SS.
  const date = hour === 0 ? dayText : slot % 2 === 0 ? `${dayText}T${pad2(hour)}:00` : `${dayText}T${pad2(hour)}:00:00`;
  return { day: dayText, date };
}

/** A valid written form of an amount (SPEC §1): canonical, trailing zeros dropped, or leading zeros added. */
export function amountText(minor: bigint, digits: number, style = 0): string {
  const s = minor.toString().padStart(digits + 1, '0');
  let whole = s.slice(0, s.length - digits);
  let fraction = s.slice(s.length - digits);
  if (style === 1) fraction = fraction.replace(/0+$/, '');
  if (style === 2 && whole.length < 15) whole = `0${whole}`;
  if (style === 3) fraction = fraction.replace(/0$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

function complement(kind: string): string {
  return kind === 'purchase' ? 'revenue' : kind === 'revenue' ? 'purchase' : kind;
}

function kindClass(kind: string): string {
  return kind === 'purchase' || kind === 'revenue' ? 't' : kind;
}

interface Movement {
  readonly slot: number;
  readonly half: number;
  readonly from: string | null;
  readonly to: string | null;
  readonly a: bigint;
  readonly b: bigint;
  /** The payer side's kind (its row's, or the complement of the payee's). */
  readonly payerKind: string;
}

function build(spec: typeof setSpec extends fc.Arbitrary<infer T> ? T : never): LedgerSet {
  const { currency, digits } = spec.currency;
  const companies = COMPANY_POOL.slice(0, spec.n);
  const rows = new Map<string, LedgerRow[]>(companies.map((c) => [c, []]));
  const movements: Movement[] = [];
  const noRefKeys = new Set<string>();
  const stats = { intercompany: 0, unmatched: 0, mismatched: 0, deals: 0, noRef: 0 };
  let rescaled = false;
  // Amounts scale with the currency: 1 minor unit of JPY is worth ~100 of USD; cap at 15 integer digits.
  const cap = 10n ** BigInt(15 + digits) - 1n;
  const scaled = (m: bigint): bigint => {
    const v = digits === 0 ? m / 100n + 1n : digits === 3 ? m * 10n : m;
    return v > cap ? cap : v;
  };
  const idOf = (slot: number, side: string, text: string | null): string => (text === null ? `${side}${slot}` : `${text}#${side}${slot}`);
  const push = (company: string, row: Omit<LedgerRow, 'currency'>): void => {
    (rows.get(company) as LedgerRow[]).push({ ...row, currency });
  };
  let slot = 0;

  // Opening balances first.
  companies.forEach((c, k) => {
    const m = spec.openings[k];
    if (m === null || m === undefined) return;
    const amount = scaled(m);
    const { date } = when(slot);
    push(c, { id: `open${slot}`, date, direction: 'in', counterparty: 'opening', kind: 'other', category: '', amount: amountText(amount, digits), ref: '', deal: '', memo: 'opening balance' });
    movements.push({ slot, half: 0, from: null, to: c, a: amount, b: amount, payerKind: 'other' });
    slot++;
  });

  const investments: { investor: number; investee: number; amount: bigint }[] = [];
  for (const e of spec.events) {
    const s = slot++;
    let shape: Shape = e.shape;
    let p = e.payer % companies.length;
    let q = (p + 1 + (e.payee % (companies.length - 1))) % companies.length;
    let amount = scaled(e.amount);
    const earlier = investments[e.payee % Math.max(1, investments.length)];
    if ((shape === 'buyback' || shape === 'onward') && earlier !== undefined) {
      // Spend part of an earlier investment: back to the investor, or on to another company.
      p = earlier.investee;
      q = shape === 'buyback' ? earlier.investor : (p + 1 + (e.payer % (companies.length - 1))) % companies.length;
      amount = (amount % earlier.amount) + 1n;
    } else if (shape === 'buyback' || shape === 'onward') shape = 'buy';
    if (shape === 'invest') {
      if (e.amountStyle !== 0) amount = scaled(e.stake);
      investments.push({ investor: p, investee: q, amount });
    }
    const payer = companies[p] as string;
    const payee = companies[q] as string;
    const text = amountText(amount, digits, e.amountStyle);
    const memo = e.memo ?? '';
    const external = `ext:${e.nameText ?? 'party'}`;
    const { day, date } = when(s);
    if (shape === 'ext-in' || shape === 'fund') {
      const kind = shape === 'fund' ? (s % 2 === 0 ? 'investment' : 'other') : 'revenue';
      push(payee, {
        id: idOf(s, 'x', e.idText),
        date,
        direction: 'in',
        counterparty: external,
        kind,
        category: kind === 'revenue' ? e.category : '',
        amount: text,
        ref: '',
        deal: e.payeeDeal ?? '',
        memo,
      });
      movements.push({ slot: s, half: 0, from: null, to: payee, a: amount, b: amount, payerKind: complement(kind) });
      continue;
    }
    if (shape === 'ext-out') {
      const kind = s % 3 === 0 ? 'other' : 'purchase';
      push(payer, {
        id: idOf(s, 'x', e.idText),
        date,
        direction: 'out',
        counterparty: external,
        kind,
        category: kind === 'purchase' ? e.category : '',
        amount: text,
        ref: '',
        deal: e.payerDeal ?? '',
        memo,
      });
      if (e.payerDeal !== null) stats.deals++;
      movements.push({ slot: s, half: 0, from: payer, to: null, a: amount, b: amount, payerKind: kind });
      continue;
    }

    // Intercompany.
    stats.intercompany++;
    const payerKind = shape === 'invest' || (shape === 'onward' && s % 3 === 0) ? 'investment' : shape === 'other' ? 'other' : 'purchase';
    let refMode: string = e.refMode;
    if (refMode === 'half' && e.record !== 'both') refMode = 'ref';
    const both = e.record === 'both';
    const mismatch = both && refMode === 'ref';
    let payeeKind = complement(payerKind);
    if (mismatch && e.kindMismatch) payeeKind = payerKind === 'purchase' ? 'other' : 'revenue';
    const b = mismatch && e.bump !== null && amount + e.bump > 0n && amount + e.bump <= cap ? amount + e.bump : amount;
    const payeeWhen = mismatch && e.dateMismatch ? when(s, true) : { day, date };
    const payerCategory = payerKind === 'purchase' ? e.category : '';
    const payeeCategory = payeeKind === 'revenue' ? (mismatch && e.categoryMismatch ? `${e.category}-x` : e.category) : '';
    // Rows matched (or left unmatched) without a ref must be unique by (payer, payee, day, amount, kind class).
    if (refMode !== 'ref') {
      const noRefKey = `${payer}|${payee}|${day}|${amount}|${kindClass(payerKind)}`;
      if (noRefKeys.has(noRefKey)) refMode = 'ref';
      else noRefKeys.add(noRefKey);
    }
    if (refMode === 'noref') stats.noRef++;
    const ref = `R${s}`;
    const payerRef = refMode === 'ref' || refMode === 'half' ? ref : '';
    const payeeRef = refMode === 'ref' ? ref : '';
    const payerRow: LedgerRow = {
      id: idOf(s, 'p', e.idText),
      date,
      direction: 'out',
      counterparty: payee,
      kind: payerKind,
      category: payerCategory,
      amount: text,
      currency,
      ref: payerRef,
      deal: e.payerDeal ?? '',
      memo,
    };
    const payeeRow: LedgerRow = {
      id: idOf(s, 'q', e.idText),
      date: payeeWhen.date,
      direction: 'in',
      counterparty: payer,
      kind: payeeKind,
      category: payeeCategory,
      amount: amountText(b, digits),
      currency,
      ref: payeeRef,
      deal: e.payeeDeal ?? '',
      memo,
    };
    if (e.payerDeal !== null || e.payeeDeal !== null) stats.deals++;
    if (e.record !== 'payee') (rows.get(payer) as LedgerRow[]).push(payerRow);
    if (e.record !== 'payer') (rows.get(payee) as LedgerRow[]).push(payeeRow);
    if (both && refMode !== 'half') {
      if (b !== amount) rescaled = true;
      if (b !== amount || payeeKind !== complement(payerKind) || payeeWhen.day !== day || payeeCategory !== payerCategory) stats.mismatched++;
      movements.push({ slot: s, half: 0, from: payer, to: payee, a: amount, b, payerKind });
    } else {
      // One side recorded, or a ref on one side only: each recorded side is its own transfer (SPEC §2, §7).
      if (e.record !== 'payee') {
        stats.unmatched++;
        movements.push({ slot: s, half: 0, from: payer, to: payee, a: amount, b: amount, payerKind });
      }
      if (e.record !== 'payer') {
        stats.unmatched++;
        movements.push({ slot: s, half: 1, from: payer, to: payee, a: b, b, payerKind: complement(payeeKind) });
      }
    }
  }

  // The oracle: replay the movements in time order (SPEC §3.2 step 1: an outflow beyond the balance is unfunded).
  const books = new Map<string, Books>(companies.map((c) => [c, { received: 0n, paid: 0n, unfunded: 0n, balance: 0n }]));
  const invested = new Map<string, bigint>(companies.map((c) => [c, 0n]));
  for (const m of [...movements].sort((x, y) => x.slot - y.slot || x.half - y.half)) {
    if (m.from !== null) {
      const book = books.get(m.from) as Books;
      book.paid += m.a;
      if (m.a > book.balance) {
        book.unfunded += m.a - book.balance;
        book.balance = 0n;
      } else book.balance -= m.a;
      if (m.payerKind === 'investment' && m.to !== null) invested.set(m.from, (invested.get(m.from) as bigint) + m.a);
    }
    if (m.to !== null) {
      const book = books.get(m.to) as Books;
      book.received += m.b;
      book.balance += m.b;
    }
  }
  return { currency, digits, companies, rows, books, invested, rescaled, stats };
}

/** Small valid ledger sets with their oracle. */
export const ledgerSet: fc.Arbitrary<LedgerSet> = setSpec.map(build);

export interface Layout {
  /** Column order of every file (default: COLUMNS). */
  readonly columns?: readonly Column[];
  readonly eol?: '\n' | '\r\n';
  readonly bom?: boolean;
  /** Quote every field (default: only where needed). */
  readonly quoteAll?: boolean;
  /** Per company: row positions (into its rows) of each file, in file order; files are named COMPANY.1.csv, COMPANY.2.csv… */
  readonly split?: ReadonlyMap<string, readonly (readonly number[])[]>;
  /** Per company: the order of its rows (a permutation of its row positions) when not split. */
  readonly order?: ReadonlyMap<string, readonly number[]>;
}

function field(value: string, quoteAll: boolean): string {
  return quoteAll || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export interface WrittenLedgers {
  readonly files: { name: string; bytes: Uint8Array }[];
  /** `company id` → `file:line`: the physical line each row starts on (what reports cite as its source). */
  readonly sources: ReadonlyMap<string, string>;
}

/** The ledger files of a set, and where each row landed. */
export function writeLedgers(set: LedgerSet, layout: Layout = {}): WrittenLedgers {
  const columns = layout.columns ?? COLUMNS;
  const eol = layout.eol ?? '\n';
  const quoteAll = layout.quoteAll ?? false;
  const encoder = new TextEncoder();
  const sources = new Map<string, string>();
  const file = (name: string, company: string, rows: readonly LedgerRow[]): { name: string; bytes: Uint8Array } => {
    let text = `${layout.bom === true ? '\uFEFF' : ''}${columns.join(',')}${eol}`;
    let line = 2;
    for (const r of rows) {
      sources.set(`${company} ${r.id}`, `${name}:${line}`);
      const record = `${columns.map((c) => field(r[c], quoteAll)).join(',')}${eol}`;
      text += record;
      line += record.split('\n').length - 1;
    }
    return { name, bytes: encoder.encode(text) };
  };
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (const c of set.companies) {
    const rows = set.rows.get(c) as readonly LedgerRow[];
    const parts = layout.split?.get(c);
    if (parts !== undefined) {
      parts.forEach((positions, k) => files.push(file(`${c}.${k + 1}.csv`, c, positions.map((p) => rows[p] as LedgerRow))));
    } else {
      const order = layout.order?.get(c);
      files.push(file(`${c}.csv`, c, order === undefined ? rows : order.map((p) => rows[p] as LedgerRow)));
    }
  }
  return { files, sources };
}

/** The ledger files of a set, as the loader's inputs. */
export function ledgerFiles(set: LedgerSet, layout: Layout = {}): { name: string; bytes: Uint8Array }[] {
  return writeLedgers(set, layout).files;
}

/** A company that trades only with external parties (for the isolation property). */
export function soloCompany(id: string, currency: string, digits: number, slots: readonly number[]): LedgerRow[] {
  return slots.map((slot, k) => ({
    id: `solo${k}`,
    date: when(slot).date,
    direction: k === 0 || k % 2 === 1 ? 'in' : 'out',
    counterparty: k === 0 ? 'opening' : k % 2 === 1 ? 'ext:customers' : 'ext:suppliers',
    kind: k === 0 ? 'other' : k % 2 === 1 ? 'revenue' : 'purchase',
    category: k === 0 ? '' : 'cloud',
    amount: amountText(BigInt(100 + 37 * k) * 10n ** BigInt(digits), digits),
    currency,
    ref: '',
    deal: k % 4 === 2 ? 'D1' : '',
    memo: `solo ${id}`,
  }));
}

/** A small deterministic PRNG (mulberry32), for permutations derived from a generated seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A permutation of 0..n-1 drawn from `random`. */
export function permutation(n: number, random: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

export type { EventSpec };
