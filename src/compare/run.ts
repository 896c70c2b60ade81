/**
 * `roundtrip compare`, assembled below the command: read the ledgers once,
 * match once, trace ten times (compare.ts), and write methods.csv into each
 * period folder through the one atomic writer. cli/compare.ts parses the
 * options, calls `runCompare` and prints the tables.
 */
import { readLedgers, type ReadOptions } from '../load/read.js';
import { matchTransfers } from '../match/match.js';
import type { Ledgers } from '../model.js';
import type { Period } from '../report/period.js';
import { writeFiles, type FileInFolder } from '../write/atomic.js';
import { tableToCsv } from '../write/csv.js';
import { compareMethods, methodsLines, methodsTable, type MethodsLine } from './compare.js';

export const METHODS_FILE = 'methods.csv';

export interface CompareOptions {
  readonly ledgers: string;
  readonly out: string;
  readonly periods: readonly Period[];
  /** The earmark setting methods.csv reports; the other one is traced too. */
  readonly earmark: boolean;
  readonly bom: boolean;
  readonly read: ReadOptions;
}

export interface PeriodComparison {
  readonly period: Period;
  /** methods.csv's rows, with the chosen earmark setting. */
  readonly lines: readonly MethodsLine[];
  /** The same rows with the other setting. */
  readonly other: readonly MethodsLine[];
}

export async function runCompare(options: CompareOptions): Promise<{ ledgers: Ledgers; periods: PeriodComparison[] }> {
  const ledgers = await readLedgers(options.ledgers, undefined, options.read);
  const matched = matchTransfers(ledgers);
  const comparison = compareMethods(ledgers, matched, options.earmark);
  const periods = options.periods.map((period) => ({
    period,
    lines: methodsLines(comparison.chosen, period),
    other: methodsLines(comparison.other, period),
  }));
  const files: FileInFolder[] = periods.map(({ period, lines }) => ({
    folder: period.name,
    name: METHODS_FILE,
    content: tableToCsv(methodsTable(lines, ledgers.minorDigits), { bom: options.bom }),
  }));
  // writeFiles catches Ctrl-C (and SIGTERM) itself while it writes: no partial output.
  await writeFiles(options.out, files);
  return { ledgers, periods };
}
