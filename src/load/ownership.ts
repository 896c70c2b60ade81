/**
 * The ownership file (SPEC §9): `_ownership.csv` in the ledger folder, or
 * `--ownership FILE`. Pure: bytes in, holdings and input issues out. It is
 * read like a ledger (src/load/decode.ts and csv.ts: a BOM, CRLF, quoting and
 * bad UTF-8 behave the same) and every rule has its own message, with
 * `file:line`, the value as written and what was expected.
 *
 *     date,holder,held,percent
 *     2019-07-22,microsoft,openai,49.00
 */
import { createHash } from 'node:crypto';
import { PLAIN_DECIMAL } from '../money/amount.js';
import type { Holding, Ownership } from '../model.js';
import { describeFault, parseCsv } from './csv.js';
import { parseDate } from './date.js';
import { decodeLedger, wholeFileIssue } from './decode.js';
import { IssueList } from './issues.js';
import { show } from './row.js';
import { closest, guessColumn } from './suggest.js';

/** The ownership file's name in a ledger folder (SPEC §1, §9). */
export const OWNERSHIP_FILE = '_ownership.csv';

export const OWNERSHIP_COLUMNS = ['date', 'holder', 'held', 'percent'] as const;
type OwnershipColumn = (typeof OWNERSHIP_COLUMNS)[number];

const HEADER = OWNERSHIP_COLUMNS.join(',');
const LIST = OWNERSHIP_COLUMNS.join(', ');
export const EXPECTED_OWNERSHIP = `expected a UTF-8 CSV file of declared holdings whose first line is the header ${HEADER}`;

/** Names people use for an ownership column. */
const ALIASES: Readonly<Record<string, OwnershipColumn>> = {
  pct: 'percent',
  percentage: 'percent',
  share: 'percent',
  stake: 'percent',
  owner: 'holder',
  investor: 'holder',
  investee: 'held',
  since: 'date',
};

/** "did you mean" for a header name: a near-miss spelling or a usual synonym. */
function guess(name: string): OwnershipColumn | undefined {
  return guessColumn(name, ALIASES, OWNERSHIP_COLUMNS);
}

function isOwnershipColumn(name: string): name is OwnershipColumn {
  return (OWNERSHIP_COLUMNS as readonly string[]).includes(name);
}

/** A percent as hundredths (`27.5` → 2750), or why it is not one. */
export function parsePercent(text: string): { ok: true; hundredths: number } | { ok: false; message: string } {
  if (text === '') return { ok: false, message: 'percent is empty (expected a plain decimal from 0 to 100 with at most two decimals, e.g. 27.00)' };
  if (!PLAIN_DECIMAL.test(text)) {
    const fixed = text.trim().replace(/\s*%$/, '').replace(/^\+/, '');
    const hint = fixed !== text && PLAIN_DECIMAL.test(fixed) ? `write ${fixed}` : 'expected digits with an optional decimal point, e.g. 27.00: no sign, percent sign or separator';
    return { ok: false, message: `percent ${show(text)} is not a plain decimal (${hint})` };
  }
  const [whole, fraction = ''] = text.split('.') as [string, string?];
  if (fraction.length > 2) {
    return { ok: false, message: `percent ${show(text)} has ${fraction.length} decimals (expected at most 2, e.g. 27.13)` };
  }
  const digits = whole.replace(/^0+(?=[0-9])/, '');
  const hundredths = digits.length > 3 ? Infinity : Number(digits) * 100 + Number(fraction.padEnd(2, '0'));
  if (hundredths > 10000) return { ok: false, message: `percent ${show(text)} is more than 100 (expected 0 to 100: a holder owns at most all of a company)` };
  return { ok: true, hundredths };
}

export interface OwnershipRead {
  /** Undefined when the file holds an input error. */
  readonly ownership?: Ownership;
  readonly issues: IssueList;
}

/**
 * Reads an ownership file. `name` is what manifest.json lists, `path` what
 * messages cite; `companies` are the company ids of the ledger set.
 */
export function parseOwnership(bytes: Uint8Array, name: string, path: string, companies: readonly string[]): OwnershipRead {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const decoded = decodeLedger(bytes, path, EXPECTED_OWNERSHIP, isOwnershipColumn);
  if (!decoded.ok) return { issues: decoded.issues };
  const issues = new IssueList();
  const text = decoded.text;
  const whole = wholeFileIssue(text, path, `${EXPECTED_OWNERSHIP}; a file with the header only declares no holding`);
  if (whole !== undefined) {
    issues.add(whole);
    return { issues };
  }

  const known = new Set(companies);
  const holdings: Holding[] = [];
  /** Where each (date, holder, held) was first declared. */
  const seen = new Map<string, number>();
  let header: readonly string[] | undefined;
  let columns: Record<OwnershipColumn, number> | undefined;
  let headerLine = 0;
  let rows = 0;

  const issue = (line: number, message: string, column?: OwnershipColumn): void => {
    issues.add({ file: path, line, ...(column === undefined ? {} : { column }), message });
  };

  const checkHeader = (fields: readonly string[], line: number): boolean => {
    if (fields.every((f) => f.trim() === '')) {
      issue(line, `header row ${show(fields.join(','))} is blank (expected the column names first: ${HEADER})`);
      return false;
    }
    if (!fields.some(isOwnershipColumn) && !fields.some((f) => guess(f) !== undefined)) {
      const data = fields.some((f) => parseDate(f).ok);
      issue(line, `header row ${show(fields.join(','))} names no ownership column (expected the header ${HEADER} first; ${data ? 'the first line looks like a data row: is the header row missing?' : 'is this an ownership file?'})`);
      return false;
    }
    const index = { date: -1, holder: -1, held: -1, percent: -1 };
    let ok = true;
    fields.forEach((field, i) => {
      const position = `header column ${i + 1}`;
      if (field === '') {
        issue(line, `${position} is empty (expected a column name, one of ${LIST}; remove the extra comma)`);
        ok = false;
      } else if (!isOwnershipColumn(field)) {
        const near = guess(field);
        issue(line, `${position} ${show(field)} is not an ownership column (${near === undefined ? '' : `did you mean "${near}"? `}expected one of ${LIST}, exact and lowercase)`);
        ok = false;
      } else if (index[field] >= 0) {
        issue(line, `${position} ${show(field)} repeats header column ${index[field] + 1} (expected each column once)`, field);
        ok = false;
      } else index[field] = i;
    });
    if (ok) columns = index;
    return true;
  };

  /** On the first row: every row needs all four columns. */
  const checkColumnsPresent = (): void => {
    if (columns === undefined) return;
    const have = columns;
    const absent = OWNERSHIP_COLUMNS.filter((c) => have[c] < 0);
    if (absent.length === 0) return;
    const names = absent.length === 1 ? absent[0] : `${absent.slice(0, -1).join(', ')} or ${absent[absent.length - 1]}`;
    issue(headerLine, `header has no ${names} column (the file has rows, and every holding needs ${LIST}; expected those columns, in any order)`, absent[0]);
    columns = undefined;
  };

  const checkRecord = (fields: readonly string[], line: number, index: Record<OwnershipColumn, number>): void => {
    const get = (c: OwnershipColumn): string => fields[index[c]] as string;
    const before = issues.total;

    const date = get('date');
    const parsed = parseDate(date);
    if (date === '') issue(line, 'date is empty (expected the day the holding starts, YYYY-MM-DD)', 'date');
    else if (!parsed.ok || date.length !== 10) {
      if (parsed.ok || parsed.reason === 'format' || parsed.reason === 'time') {
        const hint = parsed.ok || parsed.reason === 'time' ? `write ${date.slice(0, 10)}: a holding starts on a day, not at a time` : parsed.detail;
        issue(line, `date ${show(date)} is not YYYY-MM-DD (${hint})`, 'date');
      } else issue(line, `date ${show(date)} is not a real calendar date (${parsed.detail})`, 'date');
    }

    const company = (column: 'holder' | 'held'): boolean => {
      const value = get(column);
      if (value === '') {
        issue(line, `${column} is empty (expected a company id of this ledger set)`, column);
        return false;
      }
      if (known.has(value)) return true;
      const near = closest(value, companies);
      const hint = near !== undefined ? `did you mean ${near}? ` : '';
      const expected = companies.length <= 12 ? `one of ${companies.join(', ')}` : `a company id, the name of a ledger file up to its first dot, e.g. ${companies[0] as string}`;
      issue(line, `${column} ${show(value)} is not a company of this ledger set (${hint}expected ${expected})`, column);
      return false;
    };
    const holder = get('holder');
    const held = get('held');
    const holderOk = company('holder');
    const heldOk = company('held');
    if (holderOk && heldOk && holder === held) {
      issue(line, `held ${show(held)} is the holder itself (expected another company: a company does not hold itself)`, 'held');
    }

    const percent = parsePercent(get('percent'));
    if (!percent.ok) issue(line, percent.message, 'percent');

    if (issues.total > before || !percent.ok) return;
    const key = `${date}\u0000${holder}\u0000${held}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      issue(line, `holding of ${held} by ${holder} on ${date} is already declared at ${path}:${earlier} (expected one row per date, holder and held)`);
      return;
    }
    seen.set(key, line);
    holdings.push({ day: date, holder, held, hundredths: percent.hundredths, line });
  };

  parseCsv(text, {
    record: (fields, line) => {
      if (header === undefined) {
        header = fields;
        headerLine = line;
        return checkHeader(fields, line);
      }
      rows++;
      if (rows === 1) checkColumnsPresent();
      if (fields.every((f) => f.trim() === '')) {
        issue(line, 'row is blank: every field is empty or spaces (a line of commas or spaces is a row, not an empty line; expected values, or delete the line)');
        return true;
      }
      if (fields.length !== header.length) {
        const got = fields.length;
        const want = header.length;
        issue(line, `row has ${got} ${got === 1 ? 'field' : 'fields'} where the header has ${want} (expected one field per column: ${header.join(',')})`);
        return true;
      }
      if (columns !== undefined) checkRecord(fields, line, columns);
      return true;
    },
    fault: (fault) => {
      const headerNames = header;
      if (headerNames === undefined) {
        header = [];
        issue(fault.line, describeFault(fault, (i) => `header column ${i + 1}`));
        return false;
      }
      rows++;
      if (rows === 1) checkColumnsPresent();
      const name = headerNames[fault.field];
      const column = name !== undefined && isOwnershipColumn(name) ? name : undefined;
      issue(fault.line, describeFault(fault, (i) => column ?? (i < headerNames.length ? `column ${i + 1}` : `field ${i + 1} (beyond the header's ${headerNames.length} columns)`)), column);
      return true;
    },
  });

  if (issues.total > 0) return { issues };
  return { ownership: { name, path, sha256, rows, holdings }, issues };
}

