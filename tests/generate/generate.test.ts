import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  EXCEPTION_CODES,
  LEDGER_HEADER,
  companyIds,
  generateLedgerSet,
  generateLedgers,
  validateGenerateOptions,
  type ExceptionCode,
  type GeneratedFile,
} from '../../src/generate/generate.js';
import { writeGeneratedLedgers } from '../../src/generate/write.js';
import { generateCommand } from '../../src/cli/generate.js';

function hashOf(files: readonly GeneratedFile[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.name}\u0000${file.text}\u0000`);
  return hash.digest('hex');
}

interface Row {
  company: string;
  file: string;
  id: string;
  date: string;
  direction: string;
  counterparty: string;
  kind: string;
  category: string;
  amount: number;
  currency: string;
  ref: string;
  deal: string;
}

function rowsOf(files: readonly GeneratedFile[]): Row[] {
  const rows: Row[] = [];
  for (const file of files) {
    const records = parse(file.text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
    const [header, ...data] = records;
    expect(header?.join(',')).toBe(LEDGER_HEADER);
    const company = file.name.slice(0, file.name.indexOf('.'));
    for (const r of data) {
      const [id, date, direction, counterparty, kind, category, amount, currency, ref, deal] = r as [string, string, string, string, string, string, string, string, string, string];
      if (!/^[0-9]{1,15}\.[0-9]{2}$/.test(amount)) throw new Error(`${file.name}: bad amount ${amount}`);
      rows.push({ company, file: file.name, id, date, direction, counterparty, kind, category, amount: Math.round(Number(amount) * 100), currency, ref, deal });
    }
  }
  return rows;
}

function isRealDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?$/.exec(date);
  if (m === null) return false;
  const [y, mo, d, hh = '0', mi = '0', ss = '0'] = m.slice(1).map((x) => x ?? '0') as string[];
  const t = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return t.getUTCMonth() === Number(mo) - 1 && t.getUTCDate() === Number(d) && Number(hh) < 24 && Number(mi) < 60 && Number(ss) < 60;
}

const timestamp = (date: string): string => (date.length === 10 ? `${date}T00:00:00` : date);
const normalise = (name: string): string => name.toLowerCase().replace(/[ _]/g, '-');

function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** An independent, simplified reading of SPEC §2 and §3.2 (balances only) over a generated set. */
function analyse(files: readonly GeneratedFile[]): Record<ExceptionCode, number> {
  const rows = rowsOf(files);
  const companies = new Set(rows.map((r) => r.company));
  const counts: Record<ExceptionCode, number> = Object.fromEntries(EXCEPTION_CODES.map((c) => [c, 0])) as Record<ExceptionCode, number>;
  const complement: Record<string, string> = { investment: 'investment', purchase: 'revenue', revenue: 'purchase', other: 'other' };

  // Pair intercompany rows: by ref, else k-th by (date, amount, complementary kind).
  const byKey = new Map<string, Row[]>();
  for (const row of rows) {
    if (!companies.has(row.counterparty)) continue;
    const payer = row.direction === 'out' ? row.company : row.counterparty;
    const payee = row.direction === 'out' ? row.counterparty : row.company;
    const payerKind = row.direction === 'out' ? row.kind : complement[row.kind];
    const key = row.ref !== '' ? `${payer}|${payee}|ref|${row.ref}` : `${payer}|${payee}|${row.date.slice(0, 10)}|${row.amount}|${payerKind}`;
    const list = byKey.get(key) ?? [];
    list.push(row);
    byKey.set(key, list);
  }
  interface Transfer {
    time: string;
    payer: string;
    payee: string;
    a: number;
    b: number;
  }
  const transfers: Transfer[] = [];
  for (const list of byKey.values()) {
    const outs = list.filter((r) => r.direction === 'out');
    const ins = list.filter((r) => r.direction === 'in');
    for (let k = 0; k < Math.max(outs.length, ins.length); k++) {
      const out = outs[k];
      const inn = ins[k];
      if (out !== undefined && inn !== undefined) {
        if (out.amount !== inn.amount) counts.amount_mismatch++;
        if (out.date.slice(0, 10) !== inn.date.slice(0, 10)) counts.date_mismatch++;
        if (complement[out.kind] !== inn.kind) counts.kind_mismatch++;
        else if (out.kind === 'purchase' && out.category !== inn.category) counts.category_mismatch++;
        transfers.push({ time: timestamp(out.date), payer: out.company, payee: inn.company, a: out.amount, b: inn.amount });
      } else {
        counts.unmatched++;
        const row = (out ?? inn) as Row;
        const payer = row.direction === 'out' ? row.company : row.counterparty;
        const payee = row.direction === 'out' ? row.counterparty : row.company;
        transfers.push({ time: timestamp(row.date), payer, payee, a: row.amount, b: row.amount });
      }
    }
  }
  const lookalikes = new Set<string>();
  for (const row of rows) {
    if (companies.has(row.counterparty)) continue;
    const external = `ext:${row.counterparty}`;
    const [payer, payee] = row.direction === 'out' ? [row.company, external] : [external, row.company];
    transfers.push({ time: timestamp(row.date), payer, payee, a: row.amount, b: row.amount });
    const name = normalise(row.counterparty);
    for (const id of companies) {
      if (name === id || (id.length >= 5 && withinOneEdit(name, id))) lookalikes.add(`${row.company}|${row.counterparty}`);
    }
  }
  counts.lookalike_counterparty = lookalikes.size;

  // Balances in processing order (the generator gives every transfer its own second).
  transfers.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
  const balance = new Map<string, number>();
  for (const t of transfers) {
    if (companies.has(t.payer)) {
      const b = balance.get(t.payer) ?? 0;
      if (t.a > b) counts.unfunded++;
      balance.set(t.payer, Math.max(0, b - t.a));
    }
    if (companies.has(t.payee)) balance.set(t.payee, (balance.get(t.payee) ?? 0) + t.b);
  }
  return counts;
}

describe('generateLedgers', () => {
  it('is deterministic: the same seed gives the same bytes, another seed other bytes', () => {
    const options = { companies: 7, transfers: 1500, seed: 42 };
    expect(hashOf(generateLedgers(options))).toBe(hashOf(generateLedgers(options)));
    expect(hashOf(generateLedgers({ ...options, seed: 43 }))).not.toBe(hashOf(generateLedgers(options)));
  });

  it('keeps small sets small', () => {
    const { files, summary } = generateLedgerSet({ companies: 2, transfers: 3, seed: 1 });
    expect(files.map((f) => f.name)).toEqual(['co001.csv', 'co002.csv']);
    expect(summary.rows).toBeGreaterThanOrEqual(2 + 3);
    expect(summary.rows).toBeLessThanOrEqual(2 + 2 * 3);
    expect(rowsOf(files)).toHaveLength(summary.rows);
  });

  it('works with a single company (external rows only)', () => {
    const files = generateLedgers({ companies: 1, transfers: 300, seed: 5 });
    const rows = rowsOf(files);
    expect(files.map((f) => f.name)).toEqual(['co001.csv']);
    expect(rows.every((r) => r.counterparty !== 'co001')).toBe(true);
  });

  it('respects the number of companies and splits some into two files', () => {
    const { files, summary } = generateLedgerSet({ companies: 12, transfers: 400, seed: 3 });
    const ids = new Set(files.map((f) => f.name.slice(0, f.name.indexOf('.'))));
    expect([...ids]).toEqual(companyIds(12));
    expect(files.map((f) => f.name)).toContain('co003.part1.csv');
    expect(files.map((f) => f.name)).toContain('co003.part2.csv');
    expect(summary.files).toEqual(files.map((f) => f.name));
    for (const id of ids) expect(id).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/);
  });

  it('writes valid ledgers (SPEC §1): header, fields, unique ids and refs, date order', () => {
    const files = generateLedgers({ companies: 9, transfers: 3000, seed: 11 });
    for (const file of files) expect(file.text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe(LEDGER_HEADER);
    const rows = rowsOf(files);
    const problems: string[] = [];
    const check = (ok: boolean, what: string, row: Row): void => {
      if (!ok) problems.push(`${row.file} ${row.id}: ${what}`);
    };
    const ids = new Set<string>();
    const refs = new Set<string>();
    const last = new Map<string, string>();
    for (const r of rows) {
      check(isRealDate(r.date), `date ${r.date}`, r);
      check(r.direction === 'in' || r.direction === 'out', 'direction', r);
      check(r.counterparty !== r.company && r.counterparty !== '', 'counterparty', r);
      check(r.currency === 'USD' && r.amount > 0, 'currency or amount', r);
      if (r.kind === 'revenue') check(r.direction === 'in', 'revenue out', r);
      else if (r.kind === 'purchase') check(r.direction === 'out', 'purchase in', r);
      else check(r.kind === 'investment' || r.kind === 'other', `kind ${r.kind}`, r);
      if (r.kind === 'revenue' || r.kind === 'purchase') check(/^[a-z0-9][a-z0-9_-]*$/.test(r.category), 'category', r);
      if (r.deal !== '') check(/^[A-Za-z0-9._-]{1,64}$/.test(r.deal), 'deal', r);
      check(r.id.length > 0 && r.id.length <= 128 && !ids.has(`${r.company}|${r.id}`), 'id', r);
      ids.add(`${r.company}|${r.id}`);
      if (r.ref !== '') {
        const refKey = `${r.company}|${r.counterparty}|${r.direction}|${r.ref}`;
        check(!refs.has(refKey), 'ref repeated', r);
        refs.add(refKey);
      }
      check(timestamp(r.date) >= (last.get(r.company) ?? ''), 'date order', r);
      last.set(r.company, timestamp(r.date));
    }
    expect(problems).toEqual([]);
  });

  const PLANTED = EXCEPTION_CODES.filter((code) => code !== 'fx_difference');

  it('plants every exception code, exactly as many as it says, and no accidental one', () => {
    const { files, summary } = generateLedgerSet({ companies: 12, transfers: 5000, seed: 1 });
    const found = analyse(files);
    // A generated set is in one currency: it can hold no fx_difference (SPEC §8).
    for (const code of PLANTED) expect(summary.exceptions[code], code).toBeGreaterThan(0);
    expect(summary.exceptions.fx_difference).toBe(0);
    expect(found).toEqual(summary.exceptions);
  });

  it('keeps every share of exceptions small', () => {
    const { summary } = generateLedgerSet({ companies: 20, transfers: 10_000, seed: 9 });
    for (const code of PLANTED) {
      expect(summary.exceptions[code], code).toBeGreaterThanOrEqual(0.0005 * summary.transfers);
      expect(summary.exceptions[code], code).toBeLessThanOrEqual(0.006 * summary.transfers);
    }
  });

  it('validates its options', () => {
    expect(validateGenerateOptions({ companies: 0, transfers: 1, seed: 1 })).toMatch(/--companies/);
    expect(validateGenerateOptions({ companies: 2.5, transfers: 1, seed: 1 })).toMatch(/--companies/);
    expect(validateGenerateOptions({ companies: 2, transfers: Number.NaN, seed: 1 })).toMatch(/--transfers/);
    expect(validateGenerateOptions({ companies: 2, transfers: 1, seed: -1 })).toMatch(/--seed/);
    expect(validateGenerateOptions({ companies: 2, transfers: 1, seed: 0 })).toBeUndefined();
    expect(validateGenerateOptions({ companies: 2, transfers: 1, seed: 0, profile: 'whales' as never })).toBe('--profile must be one of volume, portfolio (got whales)');
    expect(validateGenerateOptions({ companies: 2, transfers: 1, seed: 0, scale: 5 })).toBe('--scale must be a whole number from 0 to 4 (got 5)');
    expect(validateGenerateOptions({ companies: 2, transfers: 1, seed: 0, profile: 'portfolio', scale: 0 })).toBeUndefined();
    expect(() => generateLedgers({ companies: 0, transfers: 1, seed: 1 })).toThrow(RangeError);
  });
});

describe('generateLedgers --profile portfolio', () => {
  const { files, summary } = generateLedgerSet({ companies: 12, transfers: 5000, seed: 1, profile: 'portfolio' });
  const rows = rowsOf(files);

  it('grows the stakes with the set: investments about a tenth of intercompany transfers, most under a deal of their own', () => {
    const investments = rows.filter((r) => r.kind === 'investment' && r.direction === 'out' && /^co\d+$/.test(r.counterparty));
    const intercompany = rows.filter((r) => r.direction === 'out' && /^co\d+$/.test(r.counterparty));
    const stakes = new Set(investments.map((r) => `${r.company}>${r.counterparty}#${r.deal}`));
    expect(investments.length / intercompany.length).toBeGreaterThan(0.07);
    expect(investments.length / intercompany.length).toBeLessThan(0.14);
    expect(investments.filter((r) => r.deal !== '').length / investments.length).toBeGreaterThan(0.7);
    expect(stakes.size).toBeGreaterThan(250);
    // Every third company invests, in any other.
    expect(new Set(investments.map((r) => r.company))).toEqual(new Set(['co001', 'co004', 'co007', 'co010']));
  });

  it('writes amounts in billions, and some at the 15-digit limit (treasury sweeps in and out the same second)', () => {
    expect(rows.filter((r) => r.amount >= 1e9).length).toBeGreaterThan(100);
    const sweeps = rows.filter((r) => r.counterparty === 'Bond investors' || r.counterparty === 'Custodian bank');
    expect(sweeps.length).toBeGreaterThan(0);
    for (const r of sweeps) expect(r.amount).toBeGreaterThanOrEqual(1e14);
  });

  it('plants every exception code, exactly as many as it says', () => {
    expect(analyse(files)).toEqual(summary.exceptions);
  });

  it('leaves the default profile as it was: the same bytes with profile volume and scale 0 given', () => {
    expect(hashOf(generateLedgers({ companies: 9, transfers: 2000, seed: 3, profile: 'volume', scale: 0 }))).toBe(hashOf(generateLedgers({ companies: 9, transfers: 2000, seed: 3 })));
  });
});

describe('writeGeneratedLedgers', () => {
  it('streams the same bytes as the in-memory set', async () => {
    const options = { companies: 6, transfers: 2000, seed: 8 };
    const dir = await mkdtemp(path.join(os.tmpdir(), 'roundtrip-generate-'));
    try {
      const summary = await writeGeneratedLedgers(options, dir);
      const names = (await readdir(dir)).sort();
      expect(names).toEqual([...summary.files]);
      const written = await Promise.all(names.map(async (name) => ({ name, text: await readFile(path.join(dir, name), 'utf8') })));
      expect(hashOf(written)).toBe(hashOf(generateLedgers(options)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('generate command', () => {
  const run = async (out: string, extra: Partial<Record<'companies' | 'transfers' | 'seed', number>> & { force?: boolean } = {}): Promise<void> => {
    await generateCommand.handler({ _: ['generate'], $0: 'roundtrip', companies: 3, transfers: 50, seed: 1, profile: 'volume', scale: undefined, out, force: false, ...extra });
  };

  it('creates the folder, refuses to overwrite ledgers without --force, replaces them with it', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'roundtrip-generate-cli-'));
    const out = path.join(root, 'nested', 'set');
    const write = process.stdout.write;
    const printed: string[] = [];
    process.stdout.write = ((chunk: string): boolean => printed.push(chunk) > 0) as typeof process.stdout.write;
    try {
      await run(out, { companies: 5 });
      expect(printed.join('')).toMatch(/^Wrote 6 files, \d+ rows \(5 companies, 50 transfers, seed 1\) to /);
      await expect(run(out)).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/--force/) });
      await writeFile(path.join(out, 'notes.txt'), 'kept');
      await run(out, { force: true });
      expect((await readdir(out)).sort()).toEqual(['co001.csv', 'co002.csv', 'co003.part1.csv', 'co003.part2.csv', 'notes.txt']);
      await expect(run(path.join(out, 'notes.txt'))).rejects.toMatchObject({ code: 'usage' });
      await expect(run(out, { companies: 0, force: true })).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/--companies/) });
      await expect(run(out, { transfers: 1.5, force: true })).rejects.toMatchObject({ code: 'usage' });
    } finally {
      process.stdout.write = write;
      await rm(root, { recursive: true, force: true });
    }
  });
});
