/**
 * The report dialect of SPEC §4/§7: RFC 4180, comma, CRLF, UTF-8 with a BOM
 * (unless --no-bom), fields quoted only when they hold a comma, a double
 * quote, CR or LF, and a leading apostrophe on text fields that a spreadsheet
 * would take for a formula.
 */
import type { RowSource } from '../report/table.js';

/** Does a text start like a formula (`=`, `+`, `-`, `@`, tab, CR)? */
function startsLikeFormula(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d;
}

export function guardFormula(text: string): string {
  return startsLikeFormula(text) ? `'${text}` : text;
}

/** Does a value hold a quote, comma, CR or LF (then it is quoted)? */
function needsQuotes(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x2c || c === 0x0d || c === 0x0a) return true;
  }
  return false;
}

export function csvField(text: string): string {
  return needsQuotes(text) ? `"${text.replace(/"/g, '""')}"` : text;
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
