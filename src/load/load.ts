/**
 * load = parse + validate (SPEC §1). The pure core takes file names and bytes
 * and returns the rows of the run, or throws one input error listing every
 * problem found (up to 50), in file then line order.
 */
import { createHash } from 'node:crypto';
import { inputError, type InputIssue, MAX_REPORTED_ISSUES } from '../errors.js';
import { minorDigits } from '../money/amount.js';
import type { LedgerFile, Ledgers, Row } from '../model.js';
import { REQUIRED_COLUMNS, type ColumnIndex } from './columns.js';
import { parseCsv } from './csv.js';
import { decodeLedger } from './decode.js';
import { checkHeader } from './header.js';
import { checkRow, show } from './row.js';

export interface LedgerInput {
  /** File name inside the ledgers folder. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

const COMPANY_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Is this directory entry a ledger candidate (SPEC §1: `.csv` in any case, not hidden)? */
export function isLedgerName(name: string): boolean {
  return !name.startsWith('.') && name.toLowerCase().endsWith('.csv');
}

/** The company id a ledger file belongs to: its name up to the first dot. */
export function companyOf(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/** Sorts by code units (SPEC §1), not by locale. */
export function byCodeUnits(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

export function loadLedgers(inputs: readonly LedgerInput[], displayDir: string): Ledgers {
  const display = (name: string): string => (displayDir === '' ? name : `${displayDir.replace(/\/+$/, '')}/${name}`);
  const issues: InputIssue[] = [];
  const sorted = [...inputs].filter((f) => isLedgerName(f.name)).sort((x, y) => byCodeUnits(x.name, y.name));
  if (sorted.length === 0) {
    throw inputError([{ file: displayDir || '.', line: 0, message: 'holds no ledger file (expected one or more COMPANY.csv files, e.g. amazon.csv)' }]);
  }

  for (const input of sorted) {
    const company = companyOf(input.name);
    if (!COMPANY_ID.test(company)) {
      issues.push({
        file: display(input.name),
        line: 0,
        message: `file name does not start with a company id: ${show(company)} (expected lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters, e.g. amazon.csv or amazon.2026-10.csv)`,
      });
    }
  }
  const companies = [...new Set(sorted.map((f) => companyOf(f.name)).filter((c) => COMPANY_ID.test(c)))].sort(byCodeUnits);
  const companySet = new Set(companies);

  const rows: Row[] = [];
  const files: LedgerFile[] = [];
  let currency = '';
  let currencyWhere = '';
  let ids = new Map<string, Row>();
  let refs = new Map<string, Row>();
  let currentCompany = '';

  for (const input of sorted) {
    const company = companyOf(input.name);
    if (!companySet.has(company)) continue;
    const file = display(input.name);
    if (company !== currentCompany) {
      currentCompany = company;
      ids = new Map();
      refs = new Map();
    }
    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    const fileIssues: InputIssue[] = [];
    let rowCount = 0;
    const decoded = decodeLedger(input.bytes, file);
    if (!decoded.ok) {
      issues.push(decoded.issue);
      files.push({ name: input.name, path: file, company, sha256, rows: 0 });
      continue;
    }
    let columns: ColumnIndex | undefined;
    let headerLine = 0;
    let sawHeader = false;
    let stopped = false;
    const csvIssues = parseCsv(decoded.text, file, {
      header(fields, line) {
        sawHeader = true;
        headerLine = line;
        const check = checkHeader(fields, file, line);
        if (!check.ok) {
          fileIssues.push(...check.issues);
          return false;
        }
        columns = check.columns;
        return true;
      },
      record(fields, line) {
        if (stopped || columns === undefined) return;
        rowCount++;
        if (rowCount === 1) {
          const absent = REQUIRED_COLUMNS.filter((c) => (columns as ColumnIndex)[c] < 0);
          if (absent.length > 0) {
            fileIssues.push({
              file,
              line: headerLine,
              column: absent[0],
              message: `header lacks ${absent.length === 1 ? 'column' : 'columns'} ${absent.join(', ')} (every row needs ${absent.length === 1 ? 'it' : 'them'})`,
            });
            stopped = true;
            return;
          }
        }
        const row = checkRow(fields, line, rows.length, { file, fileName: input.name, company, companies: companySet, columns }, fileIssues);
        if (row !== undefined) {
          if (currency === '') {
            currency = row.currency;
            currencyWhere = `${file}:${line}`;
          } else if (row.currency !== currency) {
            fileIssues.push({
              file,
              line,
              column: 'currency',
              message: `currency ${show(row.currency)} differs from ${currency} used since ${currencyWhere} (one currency per run; convert the ledgers first)`,
            });
          }
          const earlier = ids.get(row.id);
          if (earlier !== undefined) {
            fileIssues.push({
              file,
              line,
              column: 'id',
              message: `id ${show(row.id)} is already used by ${display(earlier.file)}:${earlier.line} (ids are unique within a company)`,
            });
          } else ids.set(row.id, row);
          if (row.ref !== '') {
            const key = `${row.counterparty}\u0000${row.direction}\u0000${row.ref}`;
            const same = refs.get(key);
            if (same !== undefined) {
              fileIssues.push({
                file,
                line,
                column: 'ref',
                message: `ref ${show(row.ref)} is already used by ${display(same.file)}:${same.line} for direction ${row.direction} with ${show(row.counterparty)} (a ref names one transfer)`,
              });
            } else refs.set(key, row);
          }
          rows.push(row);
        }
        if (fileIssues.length > MAX_REPORTED_ISSUES) stopped = true;
      },
    });
    if (!sawHeader && csvIssues.length === 0) {
      fileIssues.push({ file, line: 1, message: 'is empty (expected a header row: id,date,direction,counterparty,kind,category,amount,currency,ref,deal,memo)' });
    }
    fileIssues.push(...csvIssues);
    fileIssues.sort((x, y) => x.line - y.line);
    issues.push(...fileIssues);
    files.push({ name: input.name, path: file, company, sha256, rows: rowCount });
  }
  if (issues.length > 0) throw inputError(issues);
  return { companies, files, rows, currency, minorDigits: currency === '' ? 2 : minorDigits(currency) };
}
