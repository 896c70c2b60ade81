/**
 * Strict RFC 4180 parsing with csv-parse: no relaxed column counts, a BOM
 * accepted, LF or CRLF, empty lines skipped. Every record keeps the physical
 * line it starts on; every syntax fault becomes an issue with its line.
 */
import { parse, type CsvError, type Info } from 'csv-parse/sync';
import type { InputIssue } from '../errors.js';

export interface CsvSink {
  /** The first record. Return false to stop reading the file (a broken header). */
  header(fields: string[], line: number): boolean;
  record(fields: string[], line: number): void;
}

/** Counts LF characters in the fields of a record (quoted fields may span lines). */
function newlinesIn(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) {
    let at = field.indexOf('\n');
    while (at >= 0) {
      count++;
      at = field.indexOf('\n', at + 1);
    }
  }
  return count;
}

const QUOTE_FAULTS = new Set(['CSV_QUOTE_NOT_CLOSED', 'CSV_INVALID_CLOSING_QUOTE', 'INVALID_OPENING_QUOTE']);

/**
 * Parses `text` and feeds its records to `sink`. Returns the syntax issues,
 * in line order. After a quoting fault the rest of the file cannot be read
 * reliably, so reading stops there (one issue rather than a cascade).
 */
export function parseCsv(text: string, file: string, sink: CsvSink): InputIssue[] {
  const issues: InputIssue[] = [];
  let seenHeader = false;
  let stopped = false;
  let lastEndLine = 0;
  let lastEmptyLines = 0;
  let headerWidth = 0;

  const startOf = (endLine: number, fields: readonly string[] | undefined): number =>
    fields === undefined ? endLine : endLine - newlinesIn(fields);

  parse(text, {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: false,
    relax_quotes: false,
    record_delimiter: ['\r\n', '\n'],
    skip_records_with_error: true,
    on_record: (fields: string[], info: Info) => {
      if (stopped) return undefined;
      const line = startOf(info.lines, fields);
      lastEndLine = info.lines;
      lastEmptyLines = info.empty_lines;
      if (!seenHeader) {
        seenHeader = true;
        headerWidth = fields.length;
        if (!sink.header(fields, line)) stopped = true;
      } else {
        sink.record(fields, line);
      }
      return undefined;
    },
    on_skip: (error: CsvError | undefined) => {
      if (stopped || error === undefined) return;
      const info = error as unknown as Partial<Info> & { record?: string[]; code: string };
      const emptyBefore = (info.empty_lines ?? lastEmptyLines) - lastEmptyLines;
      const line = lastEndLine + 1 + Math.max(0, emptyBefore);
      if (!seenHeader && !QUOTE_FAULTS.has(info.code)) seenHeader = true;
      issues.push({ file, line, message: describeCsvError(info.code, error.message, info.record, headerWidth) });
      if (info.record !== undefined) {
        lastEndLine = info.lines ?? lastEndLine;
        lastEmptyLines = info.empty_lines ?? lastEmptyLines;
      }
      if (QUOTE_FAULTS.has(info.code)) stopped = true;
    },
  });
  return issues;
}

function describeCsvError(code: string, message: string, record: string[] | undefined, headerWidth: number): string {
  switch (code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const got = record?.length ?? 0;
      const hint = got > headerWidth ? 'quote a value that contains a comma' : 'a value or a comma is missing';
      return `has ${got} ${got === 1 ? 'field' : 'fields'} where the header has ${headerWidth} (${hint})`;
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field opened on this line is never closed (expected a closing " before the end of the file)';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'unexpected text after a closing quote (a quoted field must end at a comma or the end of the line; write "" for a quote inside quotes)';
    case 'INVALID_OPENING_QUOTE':
      return 'stray quote inside an unquoted field (quote the whole field and double the quote inside it: "a ""b"" c")';
    default:
      return `is not valid CSV: ${message}`;
  }
}
