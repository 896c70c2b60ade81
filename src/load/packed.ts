/**
 * A row table in a form that crosses threads cheaply: its typed-array
 * columns (transferred, not copied), its shared strings, and its ids and
 * refs as the few large strings they are kept in. Structured cloning a
 * million row objects costs seconds; this costs a copy of the text.
 *
 * Pure: `packTable` on one side, `PackReader` on the other appends a file's
 * rows to another table exactly as they were (a test checks it).
 */
import { columnArrays, columnsOf, type ColumnKey, type Columns, type RowTable, StringColumn, type StringColumnData } from './row-table.js';

export interface PackedRows {
  readonly count: number;
  readonly fileNames: readonly string[];
  readonly fileCompanies: readonly string[];
  readonly columns: Readonly<Record<ColumnKey, ArrayLike<unknown>>>;
  readonly strings: readonly string[];
  readonly ids: StringColumnData;
  readonly refs: StringColumnData;
}

export function packTable(table: RowTable): PackedRows {
  return {
    count: table.length,
    fileNames: [...table.fileNames],
    fileCompanies: [...table.fileCompanies],
    columns: table.columns() as unknown as Record<ColumnKey, ArrayLike<unknown>>,
    strings: table.strings,
    ids: table.ids.data(),
    refs: table.refs.data(),
  };
}

/** The buffers of a pack, to transfer rather than copy. */
export function buffersOf(p: PackedRows): ArrayBuffer[] {
  return [...columnArrays(columnsOf(p.columns)), p.ids.ends, p.refs.ends].map((a) => a.buffer as ArrayBuffer);
}

/** Appends the rows of a received pack to a table, file by file. */
export class PackReader {
  private readonly columns: Columns;
  private readonly ids: StringColumn;
  private readonly refs: StringColumn;
  /** This pack's shared-string indexes → the target table's. */
  private readonly strings: Uint32Array;
  /** Each file's rows: a contiguous range. */
  private readonly ranges = new Map<string, { from: number; to: number }>();

  constructor(
    private readonly target: RowTable,
    private readonly p: PackedRows,
  ) {
    this.columns = columnsOf(p.columns);
    this.ids = StringColumn.of(p.ids);
    this.refs = StringColumn.of(p.refs);
    this.strings = Uint32Array.from(p.strings, (s) => target.intern(s));
    const file = this.columns.file;
    let from = 0;
    for (let i = 1; i <= p.count; i++) {
      if (i === p.count || file[i] !== file[from]) {
        this.ranges.set(p.fileNames[file[from] as number] as string, { from, to: i });
        from = i;
      }
    }
  }

  /** The files this pack holds rows of. */
  get files(): readonly string[] {
    return [...this.ranges.keys()];
  }

  /** Appends the rows of file `name` (none if the pack has no rows of it) as target file `fileIndex`. */
  append(name: string, fileIndex: number): void {
    const range = this.ranges.get(name);
    if (range === undefined) return;
    const { columns, strings, target, ids, refs } = this;
    for (let j = range.from; j < range.to; j++) target.pushFrom(fileIndex, columns, j, strings, ids.get(j), refs.get(j));
  }
}
