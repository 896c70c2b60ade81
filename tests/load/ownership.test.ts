/**
 * The ownership file of SPEC §9 and the reference files of §1: every rule
 * has its own message (`file:line`, the value, what was expected); an error
 * stops the run like a ledger error (exit 2, batched with the ledgers'
 * errors, nothing written); `--ownership FILE` replaces the folder's file.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOwnership, parsePercent } from '../../src/load/ownership.js';
import { runCli, runOnLedgers, type CliResult } from '../support/helpers.js';
import { HEADER } from '../support/ledger-text.js';

const root = mkdtempSync(join(tmpdir(), 'roundtrip-ownership-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const examples = join(import.meta.dirname, '..', 'fixtures', 'examples');

/** Two companies that trade once: a valid ledger set. */
const LEDGERS = {
  'microsoft.csv': `${HEADER}\nm1,2026-01-10,in,openai,revenue,cloud,100.00,USD,AZ-1,,\n`,
  'openai.csv': `${HEADER}\no0,2026-01-01,in,opening,other,,500.00,USD,,,\no1,2026-01-10,out,microsoft,purchase,cloud,100.00,USD,AZ-1,,\n`,
};

let cases = 0;
async function runOn(files: Record<string, string | Uint8Array>, extra: string[] = []): Promise<{ result: CliResult; dir: string }> {
  const dir = join(root, `case-${++cases}`);
  return { result: await runOnLedgers(dir, files, extra), dir };
}

/** Exit 2, exactly these messages, nothing written. */
async function expectErrors(files: Record<string, string | Uint8Array>, lines: string[], extra: string[] = []): Promise<void> {
  const { result, dir } = await runOn(files, extra);
  const count = lines.length === 1 ? '1 input error' : `${lines.length} input errors`;
  expect(result.stderr).toBe(`${lines.join('\n')}\nroundtrip: ${count}; nothing was written.\n`);
  expect(result.code).toBe(2);
  expect(existsSync(join(dir, 'reports'))).toBe(false);
}

/** An ownership file with the standard header. */
function ownership(...rows: string[]): string {
  return ['date,holder,held,percent', ...rows].join('\n') + '\n';
}

const O = 'ledgers/_ownership.csv';

describe('ownership file: one message per rule', () => {
  it('accepts a valid file, a BOM and CRLF, columns in any order and a header-only file', async () => {
    const valid = await runOn({ ...LEDGERS, '_ownership.csv': '\uFEFFpercent,held,holder,date\r\n27.5,openai,microsoft,2026-01-01\r\n0,openai,microsoft,2026-06-01\r\n' });
    expect(valid.result.stderr).toBe('');
    expect(valid.result.code).toBe(0);
    const headerOnly = await runOn({ ...LEDGERS, '_ownership.csv': 'date,holder,held,percent\n' });
    expect(headerOnly.result.code).toBe(0);
  });

  it('date: empty, not YYYY-MM-DD, with a time, not a real date', async () => {
    await expectErrors({ ...LEDGERS, '_ownership.csv': ownership(',microsoft,openai,1', '2026/01/01,microsoft,openai,1', '2026-01-01T09:00,microsoft,openai,1', '2026-02-30,microsoft,openai,1') }, [
      `${O}:2: date is empty (expected the day the holding starts, YYYY-MM-DD)`,
      `${O}:3: date "2026/01/01" is not YYYY-MM-DD (e.g. 2026-01-31 or 2026-01-31T09:30)`,
      `${O}:4: date "2026-01-01T09:00" is not YYYY-MM-DD (write 2026-01-01: a holding starts on a day, not at a time)`,
      `${O}:5: date "2026-02-30" is not a real calendar date (February 2026 has 28 days)`,
    ]);
  });

  it('holder and held: empty, unknown company (with a near miss), the same company', async () => {
    await expectErrors({ ...LEDGERS, '_ownership.csv': ownership('2026-01-01,,openai,1', '2026-01-01,microsft,openai,1', '2026-01-01,microsoft,Acme,1', '2026-01-01,openai,openai,1') }, [
      `${O}:2: holder is empty (expected a company id of this ledger set)`,
      `${O}:3: holder "microsft" is not a company of this ledger set (did you mean microsoft? expected one of microsoft, openai)`,
      `${O}:4: held "Acme" is not a company of this ledger set (expected one of microsoft, openai)`,
      `${O}:5: held "openai" is the holder itself (expected another company: a company does not hold itself)`,
    ]);
  });

  it('percent: empty, not a plain decimal, more than 100, more than two decimals', async () => {
    await expectErrors(
      { ...LEDGERS, '_ownership.csv': ownership('2026-01-01,microsoft,openai,', '2026-01-02,microsoft,openai,27%', '2026-01-03,microsoft,openai,-1', '2026-01-04,microsoft,openai,100.01', '2026-01-05,microsoft,openai,27.125') },
      [
        `${O}:2: percent is empty (expected a plain decimal from 0 to 100 with at most two decimals, e.g. 27.00)`,
        `${O}:3: percent "27%" is not a plain decimal (write 27)`,
        `${O}:4: percent "-1" is not a plain decimal (expected digits with an optional decimal point, e.g. 27.00: no sign, percent sign or separator)`,
        `${O}:5: percent "100.01" is more than 100 (expected 0 to 100: a holder owns at most all of a company)`,
        `${O}:6: percent "27.125" has 3 decimals (expected at most 2, e.g. 27.13)`,
      ],
    );
  });

  it('the same date, holder and held twice', async () => {
    await expectErrors({ ...LEDGERS, '_ownership.csv': ownership('2026-01-01,microsoft,openai,49', '2026-01-01,openai,microsoft,5', '2026-01-01,microsoft,openai,27') }, [
      `${O}:4: holding of openai by microsoft on 2026-01-01 is already declared at ${O}:2 (expected one row per date, holder and held)`,
    ]);
  });

  it('header: unknown, repeated, empty and missing columns; not a header at all', async () => {
    await expectErrors({ ...LEDGERS, '_ownership.csv': 'date,holder,held,pct\n2026-01-01,microsoft,openai,1\n' }, [
      `${O}:1: header column 4 "pct" is not an ownership column (did you mean "percent"? expected one of date, holder, held, percent, exact and lowercase)`,
    ]);
    await expectErrors({ ...LEDGERS, '_ownership.csv': 'date,holder,held,percent,constructor\n' }, [
      `${O}:1: header column 5 "constructor" is not an ownership column (expected one of date, holder, held, percent, exact and lowercase)`,
    ]);
    await expectErrors({ ...LEDGERS, '_ownership.csv': 'date,holder,held,percent,date,\n' }, [
      `${O}:1: header column 5 "date" repeats header column 1 (expected each column once)`,
      `${O}:1: header column 6 is empty (expected a column name, one of date, holder, held, percent; remove the extra comma)`,
    ]);
    await expectErrors({ ...LEDGERS, '_ownership.csv': 'date,holder,held\n2026-01-01,microsoft,openai\n' }, [
      `${O}:1: header has no percent column (the file has rows, and every holding needs date, holder, held, percent; expected those columns, in any order)`,
    ]);
    await expectErrors({ ...LEDGERS, '_ownership.csv': '2026-01-01,microsoft,openai,49\n' }, [
      `${O}:1: header row "2026-01-01,microsoft,openai,49" names no ownership column (expected the header date,holder,held,percent first; the first line looks like a data row: is the header row missing?)`,
    ]);
  });

  it('file and CSV faults behave as for ledgers: empty file, blank row, field count, quotes, bad UTF-8', async () => {
    await expectErrors({ ...LEDGERS, '_ownership.csv': '' }, [
      `${O}:1: file is empty (expected a UTF-8 CSV file of declared holdings whose first line is the header date,holder,held,percent; a file with the header only declares no holding)`,
    ]);
    await expectErrors({ ...LEDGERS, '_ownership.csv': ownership(',,,', '2026-01-01,microsoft,openai', '2026-01-01,micro"soft,openai,1') }, [
      `${O}:2: row is blank: every field is empty or spaces (a line of commas or spaces is a row, not an empty line; expected values, or delete the line)`,
      `${O}:3: row has 3 fields where the header has 4 (expected one field per column: date,holder,held,percent)`,
      `${O}:4: holder "micro\\"soft" has a quote inside an unquoted value (expected the whole value in quotes, with the quote doubled: "micro""soft")`,
    ]);
    const latin1 = Buffer.concat([Buffer.from('date,holder,held,percent\n2026-01-01,microsoft,'), Buffer.from([0x6f, 0xe9]), Buffer.from(',1\n')]);
    await expectErrors({ ...LEDGERS, '_ownership.csv': latin1 }, [
      `${O}:2: held "o\\xE9" is not valid UTF-8 (byte 0xE9 at byte 48 of the file; expected UTF-8: re-export the file as "CSV UTF-8", not Latin-1 or Windows-1252)`,
    ]);
  });

  it('is batched with the ledgers\' errors, in file then line order', async () => {
    await expectErrors(
      {
        'microsoft.csv': `${HEADER}\nm1,2026-01-10,in,openai,revenue,cloud,1.000,USD,,,\n`,
        'openai.csv': `${HEADER}\no1,2026-13-01,in,opening,other,,5.00,USD,,,\n`,
        '_ownership.csv': ownership('2026-01-01,microsoft,openai,101'),
      },
      [
        `${O}:2: percent "101" is more than 100 (expected 0 to 100: a holder owns at most all of a company)`,
        'ledgers/microsoft.csv:2: amount "1.000" has 3 decimals, more than USD allows (expected at most 2 decimals: write 1.00)',
        'ledgers/openai.csv:2: date "2026-13-01" is not a real calendar date (there is no month 13: expected 01 to 12)',
      ],
    );
  });

  it('an invalid ownership file leaves the earlier reports as they were', async () => {
    const dir = join(root, 'kept');
    expect((await runOnLedgers(dir, LEDGERS)).code).toBe(0);
    const before = readFileSync(join(dir, 'reports', 'all', 'exposure.csv'), 'utf8');
    const result = await runOnLedgers(dir, { '_ownership.csv': ownership('2026-01-01,microsoft,openai,x') });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${O}:2: percent "x" is not a plain decimal (expected digits with an optional decimal point, e.g. 27.00: no sign, percent sign or separator)\nroundtrip: 1 input error; nothing was written.\n`);
    expect(readFileSync(join(dir, 'reports', 'all', 'exposure.csv'), 'utf8')).toBe(before);
  });

  it('stops check, audit and compare the same way', async () => {
    const dir = join(root, 'commands');
    await runOnLedgers(dir, { ...LEDGERS, '_ownership.csv': ownership('2026-01-01,microsoft,nobody,1') });
    const message = `${join(dir, 'ledgers')}/_ownership.csv:2: held "nobody" is not a company of this ledger set (expected one of microsoft, openai)\nroundtrip: 1 input error; nothing was written.\n`;
    for (const args of [['check'], ['audit', 'microsoft'], ['compare', '--out', join(dir, 'out')]]) {
      const result = await runCli([...args, '--ledgers', join(dir, 'ledgers')]);
      expect(result.stderr).toBe(message);
      expect(result.code).toBe(2);
    }
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('reference files in the ledger folder (SPEC §1)', () => {
  it('_rates.csv and _ownership.csv are not ledgers', async () => {
    const { result } = await runOn({ ...LEDGERS, '_rates.csv': 'date,from,to,rate\n', '_ownership.csv': ownership() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('any other name starting with _ is an input error of its own', async () => {
    await expectErrors({ ...LEDGERS, '_notes.csv': 'x\n', '_Ownership.csv': ownership() }, [
      'ledgers/_Ownership.csv: file name "_Ownership.csv" starts with "_" but is not a reference file (did you mean _ownership.csv? expected _rates.csv or _ownership.csv, exact and lowercase; a ledger\'s name starts with its company id, e.g. amazon.csv)',
      'ledgers/_notes.csv: file name "_notes.csv" starts with "_" but is not a reference file (expected _rates.csv or _ownership.csv, exact and lowercase; a ledger\'s name starts with its company id, e.g. amazon.csv)',
    ]);
  });

  it('a folder with only reference files holds no ledger', async () => {
    await expectErrors({ '_ownership.csv': ownership() }, [
      'ledgers: holds no ledger file (expected one or more COMPANY.csv files, e.g. amazon.csv or amazon.2026-10.csv)',
    ]);
  });
});

describe('--ownership FILE', () => {
  it('replaces the folder\'s _ownership.csv, and manifest.json lists it with its sha256 and rows', async () => {
    const dir = join(root, 'option');
    const text = ownership('2026-01-01,openai,microsoft,3.50', '2026-01-05,openai,microsoft,4');
    writeFileSync(join(root, 'option-holdings.csv'), text);
    const file = join(root, 'option-holdings.csv');
    // The folder's own file is invalid: it is not read at all.
    const result = await runOnLedgers(dir, { ...LEDGERS, '_ownership.csv': 'not,a,header\n' }, ['--ownership', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'reports', 'all', 'exposure.csv'), 'utf8')).toBe(
      '\uFEFFcompany,counterparty,category,booked,organic,circular,related,share_pct,holds_pct,held_pct\r\nmicrosoft,openai,cloud,100.00,100.00,0.00,100.00,100.00,,4.00\r\n',
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'reports', 'all', 'manifest.json'), 'utf8'));
    // Named without its folder, as the rates file is: the same input gives the same bytes wherever it lies.
    expect(manifest.ownership).toEqual({ file: 'option-holdings.csv', sha256: createHash('sha256').update(text).digest('hex'), rows: 2 });
  });

  it('the folder\'s file is listed by its name; no ownership file is null', async () => {
    const ledgers = join(root, 'listed');
    cpSync(join(examples, 'exposure', 'ledgers'), ledgers, { recursive: true });
    const out = join(root, 'listed-out');
    expect((await runCli(['run', '--ledgers', ledgers, '--out', out, '--quiet'])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'all', 'manifest.json'), 'utf8'));
    const sha = createHash('sha256').update(readFileSync(join(ledgers, '_ownership.csv'))).digest('hex');
    expect(manifest.ownership).toEqual({ file: '_ownership.csv', sha256: sha, rows: 3 });
    expect(manifest.inputs.map((i: { file: string }) => i.file)).toEqual(['coreweave.csv', 'microsoft.csv', 'nvidia.csv', 'openai.csv']);
    rmSync(join(ledgers, '_ownership.csv'));
    expect((await runCli(['run', '--ledgers', ledgers, '--out', out, '--quiet'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'all', 'manifest.json'), 'utf8')).ownership).toBe(null);
  });

  it('check says how many holdings it read, and from where', async () => {
    const ledgers = join(examples, 'exposure', 'ledgers');
    const result = await runCli(['check', '--ledgers', ledgers]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[2]).toBe(`3 holdings declared in ${ledgers}/_ownership.csv`);
  });

  it('a file that does not exist is a usage error', async () => {
    const missing = join(root, 'no-such-file.csv');
    const result = await runCli(['check', '--ledgers', join(examples, 'exposure', 'ledgers'), '--ownership', missing]);
    expect(result.stderr).toBe(`roundtrip: --ownership ${JSON.stringify(missing)} does not exist (expected a CSV file of holdings: date,holder,held,percent)\n`);
    expect(result.code).toBe(2);
  });
});

describe('parsePercent and parseOwnership', () => {
  it('reads percents as hundredths', () => {
    expect(['0', '0.5', '7', '27.00', '049.10', '100', '100.00'].map((t) => parsePercent(t))).toEqual(
      [0, 50, 700, 2700, 4910, 10000, 10000].map((hundredths) => ({ ok: true, hundredths })),
    );
    expect(parsePercent('1000').ok).toBe(false);
    expect(parsePercent('.5').ok).toBe(false);
    expect(parsePercent('5.').ok).toBe(false);
  });

  it('keeps the holdings in file order with their lines', () => {
    const read = parseOwnership(Buffer.from(ownership('2026-02-01,a,b,10', '2026-01-01,b,a,0.01')), '_ownership.csv', 'x/_ownership.csv', ['a', 'b']);
    expect(read.issues.total).toBe(0);
    expect(read.ownership?.holdings).toEqual([
      { day: '2026-02-01', holder: 'a', held: 'b', hundredths: 1000, line: 2 },
      { day: '2026-01-01', holder: 'b', held: 'a', hundredths: 1, line: 3 },
    ]);
    expect(read.ownership?.rows).toBe(2);
  });
});
