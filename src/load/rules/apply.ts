/**
 * SPEC §10: an export read through rules, record by record, into §1 values.
 * Pure: the export's bytes and the parsed rules in; for each record its
 * first physical line, its §1 values (in column order), the rules line that
 * set each value, and what the rules found wrong (amounts, dates). The §1
 * rules are then checked on those values exactly as on a ledger row
 * (`checkExportRow`).
 */
import type { InputIssue } from '../../errors.js';
import { MAX_INTEGER_DIGITS, minorDigits } from '../../money/amount.js';
import { COLUMNS, type Column, type ColumnIndex } from '../columns.js';
import { describeFault, parseCsv } from '../csv.js';
import { wholeFileIssue } from '../decode.js';
import { parseDate } from '../date.js';
import type { IssueList } from '../issues.js';
import { byColumn, checkRow, CURRENCY, show, type RowContext } from '../row.js';
import type { RowValues } from '../row-table.js';
import { amountExample, readAmount } from './amount.js';
import { decodeWindows1252 } from './cp1252.js';
import { dateExample, readDate } from './date.js';
import { invalidUtf8, type Rules, type TemplatePart } from './parse.js';

export interface ExportRecord {
  /** The record's first physical line in the export. */
  readonly line: number;
  /** The §1 values, in COLUMNS order. */
  readonly values: readonly string[];
  /** For each column, the rules file's line that set its value; 0 when the export's field gave it or nothing did. */
  readonly origins: readonly number[];
  /** What the rules found wrong (amounts, dates), column by column. */
  readonly issues: readonly InputIssue[];
  /** The columns `issues` is about (the §1 check of them is left out: it would only repeat the problem). */
  readonly reported: ReadonlySet<Column>;
}

/** Every column at its own index: the §1 values of a record are in COLUMNS order. */
export const IN_ORDER: ColumnIndex = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as ColumnIndex;
const AT = IN_ORDER;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The export's text in the rules' encoding, or the issues that stop it being read. */
function decode(bytes: Uint8Array, file: string, rules: Rules): string | InputIssue[] {
  if (rules.encoding === 'windows-1252') return decodeWindows1252(bytes);
  try {
    return utf8.decode(bytes);
  } catch {
    return invalidUtf8(bytes, file, `UTF-8, as ${rules.file} reads it: if the export is Windows-1252, add "encoding windows-1252" to the rules`);
  }
}

/**
 * Reads one export: decoding, CSV syntax and field-count problems go to
 * `list`; every record the rules keep goes to `onRecord`, in line order.
 * Returns how many records were kept. `name` is the export's file name (the
 * default id is NAME:LINE), `file` its path as the user gave it.
 */
export function readExport(bytes: Uint8Array, name: string, file: string, rules: Rules, list: IssueList, onRecord: (record: ExportRecord) => void): number {
  const text = decode(bytes, file, rules);
  if (typeof text !== 'string') {
    list.addAll(text);
    return 0;
  }
  const whole = wholeFileIssue(text, file, `expected the export that ${rules.file} reads`);
  if (whole !== undefined) {
    list.add(whole);
    return 0;
  }
  const names = rules.fields.map((f) => f.name);
  const label = (i: number): string => (names[i] ? `field ${i + 1} (${names[i]})` : `field ${i + 1}`);
  let records = 0;
  let kept = 0;
  parseCsv(
    text,
    {
      record: (fields, line) => {
        if (records++ < rules.skip) return true;
        if (fields.length !== names.length) {
          list.add({ file, line, message: fieldCountMessage(fields.length, rules) });
          return true;
        }
        const record = applyRules(fields.map(trimSpaces), line, name, rules);
        if (record !== undefined) {
          kept++;
          onRecord(record);
        }
        return true;
      },
      fault: (fault) => {
        // A faulty record counts as read (a header with a stray quote is still the header skip leaves out).
        if (records++ < rules.skip && fault.kind === 'stray-quote') return true;
        list.add({ file, line: fault.line, message: describeFault(fault, label) });
        return true;
      },
    },
    rules.separator,
  );
  return kept;
}

/** Values are trimmed of spaces at both ends (SPEC §10). */
function trimSpaces(value: string): string {
  return value.replace(/^ +| +$/g, '');
}

function fieldCountMessage(got: number, rules: Rules): string {
  const want = rules.fields.length;
  const head = `record has ${got} ${got === 1 ? 'field' : 'fields'} where fields (${rules.file}:${rules.fieldsLine}) names ${want}`;
  const separator = rules.separator === '\t' ? 'TAB' : rules.separator;
  if (got === 1 && want > 1) return `${head} (expected fields separated by ${separator}, as the rules say: is the separator right?)`;
  if (got < want) {
    const missing = rules.fields.slice(got).map((f, i) => f.name || `field ${got + i + 1}`);
    return `${head} (no field for ${missing.join(', ')}; expected one field per name, empty ones included)`;
  }
  const extra = got - want;
  return `${head} (${extra === 1 ? 'one' : extra} too many: expected a value that holds "${separator}" to be quoted)`;
}

function fill(parts: readonly TemplatePart[], fields: readonly string[]): string {
  let out = '';
  for (const part of parts) out += typeof part === 'string' ? part : (fields[part] as string);
  return out;
}

/** One record through the rules; undefined when a block skips it. */
export function applyRules(fields: readonly string[], line: number, name: string, rules: Rules): ExportRecord | undefined {
  const values: string[] = COLUMNS.map(() => '');
  const origins: number[] = COLUMNS.map(() => 0);
  const set: boolean[] = COLUMNS.map(() => false);
  rules.fields.forEach((field, i) => {
    if (field.column === undefined) return;
    values[AT[field.column]] = fields[i] as string;
    set[AT[field.column]] = true;
  });
  const assign = (column: Column, parts: readonly TemplatePart[], ruleLine: number): void => {
    values[AT[column]] = fill(parts, fields);
    origins[AT[column]] = ruleLine;
    set[AT[column]] = true;
  };
  for (const step of rules.steps) {
    if ('assign' in step) {
      assign(step.assign.column, step.assign.parts, step.assign.line);
      continue;
    }
    const { block } = step;
    if (!block.conditions.every((c) => c.regex.test(fields[c.field] as string))) continue;
    if (block.skip > 0) return undefined;
    for (const a of block.assignments) assign(a.column, a.parts, a.line);
  }

  const issues: InputIssue[] = [];
  const reported = new Set<Column>();
  const fail = (column: Column, message: string): void => {
    issues.push({ file: '', line, column, message });
    reported.add(column);
  };
  const where = (column: Column): string => {
    const ruleLine = origins[AT[column]] as number;
    if (ruleLine > 0) return `${rules.file}:${ruleLine}`;
    return `fields at ${rules.file}:${rules.fieldsLine}`;
  };

  // The amount and, when the rules do not set it, the direction.
  const currency = values[AT.currency] as string;
  const digits = CURRENCY.test(currency) ? minorDigits(currency) : undefined;
  const mark = rules.decimalMark;
  const expected = `expected an amount such as ${amountExample(mark)}${rules.decimalMarkLine > 0 ? `, as decimal-mark ${mark} (${rules.file}:${rules.decimalMarkLine}) reads it` : ''}`;
  /** The amount's digits as a §1 plain decimal, or undefined (reported). */
  const plain = (label: string, raw: string, whole: string, fraction: string): string | undefined => {
    if (whole.length > MAX_INTEGER_DIGITS) {
      fail('amount', `${label} ${show(raw)} has ${whole.length} digits before the decimal mark (expected at most ${MAX_INTEGER_DIGITS})`);
      return undefined;
    }
    if (digits === undefined) return fraction === '' ? whole : `${whole}.${fraction}`;
    if (!/^0*$/.test(fraction.slice(digits))) {
      const allowed = digits === 0 ? 'no decimals' : `at most ${digits} ${digits === 1 ? 'decimal' : 'decimals'}`;
      fail('amount', `${label} ${show(raw)} has ${fraction.length} ${fraction.length === 1 ? 'decimal' : 'decimals'}, more than ${currency} allows (expected ${allowed})`);
      return undefined;
    }
    return digits === 0 ? whole : `${whole}.${fraction.slice(0, digits).padEnd(digits, '0')}`;
  };

  if (rules.amountIn >= 0) {
    const texts = [fields[rules.amountIn] as string, fields[rules.amountOut] as string];
    const labels = ['amount-in', 'amount-out'];
    const read = texts.map((t) => (t === '' ? undefined : readAmount(t, mark)));
    let bad = false;
    read.forEach((r, i) => {
      if (r === undefined) return;
      if (!r.ok) {
        fail('amount', `${labels[i]} ${show(texts[i] as string)} is not an amount (${r.problem}; ${expected})`);
        bad = true;
      } else if (r.signed) {
        fail('amount', `${labels[i]} ${show(texts[i] as string)} has a sign (expected an amount without sign or parentheses: the column it is in gives the direction)`);
        bad = true;
      }
    });
    reported.add('direction');
    if (!bad) {
      const nonZero = read.map((r) => r !== undefined && r.ok && !r.zero);
      if (nonZero[0] === nonZero[1]) {
        fail(
          'amount',
          `amount-in ${show(texts[0] as string)} and amount-out ${show(texts[1] as string)} ${nonZero[0] ? 'both hold money' : 'are both empty or zero'} (expected exactly one of the two non-zero: it gives the amount and the direction)`,
        );
      } else {
        const i = nonZero[0] ? 0 : 1;
        const r = read[i] as Extract<ReturnType<typeof readAmount>, { ok: true }>;
        const amount = plain(labels[i] as string, texts[i] as string, r.whole, r.fraction);
        if (amount !== undefined) {
          values[AT.amount] = amount;
          values[AT.direction] = i === 0 ? 'in' : 'out';
          reported.delete('direction');
        }
      }
    }
  } else {
    const text = values[AT.amount] as string;
    const directionSet = set[AT.direction] as boolean;
    if (text !== '') {
      const r = readAmount(text, mark);
      if (!r.ok) fail('amount', `amount ${show(text)} is not an amount (${r.problem}; ${expected})`);
      else if (r.signed && directionSet) {
        fail('amount', `amount ${show(text)} has a sign, but the rules set the direction (${where('direction')}) (expected an amount without sign or parentheses, or no direction rule: then a negative amount is out, a positive one in)`);
      } else if (r.zero) fail('amount', `amount ${show(text)} is zero (expected an amount other than zero)`);
      else {
        const amount = plain('amount', text, r.whole, r.fraction);
        if (amount !== undefined) {
          values[AT.amount] = amount;
          if (!directionSet) values[AT.direction] = r.negative ? 'out' : 'in';
        }
      }
    }
    // The direction comes from the amount's sign: a bad amount leaves it unknown (one message, on the amount).
    if (!directionSet && (reported.has('amount') || text === '')) reported.add('direction');
  }

  const format = rules.dateFormat;
  const date = values[AT.date] as string;
  if (format !== undefined && date !== '') {
    const read = readDate(date, format);
    if (read === undefined) {
      fail('date', `date ${show(date)} does not match date-format ${format.text} (${rules.file}:${format.line}) (expected a date written like ${dateExample(format)})`);
    } else {
      const parsed = parseDate(read);
      if (parsed.ok) values[AT.date] = read;
      else if (parsed.reason === 'time') fail('date', `date ${show(date)} is not a real time of day (${parsed.detail})`);
      else fail('date', `date ${show(date)} is not a real calendar date (read as ${read} by date-format ${format.text}: ${parsed.detail})`);
    }
  }

  if (!(set[AT.id] as boolean)) values[AT.id] = `${name}:${line}`;
  return { line, values, origins, issues, reported };
}

/**
 * The §1 rules on a record's values (SPEC §10: the resulting row must pass
 * every rule of §1), with the rules' own findings. Every issue names the
 * export's file and line, and, when a rule set the value, the rules line.
 * Pushes the issues (in column order) and returns the row when there is none.
 */
export function checkExportRow(record: ExportRecord, context: RowContext, rules: Rules, issues: InputIssue[]): RowValues | undefined {
  const own: InputIssue[] = [];
  const row = checkRow(record.values, record.line, context, own);
  const found = [...record.issues.map((issue) => ({ ...issue, file: context.file })), ...own.filter((issue) => issue.column === undefined || !record.reported.has(issue.column as Column))];
  if (found.length === 0) return row;
  found.sort(byColumn);
  for (const issue of found) issues.push(withRuleLine(issue, record, rules));
  return undefined;
}

/** An issue on a record's column, ending with the rules line that set the value when a rule did (SPEC §10). */
export function withRuleLine(issue: InputIssue, record: ExportRecord, rules: Rules): InputIssue {
  const ruleLine = issue.column === undefined ? 0 : (record.origins[AT[issue.column as Column]] ?? 0);
  return ruleLine > 0 ? { ...issue, message: `${issue.message}; set by ${rules.file}:${ruleLine}` } : issue;
}
