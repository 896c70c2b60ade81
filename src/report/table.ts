/** A report table: plain strings, with the columns that are text (formula-injection guarded) marked. */
export interface Table {
  readonly header: readonly string[];
  /** For each column: true when it holds text (names, ids, sources), false for amounts, percentages and counts. */
  readonly text: readonly boolean[];
  readonly rows: string[][];
}

/** A table whose rows are produced as they are written (the large reports: never all held at once). */
export interface RowSource {
  readonly header: readonly string[];
  readonly text: readonly boolean[];
  readonly rows: Iterable<readonly string[]>;
}

export function table(columns: readonly (readonly [string, 'text' | 'number'])[]): Table {
  return { header: columns.map(([name]) => name), text: columns.map(([, type]) => type === 'text'), rows: [] };
}
