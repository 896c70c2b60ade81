/**
 * The rows of a run, held in columns: typed arrays for numbers and codes,
 * one table of shared strings (days, names, categories, memos), and arrays
 * for the values nearly every row has its own (ids, refs). Each row is a
 * small `TableRow` (the table and the row's index) whose getters read the
 * columns, so two million rows cost a few hundred bytes each instead of a
 * dozen objects each, and the garbage collector has little to walk.
 *
 * A date is not stored as text: the row keeps its day (shared) and its
 * timestamp, and whether the time was written as HH:MM or HH:MM:SS; the text
 * comes back exactly as written (SPEC §1 allows only those three forms).
 */
import { type Conversion, type Direction, type Kind, KINDS, type RateRow, type Row } from '../model.js';
import { two } from './date.js';

/** A validated row's values, as the row rules give them (the loader knows its company, file and position). */
export type RowValues = Omit<Row, 'company' | 'file' | 'seq'>;

/** A kind's code: its place in KINDS. */
const KIND_CODE = Object.fromEntries(KINDS.map((kind, i) => [kind, i])) as Readonly<Record<Kind, number>>;
/** flags: bits 0-1 the kind, bit 2 direction out, bits 3-4 the time written (0 none, 1 HH:MM, 2 HH:MM:SS). */
const OUT = 4;
const TIME_SHIFT = 3;

function timeForm(date: string): number {
  return date.length === 10 ? 0 : date.length === 16 ? 1 : 2;
}

/** Numeric and code columns, grown together. */
class Columns {
  file: Uint32Array;
  line: Uint32Array;
  ts: Float64Array;
  amount: BigInt64Array;
  flags: Uint8Array;
  day: Uint32Array;
  counterparty: Uint32Array;
  category: Uint32Array;
  currency: Uint32Array;
  deal: Uint32Array;
  memo: Uint32Array;

  constructor(capacity: number) {
    this.file = new Uint32Array(capacity);
    this.line = new Uint32Array(capacity);
    this.ts = new Float64Array(capacity);
    this.amount = new BigInt64Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.day = new Uint32Array(capacity);
    this.counterparty = new Uint32Array(capacity);
    this.category = new Uint32Array(capacity);
    this.currency = new Uint32Array(capacity);
    this.deal = new Uint32Array(capacity);
    this.memo = new Uint32Array(capacity);
  }

  /** The same columns with room for `capacity` rows, the first `length` copied. */
  grown(capacity: number, length: number): Columns {
    const next = new Columns(capacity);
    for (const key of COLUMN_KEYS) (next[key] as { set(a: ArrayLike<unknown>): void }).set(this[key].subarray(0, length) as never);
    return next;
  }
}

const COLUMN_KEYS = ['file', 'line', 'ts', 'amount', 'flags', 'day', 'counterparty', 'category', 'currency', 'deal', 'memo'] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];
export const SHARED_COLUMNS = ['day', 'counterparty', 'category', 'currency', 'deal', 'memo'] as const;

/**
 * A column of short strings nearly all different (ids, refs), held as a few
 * large strings: values are joined in blocks of 65,536 with the end of each
 * value kept, and read back with a slice. Two million ids cost their
 * characters and four bytes each, not an object each.
 */
export class StringColumn {
  private static readonly BLOCK = 1 << 16;
  private readonly blocks: string[] = [];
  private ends: Uint32Array = new Uint32Array(1024);
  private pending: string[] = [];
  private pendingLength = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(value: string): void {
    if (this.size === this.ends.length) {
      const next = new Uint32Array(2 * this.size);
      next.set(this.ends);
      this.ends = next;
    }
    this.pendingLength += value.length;
    this.ends[this.size++] = this.pendingLength;
    this.pending.push(value);
    if (this.pending.length === StringColumn.BLOCK) {
      this.blocks.push(this.pending.join(''));
      this.pending = [];
      this.pendingLength = 0;
    }
  }

  get(i: number): string {
    const block = i >>> 16;
    if (block === this.blocks.length) return this.pending[i & 0xffff] as string;
    const start = (i & 0xffff) === 0 ? 0 : (this.ends[i - 1] as number);
    return (this.blocks[block] as string).slice(start, this.ends[i] as number);
  }

  /** The column as plain data (to send to another thread). */
  data(): StringColumnData {
    return { blocks: this.blocks, ends: this.ends.slice(0, this.size), pending: this.pending, pendingLength: this.pendingLength };
  }

  /** A column rebuilt from `data()`. */
  static of(data: StringColumnData): StringColumn {
    const column = new StringColumn();
    column.blocks.push(...data.blocks);
    column.ends = data.ends.length > 0 ? data.ends : new Uint32Array(1024);
    column.size = data.ends.length;
    column.pending = [...data.pending];
    column.pendingLength = data.pendingLength;
    return column;
  }
}

export interface StringColumnData {
  readonly blocks: readonly string[];
  readonly ends: Uint32Array;
  readonly pending: readonly string[];
  readonly pendingLength: number;
}

export class RowTable {
  private size = 0;
  /** Columns (read by TableRow). */
  c: Columns;
  /** File name and company of each file index. */
  readonly fileNames: string[] = [];
  readonly fileCompanies: string[] = [];
  /** The shared strings; columns in SHARED_COLUMNS index into it. */
  readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  readonly ids = new StringColumn();
  readonly refs = new StringColumn();
  /** The rows, in the order added; row i has seq i (none when the table was made without row objects). */
  readonly rows: Row[] = [];
  /**
   * Converted rows (SPEC §8), made on the first one: per row 0 (not
   * converted) or 1 + 2 × the index of the rate row used + 1 when used
   * inverse, and the amount as written. Rows in the reporting currency cost
   * nothing.
   */
  private fxRate: Uint32Array | undefined;
  private fxOriginal: BigInt64Array | undefined;
  /** The rate rows conversions point into, and the rates file's name. */
  rates: readonly RateRow[] = [];
  ratesFile = '';

  /**
   * `rowObjects: false`: a table that only holds columns (a reading thread's,
   * sent on as columns). `capacity`: the rows expected, when known (the
   * columns then never grow by copying).
   */
  constructor(
    private readonly rowObjects = true,
    capacity = 1024,
  ) {
    this.c = new Columns(Math.max(1, capacity));
  }

  get length(): number {
    return this.size;
  }

  /** Registers a file; its index is what `push` takes. */
  addFile(name: string, company: string): number {
    this.fileNames.push(name);
    this.fileCompanies.push(company);
    return this.fileNames.length - 1;
  }

  /** The index of a shared string (added on first sight). */
  intern(value: string): number {
    let index = this.stringIndex.get(value);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(value);
      this.stringIndex.set(value, index);
    }
    return index;
  }

  /** Room for one more row; returns its index. */
  private next(): number {
    const i = this.size;
    if (i === this.c.file.length) this.c = this.c.grown(2 * Math.max(i, 1), i);
    this.size = i + 1;
    return i;
  }

  /** Adds a row of file `file`; it gets seq `length` (before the call). */
  push(file: number, v: RowValues): void {
    const i = this.next();
    const c = this.c;
    c.file[i] = file;
    c.line[i] = v.line;
    c.ts[i] = v.ts;
    c.amount[i] = v.amount;
    c.flags[i] = KIND_CODE[v.kind] | (v.direction === 'out' ? OUT : 0) | (timeForm(v.date) << TIME_SHIFT);
    c.day[i] = this.intern(v.day);
    c.counterparty[i] = this.intern(v.counterparty);
    c.category[i] = this.intern(v.category);
    c.currency[i] = this.intern(v.currency);
    c.deal[i] = this.intern(v.deal);
    c.memo[i] = this.intern(v.memo);
    this.ids.push(v.id);
    this.refs.push(v.ref);
    if (this.rowObjects) this.rows.push(new TableRow(this, i));
  }

  /**
   * Adds a row copied from another table's columns: `from` is that table's
   * columns at row `j`, `strings` maps its shared-string indexes to this
   * table's. Used to merge the tables of reading threads.
   */
  pushFrom(file: number, from: Columns, j: number, strings: Uint32Array, id: string, ref: string): void {
    const i = this.next();
    const c = this.c;
    c.file[i] = file;
    c.line[i] = from.line[j] as number;
    c.ts[i] = from.ts[j] as number;
    c.amount[i] = from.amount[j] as bigint;
    c.flags[i] = from.flags[j] as number;
    c.day[i] = strings[from.day[j] as number] as number;
    c.counterparty[i] = strings[from.counterparty[j] as number] as number;
    c.category[i] = strings[from.category[j] as number] as number;
    c.currency[i] = strings[from.currency[j] as number] as number;
    c.deal[i] = strings[from.deal[j] as number] as number;
    c.memo[i] = strings[from.memo[j] as number] as number;
    this.ids.push(id);
    this.refs.push(ref);
    if (this.rowObjects) this.rows.push(new TableRow(this, i));
  }

  /** Records that row `i` was converted from `original` by rate row `rateIndex` (see `rates`). */
  setConversion(i: number, original: bigint, rateIndex: number, inverse: boolean): void {
    const size = Math.max(this.c.file.length, i + 1);
    if (this.fxRate === undefined || this.fxOriginal === undefined || this.fxRate.length < size) {
      const rate = new Uint32Array(size);
      const amount = new BigInt64Array(size);
      if (this.fxRate !== undefined && this.fxOriginal !== undefined) {
        rate.set(this.fxRate);
        amount.set(this.fxOriginal);
      }
      this.fxRate = rate;
      this.fxOriginal = amount;
    }
    this.fxRate[i] = 1 + 2 * rateIndex + (inverse ? 1 : 0);
    this.fxOriginal[i] = original;
  }

  /** How row `i` was converted, or undefined when it is in the reporting currency. */
  conversion(i: number, currency: string): Conversion | undefined {
    const code = this.fxRate === undefined || i >= this.fxRate.length ? 0 : (this.fxRate[i] as number);
    if (code === 0) return undefined;
    const rate = this.rates[(code - 1) >>> 1] as RateRow;
    return { amount: (this.fxOriginal as BigInt64Array)[i] as bigint, currency, rate, inverse: ((code - 1) & 1) === 1, ratesFile: this.ratesFile };
  }

  /**
   * Makes room for `capacity` rows at once, so the columns do not grow by
   * copying. Room not written to costs address space, not memory: the
   * columns are zero-filled on demand by the system.
   */
  reserve(capacity: number): void {
    if (capacity > this.c.file.length) this.c = this.c.grown(capacity, this.size);
  }

  /** The columns cut to the rows held (to send to another thread). */
  columns(): Columns {
    const out = Object.create(Columns.prototype) as Columns;
    for (const key of COLUMN_KEYS) (out as unknown as Record<string, unknown>)[key] = this.c[key].slice(0, this.size);
    return out;
  }
}

export type { Columns };

/** Rebuilds a Columns object received from another thread (its prototype is lost on the way). */
export function columnsOf(data: Record<ColumnKey, ArrayLike<unknown>>): Columns {
  return Object.assign(Object.create(Columns.prototype) as Columns, data);
}

/** The typed arrays of a Columns object (to transfer their buffers between threads). */
export function columnArrays(c: Columns): ArrayBufferView[] {
  return COLUMN_KEYS.map((key) => c[key]);
}

/** A row of a RowTable: reads its values from the columns. */
class TableRow implements Row {
  constructor(
    private readonly t: RowTable,
    readonly seq: number,
  ) {}

  get company(): string {
    return this.t.fileCompanies[this.t.c.file[this.seq] as number] as string;
  }
  get file(): string {
    return this.t.fileNames[this.t.c.file[this.seq] as number] as string;
  }
  get line(): number {
    return this.t.c.line[this.seq] as number;
  }
  get id(): string {
    return this.t.ids.get(this.seq);
  }
  get day(): string {
    return this.t.strings[this.t.c.day[this.seq] as number] as string;
  }
  get date(): string {
    const form = (this.t.c.flags[this.seq] as number) >> TIME_SHIFT;
    if (form === 0) return this.day;
    const seconds = (((this.t.c.ts[this.seq] as number) % 86400) + 86400) % 86400; // ts < 0 in the first two months of year 0000
    const hm = `${this.day}T${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}`;
    return form === 1 ? hm : `${hm}:${two(seconds % 60)}`;
  }
  get ts(): number {
    return this.t.c.ts[this.seq] as number;
  }
  get direction(): Direction {
    return (this.t.c.flags[this.seq] as number) & OUT ? 'out' : 'in';
  }
  get counterparty(): string {
    return this.t.strings[this.t.c.counterparty[this.seq] as number] as string;
  }
  get kind(): Kind {
    return KINDS[(this.t.c.flags[this.seq] as number) & 3] as Kind;
  }
  get category(): string {
    return this.t.strings[this.t.c.category[this.seq] as number] as string;
  }
  get amount(): bigint {
    return this.t.c.amount[this.seq] as bigint;
  }
  get currency(): string {
    return this.t.strings[this.t.c.currency[this.seq] as number] as string;
  }
  get ref(): string {
    return this.t.refs.get(this.seq);
  }
  get deal(): string {
    return this.t.strings[this.t.c.deal[this.seq] as number] as string;
  }
  get memo(): string {
    return this.t.strings[this.t.c.memo[this.seq] as number] as string;
  }
  get conversion(): Conversion | undefined {
    return this.t.conversion(this.seq, this.currency);
  }
}
