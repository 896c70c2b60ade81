/**
 * The report dialect of SPEC §4/§7: RFC 4180, comma, CRLF, UTF-8 with a BOM
 * (unless --no-bom), fields quoted only when they hold a comma, a double
 * quote, CR or LF, and a leading apostrophe on text fields that a spreadsheet
 * would take for a formula.
 */
import type { Table } from '../report/table.js';

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

export function tableToCsv(t: Table, options: CsvOptions): string {
  const lines: string[] = [t.header.map(csvField).join(',')];
  const text = t.text;
  for (const row of t.rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      const value = row[i] as string;
      if (i > 0) line += ',';
      line += csvField(text[i] ? guardFormula(value) : value);
    }
    lines.push(line);
  }
  return `${options.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}
