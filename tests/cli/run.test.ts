/** The run and check commands end to end: determinism, the committed sample reports, failures, usage. */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/helpers.js';

const repo = join(import.meta.dirname, '..', '..');
const examples = join(import.meta.dirname, '..', 'fixtures', 'examples');
const scratch = mkdtempSync(join(tmpdir(), 'roundtrip-run-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FILES = ['summary.csv', 'revenue.csv', 'circular.csv', 'exceptions.csv', 'exposure.csv', 'manifest.json', 'report.html'];

function readAll(dir: string): Record<string, string> {
  return Object.fromEntries(FILES.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('roundtrip run', () => {
  it('gives byte-identical reports when run twice', async () => {
    const a = join(scratch, 'twice-a');
    const b = join(scratch, 'twice-b');
    expect((await runCli(['run', '--ledgers', join(repo, 'ledgers'), '--out', a, '--quiet'])).code).toBe(0);
    expect((await runCli(['run', '--ledgers', join(repo, 'ledgers'), '--out', b, '--quiet'])).code).toBe(0);
    expect(readAll(join(b, 'all'))).toEqual(readAll(join(a, 'all')));
    // and a third time into the same folder: replaced in place, same bytes
    expect((await runCli(['run', '--ledgers', join(repo, 'ledgers'), '--out', a, '--quiet'])).code).toBe(0);
    expect(readAll(join(a, 'all'))).toEqual(readAll(join(b, 'all')));
    expect(readdirSync(a)).toEqual(['all']);
  });

  it('regenerates the committed reports/all/ of the sample ledgers byte for byte', async () => {
    const out = join(scratch, 'sample');
    const result = await runCli(['run', '--ledgers', join(repo, 'ledgers'), '--out', out, '--quiet']);
    expect(result.code).toBe(0);
    expect(readAll(join(out, 'all'))).toEqual(readAll(join(repo, 'reports', 'all')));
  });

  it('prints an aligned summary table after writing', async () => {
    const out = join(scratch, 'printed');
    const result = await runCli(['run', '--ledgers', join(examples, 'direct-loop', 'ledgers'), '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        `${out}/all/  (pro-rata, earmarks on, USD; 2 revenue rows, 0 exceptions)`,
        'company  category             booked          circular  circular %  disputed',
        '-------  --------  -----------------  ----------------  ----------  --------',
        'amazon   cloud      4,000,000,000.00  1,000,000,000.00       25.00      0.00',
        'openai   api       30,000,000,000.00              0.00        0.00      0.00',
        '',
        "Largest counterparty of each company, then its largest ledger company when that is another (share of the company's booked revenue; all in exposure.csv):",
        'company  counterparty             booked  share %          circular           related',
        '-------  ------------  -----------------  -------  ----------------  ----------------',
        'amazon   openai         4,000,000,000.00   100.00  1,000,000,000.00  4,000,000,000.00',
        'openai   customers     30,000,000,000.00   100.00              0.00              0.00',
        '',
      ].join('\n'),
    );
  });

  it('records the method, earmarks, period, currency and every input file in manifest.json', async () => {
    const out = join(scratch, 'manifest');
    const ledgers = join(examples, 'direct-loop-earmarked', 'ledgers');
    expect((await runCli(['run', '--ledgers', ledgers, '--out', out, '--method', 'lifo', '--no-earmark', '--period', '2026-01', '--quiet'])).code).toBe(0);
    const m = JSON.parse(readFileSync(join(out, '2026-01', 'manifest.json'), 'utf8'));
    expect([m.method, m.earmark, m.period, m.currency]).toEqual(['lifo', false, '2026-01', 'USD']);
    const sha = createHash('sha256').update(readFileSync(join(ledgers, 'amazon.csv'))).digest('hex');
    expect(m.inputs[0]).toEqual({ file: 'amazon.csv', company: 'amazon', sha256: sha, rows: 3 });
    expect(m.totals.circular).toBe('4000000000.00');
    expect(m.exceptions.unmatched).toBe(0);
    expect(m.checks.every((c: { result: string }) => c.result === 'passed')).toBe(true);
  });

  it('drops the BOM with --no-bom', async () => {
    const out = join(scratch, 'nobom');
    expect((await runCli(['run', '--ledgers', join(examples, 'rounding', 'ledgers'), '--out', out, '--no-bom', '--quiet'])).code).toBe(0);
    expect(readFileSync(join(out, 'all', 'summary.csv'), 'utf8')).toBe(
      'company,category,booked,organic,circular,circular_pct,disputed,revenue_rows\r\namazon,cloud,1.00,0.67,0.33,33.00,0.00,1\r\nnvidia,chips,2.00,1.33,0.67,33.50,0.00,1\r\n',
    );
  });

  it('leaves earlier reports untouched and no temporary folder when the input is invalid', async () => {
    const out = join(scratch, 'kept');
    const ledgers = join(scratch, 'bad-ledgers');
    cpSync(join(examples, 'direct-loop', 'ledgers'), ledgers, { recursive: true });
    expect((await runCli(['run', '--ledgers', ledgers, '--out', out, '--quiet'])).code).toBe(0);
    const before = readAll(join(out, 'all'));
    writeFileSync(join(ledgers, 'openai.csv'), readFileSync(join(ledgers, 'openai.csv'), 'utf8') + 'o9,2026-02-30,out,amazon,purchase,cloud,1,000.00,USD,,,\n');
    const result = await runCli(['run', '--ledgers', ledgers, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${ledgers}/openai.csv:5: row has 12 fields where the header has 11 (amount "1,000.00" seems split at its comma: write 1000.00)\nroundtrip: 1 input error; nothing was written.\n`);
    expect(readAll(join(out, 'all'))).toEqual(before);
    expect(readdirSync(out)).toEqual(['all']);
  });

  it('reports several periods, each in its own folder', async () => {
    const out = join(scratch, 'periods');
    const result = await runCli(['run', '--ledgers', join(examples, 'periods', 'ledgers'), '--out', out, '--period', '2025-12..2026-02', '--period', '2026', '--quiet']);
    expect(result.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['2025-12', '2026', '2026-01', '2026-02']);
    expect(readFileSync(join(out, '2025-12', 'revenue.csv'), 'utf8')).toBe('\uFEFFcompany,id,date,counterparty,category,amount,organic,circular,circular_pct,matched,payer_kind,source\r\n');
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['run', '--period', '2026-13'], 'roundtrip: --period "2026-13" is not a period (expected YYYY-MM, YYYY or YYYY-MM..YYYY-MM, e.g. 2026-02)\n'],
    [['run', '--period', '2026-03..2026-01'], 'roundtrip: --period "2026-03..2026-01" ends before it starts (write the earlier month first)\n'],
    [['run', '--ledgers', '/nonexistent/ledgers'], 'roundtrip: ledgers folder "/nonexistent/ledgers" does not exist (pass --ledgers DIR, a folder of COMPANY.csv files)\n'],
  ])('%j', async (args, message) => {
    const result = await runCli([...args, '--out', join(scratch, 'never')]);
    expect(result.stderr).toBe(message);
    expect(result.code).toBe(2);
    expect(readdirSync(scratch)).not.toContain('never');
  });

  it('rejects an unknown method and an unknown option', async () => {
    const method = await runCli(['run', '--method', 'average']);
    expect(method.code).toBe(2);
    expect(method.stderr).toBe(
      'roundtrip: Invalid values:\n  Argument: method, Given: "average", Choices: "pro-rata", "fifo", "lifo", "investor-last", "investor-first"\nRun \'roundtrip --help\' for usage.\n',
    );
    const out = join(scratch, 'not-after-a-usage-error');
    const option = await runCli(['run', '--ledgers', join(examples, 'direct-loop', 'ledgers'), '--out', out, '--frobnicate']);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe("roundtrip: Unknown argument: frobnicate\nRun 'roundtrip --help' for usage.\n");
    expect(option.stdout).toBe('');
    expect(readdirSync(scratch)).not.toContain('not-after-a-usage-error');
  });

  it('asks for a command when none is given', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Name a command: run, check, audit, compare, generate or import.');
  });
});

describe('roundtrip check', () => {
  it('validates and matches, prints the exceptions found without tracing, writes nothing, exits 0', async () => {
    const result = await runCli(['check', '--ledgers', join(examples, 'exceptions', 'ledgers')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('5 input files, 5 companies, 18 rows, currency USD');
    expect(lines[1]).toBe('13 transfers: 5 matched pairs, 1 unmatched side, 7 with external parties');
    expect(lines[2]).toBe('6 exceptions (unfunded outflows are found by tracing: see roundtrip run):');
    expect(lines.slice(5, 11).map((l) => l.split(/\s{2,}/)[0])).toEqual([
      'lookalike_counterparty',
      'kind_mismatch',
      'amount_mismatch',
      'category_mismatch',
      'date_mismatch',
      'unmatched',
    ]);
  });

  it('counts in the singular where there is one', async () => {
    const dir = join(scratch, 'check-one');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'amazon.csv'), 'id,date,direction,counterparty,kind,amount,currency,ref\na0,2026-01-01,in,opening,other,20.00,USD,\na1,2026-01-10,out,openai,investment,10.00,USD,INV-1\n');
    writeFileSync(join(dir, 'openai.csv'), 'id,date,direction,counterparty,kind,amount,currency\n');
    const result = await runCli(['check', '--ledgers', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 3)).toEqual([
      '2 input files, 2 companies, 2 rows, currency USD',
      '2 transfers: 0 matched pairs, 1 unmatched side, 1 with external parties',
      '1 exception (unfunded outflows are found by tracing: see roundtrip run):',
    ]);
  });

  it('exits 2 on invalid input', async () => {
    const dir = join(scratch, 'check-bad');
    cpSync(join(examples, 'rounding', 'ledgers'), dir, { recursive: true });
    writeFileSync(join(dir, 'Tiny Lab.csv'), 'id\n');
    const result = await runCli(['check', '--ledgers', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(
      `${dir}/Tiny Lab.csv: file name does not start with a company id: "Tiny Lab" (expected lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters, e.g. amazon.csv or amazon.2026-10.csv)`,
    );
  });
});
