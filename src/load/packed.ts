/**
 * Rows in columns, to hand them from a reading thread to the main thread.
 * Structured cloning a million row objects costs seconds; typed arrays move
 * for free and a string table is one string. Pure: `packRows` then
 * `unpackRows` gives rows equal to the ones packed (a test checks it).
 *
 * Strings go in one table (one joined text and the end of each entry); a
 * value repeated across rows (a day, a counterparty, a memo) is stored once
 * and comes back as one shared string. Ids, refs and dates with a time,
 * nearly always unique, are stored without looking them up.
 */
import type { Direction, Kind, Row } from '../model.js';

const KINDS: readonly Kind[] = ['investment', 'revenue', 'purchase', 'other'];
const KIND_CODE: Readonly<Record<Kind, number>> = { investment: 0, revenue: 1, purchase: 2, other: 3 };
/** Bit 2 of `flags`: direction out. Bits 0-1: the kind. */
const OUT = 4;

/** The string columns, each an index into the table. */
const TEXT_COLUMNS = ['id', 'date', 'day', 'counterparty', 'category', 'currency', 'ref', 'deal', 'memo'] as const;
type TextColumn = (typeof TEXT_COLUMNS)[number];

export interface PackedRows {
  readonly count: number;
  /** File name of each row, as an index into `files`. */
  readonly files: readonly string[];
  readonly file: Uint32Array;
  readonly line: Uint32Array;
  readonly ts: Float64Array;
  readonly amount: BigInt64Array;
  readonly flags: Uint8Array;
  readonly text: Readonly<Record<TextColumn, Uint32Array>>;
  /** The string table: entry i is table.slice(ends[i - 1] ?? 0, ends[i]). */
  readonly table: string;
  readonly ends: Uint32Array;
}

/** Packs rows (all of one company's files, or several companies'); `company` and `seq` are given back by `unpackRows`. */
export function packRows(rows: readonly Row[]): PackedRows {
  const n = rows.length;
  const fileIndex = new Map<string, number>();
  const files: string[] = [];
  const file = new Uint32Array(n);
  const line = new Uint32Array(n);
  const ts = new Float64Array(n);
  const amount = new BigInt64Array(n);
  const flags = new Uint8Array(n);
  const columns = Object.fromEntries(TEXT_COLUMNS.map((c) => [c, new Uint32Array(n)])) as Record<TextColumn, Uint32Array>;
  const parts: string[] = [];
  const ends: number[] = [];
  let length = 0;
  const shared = new Map<string, number>();
  const add = (value: string): number => {
    parts.push(value);
    length += value.length;
    ends.push(length);
    return ends.length - 1;
  };
  const addShared = (value: string): number => {
    const known = shared.get(value);
    if (known !== undefined) return known;
    const index = add(value);
    shared.set(value, index);
    return index;
  };
  const { id, date, day, counterparty, category, currency, ref, deal, memo } = columns;
  let lastFile = '';
  let f = 0;
  for (let i = 0; i < n; i++) {
    const row = rows[i] as Row;
    if (row.file !== lastFile) {
      lastFile = row.file;
      f = fileIndex.get(row.file) ?? files.length;
      if (f === files.length) {
        files.push(row.file);
        fileIndex.set(row.file, f);
      }
    }
    file[i] = f;
    line[i] = row.line;
    ts[i] = row.ts;
    amount[i] = row.amount;
    flags[i] = KIND_CODE[row.kind] | (row.direction === 'out' ? OUT : 0);
    id[i] = add(row.id);
    day[i] = addShared(row.day);
    // A date without a time is its day: stored once.
    date[i] = row.date === row.day ? (day[i] as number) : add(row.date);
    counterparty[i] = addShared(row.counterparty);
    category[i] = addShared(row.category);
    currency[i] = addShared(row.currency);
    ref[i] = add(row.ref);
    deal[i] = addShared(row.deal);
    memo[i] = addShared(row.memo);
  }
  return { count: n, files, file, line, ts, amount, flags, text: columns, table: parts.join(''), ends: Uint32Array.from(ends) };
}

/** The typed arrays of a pack, to transfer rather than copy between threads. */
export function buffersOf(p: PackedRows): ArrayBuffer[] {
  return [p.file, p.line, p.ts, p.amount, p.flags, p.ends, ...TEXT_COLUMNS.map((c) => p.text[c])].map((a) => a.buffer as ArrayBuffer);
}

/** Reads rows out of a pack: `(from, to, out)` appends rows from..to-1, each with seq `out.length` when it is added. */
export type RowReader = (from: number, to: number, out: Row[]) => void;

/**
 * A reader of a pack's rows. `intern` shares repeated strings with rows
 * unpacked from other packs; `companyOf` gives a file's company.
 */
export function rowReader(p: PackedRows, intern: (value: string) => string, companyOf: (file: string) => string): RowReader {
  const { ends, table } = p;
  const strings = new Array<string | undefined>(ends.length);
  /** Entry `index` of the table; `share`: 0 a new string (ids, refs), 1 one string per pack, 2 one string across packs. */
  const stringAt = (index: number, share: 0 | 1 | 2): string => {
    let s = strings[index];
    if (s === undefined) {
      s = table.slice(index === 0 ? 0 : (ends[index - 1] as number), ends[index] as number);
      if (share === 0) return s;
      if (share === 2) s = intern(s);
      strings[index] = s;
    }
    return s;
  };
  const companies = p.files.map(companyOf);
  const { id, date, day, counterparty, category, currency, ref, deal, memo } = p.text;
  return (from, to, out) => {
    for (let i = from; i < to; i++) {
      const f = p.file[i] as number;
      const flag = p.flags[i] as number;
      const row: Row = {
        company: companies[f] as string,
        file: p.files[f] as string,
        line: p.line[i] as number,
        seq: out.length,
        id: stringAt(id[i] as number, 0),
        date: stringAt(date[i] as number, 1),
        day: stringAt(day[i] as number, 2),
        ts: p.ts[i] as number,
        direction: (flag & OUT ? 'out' : 'in') as Direction,
        counterparty: stringAt(counterparty[i] as number, 2),
        kind: KINDS[flag & 3] as Kind,
        category: stringAt(category[i] as number, 2),
        amount: p.amount[i] as bigint,
        currency: stringAt(currency[i] as number, 2),
        ref: stringAt(ref[i] as number, 0),
        deal: stringAt(deal[i] as number, 2),
        memo: stringAt(memo[i] as number, 1),
      };
      out.push(row);
    }
  };
}

/** The rows of a whole pack (seq from 0). */
export function unpackRows(p: PackedRows, intern: (value: string) => string, companyOf: (file: string) => string): Row[] {
  const out: Row[] = [];
  rowReader(p, intern, companyOf)(0, p.count, out);
  return out;
}

/** Where each file's rows start and end in a pack (rows of a file are contiguous). */
export function fileRanges(p: PackedRows): Map<string, { from: number; to: number }> {
  const ranges = new Map<string, { from: number; to: number }>();
  let from = 0;
  for (let i = 1; i <= p.count; i++) {
    if (i === p.count || p.file[i] !== p.file[from]) {
      ranges.set(p.files[p.file[from] as number] as string, { from, to: i });
      from = i;
    }
  }
  return ranges;
}
