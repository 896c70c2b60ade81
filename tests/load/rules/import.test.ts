/**
 * `roundtrip import` (SPEC §5, §10) on the worked example, byte for byte, to
 * stdout and to --out; and a ledger folder with a rules file: `roundtrip run`
 * gives the same reports as on the imported ledger, except `source`, which
 * cites the export; the manifest lists exports and rules files with their
 * sha256; audit cites the export; two reading threads read what one does.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReadOptions } from '../../../src/load/read.js';
import type { Ledgers, Row } from '../../../src/model.js';
import { runCli, type CliResult } from '../../support/helpers.js';

const example = join(import.meta.dirname, '..', '..', 'fixtures', 'examples', 'import');
const expected = readFileSync(join(example, 'expected', 'amazon.csv'));
const scratch = mkdtempSync(join(tmpdir(), 'roundtrip-import-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the CLI with `cwd` as the working folder (messages then cite relative paths). */
async function runIn(cwd: string, args: string[]): Promise<CliResult> {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return await runCli(args);
  } finally {
    process.chdir(before);
  }
}

const IMPORT = ['import', 'ledgers/amazon.2026-01.csv', '--rules', 'ledgers/amazon.rules'];

describe('roundtrip import on the worked example', () => {
  it('prints expected/amazon.csv byte for byte', async () => {
    const result = await runIn(example, IMPORT);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(Buffer.from(result.stdout, 'utf8').equals(expected)).toBe(true);
  });

  it('writes it to --out, creating the folder, leaving no temporary file; replaces an earlier file', async () => {
    const out = join(scratch, 'out', 'deeper', 'amazon.csv');
    const result = await runIn(example, [...IMPORT, '--out', out]);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(out).equals(expected)).toBe(true);
    expect(readdirSync(join(scratch, 'out', 'deeper'))).toEqual(['amazon.csv']);
    writeFileSync(out, 'an earlier ledger\n');
    expect((await runIn(example, [...IMPORT, '--out', out])).code).toBe(0);
    expect(readFileSync(out).equals(expected)).toBe(true);
  });

  it('writes nothing when an export holds an error, and an earlier --out file survives (exit 2)', async () => {
    const dir = join(scratch, 'bad');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(example, 'ledgers', 'amazon.rules'), join(dir, 'amazon.rules'));
    writeFileSync(join(dir, 'jan.csv'), readFileSync(join(example, 'ledgers', 'amazon.2026-01.csv'), 'utf8').replace('15.01.2026', '15.13.2026'));
    writeFileSync(join(dir, 'kept.csv'), 'an earlier ledger\n');
    const result = await runIn(dir, ['import', 'jan.csv', '--rules', 'amazon.rules', '--out', 'kept.csv']);
    expect(result.stderr).toBe(
      'jan.csv:4: date "15.13.2026" is not a real calendar date (read as 2026-13-15 by date-format %d.%m.%Y: there is no month 13: expected 01 to 12); set by amazon.rules:11\n' +
        'roundtrip: 1 input error; nothing was written.\n',
    );
    expect(result.code).toBe(2);
    expect(readFileSync(join(dir, 'kept.csv'), 'utf8')).toBe('an earlier ledger\n');
    expect(readdirSync(dir).sort()).toEqual(['amazon.rules', 'jan.csv', 'kept.csv']);
  });

  it('reads several exports in the order given; the company is --company, else the rules file name', async () => {
    const dir = join(scratch, 'two');
    mkdirSync(dir, { recursive: true });
    const text = readFileSync(join(example, 'ledgers', 'amazon.2026-01.csv'), 'utf8');
    writeFileSync(join(dir, 'b.csv'), text.replace(/;100([0-3]);/g, ';200$1;'));
    writeFileSync(join(dir, 'a.csv'), text.replace('INV-1', 'INV-2').replace('AWS-1', 'AWS-2'));
    copyFileSync(join(example, 'ledgers', 'amazon.rules'), join(dir, 'amazon.rules'));
    const result = await runIn(dir, ['import', 'b.csv', 'a.csv', '--rules', 'amazon.rules']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').map((l) => l.split(',')[0])).toEqual(['id', 'AMZ-2000', 'AMZ-2001', 'AMZ-2002', 'AMZ-2003', 'AMZ-1000', 'AMZ-1001', 'AMZ-1002', 'AMZ-1003', '']);
    const asOpenai = await runIn(dir, ['import', 'a.csv', '--rules', 'amazon.rules', '--company', 'openai']);
    expect(asOpenai.stderr.split('\n')[0]).toBe(
      'a.csv:3: counterparty "openai" is the company itself (expected the other party: a company id of this ledger set or an external name); set by amazon.rules:18',
    );
    expect(asOpenai.code).toBe(2);
  });

  it('usage errors: a bad --company, a rules file name without a company id, a file that cannot be read, no --rules', async () => {
    expect(await runIn(example, [...IMPORT, '--company', 'Amazon'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'roundtrip: --company "Amazon" is not a company id (expected lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters; pass --company ID)\n',
    });
    const dir = join(scratch, 'names');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(example, 'ledgers', 'amazon.rules'), join(dir, 'My Rules.rules'));
    expect((await runIn(dir, ['import', 'x.csv', '--rules', 'My Rules.rules'])).stderr).toBe(
      'roundtrip: the rules file name "My Rules.rules" does not start with a company id (expected lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters; pass --company ID)\n',
    );
    expect(await runIn(example, ['import', 'ledgers/missing.csv', '--rules', 'ledgers/amazon.rules'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'roundtrip: export "ledgers/missing.csv" does not exist (expected the path of an export, e.g. ledgers/amazon.2026-01.csv)\n',
    });
    const noRules = await runIn(example, ['import', 'ledgers/amazon.2026-01.csv']);
    expect(noRules.code).toBe(2);
    expect(noRules.stderr).toContain('Missing required argument: rules');
  });
});

/** A report's CSV rows as arrays. */
function table(text: string): string[][] {
  return parse(text, { bom: true }) as string[][];
}

describe('import and run check an export alike', () => {
  it('report the same errors, word for word, for the same exports (ids and refs across files, §1 rules, rules values)', async () => {
    const dir = join(scratch, 'alike');
    mkdirSync(join(dir, 'ledgers'), { recursive: true });
    const rules = ['skip 1', 'fields date, id, partner, ref, text, amount, currency', 'counterparty %partner', 'kind other', 'if %text ^AWS', '  kind revnue', ''].join('\n');
    writeFileSync(join(dir, 'ledgers', 'acme.rules'), rules);
    writeFileSync(join(dir, 'ledgers', 'acme.a.csv'), 'Date,Id,Partner,Ref,Text,Amount,Currency\n2026-01-15,r1,bigco,R-1,x,5,USD\n2026-01-16,r2,bigco,,AWS,5,USD\n');
    writeFileSync(join(dir, 'ledgers', 'acme.b.csv'), 'Date,Id,Partner,Ref,Text,Amount,Currency\n2026-01-17,r1,bigco,R-1,x,5,USD\n2026-02-30,r4,acme,,x,5 USD,USD\n');
    const run = await runIn(dir, ['run', '--quiet']);
    const imported = await runIn(dir, ['import', 'ledgers/acme.a.csv', 'ledgers/acme.b.csv', '--rules', 'ledgers/acme.rules']);
    expect(run.code).toBe(2);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toBe(run.stderr);
    expect(run.stderr.split('\n')).toEqual([
      'ledgers/acme.a.csv:3: kind "revnue" is not a kind (did you mean revenue? expected investment, revenue, purchase or other, exact and lowercase); set by ledgers/acme.rules:6',
      'ledgers/acme.b.csv:2: id "r1" is already used at ledgers/acme.a.csv:2 (expected ids unique within company acme, across its files)',
      'ledgers/acme.b.csv:2: ref "R-1" is already used at ledgers/acme.a.csv:2 with the same counterparty "bigco" and direction in (expected a ref unique per counterparty and direction: a ref names one transfer)',
      'ledgers/acme.b.csv:3: date "2026-02-30" is not a real calendar date (February 2026 has 28 days)',
      'ledgers/acme.b.csv:3: counterparty "acme" is the company itself (expected the other party: a company id of this ledger set or an external name); set by ledgers/acme.rules:3',
      'ledgers/acme.b.csv:3: amount "5 USD" is not an amount (a currency symbol, a letter or another character that is not a digit; expected an amount such as 1234.50, -1,234,567.89 or (1 234.50))',
      'roundtrip: 6 input errors; nothing was written.',
      '',
    ]);
  });

  it('an id or a ref used twice that a rule set names the rules line, in run and import alike', async () => {
    const dir = join(scratch, 'set-twice');
    mkdirSync(join(dir, 'ledgers'), { recursive: true });
    writeFileSync(join(dir, 'ledgers', 'acme.rules'), ['fields date, partner, amount', 'counterparty %partner', 'kind other', 'currency USD', 'direction in', 'id X', 'ref R', ''].join('\n'));
    writeFileSync(join(dir, 'ledgers', 'acme.csv'), '2026-01-01,bigco,5\n2026-01-02,bigco,6\n');
    const run = await runIn(dir, ['run', '--quiet']);
    const imported = await runIn(dir, ['import', 'ledgers/acme.csv', '--rules', 'ledgers/acme.rules']);
    expect(run.code).toBe(2);
    expect(imported.stderr).toBe(run.stderr);
    expect(run.stderr.split('\n')).toEqual([
      'ledgers/acme.csv:2: id "X" is already used at ledgers/acme.csv:1 (expected ids unique within company acme, across its files); set by ledgers/acme.rules:6',
      'ledgers/acme.csv:2: ref "R" is already used at ledgers/acme.csv:1 with the same counterparty "bigco" and direction in (expected a ref unique per counterparty and direction: a ref names one transfer); set by ledgers/acme.rules:7',
      'roundtrip: 2 input errors; nothing was written.',
      '',
    ]);
  });
});

describe('the README', () => {
  it('shows the errors the tool prints for the example with a bad date, money in both columns and category Cloud', async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const shown = /Fix what the rules cannot read[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1]?.replace(/^ {3}/gm, '');
    const dir = join(scratch, 'readme', 'ledgers');
    mkdirSync(dir, { recursive: true });
    const exported = readFileSync(join(example, 'ledgers', 'amazon.2026-01.csv'), 'utf8');
    writeFileSync(join(dir, 'amazon.2026-01.csv'), exported.replace('15.01.2026;1002', '15.13.2026;1002').replace('4.000.000.000,00;;USD', '4.000.000.000,00;1,00;USD'));
    writeFileSync(join(dir, 'amazon.rules'), readFileSync(join(example, 'ledgers', 'amazon.rules'), 'utf8').replace('  category cloud', '  category Cloud'));
    copyFileSync(join(example, 'ledgers', 'openai.csv'), join(dir, 'openai.csv'));
    const result = await runIn(join(scratch, 'readme'), ['run', '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(shown);
  });
});

describe('roundtrip run on a folder with a rules file', () => {
  const throughRules = join(example, 'ledgers');
  const imported = join(scratch, 'imported');
  mkdirSync(imported, { recursive: true });
  copyFileSync(join(example, 'expected', 'amazon.csv'), join(imported, 'amazon.csv'));
  copyFileSync(join(example, 'ledgers', 'openai.csv'), join(imported, 'openai.csv'));

  it('gives the same reports as the imported ledger, except source, which cites the export', async () => {
    const a = join(scratch, 'reports-rules');
    const b = join(scratch, 'reports-imported');
    expect(await runCli(['run', '--ledgers', throughRules, '--out', a, '--quiet'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await runCli(['run', '--ledgers', imported, '--out', b, '--quiet'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const csvs = readdirSync(join(b, 'all')).filter((f) => f.endsWith('.csv'));
    expect(csvs).toContain('revenue.csv');
    const sources: Record<string, [string, string][]> = {};
    for (const file of csvs) {
      const ra = table(readFileSync(join(a, 'all', file), 'utf8'));
      const rb = table(readFileSync(join(b, 'all', file), 'utf8'));
      const at = (rb[0] as string[]).indexOf('source');
      const drop = (rows: string[][]): string[][] => rows.map((r) => r.filter((_, i) => i !== at));
      expect(drop(ra), file).toEqual(drop(rb));
      if (at >= 0) sources[file] = ra.slice(1).map((r, i) => [r[at] as string, (rb[i + 1] as string[])[at] as string]);
    }
    expect(sources['revenue.csv']).toEqual([
      ['amazon.2026-01.csv:4', 'amazon.csv:4'],
      ['amazon.2026-01.csv:5', 'amazon.csv:5'],
      ['openai.csv:2', 'openai.csv:2'],
    ]);
    expect(sources['circular.csv']).toEqual([['amazon.2026-01.csv:5', 'amazon.csv:5']]);
    // The figures of the example's README: Amazon's cloud line, $1B of $4,001,250,000.50 circular.
    expect(readFileSync(join(a, 'all', 'summary.csv'), 'utf8').split('\r\n')[1]).toBe('amazon,cloud,4001250000.50,3001250000.50,1000000000.00,24.99,0.00,2');
  });

  it('lists the export and the rules file in the manifest, with their sha256', async () => {
    const out = join(scratch, 'reports-manifest');
    await runCli(['run', '--ledgers', throughRules, '--out', out, '--quiet']);
    const manifest = JSON.parse(readFileSync(join(out, 'all', 'manifest.json'), 'utf8')) as { inputs: unknown[] };
    const sha = (name: string): string => createHash('sha256').update(readFileSync(join(throughRules, name))).digest('hex');
    expect(manifest.inputs).toEqual([
      { file: 'amazon.rules', company: 'amazon', kind: 'rules', sha256: sha('amazon.rules'), rows: 4 },
      { file: 'amazon.2026-01.csv', company: 'amazon', kind: 'export', rules: 'amazon.rules', sha256: sha('amazon.2026-01.csv'), rows: 4 },
      { file: 'openai.csv', company: 'openai', sha256: sha('openai.csv'), rows: 3 },
    ]);
  });

  it('audit cites the export line of each row and of the investment it traces to', async () => {
    const result = await runCli(['audit', 'amazon', '--ledgers', throughRules, '--format', 'csv']);
    expect(result.code).toBe(0);
    const rows = table(result.stdout);
    const header = rows[0] as string[];
    const cited = rows.slice(1).map((r) => `${r[header.indexOf('line')]} ${r[header.indexOf('source')]} ${r[header.indexOf('investment_source')]}`);
    expect(cited).toEqual(['revenue amazon.2026-01.csv:4 ', 'revenue amazon.2026-01.csv:5 ', 'stake amazon.2026-01.csv:5 ', 'investment amazon.2026-01.csv:5 amazon.2026-01.csv:3', 'investment amazon.2026-01.csv:5 openai.csv:3', 'category_total  ', 'total  ']);
  });

  it('reads the same rows in two threads as in one (the built code: threads run JavaScript)', async () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    type ReadLedgers = (dir: string, onProgress?: undefined, options?: ReadOptions) => Promise<Ledgers>;
    const built = (await import(pathToFileURL(join(root, 'dist', 'load', 'read.js')).href)) as { readLedgers: ReadLedgers };
    const fields = ['company', 'file', 'line', 'seq', 'id', 'date', 'ts', 'direction', 'counterparty', 'kind', 'category', 'amount', 'currency', 'ref', 'deal', 'memo'] as const;
    const plain = (l: Ledgers): unknown => ({ ...l, rows: l.rows.map((r: Row) => Object.fromEntries(fields.map((f) => [f, r[f]]))) });
    let threads = 1;
    const two = await built.readLedgers(throughRules, undefined, { jobs: 2, onThreads: (n) => (threads = n) });
    const one = await built.readLedgers(throughRules, undefined, { jobs: 1 });
    expect(threads).toBe(2);
    expect(plain(two)).toEqual(plain(one));
    expect(one.rows.map((r) => `${r.file}:${r.line} ${r.id}`)).toEqual([
      'amazon.2026-01.csv:2 AMZ-1000',
      'amazon.2026-01.csv:3 AMZ-1001',
      'amazon.2026-01.csv:4 AMZ-1002',
      'amazon.2026-01.csv:5 AMZ-1003',
      'openai.csv:2 o0',
      'openai.csv:3 o1',
      'openai.csv:4 o2',
    ]);
    expect(existsSync(join(root, 'dist', 'load', 'rules', 'apply.js'))).toBe(true);
  });
});
