/**
 * SPEC §10: a rules file, parsed. Pure: text in, rules or every problem out
 * (each naming the rules file's line). A small subset of hledger's CSV rules:
 * `skip`, `separator`, `encoding`, `fields`, `date-format`, `decimal-mark`,
 * `COLUMN TEMPLATE` lines and `if %NAME REGEX` blocks with `&&` conditions.
 */
import type { InputIssue } from '../../errors.js';
import { COLUMNS, isColumn, type Column } from '../columns.js';
import { firstInvalidUtf8 } from '../decode.js';
import { show } from '../row.js';
import { closest } from '../suggest.js';
import { compileDateFormat, type DateFormat } from './date.js';

export type Separator = ',' | ';' | '|' | '\t';
export type Encoding = 'utf-8' | 'windows-1252';
export type DecimalMark = '.' | ',';

/** A template, split: literal text and field indexes (0-based). */
export type TemplatePart = string | number;

export interface Assignment {
  readonly column: Column;
  readonly parts: readonly TemplatePart[];
  /** The rules file's line. */
  readonly line: number;
}

export interface Condition {
  /** 0-based index of the export field tested. */
  readonly field: number;
  readonly regex: RegExp;
  readonly line: number;
}

export interface Block {
  readonly line: number;
  readonly conditions: readonly Condition[];
  readonly assignments: readonly Assignment[];
  /** The line of a `skip` in the body (the record is left out), or 0. */
  readonly skip: number;
}

export type Step = { readonly assign: Assignment } | { readonly block: Block };

/** One column of the export as `fields` names it. */
export interface Field {
  /** '' for a column that is ignored. */
  readonly name: string;
  /** The §1 column the value goes to, when the name is one. */
  readonly column?: Column;
}

export interface Rules {
  /** The rules file as the user named it (for messages). */
  readonly file: string;
  readonly skip: number;
  readonly separator: Separator;
  readonly encoding: Encoding;
  readonly fields: readonly Field[];
  readonly fieldsLine: number;
  readonly dateFormat?: DateFormat;
  readonly decimalMark: DecimalMark;
  /** The line of the `decimal-mark` directive (0: the default). */
  readonly decimalMarkLine: number;
  /** Top-level assignments and blocks, in file order. */
  readonly steps: readonly Step[];
  /** Indexes of the `amount-in` and `amount-out` fields (-1 when there are none). */
  readonly amountIn: number;
  readonly amountOut: number;
  /** Whether `direction` is named in fields or set by any rule (then an amount's sign is an error). */
  readonly setsDirection: boolean;
}

export type RulesParse = { ok: true; rules: Rules } | { ok: false; issues: InputIssue[] };

const ONCE = ['skip', 'separator', 'encoding', 'fields', 'date-format', 'decimal-mark'] as const;
type Once = (typeof ONCE)[number];
const DIRECTIVES: readonly string[] = [...ONCE, 'if', ...COLUMNS];

/** hledger rules roundtrip does not read (SPEC §10 is a subset); named so the message can say so. */
const HLEDGER_ONLY = new Set([
  'include',
  'end',
  'newest-first',
  'intra-day-reversed',
  'balance-type',
  'timezone',
  'description',
  'comment',
  'account',
  'amount1',
  'amount2',
  'balance',
  'balance1',
  'balance2',
  'date2',
  'status',
  'code',
  'payee',
  'note',
  'source',
  'archive',
]);
/** The ledger column that does the job of an hledger field. */
const HLEDGER_LIKE: Readonly<Record<string, Column>> = { description: 'memo', comment: 'memo', note: 'memo', payee: 'counterparty', code: 'id' };
const HLEDGER_NUMBERED = /^(account|amount|amount-in|amount-out|balance|comment|currency)[0-9]+$/;

const FIELD_NAME = /^[a-z][a-z0-9_-]*$/;
const SEPARATORS: Readonly<Record<string, Separator>> = { ',': ',', ';': ';', '|': '|', TAB: '\t' };
const ENCODINGS: Readonly<Record<string, Encoding>> = { 'utf-8': 'utf-8', 'windows-1252': 'windows-1252' };
/** Columns every row needs; `amount` and `direction` may come from amount-in/amount-out, `id` defaults to FILE:LINE. */
const NEEDED: readonly Column[] = ['date', 'counterparty', 'kind', 'currency'];

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Bytes of a rules file to text: UTF-8 (a BOM is accepted); invalid UTF-8 is an error on its line. */
export function decodeRules(bytes: Uint8Array, file: string): { ok: true; text: string } | { ok: false; issues: InputIssue[] } {
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return { ok: false, issues: invalidUtf8(bytes, file, 'UTF-8 text: save the rules file as UTF-8') };
  }
}

/** One issue per line holding a byte that is not valid UTF-8 (each line tried with a fatal decoder). */
export function invalidUtf8(bytes: Uint8Array, file: string, expected: string): InputIssue[] {
  const issues: InputIssue[] = [];
  let start = 0;
  for (let line = 1; start < bytes.length; line++) {
    const lf = bytes.indexOf(0x0a, start);
    const end = lf < 0 ? bytes.length : lf + 1;
    const chunk = bytes.subarray(start, end);
    try {
      decoder.decode(chunk);
    } catch {
      const at = firstInvalidUtf8(chunk);
      const b = chunk[at] ?? 0;
      issues.push({
        file,
        line,
        message: `line is not valid UTF-8 (byte 0x${b.toString(16).toUpperCase().padStart(2, '0')} at byte ${start + at + 1} of the file; expected ${expected})`,
      });
    }
    start = end;
  }
  return issues;
}

interface RawAssign {
  readonly column: Column;
  readonly template: string;
  readonly line: number;
}

interface RawCondition {
  readonly ref: string;
  readonly regex: string;
  readonly line: number;
}

interface RawBlock {
  readonly line: number;
  readonly conditions: RawCondition[];
  readonly body: RawAssign[];
  skip: number;
  /** Whether a body line was seen (then `&&` may no longer follow). */
  bodyStarted: boolean;
}

/** Parses a rules file's text. `file` is its name as the user gave it. */
export function parseRules(text: string, file: string): RulesParse {
  const issues: InputIssue[] = [];
  const fail = (line: number, message: string): void => {
    issues.push({ file, line, message });
  };
  const seen = new Map<Once, number>();
  const once = (directive: Once, line: number): boolean => {
    const first = seen.get(directive);
    if (first !== undefined) {
      fail(line, `${directive} is given twice (first at line ${first}; expected each of ${ONCE.join(', ')} at most once)`);
      return false;
    }
    seen.set(directive, line);
    return true;
  };

  let skip = 0;
  let separator: Separator = ',';
  let encoding: Encoding = 'utf-8';
  let decimalMark: DecimalMark = '.';
  let decimalMarkLine = 0;
  let dateFormat: DateFormat | undefined;
  let fields: Field[] | undefined;
  let fieldsLine = 0;
  /** A fields line with an error: what the rules set is not checked as a whole (the fix may change it). */
  let fieldsOk = true;
  const raw: ({ assign: RawAssign } | { block: RawBlock })[] = [];
  let block: RawBlock | undefined;

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const whole = (lines[i] as string).replace(/\r$/, '');
    const content = whole.trim();
    if (content === '' || content.startsWith('#') || content.startsWith(';')) continue;
    const indented = /^[ \t]/.test(whole);
    const [word, rest] = splitWord(content);

    if (indented) {
      if (block === undefined) {
        fail(line, `indented line ${show(content)} is outside an if block (expected directives at the start of the line; indent only the body of an if block)`);
        continue;
      }
      if (word === '&&') {
        fail(line, `&& is indented (expected "&& %NAME REGEX" at the start of the line, right after the if line; indent only the body)`);
        continue;
      }
      block.bodyStarted = true;
      if (word === 'skip') {
        if (rest !== '') fail(line, `skip in an if block takes no number, got ${show(rest)} (expected skip alone: the record is left out)`);
        else block.skip = line;
      } else if (isColumn(word)) block.body.push({ column: word, template: rest, line });
      else fail(line, `${show(word)} is not a ledger column (expected an indented COLUMN TEMPLATE line, one of ${COLUMNS.join(', ')}, or skip${hintFor(word)})`);
      continue;
    }

    if (word === '&&') {
      if (block === undefined || block.bodyStarted) {
        fail(line, `&& does not follow an if line (expected "&& %NAME REGEX" right after "if %NAME REGEX" or another && line)`);
        continue;
      }
      const condition = rawCondition(rest, line, '&&', fail);
      if (condition !== undefined) block.conditions.push(condition);
      continue;
    }
    if (block !== undefined && !block.bodyStarted) fail(block.line, `if block has no body (expected indented lines after it, such as "  kind revenue" or "  skip")`);
    block = undefined;

    switch (word) {
      case 'if': {
        const condition = rawCondition(rest, line, 'if', fail);
        block = { line, conditions: condition === undefined ? [] : [condition], body: [], skip: 0, bodyStarted: false };
        raw.push({ block });
        break;
      }
      case 'skip':
        if (!once('skip', line)) break;
        if (/^[0-9]{1,9}$/.test(rest)) skip = Number(rest);
        else fail(line, `skip ${show(rest)} is not a number of records (expected a whole number, e.g. skip 1 to leave out a header line)`);
        break;
      case 'separator': {
        if (!once('separator', line)) break;
        const s = SEPARATORS[rest];
        if (s === undefined) fail(line, `separator ${show(rest)} is not one of , ; | TAB (expected one of them, e.g. separator ;)`);
        else separator = s;
        break;
      }
      case 'encoding': {
        if (!once('encoding', line)) break;
        const e = ENCODINGS[rest.toLowerCase()];
        if (e === undefined) fail(line, `encoding ${show(rest)} is not utf-8 or windows-1252 (expected one of them; utf-8 accepts a BOM)`);
        else encoding = e;
        break;
      }
      case 'decimal-mark':
        if (!once('decimal-mark', line)) break;
        if (rest === '.' || rest === ',') {
          decimalMark = rest;
          decimalMarkLine = line;
        } else fail(line, `decimal-mark ${show(rest)} is not . or , (expected one of them, e.g. decimal-mark ,)`);
        break;
      case 'date-format': {
        if (!once('date-format', line)) break;
        const compiled = compileDateFormat(rest, line);
        if (compiled.ok) dateFormat = compiled.format;
        else fail(line, compiled.message);
        break;
      }
      case 'fields': {
        if (!once('fields', line)) break;
        fieldsLine = line;
        const before = issues.length;
        fields = parseFields(rest, line, fail);
        fieldsOk = issues.length === before;
        break;
      }
      default:
        if (isColumn(word)) raw.push({ assign: { column: word, template: rest, line } });
        else if (HLEDGER_ONLY.has(word) || HLEDGER_NUMBERED.test(word) || word.startsWith('if,') || word.startsWith('if|')) {
          const like = HLEDGER_LIKE[word];
          fail(line, `${show(word)} is an hledger rule that roundtrip does not read (${like === undefined ? '' : `use ${like} for it; `}expected one of ${DIRECTIVES.join(', ')}; see docs/rules.md)`);
        } else fail(line, `unknown directive ${show(word)} (expected one of ${DIRECTIVES.join(', ')}${hintFor(word)})`);
    }
  }
  if (block !== undefined && !block.bodyStarted) fail(block.line, `if block has no body (expected indented lines after it, such as "  kind revenue" or "  skip")`);

  if (fields === undefined) {
    fail(0, 'has no fields line (expected one naming the export\'s columns in order, e.g. fields date, id, partner, amount, currency)');
    return { ok: false, issues: sortByLine(issues) };
  }
  const names = fields.map((f) => f.name);
  const fieldOf = (ref: string, line: number, what: string): number | undefined => {
    if (/^[0-9]+$/.test(ref)) {
      const n = Number(ref);
      if (n >= 1 && n <= names.length) return n - 1;
      fail(line, `${what} %${ref} is not a field number (expected %1 to %${names.length}: fields at line ${fieldsLine} names ${names.length} ${names.length === 1 ? 'field' : 'fields'})`);
      return undefined;
    }
    const at = names.indexOf(ref);
    if (at >= 0 && ref !== '') return at;
    const near = closest(ref, names.filter((n) => n !== ''));
    fail(line, `${what} %${ref} is not a name in fields (${near === undefined ? '' : `did you mean %${near}? `}expected one of ${names.filter((n) => n !== '').map((n) => `%${n}`).join(', ')} as named at line ${fieldsLine}, or a field number)`);
    return undefined;
  };
  const template = (assign: RawAssign): Assignment | undefined => {
    const parts = parseTemplate(assign.template, (ref) => fieldOf(ref, assign.line, 'template'), (message) => fail(assign.line, message));
    return parts === undefined ? undefined : { column: assign.column, parts, line: assign.line };
  };
  const condition = (c: RawCondition): Condition | undefined => {
    const field = fieldOf(c.ref, c.line, 'condition');
    let regex: RegExp | undefined;
    try {
      regex = new RegExp(c.regex, 'i');
    } catch (error) {
      const reason = (error as Error).message.replace(/^.*: /, '');
      fail(c.line, `regular expression ${show(c.regex)} is not valid: ${reason} (expected a JavaScript regular expression, e.g. ^AWS|compute)`);
    }
    return field === undefined || regex === undefined ? undefined : { field, regex, line: c.line };
  };

  const steps: Step[] = [];
  for (const item of raw) {
    if ('assign' in item) {
      const assign = template(item.assign);
      if (assign !== undefined) steps.push({ assign });
      continue;
    }
    const conditions = item.block.conditions.map(condition).filter((c): c is Condition => c !== undefined);
    const assignments = item.block.body.map(template).filter((a): a is Assignment => a !== undefined);
    steps.push({ block: { line: item.block.line, conditions, assignments, skip: item.block.skip } });
  }

  // What the rules set, to check the whole: every needed column is set somewhere, and the amount is given one way.
  const allAssigns = raw.flatMap((item) => ('assign' in item ? [item.assign] : item.block.body));
  const setBy = (column: Column): number | undefined => {
    const field = fields?.findIndex((f) => f.column === column) ?? -1;
    if (field >= 0) return fieldsLine;
    return allAssigns.find((a) => a.column === column)?.line;
  };
  const amountIn = names.indexOf('amount-in');
  const amountOut = names.indexOf('amount-out');
  const amountLine = setBy('amount');
  const directionLine = setBy('direction');
  if (!fieldsOk) {
    // reported on the fields line
  } else if ((amountIn >= 0) !== (amountOut >= 0)) {
    fail(fieldsLine, `fields names ${amountIn >= 0 ? 'amount-in but not amount-out' : 'amount-out but not amount-in'} (expected both, money in and money out in two columns, or an amount column)`);
  } else if (amountIn >= 0) {
    if (amountLine !== undefined) fail(amountLine, `amount is set, but fields names amount-in and amount-out (line ${fieldsLine}), which give the amount (expected one or the other)`);
    if (directionLine !== undefined) fail(directionLine, `direction is set, but fields names amount-in and amount-out (line ${fieldsLine}), whose non-zero column gives the direction (expected no direction rule with them)`);
  } else if (amountLine === undefined) {
    fail(0, 'sets no amount (expected amount, or amount-in and amount-out, in fields, or an amount line such as amount %3)');
  }
  for (const column of NEEDED) {
    if (fieldsOk && setBy(column) === undefined) fail(0, `sets no ${column} (expected a ${column} field in fields, or a line such as ${column} ${column === 'kind' ? 'other' : column === 'currency' ? 'USD' : `%${column === 'date' ? 'posted' : 'partner'}`})`);
  }

  if (issues.length > 0) return { ok: false, issues: sortByLine(issues) };
  return {
    ok: true,
    rules: {
      file,
      skip,
      separator,
      encoding,
      fields,
      fieldsLine,
      ...(dateFormat === undefined ? {} : { dateFormat }),
      decimalMark,
      decimalMarkLine,
      steps,
      amountIn,
      amountOut,
      setsDirection: directionLine !== undefined,
    },
  };
}

function sortByLine(issues: InputIssue[]): InputIssue[] {
  return issues.map((issue, i) => ({ issue, i })).sort((x, y) => x.issue.line - y.issue.line || x.i - y.i).map((x) => x.issue);
}

/** The first word of a line and the rest (trimmed). */
function splitWord(content: string): [string, string] {
  const m = /^(\S+)\s*(.*)$/.exec(content);
  return m === null ? [content, ''] : [m[1] as string, (m[2] as string).trim()];
}

function hintFor(word: string): string {
  const near = closest(word, DIRECTIVES);
  return near === undefined ? '' : `; did you mean ${near}?`;
}

function rawCondition(rest: string, line: number, what: 'if' | '&&', fail: (line: number, message: string) => void): RawCondition | undefined {
  const m = /^%([a-z0-9_-]+)(?:\s+(.*))?$/.exec(rest);
  if (m === null || m[2] === undefined || m[2].trim() === '') {
    fail(
      line,
      `${what} ${show(rest)} is not "${what} %NAME REGEX" (expected a field of fields and a regular expression, e.g. ${what} %text ^AWS; roundtrip reads only this form of hledger's if)`,
    );
    return undefined;
  }
  return { ref: m[1] as string, regex: (m[2] as string).trim(), line };
}

function parseFields(rest: string, line: number, fail: (line: number, message: string) => void): Field[] {
  const fields: Field[] = [];
  if (rest === '') {
    fail(line, 'fields names no column (expected the export\'s columns in order, separated by commas, e.g. fields date, id, partner, amount, currency)');
    return fields;
  }
  const seenNames = new Set<string>();
  for (const part of rest.split(',')) {
    const name = part.trim();
    if (name === '') {
      fields.push({ name: '' });
      continue;
    }
    if (/^_+$/.test(name)) {
      fail(line, `fields name ${show(name)} is not a field name (expected an empty name for a column to ignore, e.g. fields date, , , amount, where hledger writes _)`);
    } else if (!FIELD_NAME.test(name)) {
      fail(
        line,
        `fields name ${show(name)} is not a field name (expected a ledger column, amount-in, amount-out, or lowercase letters, digits, "-" and "_" starting with a letter; leave it empty to ignore the column)`,
      );
    } else if (seenNames.has(name)) fail(line, `fields names ${show(name)} twice (expected each name once; leave a column's name empty to ignore it)`);
    seenNames.add(name);
    fields.push(isColumn(name) ? { name, column: name } : { name });
  }
  return fields;
}

/**
 * A template's parts: `%name` (the longest run of [a-z0-9_-]), `%N`, `%%`,
 * other text as it is. Undefined when a reference is bad (reported).
 */
function parseTemplate(template: string, fieldOf: (ref: string) => number | undefined, fail: (message: string) => void): TemplatePart[] | undefined {
  const parts: TemplatePart[] = [];
  let text = '';
  let ok = true;
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c !== '%') {
      text += c;
      continue;
    }
    if (template[i + 1] === '%') {
      text += '%';
      i++;
      continue;
    }
    const m = /^[a-z0-9_-]+/.exec(template.slice(i + 1));
    if (m === null) {
      fail(`template ${show(template)} has a % that is not followed by a field name or number (expected %name, %N, or %% for a percent sign)`);
      ok = false;
      continue;
    }
    const field = fieldOf(m[0]);
    if (field === undefined) ok = false;
    else {
      if (text !== '') parts.push(text);
      text = '';
      parts.push(field);
    }
    i += m[0].length;
  }
  if (text !== '') parts.push(text);
  return ok ? parts : undefined;
}
