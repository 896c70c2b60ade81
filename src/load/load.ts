/**
 * load = parse + validate (SPEC §1). The pure core takes file names and bytes
 * and returns the rows of the run, or throws one input error listing every
 * problem found (the first 50, in file then line order, and a count of the
 * rest), like a compiler: a bad row never stops the reading.
 */
import { createHash } from 'node:crypto';
import { inputError, type InputIssue } from '../errors.js';
import { minorDigits } from '../money/amount.js';
import type { LedgerFile, Ledgers } from '../model.js';
import { byCodeUnits } from '../sort.js';
import { RowTable } from './row-table.js';
import { REQUIRED_COLUMNS, isColumn, type Column, type ColumnIndex } from './columns.js';
import { describeFault, parseCsv, type CsvFault } from './csv.js';
import { decodeLedger, EXPECTED_LEDGER, wholeFileIssue } from './decode.js';
import { CurrencyStage, type CurrencyOptions } from './fx.js';
import { checkHeader } from './header.js';
import { IssueList } from './issues.js';
import { OWNERSHIP_FILE, parseOwnership } from './ownership.js';
import { RATES_FILE } from './rates.js';
import { byColumn, checkRow, CURRENCY, lengthOf, MAX_ID_LENGTH, show, type RowContext } from './row.js';
import { editDistance } from './suggest.js';
import { checkExportRow, IN_ORDER, readExport, withRuleLine, type ExportRecord } from './rules/apply.js';
import { isRulesName, placeRules } from './rules/folder.js';
import { decodeRules, parseRules, type Rules } from './rules/parse.js';

export interface LedgerInput {
  /** File name inside the ledgers folder. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export const COMPANY_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Is this directory entry a ledger candidate (SPEC §1: `.csv` in any case, not hidden)? */
export function isLedgerName(name: string): boolean {
  return !name.startsWith('.') && name.toLowerCase().endsWith('.csv');
}

/** The reference files a ledger folder may hold besides its ledgers: rates (SPEC §8) and ownership (§9). */
export const REFERENCE_FILES: readonly string[] = [RATES_FILE, OWNERSHIP_FILE];

/** The company id a ledger file belongs to: its name up to the first dot. */
export function companyOf(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}


/**
 * Where a row was first seen, for "already used at" messages, as one number
 * (no object per row): the file's position among its company's files times
 * 2^32, plus the line.
 */
const FILE_UNIT = 2 ** 32;

/**
 * Loads a ledger set one file at a time, so a caller reading from disk holds
 * one file's bytes at a time: construct it with the folder's entry names,
 * `add` the bytes of every name in `toRead` (in that order), then `finish`.
 */
export class LedgerLoader {
  /** The ledger files to read, in row order (file name, code units). */
  readonly toRead: readonly string[];
  private readonly displayDir: string;
  private readonly lists: IssueList[] = [];
  private readonly companies: string[];
  private readonly companySet: ReadonlySet<string>;
  private readonly table: RowTable;
  /** The current file's index in the table. */
  private fileIndex = -1;
  private readonly files: LedgerFile[] = [];
  private readonly fx: CurrencyStage;
  private company = '';
  /** The current company's ids and refs (refs by direction, then counterparty), each with where it was first seen. */
  private ids = new Map<string, number>();
  private refsIn = new Map<string, Map<string, number>>();
  private refsOut = new Map<string, Map<string, number>>();
  /** The current company's files read so far (the file part of a place seen). */
  private companyFiles: string[] = [];
  private next = 0;
  /** The current company's rules file (SPEC §10): its parsed rules (null when they hold an error) and its entry in `files`. */
  private rules: { readonly rules: Rules | null; readonly name: string; readonly entry: number } | undefined;

  /** Every company of the run, sorted. */
  get companyIds(): readonly string[] {
    return this.companies;
  }

  /** Input issues found so far (a bad file name is found by the constructor). */
  get issueCount(): number {
    return this.lists.reduce((sum, list) => sum + list.total, 0);
  }

  /** Rows validated so far (for a progress display). */
  get rowsLoaded(): number {
    return this.table.length;
  }

  /**
   * `companies`: every company of the run, when this loader reads only some of
   * its files (a reading thread); by default the companies of `names`.
   */
  constructor(names: readonly string[], displayDir: string, companies?: readonly string[], currency: CurrencyOptions = {}) {
    this.displayDir = displayDir;
    // A reading thread (given the run's companies) sends columns on: it needs no row objects.
    this.table = new RowTable(companies === undefined);
    this.fx = new CurrencyStage(currency);
    if (this.fx.issues !== undefined) this.lists.push(this.fx.issues);
    if (this.fx.ratesFile !== undefined) {
      this.table.rates = this.fx.ratesFile.rows;
      this.table.ratesFile = this.fx.ratesFile.name;
    }
    // The reference files are read on their own (SPEC §1: they are not ledgers).
    const sorted = names.filter((name) => isLedgerName(name) && !REFERENCE_FILES.includes(name)).sort(byCodeUnits);
    if (sorted.length === 0) {
      throw inputError([
        { file: displayDir || '.', line: 0, message: 'holds no ledger file (expected one or more COMPANY.csv files, e.g. amazon.csv or amazon.2026-10.csv)' },
      ]);
    }
    for (const name of sorted) {
      const company = companyOf(name);
      if (COMPANY_ID.test(company)) continue;
      const list = new IssueList();
      if (name.startsWith('_')) {
        // A near miss is one edit away, letter case aside (`_Ownership.csv`, `_rate.csv`).
        const near = REFERENCE_FILES.find((ref) => editDistance(name.toLowerCase(), ref, 1) <= 1);
        list.add({
          file: this.display(name),
          line: 0,
          message: `file name ${show(name)} starts with "_" but is not a reference file (${near === undefined ? '' : `did you mean ${near}? `}expected ${REFERENCE_FILES.join(' or ')}, exact and lowercase; a ledger's name starts with its company id, e.g. amazon.csv)`,
        });
        this.lists.push(list);
        continue;
      }
      list.add({
        file: this.display(name),
        line: 0,
        message: `file name does not start with a company id: ${show(company)} (expected lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters, e.g. amazon.csv or amazon.2026-10.csv)`,
      });
      this.lists.push(list);
    }
    const placed = placeRules(
      sorted.filter((name) => COMPANY_ID.test(companyOf(name))),
      names,
      companyOf,
      (name) => this.display(name),
    );
    for (const issue of placed.issues) {
      const list = new IssueList();
      list.add(issue);
      this.lists.push(list);
    }
    this.toRead = placed.toRead;
    this.companies = companies === undefined ? [...new Set(this.toRead.map(companyOf))].sort(byCodeUnits) : [...companies];
    this.companySet = new Set(this.companies);
  }

  /** A file of the folder as the user would type it (the folder joined with the name). */
  pathOf(name: string): string {
    return this.display(name);
  }

  private display(name: string): string {
    const dir = this.displayDir.replace(/\/+$/, '');
    return this.displayDir === '' ? name : `${dir}/${name}`;
  }

  /** Adds the next file of `toRead`. */
  add(name: string, bytes: Uint8Array): void {
    if (this.toRead[this.next] !== name) throw new Error(`LedgerLoader.add: expected ${this.toRead[this.next] ?? 'no more files'}, got ${name}`);
    this.next++;
    const company = companyOf(name);
    this.enter(company);
    const file = this.display(name);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (isRulesName(name)) return this.addRules(name, file, company, sha256, bytes);
    this.companyFiles.push(file);
    if (this.rules !== undefined) return this.addExport(name, file, company, sha256, bytes);
    const decoded = decodeLedger(bytes, file);
    if (!decoded.ok) {
      this.lists.push(decoded.issues);
      this.files.push({ name, path: file, company, sha256, rows: 0 });
      return;
    }
    const list = new IssueList();
    this.lists.push(list);
    this.fileIndex = this.table.addFile(name, company);
    const rows = this.readText(decoded.text, name, file, company, list);
    this.files.push({ name, path: file, company, sha256, rows });
  }

  /** Adds the issues of a file read beside the ledgers (a reference file): they are reported with the ledgers' (SPEC §6). */
  addIssues(list: IssueList): void {
    if (list.total > 0) this.lists.push(list);
  }

  /** Starts a company's files: ids, refs and rules are per company. */
  private enter(company: string): void {
    if (company === this.company) return;
    this.company = company;
    this.ids = new Map();
    this.refsIn = new Map();
    this.refsOut = new Map();
    this.companyFiles = [];
    this.rules = undefined;
  }

  /** A rules file (SPEC §10): parsed before its company's exports; its errors name its lines. */
  private addRules(name: string, file: string, company: string, sha256: string, bytes: Uint8Array): void {
    const decoded = decodeRules(bytes, file);
    const parsed = decoded.ok ? parseRules(decoded.text, file) : decoded;
    if (!parsed.ok) {
      const list = new IssueList();
      list.addAll(parsed.issues);
      this.lists.push(list);
    }
    this.rules = { rules: parsed.ok ? parsed.rules : null, name, entry: this.files.length };
    this.files.push({ name, path: file, company, kind: 'rules', sha256, rows: 0 });
  }

  /** An export read through its company's rules: its records become §1 rows, checked as ledger rows are, citing the export's lines. */
  private addExport(name: string, file: string, company: string, sha256: string, bytes: Uint8Array): void {
    const { rules, name: rulesName, entry } = this.rules as NonNullable<typeof this.rules>;
    let rows = 0;
    if (rules !== null) {
      const list = new IssueList();
      this.lists.push(list);
      this.fileIndex = this.table.addFile(name, company);
      const context: RowContext = { file, fileName: name, company, companies: this.companySet, columns: IN_ORDER, reported: new Set() };
      rows = readExport(bytes, name, file, rules, list, (record) => this.checkRecord(record.values, record.line, context, list, { record, rules }));
    }
    this.files.push({ name, path: file, company, kind: 'export', rules: rulesName, sha256, rows });
    const rulesFile = this.files[entry];
    if (rulesFile !== undefined) this.files[entry] = { ...rulesFile, rows: rulesFile.rows + rows };
  }

  /** Records that the next file of `toRead` could not be read (an input error naming `reason`). */
  unreadable(name: string, reason: string): void {
    if (this.toRead[this.next] !== name) throw new Error(`LedgerLoader.unreadable: expected ${this.toRead[this.next] ?? 'no more files'}, got ${name}`);
    this.next++;
    const file = this.display(name);
    const list = new IssueList();
    const rules = isRulesName(name);
    list.add({ file, line: 0, message: `cannot be read: ${reason} (expected a readable ${rules ? 'rules' : 'ledger'} file)` });
    this.lists.push(list);
    if (rules) {
      // Its exports are not read as ledgers: each would only fail.
      this.enter(companyOf(name));
      this.rules = { rules: null, name, entry: -1 };
    }
  }

  /** Validates one decoded file; returns its number of rows. */
  private readText(text: string, name: string, file: string, company: string, list: IssueList): number {
    const whole = wholeFileIssue(text, file, EXPECTED_LEDGER);
    if (whole !== undefined) {
      list.add(whole);
      return 0;
    }
    let headerSeen = false;
    let headerLine = 0;
    let headerNames: readonly string[] = [];
    let columns: ColumnIndex | undefined;
    let firstRow = true;
    let rowCount = 0;
    const reported = new Set<Column>();
    let context: RowContext | undefined;

    /** On the first row: the columns every row needs must be there (SPEC §1: a column may be left out only when no row needs it). */
    const firstRowSeen = (): void => {
      if (!firstRow) return;
      firstRow = false;
      if (columns === undefined) return;
      const have = columns;
      const absent = REQUIRED_COLUMNS.filter((column) => have[column] < 0);
      if (absent.length === 0) return;
      for (const column of absent) reported.add(column);
      const names = absent.length === 1 ? absent[0] : `${absent.slice(0, -1).join(', ')} or ${absent[absent.length - 1]}`;
      list.add({
        file,
        line: headerLine,
        column: absent[0] as Column,
        message: `header has no ${names} column (the file has rows, and every row needs ${REQUIRED_COLUMNS.join(', ')}; expected those columns, in any order)`,
      });
    };
    const label = (field: number): string => {
      const headerName = headerNames[field];
      if (headerName === undefined) return `field ${field + 1} (beyond the header's ${headerNames.length} columns)`;
      return isColumn(headerName) ? headerName : `column ${field + 1}`;
    };

    parseCsv(text, {
      record: (fields, line) => {
        if (!headerSeen) {
          headerSeen = true;
          headerLine = line;
          headerNames = fields;
          const check = checkHeader(fields, file, line);
          if (check.ok) columns = check.columns;
          else list.addAll(check.issues);
          return check.ok || !check.fatal;
        }
        rowCount++;
        firstRowSeen();
        if (fields.every((f) => f.trim() === '')) {
          list.add({
            file,
            line,
            message: `row is blank: every field is empty or spaces (a line of commas or spaces is a row, not an empty line; expected values, or delete the line)`,
          });
          return true;
        }
        if (fields.length !== headerNames.length) {
          list.add({ file, line, message: this.fieldCountMessage(fields, headerNames, columns) });
          return true;
        }
        if (columns !== undefined) {
          context ??= { file, fileName: name, company, companies: this.companySet, columns, reported };
          this.checkRecord(fields, line, context, list);
        }
        return true;
      },
      fault: (fault: CsvFault) => {
        if (!headerSeen) {
          headerSeen = true;
          list.add({ file, line: fault.line, message: describeFault(fault, (i) => `header column ${i + 1}`) });
          return false;
        }
        rowCount++;
        firstRowSeen();
        const column = headerNames[fault.field];
        list.add({ file, line: fault.line, ...(column !== undefined && isColumn(column) ? { column } : {}), message: describeFault(fault, label) });
        return true;
      },
    });
    return rowCount;
  }

  private fieldCountMessage(fields: readonly string[], header: readonly string[], columns: ColumnIndex | undefined): string {
    const got = fields.length;
    const want = header.length;
    const head = `row has ${got} ${got === 1 ? 'field' : 'fields'} where the header has ${want}`;
    if (got < want) {
      const names = header.slice(got).map((n, i) => (isColumn(n) ? n : `column ${got + i + 1}`));
      return `${head} (no field for ${names.join(', ')}; expected one field per column, empty ones included)`;
    }
    // The usual cause: an amount with a thousands separator, not quoted.
    const at = columns?.amount ?? -1;
    if (at >= 0) {
      const whole = fields[at] as string;
      const rest = fields[at + 1] ?? '';
      if (/^[0-9]{1,3}$/.test(whole) && /^[0-9]{3}([,.][0-9]+)?$/.test(rest)) {
        return `${head} (amount ${show(`${whole},${rest}`)} seems split at its comma: write ${whole}${rest})`;
      }
    }
    const extra = got - want;
    return `${head} (${extra === 1 ? 'one' : extra} too many: expected a value that holds a comma to be quoted, e.g. "Smith, John", and no comma at the end of the line)`;
  }

  /** A place seen (see FILE_UNIT) as FILE:LINE. */
  private where(place: number): string {
    return `${this.companyFiles[Math.floor(place / FILE_UNIT)]}:${place % FILE_UNIT}`;
  }

  /** One record's rules, then the rules across rows; the record's issues go in column order. */
  private checkRecord(fields: readonly string[], line: number, context: RowContext, list: IssueList, exported?: { record: ExportRecord; rules: Rules }): void {
    const { file, company, columns } = context;
    const issues: InputIssue[] = [];
    const row = exported === undefined ? checkRow(fields, line, context, issues) : checkExportRow(exported.record, context, exported.rules, issues);
    // The checks across rows below: on an export, their issues also name the rules line that set the value.
    const ownIssues = issues.length;
    const get = (column: Column): string => (columns[column] < 0 ? '' : (fields[columns[column]] as string));
    const seen = (this.companyFiles.length - 1) * FILE_UNIT + line;

    const id = get('id');
    // A string has no more characters than UTF-16 units: count them only for a long id.
    if (id !== '' && (id.length <= MAX_ID_LENGTH || lengthOf(id) <= MAX_ID_LENGTH)) {
      const earlier = this.ids.get(id);
      if (earlier === undefined) this.ids.set(id, seen);
      else {
        issues.push({
          file,
          line,
          column: 'id',
          message: `id ${show(id)} is already used at ${this.where(earlier)} (expected ids unique within company ${company}, across its files)`,
        });
      }
    }

    const currency = get('currency');
    if (this.fx.reporting === '' && CURRENCY.test(currency)) this.fx.see(currency, `${file}:${line}`);
    // SPEC §8: a row in another currency is converted when it is read.
    const converted = row === undefined ? 'same' : this.fx.convert(row, file, issues);

    const ref = get('ref');
    const counterparty = get('counterparty');
    const direction = get('direction');
    if (ref !== '' && counterparty !== '' && (direction === 'in' || direction === 'out')) {
      const byCounterparty = direction === 'in' ? this.refsIn : this.refsOut;
      let refs = byCounterparty.get(counterparty);
      if (refs === undefined) byCounterparty.set(counterparty, (refs = new Map()));
      const earlier = refs.get(ref);
      if (earlier === undefined) refs.set(ref, seen);
      else {
        issues.push({
          file,
          line,
          column: 'ref',
          message: `ref ${show(ref)} is already used at ${this.where(earlier)} with the same counterparty ${show(counterparty)} and direction ${direction} (expected a ref unique per counterparty and direction: a ref names one transfer)`,
        });
      }
    }

    if (exported !== undefined) {
      for (let i = ownIssues; i < issues.length; i++) issues[i] = withRuleLine(issues[i] as InputIssue, exported.record, exported.rules);
    }
    if (issues.length === 0) {
      if (converted !== 'same' && converted !== undefined) {
        this.table.push(this.fileIndex, converted.values);
        this.table.setConversion(this.table.length - 1, converted.original, converted.rateIndex, converted.inverse);
      } else if (row !== undefined) this.table.push(this.fileIndex, row);
      return;
    }
    issues.sort(byColumn);
    list.addAll(issues);
  }

  /** Sizes the row table for at most `rows` rows before reading (see RowTable.reserve). */
  expectRows(rows: number): void {
    this.table.reserve(rows);
  }

  /** The rows loaded so far, in columns (a reading thread sends them on). */
  get rowTable(): RowTable {
    return this.table;
  }

  finish(): Ledgers {
    if (this.next !== this.toRead.length) throw new Error(`LedgerLoader.finish: ${this.toRead.length - this.next} files were not added`);
    const total = this.issueCount;
    if (total > 0) throw inputError(this.lists.flatMap((list) => list.issues), total);
    const currency = this.fx.reporting;
    const fx = this.fx.info();
    return {
      companies: this.companies,
      files: this.files,
      rows: this.table.rows,
      currency,
      minorDigits: currency === '' ? 2 : minorDigits(currency),
      ...(fx === undefined ? {} : { fx }),
    };
  }

  /** What the rates file converted (undefined without one): for a read in threads, which converts nothing. */
  get currencyInfo(): ReturnType<CurrencyStage['info']> {
    return this.fx.info();
  }
}

export function loadLedgers(inputs: readonly LedgerInput[], displayDir: string, currency: CurrencyOptions = {}): Ledgers {
  const loader = new LedgerLoader(
    inputs.map((input) => input.name),
    displayDir,
    undefined,
    currency,
  );
  const byName = new Map(inputs.map((input) => [input.name, input.bytes]));
  const ownershipBytes = byName.get(OWNERSHIP_FILE);
  const ownership = ownershipBytes === undefined ? undefined : parseOwnership(ownershipBytes, OWNERSHIP_FILE, loader.pathOf(OWNERSHIP_FILE), loader.companyIds);
  if (ownership !== undefined) loader.addIssues(ownership.issues);
  for (const name of loader.toRead) loader.add(name, byName.get(name) as Uint8Array);
  const ledgers = loader.finish();
  return ownership?.ownership === undefined ? ledgers : { ...ledgers, ownership: ownership.ownership };
}
