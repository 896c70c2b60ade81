/**
 * The currency stage of loading (SPEC §1, §8): fixes the reporting currency
 * (`--currency`, else the first currency seen, file then line order) and
 * converts every valid row in another currency when it is read, so that
 * everything after loading sees amounts in the reporting currency only. A row
 * that cannot be converted is an input error at its own `file:line`.
 */
import type { InputIssue } from '../errors.js';
import { formatAmount, MAX_INTEGER_DIGITS, minorDigits } from '../money/amount.js';
import type { CurrencyInfo, RateRow } from '../model.js';
import { byCodeUnits } from '../sort.js';
import { Converter, type RatesFile } from './convert.js';
import type { IssueList } from './issues.js';
import { RATES_FILE, type RatesRead } from './rates.js';
import type { RowValues } from './row-table.js';
import { show } from './row.js';

export interface CurrencyOptions {
  /** `--currency`: the reporting currency; without it, the first currency seen. */
  readonly currency?: string | undefined;
  /** The rates file as read, when there is one. */
  readonly rates?: RatesRead | undefined;
  /** Where a rates file is looked for (named when there is none): `ledgers/_rates.csv`. */
  readonly ratesPath?: string | undefined;
}

/** A valid row converted: its values with the converted amount, and how. */
export interface Converted {
  readonly values: RowValues;
  readonly original: bigint;
  readonly rateIndex: number;
  readonly inverse: boolean;
}

export class CurrencyStage {
  private reportingCurrency: string;
  /** Where the reporting currency comes from, for messages. */
  private reportingWhere: string;
  private readonly file: RatesFile | undefined;
  private readonly ratesIssues: IssueList | undefined;
  private converter: Converter | undefined;

  constructor(private readonly options: CurrencyOptions = {}) {
    this.reportingCurrency = options.currency ?? '';
    this.reportingWhere = options.currency === undefined ? '' : 'given by --currency';
    this.file = options.rates?.ok === true ? options.rates.file : undefined;
    this.ratesIssues = options.rates?.ok === false ? options.rates.issues : undefined;
  }

  /** The reporting currency ('' until a currency is seen). */
  get reporting(): string {
    return this.reportingCurrency;
  }

  /** The rates file's issues, to report with the ledgers' (undefined when it has none). */
  get issues(): IssueList | undefined {
    return this.ratesIssues;
  }

  /** The rates file read, if any. */
  get ratesFile(): RatesFile | undefined {
    return this.file;
  }

  /** A currency code seen at `where` (file:line): the first fixes the reporting currency, unless --currency did. */
  see(currency: string, where: string): void {
    if (this.reportingCurrency !== '') return;
    this.reportingCurrency = currency;
    this.reportingWhere = `the first currency seen, at ${where}`;
  }

  /**
   * A valid row: 'same' when it is in the reporting currency, its converted
   * values, or undefined after pushing an input error (no rate, converts to
   * zero). Rows are not converted while the rates file has errors (those are
   * reported instead).
   */
  convert(values: RowValues, file: string, issues: InputIssue[]): Converted | 'same' | undefined {
    const currency = values.currency;
    if (currency === this.reportingCurrency || this.reportingCurrency === '') return 'same';
    if (this.ratesIssues !== undefined) return undefined;
    const r = this.reportingCurrency;
    const day = values.day;
    const ratesPath = this.file?.path ?? this.options.ratesPath ?? RATES_FILE;
    const why = `${r} is the reporting currency, ${this.reportingWhere}`;
    if (this.file === undefined) {
      issues.push({
        file,
        line: values.line,
        column: 'currency',
        message: `no ${currency}→${r} rate on or before ${day}: there is no rates file ${ratesPath} (${why}; expected a rates file, or --rates FILE, with a ${currency},${r} or ${r},${currency} row dated ${day} or earlier)`,
      });
      return undefined;
    }
    this.converter ??= new Converter(r, this.file.rows);
    const result = this.converter.convert(values.amount, currency, day);
    if (result.ok) return { values: { ...values, amount: result.minor }, original: values.amount, rateIndex: result.index, inverse: result.inverse };
    if (result.reason === 'no-rate') {
      issues.push({
        file,
        line: values.line,
        column: 'currency',
        message: `no ${currency}→${r} rate on or before ${day} in ${ratesPath} (${why}; expected a row ${currency},${r} or ${r},${currency} dated ${day} or earlier: rates are never chained through a third currency)`,
      });
      return undefined;
    }
    const rate = this.file.rows[result.index] as RateRow;
    const amount = formatAmount(values.amount, minorDigits(currency));
    const converts = `amount ${show(amount)} ${currency} converts to ${formatAmount(result.minor, minorDigits(r))} ${r} ${result.inverse ? 'divided by' : 'at'} ${rate.rate} (${rate.from}→${rate.to} of ${rate.date}, ${ratesPath}:${rate.line})`;
    const expected =
      result.reason === 'zero'
        ? `expected an amount worth at least one minor unit of ${r}: an amount that converts to nothing cannot be traced`
        : `expected at most ${MAX_INTEGER_DIGITS} digits before the decimal point in ${r}, as for any amount`;
    issues.push({ file, line: values.line, column: 'amount', message: `${converts} (${expected})` });
    return undefined;
  }

  /** The rates file and what was converted with it, for the manifest; undefined without a rates file. */
  info(): CurrencyInfo | undefined {
    const file = this.file;
    if (file === undefined) return undefined;
    const used = this.converter === undefined ? [] : [...this.converter.used.values()];
    return {
      ratesFile: { name: file.name, path: file.path, sha256: file.sha256, rows: file.rows.length },
      converted: used
        .map((u) => ({ currency: u.currency, rows: u.rows, rates: [...u.rates].sort((x, y) => x - y).map((i) => file.rows[i] as RateRow) }))
        .sort((x, y) => byCodeUnits(x.currency, y.currency)),
    };
  }
}
