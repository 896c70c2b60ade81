/**
 * Bytes to text, strictly (SPEC §1: UTF-8, a leading BOM accepted). A file
 * that is not text at all (an image, a workbook, UTF-16) gets one message
 * saying what it is; a text file with a NUL byte or invalid UTF-8 gets one
 * message per line naming the column and showing the value, the bad bytes
 * written as \xHH (Node would otherwise decode them silently into U+FFFD).
 */
import type { InputIssue } from '../errors.js';
import { isColumn } from './columns.js';
import { IssueList } from './issues.js';
import { looksBinary, sniffBytes, sniffText } from './sniff.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export const EXPECTED_LEDGER = 'expected a UTF-8 CSV ledger whose first line is a header row such as id,date,direction,counterparty,kind,category,amount,currency';

/**
 * The one check every CSV input shares before parsing (ledgers, exports,
 * the rates and ownership files): a file that is empty, or whose lines end
 * in CR alone (old Mac), is one issue at line 1; `empty` says what the file
 * was expected to hold.
 */
export function wholeFileIssue(text: string, file: string, empty: string): InputIssue | undefined {
  if (/^\uFEFF?[\r\n]*$/.test(text)) return { file, line: 1, message: `file is empty (${empty})` };
  if (!text.includes('\n') && text.includes('\r')) {
    return { file, line: 1, message: 'file ends its lines with CR alone, as old Mac files do (expected LF or CRLF line ends: re-save it as "CSV UTF-8")' };
  }
  return undefined;
}

export type Decoded = { ok: true; text: string } | { ok: false; issues: IssueList };

/** Length of the valid UTF-8 sequence at `i`, or 0 when the byte there does not start one. */
export function utf8Length(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  if (b < 0x80) return 1;
  let need: number;
  let min: number;
  if (b >= 0xc2 && b <= 0xdf) {
    need = 1;
    min = 0x80;
  } else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    min = 0x800;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    min = 0x10000;
  } else return 0;
  let cp = b & (0x3f >> need);
  for (let j = 1; j <= need; j++) {
    const c = bytes[i + j];
    if (c === undefined || (c & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return need + 1;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (bytes.length when none). */
export function firstInvalidUtf8(bytes: Uint8Array, from = 0): number {
  let i = from;
  const n = bytes.length;
  while (i < n) {
    const len = utf8Length(bytes, i);
    if (len === 0) return i;
    i += len;
  }
  return n;
}

/** The first NUL or invalid UTF-8 byte at or after `from`, or -1. */
function nextBad(bytes: Uint8Array, from: number): number {
  const n = bytes.length;
  let i = from;
  while (i < n) {
    const b = bytes[i] as number;
    if (b === 0) return i;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = utf8Length(bytes, i);
    if (len === 0) return i;
    i += len;
  }
  return -1;
}

/**
 * `expected` ends the messages about a file that is not CSV text, and `known`
 * says which header names are columns (named in messages): a ledger's by
 * default, another file's for the reference files (SPEC §8, §9).
 */
export function decodeLedger(bytes: Uint8Array, file: string, expected: string = EXPECTED_LEDGER, known: (name: string) => boolean = isColumn): Decoded {
  const issues = new IssueList();
  const sniffed = sniffBytes(bytes);
  if (sniffed !== undefined) {
    issues.add({ file, line: 1, message: `file is ${sniffed.what}, not UTF-8 CSV text (${sniffed.hint ?? expected})` });
    return { ok: false, issues };
  }
  let text: string | undefined;
  if (bytes.indexOf(0) < 0) {
    try {
      text = decoder.decode(bytes);
    } catch {
      text = undefined;
    }
  }
  if (text !== undefined) {
    const other = sniffText(text);
    if (other === undefined) return { ok: true, text };
    issues.add({ file, line: 1, message: `file is ${other}, not CSV (${expected})` });
    return { ok: false, issues };
  }

  if (looksBinary(bytes, (i) => utf8Length(bytes, i) === 0)) {
    const at = nextBad(bytes, 0);
    const found = at < 0 ? '' : `byte ${hex(bytes[at] as number)} at byte ${at + 1}; `;
    issues.add({ file, line: 1, message: `file is binary data, not CSV text (${found}${expected})` });
    return { ok: false, issues };
  }

  // Text with a few bad bytes: one issue per line that has any.
  const offsets: number[] = [];
  let from = 0;
  for (;;) {
    const at = nextBad(bytes, from);
    if (at < 0) break;
    offsets.push(at);
    const lf = bytes.indexOf(0x0a, at);
    if (lf < 0) break;
    from = lf + 1;
  }
  const spots = locate(bytes, offsets);
  const header = headerNames(bytes, spots.headerRanges);
  for (const spot of spots.found) {
    const b = bytes[spot.offset] as number;
    const label = spot.record === 0 ? `header column ${spot.field + 1}` : labelOf(header, spot.field, known);
    const value = showBytes(bytes, spot.start, spot.end, spot.offset);
    const message =
      b === 0
        ? `${label} ${value} contains a NUL byte (at byte ${spot.offset + 1} of the file; expected text: a CSV ledger never holds NUL bytes, is this a binary file?)`
        : `${label} ${value} is not valid UTF-8 (byte ${hex(b)} at byte ${spot.offset + 1} of the file; expected UTF-8: re-export the file as "CSV UTF-8", not Latin-1 or Windows-1252)`;
    issues.add({ file, line: spot.line, ...(spot.record === 0 || !known(header[spot.field] ?? '') ? {} : { column: header[spot.field] }), message });
  }
  return { ok: false, issues };
}

function hex(b: number): string {
  return `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
}

function labelOf(header: readonly string[], field: number, known: (name: string) => boolean): string {
  const name = header[field];
  return name !== undefined && known(name) ? name : `field ${field + 1}`;
}

interface Spot {
  readonly offset: number;
  readonly line: number;
  /** 0-based record index (0 = the header), empty lines not counted. */
  readonly record: number;
  readonly field: number;
  readonly start: number;
  end: number;
}

/**
 * One pass over the bytes (quotes, commas and line ends are ASCII, so they
 * can be found in bytes that are not valid UTF-8): the line, record and
 * field of every offset, and the byte ranges of the header's fields.
 */
function locate(bytes: Uint8Array, offsets: readonly number[]): { found: Spot[]; headerRanges: [number, number][] } {
  const n = bytes.length;
  const begin = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const found: Spot[] = [];
  const open: Spot[] = [];
  const headerRanges: [number, number][] = [];
  let line = 1;
  let record = 0;
  let field = 0;
  let fieldStart = begin;
  let inQuotes = false;
  let k = 0;
  const close = (end: number): void => {
    for (const spot of open) spot.end = end;
    open.length = 0;
    if (record === 0) headerRanges.push([fieldStart, end]);
  };
  for (let i = begin; i < n; i++) {
    if (k < offsets.length && i === offsets[k]) {
      const spot: Spot = { offset: i, line, record, field, start: fieldStart, end: n };
      found.push(spot);
      open.push(spot);
      k++;
    }
    const b = bytes[i] as number;
    if (inQuotes) {
      if (b === 0x22) {
        if (bytes[i + 1] === 0x22) i++;
        else inQuotes = false;
      } else if (b === 0x0a) line++;
      continue;
    }
    if (b === 0x22 && i === fieldStart) inQuotes = true;
    else if (b === 0x2c) {
      close(i);
      field++;
      fieldStart = i + 1;
    } else if (b === 0x0a) {
      const end = i > fieldStart && bytes[i - 1] === 0x0d ? i - 1 : i;
      const emptyLine = field === 0 && end === fieldStart;
      if (!emptyLine) {
        close(end);
        record++;
      }
      field = 0;
      fieldStart = i + 1;
      line++;
    }
  }
  close(n);
  return { found, headerRanges };
}

function headerNames(bytes: Uint8Array, ranges: readonly [number, number][]): string[] {
  return ranges.map(([start, end]) => {
    const text = lossy.decode(bytes.subarray(start, end));
    return text.startsWith('"') && text.endsWith('"') && text.length >= 2 ? text.slice(1, -1).replace(/""/g, '"') : text;
  });
}

/**
 * A field's bytes for a message: quoted like a JSON string, bad bytes as
 * \xHH, a long value cut to a window around the bad byte.
 */
function showBytes(bytes: Uint8Array, start: number, end: number, bad: number): string {
  let from = start;
  let to = end;
  if (bytes[from] === 0x22 && to - from >= 2 && bytes[to - 1] === 0x22) {
    from++;
    to--;
  }
  const cutBefore = bad - from > 40;
  const cutAfter = to - bad > 40;
  if (cutBefore) from = bad - 30;
  if (cutAfter) to = bad + 30;
  let out = '';
  let i = from;
  // Do not start or end in the middle of a character.
  while (cutBefore && i < to && ((bytes[i] as number) & 0xc0) === 0x80) i++;
  while (i < to) {
    const b = bytes[i] as number;
    const len = b === 0 ? 1 : utf8Length(bytes, i);
    if (len === 0) {
      out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
      i++;
      continue;
    }
    if (i + len > to) break;
    out += JSON.stringify(lossy.decode(bytes.subarray(i, i + len))).slice(1, -1);
    i += len;
  }
  return `"${cutBefore ? '...' : ''}${out}${cutAfter ? '...' : ''}"`;
}
