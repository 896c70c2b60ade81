/**
 * Strict RFC 4180 reading with csv-parse (SPEC §1): comma-separated, `"`
 * quoting, LF or CRLF line ends (mixed is fine), a leading BOM accepted,
 * empty lines skipped, no relaxed column counts. A line of commas or spaces
 * is a record.
 *
 * Each record reports the physical line it starts on (SPEC §7: a quoted
 * field may span lines). Valid files take the fast path: one csv-parse call
 * without per-record info, lines counted from the records themselves. A file
 * with an empty line or a syntax fault is read again on the careful path,
 * where csv-parse's byte offsets give every record's first line and every
 * fault is reported, the way a compiler does.
 */
import { parse, type CsvError, type Info, type Options } from 'csv-parse/sync';

export type CsvFaultKind = 'stray-quote' | 'text-after-quote' | 'unclosed-quote';

export interface CsvFault {
  readonly kind: CsvFaultKind;
  /** Physical line of the fault (the line its record starts on). */
  readonly line: number;
  /** 0-based index of the field in its record. */
  readonly field: number;
  /** The raw text of the field, as written (quotes included). */
  readonly raw: string;
}

export interface CsvSink {
  /** A record (its field count is the caller's to check). Return false to stop reading. */
  record(fields: string[], line: number): boolean;
  /** A record with a syntax fault; the record itself is skipped. Return false to stop reading. */
  fault(fault: CsvFault, recordLine: number): boolean;
}

const STRICT: Options = { bom: true, record_delimiter: ['\r\n', '\n'], relax_column_count: false, relax_quotes: false };

/** LF characters in the fields of a record: the lines a record spans beyond its first. */
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

/** An empty line anywhere (LF LF, LF CR LF, or one at the start)? Then the careful path counts lines. */
function mayHaveEmptyLine(text: string): boolean {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const first = text.charCodeAt(start);
  return first === 0x0a || first === 0x0d || text.includes('\n\n') || text.includes('\n\r\n');
}

/** `delimiter`: the field separator, `,` for ledgers; exports read through rules (SPEC §10) may use `;`, `|` or a tab. */
export function parseCsv(text: string, sink: CsvSink, delimiter = ','): void {
  const options: Options = delimiter === ',' ? STRICT : { ...STRICT, delimiter };
  if (!mayHaveEmptyLine(text)) {
    let records: string[][] | undefined;
    try {
      records = parse(text, options);
    } catch {
      records = undefined; // a syntax fault: the careful path reports it, with every other one
    }
    if (records !== undefined) {
      let line = 1;
      for (const fields of records) {
        if (!sink.record(fields, line)) return;
        line += 1 + newlinesIn(fields);
      }
      return;
    }
  }
  parseCarefully(text, sink, options, delimiter);
}

const QUOTE_FAULTS: Record<string, CsvFaultKind> = {
  CSV_QUOTE_NOT_CLOSED: 'unclosed-quote',
  CSV_INVALID_CLOSING_QUOTE: 'text-after-quote',
  INVALID_OPENING_QUOTE: 'stray-quote',
};

/**
 * Every record with its first line, from csv-parse's byte offsets: a record
 * ending at byte E (after its LF) has its last line at the number of LFs
 * before E, and starts as many lines earlier as its fields hold LFs. After a
 * stray quote csv-parse carries on with the next record; after an unclosed
 * quote or text after a closing quote it cannot resynchronise reliably, so
 * reading stops there (one message rather than a cascade).
 */
function parseCarefully(text: string, sink: CsvSink, options: Options, delimiter: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let scanned = 0; // bytes counted for LFs so far
  let lfs = 0; // LFs in bytes[0, scanned)
  let stopped = false;
  let lastFaultLine = 0;

  const linesBefore = (offset: number): number => {
    if (offset < scanned) {
      scanned = 0;
      lfs = 0;
    }
    for (; scanned < offset; scanned++) if (bytes[scanned] === 0x0a) lfs++;
    return lfs;
  };
  const firstLine = (end: number, fields: readonly string[]): number => {
    const last = linesBefore(end) + (end > 0 && bytes[end - 1] === 0x0a ? 0 : 1);
    return last - newlinesIn(fields);
  };

  try {
    parse(bytes, {
      ...options,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_record: (fields: string[], info: Info) => {
        if (stopped) return undefined;
        if (!sink.record(fields, firstLine(info.bytes, fields))) stopped = true;
        return undefined;
      },
      on_skip: (error: CsvError | undefined) => {
        if (stopped || error === undefined) return;
        const info = error as unknown as Partial<Info> & { code: string; record?: string[]; index?: number };
        if (info.record !== undefined) {
          // A record with the wrong number of fields: the caller says which are missing or extra.
          if (!sink.record(info.record, firstLine(info.bytes ?? 0, info.record))) stopped = true;
          return;
        }
        const kind = QUOTE_FAULTS[info.code];
        if (kind === undefined) throw error;
        const line = linesBefore(info.bytes ?? 0) + 1;
        if (line === lastFaultLine) return; // one fault per record
        lastFaultLine = line;
        const field = info.index ?? 0;
        const fault: CsvFault = { kind, line, field, raw: rawField(text, line, field, kind === 'unclosed-quote', delimiter) };
        if (!sink.fault(fault, line) || kind !== 'stray-quote') stopped = true;
      },
    });
  } catch (error) {
    if (!stopped) throw error;
  }
}

/** The text of field `index` as written on physical line `line` (for messages only). */
function rawField(text: string, line: number, index: number, toEnd: boolean, delimiter: string): string {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', at);
    if (next < 0) return '';
    at = next + 1;
  }
  const end = text.indexOf('\n', at);
  const lineText = text.slice(at, end < 0 ? text.length : end).replace(/\r$/, '');
  let start = 0;
  for (let field = 0; start <= lineText.length; field++) {
    let stop: number;
    if (lineText[start] === '"') {
      // A quoted field runs to its closing quote ("" is a quote inside), then to the next comma.
      let i = start + 1;
      while (i < lineText.length && !(lineText[i] === '"' && lineText[i + 1] !== '"')) i += lineText[i] === '"' ? 2 : 1;
      stop = lineText.indexOf(delimiter, i + 1);
    } else stop = lineText.indexOf(delimiter, start);
    if (stop < 0) stop = lineText.length;
    if (field === index) return toEnd ? lineText.slice(start) : lineText.slice(start, stop);
    start = stop + 1;
  }
  return '';
}

/** Which field a fault is in, for messages: the header's name for it, or its position. */
export type FieldLabel = (field: number) => string;

/** Shows raw text in a message: quoted, escaped, long text cut. */
function showRaw(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
}

/** The message for a syntax fault (SPEC §6: names the column and the value, says what was expected). */
export function describeFault(fault: CsvFault, label: FieldLabel): string {
  const where = label(fault.field);
  switch (fault.kind) {
    case 'stray-quote': {
      const fixed = `"${fault.raw.replace(/"/g, '""')}"`;
      return `${where} ${showRaw(fault.raw)} has a quote inside an unquoted value (expected the whole value in quotes, with the quote doubled: ${fixed})`;
    }
    case 'text-after-quote':
      return `${where} ${showRaw(fault.raw)} has text after its closing quote (expected a comma or the end of the line after a quoted value; write "" for a quote inside quotes; the rest of the file was not read)`;
    case 'unclosed-quote':
      return `${where} ${showRaw(fault.raw)} opens a quote that is never closed (expected a closing " before the end of the file; everything after it was read as this one value)`;
  }
}
