/**
 * The exceptions a generated set carries on purpose (SPEC §2, §3.2): a
 * small, known share of every code, planted into the simulated economy
 * (economy.ts), which counts them so that a test can check that the tool
 * reports exactly those.
 */
import { EXCEPTION_CODES, type ExceptionCode } from '../model.js';
import type { Prng } from './prng.js';
import { CATEGORIES, type Company, type Direction, type LineKind, MIN_FUNDS, type TransferSpec } from './shapes.js';

export { EXCEPTION_CODES, type ExceptionCode };

/** Share of transfers (per code) that carry each planted exception. */
export const EXCEPTION_RATES: Readonly<Record<ExceptionCode, number>> = {
  unmatched: 0.004,
  amount_mismatch: 0.0025,
  fx_difference: 0, // a generated set is in one currency
  date_mismatch: 0.0025,
  kind_mismatch: 0.0025,
  category_mismatch: 0.0025,
  unfunded: 0.0015,
  lookalike_counterparty: 0.002,
};
export const INTERCOMPANY_CODES: ReadonlySet<ExceptionCode> = new Set([
  'unmatched',
  'amount_mismatch',
  'date_mismatch',
  'kind_mismatch',
  'category_mismatch',
]);

/** What planting an exception needs of the economy. */
export interface Economy {
  readonly rng: Prng;
  readonly companies: readonly Company[];
  readonly investors: readonly Company[];
  /** Distinct (company, name) pairs of planted lookalikes. */
  readonly lookalikePairs: Set<string>;
  anyCompany(): Company;
  otherCompany(company: Company): Company;
  fundedCompany(among?: readonly Company[]): Company | undefined;
  nominal(lo: number, hi: number): number;
  memo(kind: LineKind): string;
  nextRef(): string;
  clean(payer: Company, payee: Company, kind: Exclude<LineKind, 'revenue'>, category: string, amount: number, deal: string, memo: string): TransferSpec;
  transfer(spec: TransferSpec): void;
  external(company: Company, direction: Direction, counterparty: string, kind: LineKind, category: string, amount: number, memo: string): void;
}

/** Plants one exception of the code; false when the set cannot take it right now (tried again next step). */
export function plantException(e: Economy, code: ExceptionCode): boolean {
  if (code === 'unfunded') return unfunded(e);
  if (code === 'lookalike_counterparty') return lookalike(e);
  if (code === 'fx_difference') return false;
  const payer = e.fundedCompany();
  if (payer === undefined) return false;
  const payee = e.otherCompany(payer);
  const category = e.rng.pick(payee.sells);
  const amount = Math.min(e.nominal(3, 6), Math.floor(payer.balance * 0.25));
  const base: TransferSpec = { ...e.clean(payer, payee, 'purchase', category, amount, '', e.memo('purchase')), ref: e.nextRef() };
  switch (code) {
    case 'unmatched':
      e.transfer({ ...base, record: e.rng.chance(0.5) ? 'payer' : 'payee' });
      return true;
    case 'amount_mismatch': {
      const delta = Math.max(1, Math.floor((amount * e.rng.range(1, 30)) / 1000));
      const lower = e.rng.chance(0.7) && amount - delta >= 1;
      e.transfer({ ...base, payeeAmount: lower ? amount - delta : amount + delta, memo: lower ? 'net of wire fee' : 'includes late fee' });
      return true;
    }
    case 'date_mismatch':
      e.transfer({ ...base, payeeShiftDays: e.rng.range(1, 3), memo: 'booked on receipt' });
      return true;
    case 'kind_mismatch': {
      // The classic warning: the investor calls it an investment, the investee books revenue.
      const investor = e.rng.chance(0.6) ? e.fundedCompany(e.investors) : undefined;
      if (investor !== undefined) {
        const investee = e.rng.pick(investor.investees);
        const invested = Math.min(e.nominal(3, 6), Math.floor(investor.balance * 0.25));
        const spec = e.clean(investor, investee, 'purchase', e.rng.pick(investee.sells), invested, '', e.memo('investment'));
        e.transfer({ ...spec, ref: e.nextRef(), payerKind: 'investment', payerCategory: '' });
      } else {
        e.transfer({ ...base, payerKind: 'other', payerCategory: '', memo: e.memo('other') });
      }
      return true;
    }
    case 'category_mismatch': {
      const others = CATEGORIES.filter((c) => c !== category);
      e.transfer({ ...base, payeeCategory: e.rng.pick(others) });
      return true;
    }
  }
}

/** A payment larger than the payer's balance: the uncovered part is unfunded. */
function unfunded(e: Economy): boolean {
  const payer = e.anyCompany();
  const amount = payer.balance + e.nominal(5, 7);
  if (e.companies.length >= 2 && e.rng.chance(0.5)) {
    const payee = e.otherCompany(payer);
    e.transfer({ ...e.clean(payer, payee, 'purchase', e.rng.pick(payee.sells), amount, '', 'prepayment'), ref: e.nextRef() });
  } else {
    e.external(payer, 'out', 'Shareholders', 'other', '', amount, 'special dividend');
  }
  return true;
}

/** An external counterparty one edit from (or equal after normalising to) a company id. */
function lookalike(e: Economy): boolean {
  const company = e.anyCompany();
  const target = e.anyCompany();
  const name = lookalikeName(target.id, e.rng);
  e.lookalikePairs.add(`${company.id}\u0000${name}`);
  const amount = Math.min(e.nominal(3, 5), Math.floor(company.balance * 0.2));
  if (amount < MIN_FUNDS || e.rng.chance(0.6)) {
    e.external(company, 'in', name, 'revenue', e.rng.pick(company.sells), e.nominal(3, 6), '');
  } else {
    e.external(company, 'out', name, 'purchase', e.rng.pick(target.sells), amount, '');
  }
  return true;
}

/** A name that looks like `id` (SPEC §2): equal after normalising, or one edit away. */
export function lookalikeName(id: string, rng: Prng): string {
  const digits = id.slice(2);
  const variants = [id.toUpperCase(), `Co${digits}`, `co ${digits}`, `co_${digits}`, `${id}x`];
  const zero = id.lastIndexOf('0');
  if (zero >= 2) variants.push(`${id.slice(0, zero)}O${id.slice(zero + 1)}`);
  return rng.pick(variants);
}
