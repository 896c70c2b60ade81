/** SPEC §1 header rules: exact lowercase names, none unknown, repeated or empty. */
import type { InputIssue } from '../errors.js';
import { COLUMNS, type Column, type ColumnIndex, isColumn } from './columns.js';
import { parseDate } from './date.js';
import { guessColumn } from './suggest.js';

export type HeaderCheck =
  | { ok: true; columns: ColumnIndex }
  /** `fatal`: the first line is not a ledger header at all; reading the file on would only add noise. */
  | { ok: false; fatal: boolean; issues: InputIssue[] };

const LIST = COLUMNS.join(', ');
const EXAMPLE = 'id,date,direction,counterparty,kind,category,amount,currency';

/** Names people use for a ledger column. */
const ALIASES: Readonly<Record<string, Column>> = {
  reference: 'ref',
  description: 'memo',
  note: 'memo',
  notes: 'memo',
  comment: 'memo',
  type: 'kind',
  value: 'amount',
  ccy: 'currency',
  timestamp: 'date',
  datetime: 'date',
  party: 'counterparty',
  cpty: 'counterparty',
};

/** "did you mean" for a header name: a near-miss spelling or a usual synonym. */
function guess(name: string): Column | undefined {
  return guessColumn(name, ALIASES, COLUMNS);
}

/** Shows a header name in a message. */
function showName(name: string): string {
  return JSON.stringify(name.length > 60 ? `${name.slice(0, 57)}...` : name);
}

export function checkHeader(fields: readonly string[], file: string, line: number): HeaderCheck {
  const issue = (message: string, column?: string): InputIssue => ({ file, line, ...(column === undefined ? {} : { column }), message });
  const shown = fields.join(',');

  // Not a header at all: a line of commas or spaces, another separator, or a data row.
  if (fields.every((f) => f.trim() === '')) {
    return { ok: false, fatal: true, issues: [issue(`header row ${showName(shown)} is blank (expected the column names first, e.g. ${EXAMPLE})`)] };
  }
  if (fields.length === 1) {
    for (const separator of [';', '\t', '|']) {
      const parts = (fields[0] as string).split(separator);
      if (parts.length >= 2 && parts.filter((p) => isColumn(p.trim().toLowerCase())).length * 2 >= parts.length) {
        const name = separator === '\t' ? 'tabs' : `"${separator}"`;
        return {
          ok: false,
          fatal: true,
          issues: [issue(`header row ${showName(shown)} separates its names with ${name} (expected commas, e.g. ${EXAMPLE}; in Excel or LibreOffice, save as "CSV UTF-8 (comma delimited)")`)],
        };
      }
    }
  }
  const known = fields.filter((f) => isColumn(f)).length;
  if (known === 0 && fields.every((f) => isColumn(f.trim().toLowerCase()))) {
    const fixed = fields.map((f) => f.trim().toLowerCase()).join(',');
    return {
      ok: false,
      fatal: false,
      issues: [issue(`header row ${showName(shown)} is not in lowercase (expected exact lowercase column names: write ${JSON.stringify(fixed)})`)],
    };
  }
  const near = fields.filter((f) => !isColumn(f) && guess(f) !== undefined).length;
  if (known === 0 && near * 2 < fields.length) {
    const data = fields.some((f) => parseDate(f).ok);
    const why = data ? 'the first line looks like a data row: is the header row missing?' : 'is this a ledger?';
    return {
      ok: false,
      fatal: true,
      issues: [issue(`header row ${showName(shown)} names no ledger column (expected the column names first, e.g. ${EXAMPLE}; ${why})`)],
    };
  }

  const issues: InputIssue[] = [];
  const columns = Object.fromEntries(COLUMNS.map((c) => [c, -1])) as ColumnIndex;
  fields.forEach((name, i) => {
    const position = `header column ${i + 1}`;
    if (name === '') {
      issues.push(issue(`${position} is empty (expected a column name, one of ${LIST}; remove the extra comma)`));
      return;
    }
    if (!isColumn(name)) {
      const hint = guess(name);
      const mean = hint !== undefined ? `did you mean "${hint}"? ` : '';
      issues.push(issue(`${position} ${showName(name)} is not a ledger column (${mean}expected one of ${LIST}, exact and lowercase)`, name));
      return;
    }
    const earlier = columns[name];
    if (earlier >= 0) {
      issues.push(issue(`${position} ${showName(name)} repeats header column ${earlier + 1} (expected each column once)`, name));
      return;
    }
    columns[name] = i;
  });
  return issues.length > 0 ? { ok: false, fatal: false, issues } : { ok: true, columns };
}
