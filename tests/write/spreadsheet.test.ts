/**
 * Issue 5, "Spreadsheets, tested with a real one": the reports of a run over
 * the sample ledgers and over a set of hostile ledgers
 * (tests/fixtures/hostile/) are opened by LibreOffice Calc
 * (`soffice --headless --convert-to fods`) and read back cell by cell.
 *
 * Three ways of opening each CSV, all files of one way in ONE soffice call:
 *
 * - `text`: the faithful import: UTF-8, comma, `"`, every column formatted
 *   as text, formulas not evaluated. Every cell must hold the CSV field
 *   exactly (the header included: the BOM must not leak into `company`).
 * - `opened`: what a user gets by opening the file: UTF-8 (what the BOM
 *   announces) and every other option at LibreOffice's default, which
 *   detects numbers and dates and EVALUATES FORMULAS. No cell may be a
 *   formula; amounts are numbers equal to the CSV text; every text cell
 *   round-trips exactly apart from the guard's leading apostrophe; dates
 *   are the ledger's dates; the header is intact.
 * - `api-default`: no filter options at all, LibreOffice's API default
 *   (Windows-1252, comma, `"`). No cell may be a formula and amounts are
 *   numbers. (This import ignores the BOM: it reads the three BOM bytes and
 *   every non-ASCII character as Windows-1252, so only ASCII text and the
 *   header after its first cell are compared.)
 *
 * Line breaks inside a field (LF, CRLF) become line breaks in the cell; the
 * comparison treats them as equal. Without `soffice` on PATH the suite is
 * skipped with a printed reason; set ROUNDTRIP_REQUIRE_SOFFICE=1 (CI) to make
 * that a failure instead.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/helpers.js';
import { formulasIn, readFirstSheet, type SheetCell } from '../support/fods.js';
import { CSV_REPORTS, parseCsvText, parseReport } from '../support/pipeline.js';
import { onPath } from '../support/programs.js';

const SOFFICE = onPath('soffice');
const REQUIRED = process.env.ROUNDTRIP_REQUIRE_SOFFICE === '1';
if (SOFFICE === undefined) {
  const reason = 'soffice (LibreOffice) is not on PATH; install it with `apt-get install -y libreoffice-calc` (.ci/run does)';
  if (REQUIRED) throw new Error(`spreadsheet tests required (ROUNDTRIP_REQUIRE_SOFFICE=1) but ${reason}`);
  console.warn(`SKIPPED tests/spreadsheet.test.ts: ${reason}. The reports were NOT checked in a real spreadsheet.`);
}

const root = join(import.meta.dirname, '..');
const SETS = {
  sample: join(root, '..', 'ledgers'),
  hostile: join(root, 'fixtures', 'hostile', 'ledgers'),
} as const;
type SetName = keyof typeof SETS;

/** SPEC §4 columns that hold amounts, percentages or counts; every other column is text. */
const NUMBER_COLUMNS = new Set(['booked', 'organic', 'circular', 'circular_pct', 'disputed', 'revenue_rows', 'amount', 'counterparty_amount']);

const CSV_FILTER = 'Text - txt - csv (StarCalc)';
/** 1-based column numbers 1..12 (the widest report has 12 columns), each formatted as text (code 2). */
const ALL_TEXT = Array.from({ length: 12 }, (_, k) => `${k + 1}/2`).join('/');
const IMPORTS = {
  // Tokens: separator 44 (,), text delimiter 34 ("), charset 76 (UTF-8), start at line 1, column formats,
  // language 1033, quoted field as text, detect special numbers, (export) save as shown, (export) formulas,
  // remove spaces, (export) sheets, evaluate formulas.
  text: `${CSV_FILTER}:44,34,76,1,${ALL_TEXT},1033,false,false,false,false,false,false,false`,
  opened: `${CSV_FILTER}:44,34,76`,
  'api-default': undefined,
} as const;
type ImportName = keyof typeof IMPORTS;

let scratch = '';

/** CSV text of each report, by set. */
const csv = new Map<string, string>();
/** The converted document of each report, by import and set. */
const documents = new Map<string, string>();
const key = (set: SetName, file: string): string => `${set}-${file.replace(/\.csv$/, '')}`;
let seconds = 0;

function convert(soffice: string, filter: string | undefined, files: readonly string[], outdir: string): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'roundtrip-lo-profile-'));
  const args = [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--nologo', '--nodefault', '--nolockcheck'];
  if (filter !== undefined) args.push(`--infilter=${filter}`);
  args.push('--convert-to', 'fods', '--outdir', outdir, ...files);
  return new Promise((resolve, reject) => {
    execFile(soffice, args, { timeout: 150_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      rmSync(profile, { recursive: true, force: true });
      if (error !== null) reject(new Error(`soffice failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

/** The text a cell may show for a CSV text field: the field, or the field without the formula guard's apostrophe. Line breaks as LF. */
function sameText(cell: string, field: string): boolean {
  const f = field.replace(/\r\n?/g, '\n');
  return cell === f || (/^'[=+\-@\t\r]/.test(field) && cell === f.slice(1));
}

/** Decimal text without trailing zeros, for comparing a CSV amount with the value LibreOffice stored. */
function decimal(text: string): string {
  const [whole = '', fraction = ''] = text.replace(/^-/, '').split('.');
  const w = whole.replace(/^0+(?=\d)/, '');
  const f = fraction.replace(/0+$/, '');
  return (text.startsWith('-') ? '-' : '') + (f === '' ? w : `${w}.${f}`);
}

function significantDigits(text: string): number {
  return text.replace(/[-.]/g, '').replace(/^0+/, '').length;
}

/** `2026-01-02T09:00` → the office:date-value LibreOffice stores for it (`2026-01-02T09:00:00`). */
function dateValue(field: string): string {
  return /T\d\d:\d\d$/.test(field) ? `${field}:00` : field;
}

interface Problem {
  readonly where: string;
  readonly what: string;
}

/** Compares one converted report with its CSV; returns what differs. */
function compare(importName: ImportName, set: SetName, file: string): Problem[] {
  const records = parseReport(csv.get(key(set, file)) as string);
  const header = records[0] as string[];
  const sheet = readFirstSheet(documents.get(`${importName}/${key(set, file)}`) as string);
  const problems: Problem[] = [];
  const at = (r: number, c: number): string => `${set}/${file} row ${r + 1} (${r === 0 ? 'header' : 'record'}) column ${header[c]}`;
  if (sheet.length !== records.length) problems.push({ where: `${set}/${file}`, what: `${sheet.length} rows in the sheet, ${records.length} records in the CSV` });
  records.forEach((record, r) => {
    const row = sheet[r] ?? [];
    if (row.length > record.length) problems.push({ where: at(r, record.length - 1), what: `the sheet row has ${row.length} cells (more than the CSV's ${record.length})` });
    record.forEach((field, c) => {
      const cell: SheetCell = row[c] ?? { type: '', value: '', formula: '', text: '' };
      const fail = (what: string): void => {
        problems.push({ where: at(r, c), what: `${what}: CSV ${JSON.stringify(field)}, cell ${JSON.stringify(cell)}` });
      };
      if (cell.formula !== '') return fail('the cell is a formula');
      if (field === '') {
        if (cell.type !== '' || cell.text !== '') fail('an empty field became a non-empty cell');
        return;
      }
      const column = header[c] as string;
      if (r === 0) {
        if (importName === 'api-default' && c === 0) {
          // Windows-1252 reads the BOM's three bytes as "ï»¿"; the name itself must still be intact.
          if (cell.type !== 'string' || !cell.text.endsWith(field)) fail('the first header cell is not "company"');
        } else if (cell.type !== 'string' || cell.text !== field) fail('header cell differs (a BOM leaked, or the name changed)');
        return;
      }
      if (importName === 'text') {
        if (cell.type !== 'string' || !sameText(cell.text, field)) fail('text differs');
        return;
      }
      if (NUMBER_COLUMNS.has(column)) {
        if (cell.type !== 'float') return fail('an amount is not a number');
        if (Number(cell.value) !== Number(field)) return fail('the number differs from the CSV text');
        if (significantDigits(field) <= 15 && decimal(cell.value) !== decimal(field)) fail('the stored decimal differs from the CSV text');
        return;
      }
      // eslint-disable-next-line no-control-regex
      if (importName === 'api-default' && /[^\x00-\x7f]/.test(field)) return; // read as Windows-1252 (see the file comment)
      if (column === 'date' && cell.type === 'date') {
        if (cell.value !== dateValue(field)) fail('the date differs');
        return;
      }
      if (cell.type !== 'string') return fail(`a text field became a ${cell.type} cell`);
      if (!sameText(cell.text, field)) fail('text differs (beyond the leading apostrophe)');
    });
  });
  return problems;
}

const suite = SOFFICE === undefined ? describe.skip : describe;

suite('reports opened in LibreOffice Calc', () => {
  afterAll(() => {
    if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
  });

  beforeAll(async () => {
    const soffice = SOFFICE as string;
    scratch = mkdtempSync(join(tmpdir(), 'roundtrip-spreadsheet-'));
    const inputs = join(scratch, 'csv');
    mkdirSync(inputs, { recursive: true });
    for (const set of Object.keys(SETS) as SetName[]) {
      const out = join(scratch, 'reports', set);
      const result = await runCli(['run', '--ledgers', SETS[set], '--out', out, '--quiet']);
      expect(result.stderr, `${set}: run printed errors`).toBe('');
      expect(result.code, `${set}: run exit code`).toBe(0);
      for (const file of CSV_REPORTS) {
        const source = join(out, 'all', file);
        csv.set(key(set, file), readFileSync(source, 'utf8'));
        copyFileSync(source, join(inputs, `${key(set, file)}.csv`));
      }
    }
    const files = readdirSync(inputs).map((f) => join(inputs, f));
    const started = Date.now();
    await Promise.all(
      (Object.keys(IMPORTS) as ImportName[]).map(async (importName) => {
        const outdir = join(scratch, 'fods', importName);
        mkdirSync(outdir, { recursive: true });
        await convert(soffice, IMPORTS[importName], files, outdir);
        for (const f of files) {
          const name = f.slice(inputs.length + 1).replace(/\.csv$/, '');
          const converted = join(outdir, `${name}.fods`);
          if (!existsSync(converted)) throw new Error(`soffice did not convert ${name}.csv (${importName} import)`);
          documents.set(`${importName}/${name}`, readFileSync(converted, 'utf8'));
        }
      }),
    );
    seconds = (Date.now() - started) / 1000;
    console.log(`LibreOffice converted ${files.length} reports x ${Object.keys(IMPORTS).length} imports in ${seconds.toFixed(1)} s`);
  }, 240_000);

  it('converts every report of both runs, under all three imports', () => {
    expect(documents.size).toBe(Object.keys(IMPORTS).length * Object.keys(SETS).length * CSV_REPORTS.length);
  });

  it('no cell of any report is a formula, under any import', () => {
    const found = [...documents.entries()].flatMap(([name, xml]) => formulasIn(xml).map((f) => `${name}: ${f}`));
    expect(found).toEqual([]);
  });

  for (const importName of Object.keys(IMPORTS) as ImportName[]) {
    for (const set of Object.keys(SETS) as SetName[]) {
      it(`${importName} import, ${set} ledgers: header intact, amounts are the CSV's numbers, text round-trips`, () => {
        const problems = CSV_REPORTS.flatMap((file) => compare(importName, set, file));
        expect(problems.slice(0, 20)).toEqual([]);
      });
    }
  }

  it('the hostile ledger values reach the sheets intact (apart from the leading apostrophe)', () => {
    // The ledgers' own values, read independently of the tool.
    const ledgerRows = readdirSync(SETS.hostile)
      .sort()
      .flatMap((f) => {
        const [header = [], ...rows] = parseCsvText(readFileSync(join(SETS.hostile, f), 'utf8'), 'any');
        return rows.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] as string])));
      });
    const column = (file: string, name: string): string[] => {
      const sheet = readFirstSheet(documents.get(`opened/${key('hostile', file)}`) as string);
      const c = (sheet[0] ?? []).findIndex((cell) => cell.text === name);
      return sheet.slice(1).map((row) => row[c]?.text ?? '');
    };
    const missing: string[] = [];
    const expectIn = (file: string, name: string, value: string): void => {
      if (!column(file, name).some((cell) => sameText(cell, /^[=+\-@\t\r]/.test(value) ? `'${value}` : value))) missing.push(`${file} ${name} ${JSON.stringify(value)}`);
    };
    const revenueRows = ledgerRows.filter((r) => r.kind === 'revenue');
    expect(revenueRows.length).toBeGreaterThanOrEqual(15);
    for (const r of revenueRows) {
      expectIn('revenue.csv', 'id', r.id as string);
      expectIn('revenue.csv', 'counterparty', r.counterparty as string);
    }
    for (const id of ['=lab pays', '-other "x", y', '-unmatched "x", y', '=huge spend', '@lab chips', 'V-13 lookalike']) expectIn('exceptions.csv', 'id', id);
    for (const id of ['+vendor books', '@disputed', '-1.5 deal']) expectIn('exceptions.csv', 'counterparty_id', id);
    expectIn('exceptions.csv', 'counterparty', '@supplier');
    for (const deal of ['-D1', '-1.5']) expectIn('circular.csv', 'deal', deal);
    for (const id of ['-vendor sells', '+vendor books', '@disputed']) expectIn('circular.csv', 'id', id);
    expect(missing).toEqual([]);
  });
});
