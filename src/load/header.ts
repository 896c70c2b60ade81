/** SPEC §1 header rules: exact lowercase names, none unknown, repeated or empty. */
import type { InputIssue } from '../errors.js';
import { COLUMNS, type Column, type ColumnIndex, isColumn } from './columns.js';
import { closest } from './suggest.js';

export type HeaderCheck = { ok: true; columns: ColumnIndex } | { ok: false; issues: InputIssue[] };

export function checkHeader(fields: readonly string[], file: string, line: number): HeaderCheck {
  const issues: InputIssue[] = [];
  const columns = Object.fromEntries(COLUMNS.map((c) => [c, -1])) as ColumnIndex;
  fields.forEach((name, i) => {
    const position = `column ${i + 1}`;
    if (name === '') {
      issues.push({ file, line, message: `header ${position} has an empty name (expected one of ${COLUMNS.join(', ')}; remove the extra comma)` });
      return;
    }
    if (!isColumn(name)) {
      const guess = closest(name.replace(/^\uFEFF/, '').trim().toLowerCase(), COLUMNS);
      const hint = guess !== undefined ? `did you mean "${guess}"? ` : '';
      issues.push({
        file,
        line,
        column: name,
        message: `header ${position} "${name}" is not a ledger column (${hint}expected one of ${COLUMNS.join(', ')}, exact and lowercase)`,
      });
      return;
    }
    const earlier = columns[name];
    if (earlier >= 0) {
      issues.push({ file, line, column: name, message: `header ${position} "${name}" repeats column ${earlier + 1} (each column appears once)` });
      return;
    }
    columns[name as Column] = i;
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, columns };
}
