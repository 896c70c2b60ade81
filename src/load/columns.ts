/** The ledger columns of SPEC §1. */
export const COLUMNS = ['id', 'date', 'direction', 'counterparty', 'kind', 'category', 'amount', 'currency', 'ref', 'deal', 'memo'] as const;
export type Column = (typeof COLUMNS)[number];
/** Columns every row needs: a file with rows must have them. */
export const REQUIRED_COLUMNS: readonly Column[] = ['id', 'date', 'direction', 'counterparty', 'kind', 'amount', 'currency'];

export type ColumnIndex = Record<Column, number>;

const KNOWN = new Set<string>(COLUMNS);
export function isColumn(name: string): name is Column {
  return KNOWN.has(name);
}
