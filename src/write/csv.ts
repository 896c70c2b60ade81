/**
 * The report dialect of SPEC §4/§7: RFC 4180, comma, CRLF, UTF-8 with a BOM
 * (unless --no-bom), fields quoted only when they hold a comma, a double
 * quote, CR or LF, and a leading apostrophe on text fields that a spreadsheet
 * would take for a formula.
 */
import type { RowSource } from '../report/table.js';

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface CsvOptions {
  readonly bom: boolean;
}

/** Lines per chunk: small enough that a chunk is an ordinary young string, not a large object the GC keeps until a full collection. */
const CHUNK = 256;

/**
 * The CSV text of a table in chunks of a few hundred lines, produced as the
 * rows are: a report of millions of rows is written to disk as it is made,
 * never held whole.
 */
export function* tableChunks(t: RowSource, options: CsvOptions): Generator<string> {
  yield `${options.bom ? '\uFEFF' : ''}${t.header.map(csvField).join(',')}\r\n`;
  const text = t.text;
  let lines: string[] = [];
  for (const row of t.rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      const value = row[i] as string;
      if (i > 0) line += ',';
      line += csvField(text[i] ? guardFormula(value) : value);
    }
    lines.push(line);
    if (lines.length === CHUNK) {
      yield `${lines.join('\r\n')}\r\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\r\n')}\r\n`;
}

/** The CSV text of a table, whole (small tables, tests). */
export function tableToCsv(t: RowSource, options: CsvOptions): string {
  return [...tableChunks(t, options)].join('');
}
