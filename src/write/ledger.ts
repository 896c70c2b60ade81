/**
 * A §1 ledger as `roundtrip import` writes it (SPEC §10): the columns in §1
 * order, LF line ends, no BOM, fields quoted only when they hold a comma, a
 * double quote, CR or LF, and otherwise written as they are (a ledger is
 * data, not a report: no formula apostrophe).
 */
import { COLUMNS } from '../load/columns.js';
import { csvField } from './csv.js';

export function ledgerText(rows: readonly (readonly string[])[]): string {
  let text = `${COLUMNS.join(',')}\n`;
  for (const row of rows) text += `${row.map(csvField).join(',')}\n`;
  return text;
}
