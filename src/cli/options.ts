/** Options shared by several commands, defined once. */
import type { Argv } from 'yargs';
import { usageError } from '../errors.js';
import type { Jobs, ReadOptions } from '../load/read.js';
import { METHODS, type Method, isMethod } from '../trace/methods.js';

/** The parsed options of a builder's result (`Argv<T>` → `T`): command types follow their builders, no cast. */
export type ArgsOf<A> = A extends Argv<infer T> ? T : never;

export function withLedgers<T>(y: Argv<T>) {
  return y
    .option('ledgers', { type: 'string', default: 'ledgers', describe: 'folder of ledger CSV files (one or more per company)', requiresArg: true })
    .option('jobs', {
      type: 'string',
      default: 'auto',
      describe: 'threads that read the ledger files and trace: a number, or auto (up to 2, one per core, for sets of 16 MB or 200,000 transfers and more)',
      requiresArg: true,
    })
    .option('ownership', {
      type: 'string',
      describe: 'declared holdings, date,holder,held,percent (see docs/exposure.md); replaces the ledger folder\'s _ownership.csv',
      requiresArg: true,
    })
    .option('currency', { type: 'string', describe: 'the reporting currency, e.g. USD (default: the first currency in the ledgers); other rows are converted at the rates of _rates.csv or --rates (see docs/currencies.md)', requiresArg: true })
    .option('rates', { type: 'string', describe: 'the rates file (date,from,to,rate), instead of the ledger folder\'s _rates.csv', requiresArg: true });
}

/** --currency and --rates as the loader takes them; a currency that is not a code is a usage error. */
export function currencyOf(args: { currency?: unknown; rates?: unknown }): { currency?: string; rates?: string } {
  const out: { currency?: string; rates?: string } = {};
  if (args.currency !== undefined) {
    const text = String(args.currency);
    if (!/^[A-Z]{3}$/.test(text)) {
      const fixed = text.trim().toUpperCase();
      throw usageError(`--currency ${JSON.stringify(text)} is not a currency code (${/^[A-Z]{3}$/.test(fixed) ? `write ${fixed}` : 'expected three upper-case letters such as USD'})`);
    }
    out.currency = text;
  }
  if (args.rates !== undefined) out.rates = String(args.rates);
  return out;
}

/** --ownership FILE, when given. */
export function ownershipOf(value: unknown): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** The options of `withLedgers` as the reader takes them (--jobs, --ownership, --currency, --rates, checked in that order). */
export function readOptionsOf(args: { jobs?: unknown; ownership?: unknown; currency?: unknown; rates?: unknown }): ReadOptions {
  return { jobs: jobsOf(args.jobs), ownership: ownershipOf(args.ownership), ...currencyOf(args) };
}

const MAX_JOBS = 64;

/** --jobs: `auto` or a whole number from 1 to 64. */
export function jobsOf(value: unknown): Jobs {
  const text = String(value);
  if (text === 'auto') return 'auto';
  if (/^[0-9]+$/.test(text) && Number(text) >= 1 && Number(text) <= MAX_JOBS) return Number(text);
  throw usageError(`--jobs ${JSON.stringify(text)} is not a number of threads (expected auto or a whole number from 1 to ${MAX_JOBS})`);
}

export function withPeriods<T>(y: Argv<T>) {
  return y.option('period', {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'YYYY-MM, YYYY or YYYY-MM..YYYY-MM (one folder a month); repeatable',
    requiresArg: true,
  });
}

export function withMethod<T>(y: Argv<T>) {
  return y
    .option('method', { type: 'string', default: 'pro-rata', choices: METHODS as unknown as string[], describe: 'which money an outflow takes (see docs/tracing.md)', requiresArg: true })
    .option('earmark', { type: 'boolean', default: true, describe: 'draw deal-tagged outflows from that deal\'s stakes first (--no-earmark to turn off)' });
}

export function methodOf(value: unknown): Method {
  const text = String(value);
  if (!isMethod(text)) throw usageError(`--method ${JSON.stringify(text)} is not a method (expected one of ${METHODS.join(', ')})`);
  return text;
}

/** yargs gives a string or an array for a repeated option; always a list of strings here. */
export function listOf(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
