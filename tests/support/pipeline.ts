/**
 * Shared test plumbing: read a ledger folder into loader inputs, and run the
 * pure pipeline (load → reconcile → report) to the report files of one
 * folder, without touching the disk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLedgers, type LedgerInput } from '../../src/load/load.js';
import { reconcileLedgers, reportFolders, type Reconciliation } from '../../src/pipeline.js';
import { ALL, type Period } from '../../src/report/period.js';
import { METHODS, type Method } from '../../src/trace/methods.js';

export { METHODS, type Method };

export const CSV_REPORTS = ['summary.csv', 'revenue.csv', 'circular.csv', 'exceptions.csv'] as const;
export type CsvReport = (typeof CSV_REPORTS)[number];

/** Every regular file of a ledger folder, as the loader's inputs (the loader picks the ledgers). */
export function readLedgerDir(dir: string): LedgerInput[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => ({ name: d.name, bytes: new Uint8Array(readFileSync(join(dir, d.name))) }));
}

export interface RunOptions {
  readonly method?: Method;
  readonly earmark?: boolean;
  readonly bom?: boolean;
  readonly period?: Period;
}

export interface RunResult {
  readonly rec: Reconciliation;
  /** File name → content of the one report folder (the four CSVs and manifest.json). */
  readonly files: ReadonlyMap<string, string>;
}

/** load → reconcile → report, for one period (default: all). Throws what the tool would report. */
export function runReports(inputs: readonly LedgerInput[], options: RunOptions = {}): RunResult {
  const ledgers = loadLedgers(inputs, 'ledgers');
  const rec = reconcileLedgers(ledgers, { method: options.method ?? 'pro-rata', earmark: options.earmark ?? true });
  const { folders } = reportFolders(rec, [options.period ?? ALL], { bom: options.bom ?? true });
  const folder = folders[0];
  if (folder === undefined) throw new Error('reportFolders returned no folder');
  return { rec, files: folder.files };
}

/**
 * Records of CSV text: `"` quoting with `""` inside quotes, a leading BOM
 * skipped. `lineEnds: 'crlf'` (the report dialect) rejects anything but CRLF
 * record ends; `'any'` (ledgers) takes LF or CRLF. Strict: throws on
 * malformed text. Written here so that tests do not read reports with the
 * code under test.
 */
export function parseCsvText(text: string, lineEnds: 'crlf' | 'any' = 'crlf'): string[][] {
  const records: string[][] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    if (lineEnds === 'any' && (text[i] === '\n' || text.startsWith('\r\n', i))) {
      i += text[i] === '\n' ? 1 : 2; // an empty line
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw new Error('unclosed quote');
          value += text.slice(i, q);
          if (text[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
      } else {
        let j = i;
        while (j < n && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n' && text[j] !== '"') j++;
        if (text[j] === '"') throw new Error(`stray quote in an unquoted field at offset ${j}`);
        value = text.slice(i, j);
        i = j;
      }
      fields.push(value);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text.startsWith('\r\n', i)) {
        i += 2;
        break;
      }
      if (lineEnds === 'any' && (text[i] === '\n' || i >= n)) {
        i++;
        break;
      }
      throw new Error(`record does not end in ${lineEnds === 'crlf' ? 'CRLF' : 'a line end'} at offset ${i}`);
    }
    records.push(fields);
  }
  return records;
}

/** A report's records (the report dialect: CRLF, `"` quoting, optional BOM). */
export function parseReport(text: string): string[][] {
  return parseCsvText(text, 'crlf');
}

/** A report as header + rows of objects keyed by column name. */
export function reportRows(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [header = [], ...records] = parseReport(text);
  return {
    header,
    rows: records.map((r) => {
      if (r.length !== header.length) throw new Error(`report row has ${r.length} fields, header ${header.length}`);
      return Object.fromEntries(header.map((h, k) => [h, r[k] as string]));
    }),
  };
}

/** Minor units of a report amount written with exactly `digits` decimals (throws on anything else). */
export function minorOf(text: string, digits: number): bigint {
  const re = digits === 0 ? /^-?[0-9]+$/ : new RegExp(`^-?[0-9]+\\.[0-9]{${digits}}$`);
  if (!re.test(text)) throw new Error(`${JSON.stringify(text)} is not an amount with ${digits} decimals`);
  return BigInt(text.replace('.', ''));
}
