/**
 * A row table in a form that crosses threads cheaply: its typed-array
 * columns (transferred, not copied), its shared strings, and ids and refs
 * each as one joined text with the end of every value. Structured cloning a
 * million row objects costs seconds; this costs a copy of the text.
 *
 * Pure: `packTable` on one side, `PackReader` on the other appends a file's
 * rows to another table exactly as they were (a test checks it).
 */
import { columnArrays, columnsOf, type ColumnKey, type Columns, type RowTable } from './row-table.js';

export interface PackedRows {
  readonly count: number;
  readonly fileNames: readonly string[];
  readonly fileCompanies: readonly string[];
  readonly columns: Readonly<Record<ColumnKey, ArrayLike<unknown>>>;
  readonly strings: readonly string[];
  readonly ids: string;
  readonly idEnds: Uint32Array;
  readonly refs: string;
  readonly refEnds: Uint32Array;
}

function joined(values: readonly string[]): { text: string; ends: Uint32Array } {
  const ends = new Uint32Array(values.length);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    at += (values[i] as string).length;
    ends[i] = at;
  }
  return { text: values.join(''), ends };
}

export function packTable(table: RowTable): PackedRows {
  const ids = joined(table.ids);
  const refs = joined(table.refs);
  return {
    count: table.length,
    fileNames: [...table.fileNames],
    fileCompanies: [...table.fileCompanies],
    columns: table.columns() as unknown as Record<ColumnKey, ArrayLike<unknown>>,
    strings: table.strings,
    ids: ids.text,
    idEnds: ids.ends,
    refs: refs.text,
    refEnds: refs.ends,
  };
}

/** The buffers of a pack, to transfer rather than copy. */
export function buffersOf(p: PackedRows): ArrayBuffer[] {
  return [...columnArrays(columnsOf(p.columns)), p.idEnds, p.refEnds].map((a) => a.buffer as ArrayBuffer);
}

/** Appends the rows of a received pack to a table, file by file. */
export class PackReader {
  private readonly columns: Columns;
  /** This pack's shared-string indexes → the target table's. */
  private readonly strings: Uint32Array;
  /** Each file's rows: a contiguous range. */
  private readonly ranges = new Map<string, { from: number; to: number }>();

  constructor(
    private readonly target: RowTable,
    private readonly p: PackedRows,
  ) {
    this.columns = columnsOf(p.columns);
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
    const { p, columns, strings, target } = this;
    for (let j = range.from; j < range.to; j++) {
      const id = p.ids.slice(j === 0 ? 0 : (p.idEnds[j - 1] as number), p.idEnds[j] as number);
      const ref = p.refs.slice(j === 0 ? 0 : (p.refEnds[j - 1] as number), p.refEnds[j] as number);
      target.pushFrom(fileIndex, columns, j, strings, id, ref);
    }
  }
}
