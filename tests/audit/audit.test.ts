/**
 * `roundtrip audit`: every figure equals the reports of the same run (for
 * every shared example, method and period), golden output for the three
 * formats, `--id` on a direct, an indirect and a rescaled transfer, errors,
 * and colour only on a terminal without NO_COLOR.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { wantsColour } from '../../src/audit/style.js';
import { runCli } from '../support/helpers.js';
import { exampleVariants, variantArgs } from '../support/examples.js';

const examples = join(import.meta.dirname, '..', 'fixtures', 'examples');
const goldenDir = join(import.meta.dirname, '..', 'fixtures', 'audit');
const ledgersOf = (example: string): string => join(examples, example, 'ledgers');

type Record = { [column: string]: string };

function readCsv(path: string): Record[] {
  return parse(readFileSync(path, 'utf8'), { bom: true, columns: true, skip_empty_lines: true }) as Record[];
}

interface StakeJson {
  stake: string;
  investor: string;
  investee: string;
  deal: string;
  route: string;
  payer: string;
  amount: string;
  tranches: { tranche: number; rows: { company: string; id: string; kind: string; date: string; counterparty: string; amount: string; source: string }[] }[];
}

interface LineJson {
  id: string;
  date: string;
  payer: string;
  category: string;
  amount: string;
  organic: string;
  circular: string;
  circular_pct: string;
  matched: string;
  payer_kind: string;
  disputed: boolean;
  source: string;
  memo: string;
  stakes: StakeJson[];
}

interface TotalJson {
  booked: string;
  organic: string;
  circular: string;
  circular_pct: string;
  disputed: string;
  rows: number;
}

interface AuditJson {
  company: string;
  period: string;
  method: string;
  earmark: boolean;
  revenue_rows: number;
  lines: LineJson[];
  categories: (TotalJson & { category: string })[];
  total: TotalJson;
}

/** Every (example, variant, period) of the shared fixtures, with the run's arguments. */
const runs = exampleVariants().flatMap(({ example, variant }) =>
  readdirSync(join(examples, example, 'expected', variant)).map((period) => ({ example, variant, period })),
);

function companiesOf(example: string): string[] {
  // Reference files (`_rates.csv`, `_ownership.csv`) are not ledgers.
  return [...new Set(readdirSync(ledgersOf(example)).filter((n) => n.endsWith('.csv') && !n.startsWith('_')).map((n) => n.slice(0, n.indexOf('.'))))].sort();
}

function runArgs(example: string, variant: string, period: string): string[] {
  const args = ['--ledgers', ledgersOf(example), ...variantArgs(variant)];
  if (period !== 'all') args.push('--period', period);
  return args;
}

function cents(amount: string): bigint {
  return BigInt(amount.replace('.', ''));
}

describe('audit figures equal the reports of the same run', () => {
  it('covers every shared example', () => {
    expect(runs.length).toBe(26);
  });

  it.each(runs)('$example / $variant / $period', async ({ example, variant, period }) => {
    const dir = join(examples, example, 'expected', variant, period);
    const revenue = readCsv(join(dir, 'revenue.csv'));
    const circular = readCsv(join(dir, 'circular.csv'));
    const summary = readCsv(join(dir, 'summary.csv'));
    let audited = 0;
    for (const company of companiesOf(example)) {
      const result = await runCli(['audit', company, ...runArgs(example, variant, period), '--format', 'json']);
      expect(result.code, result.stderr).toBe(0);
      const doc = JSON.parse(result.stdout) as AuditJson;
      expect(doc.period).toBe(period);

      // revenue.csv: one line per booked revenue row, same order, same figures.
      const expectedLines = revenue.filter((r) => r.company === company);
      expect(doc.lines.map((l) => [l.id, l.date, l.payer, l.category, l.amount, l.organic, l.circular, l.circular_pct, l.matched, l.payer_kind, l.source])).toEqual(
        expectedLines.map((r) => [r.id, r.date, r.counterparty, r.category, r.amount, r.organic, r.circular, r.circular_pct, r.matched, r.payer_kind, r.source]),
      );
      // circular.csv: the returning stakes of those revenue rows, same order, same figures.
      const expectedStakes = circular.filter((c) => c.company === company && c.kind === 'revenue');
      const stakes = doc.lines.flatMap((l) => l.stakes.map((s) => ({ l, s })));
      expect(stakes.map(({ l, s }) => [l.id, l.date, l.payer, l.category, s.investee, s.deal, s.route, s.amount, l.source])).toEqual(
        expectedStakes.map((c) => [c.id, c.date, c.payer, c.category, c.investee, c.deal, c.route, c.amount, c.source]),
      );
      // summary.csv: the totals per category.
      expect(doc.categories.map((c) => [c.category, c.booked, c.organic, c.circular, c.circular_pct, c.disputed, String(c.rows)])).toEqual(
        summary.filter((s) => s.company === company).map((s) => [s.category, s.booked, s.organic, s.circular, s.circular_pct, s.disputed, s.revenue_rows]),
      );

      for (const l of doc.lines) {
        // Each row's stakes add up to its circular part, and organic + circular = amount.
        expect(l.stakes.reduce((sum, s) => sum + cents(s.amount), 0n)).toBe(cents(l.circular));
        expect(cents(l.organic) + cents(l.circular)).toBe(cents(l.amount));
        for (const s of l.stakes) {
          // The audit trail: investment transfers from the investor to the investee, before the receipt.
          expect(s.tranches.length).toBeGreaterThan(0);
          expect(s.stake.startsWith(`${s.investor}>${s.investee}`)).toBe(true);
          for (const tr of s.tranches) {
            expect(tr.rows.length).toBeGreaterThan(0);
            for (const r of tr.rows) {
              expect(r.kind).toBe('investment');
              expect([s.investor, s.investee]).toContain(r.company);
              expect(r.date.slice(0, 10) <= l.date.slice(0, 10)).toBe(true);
            }
          }
        }
      }
      const total = doc.lines.reduce((sum, l) => sum + cents(l.amount), 0n);
      expect(cents(doc.total.booked)).toBe(total);
      expect(doc.total.rows).toBe(doc.lines.length);
      audited += doc.lines.length;
    }
    expect(audited).toBe(revenue.length);
  });
});

/** Golden files: written once (UPDATE_GOLDEN=1), checked by eye, then compared exactly. */
async function golden(name: string, args: string[]): Promise<void> {
  const result = await runCli(args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const path = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(path, result.stdout);
  }
  expect(result.stdout).toBe(readFileSync(path, 'utf8'));
}

describe('golden output (chain: Microsoft → OpenAI → CoreWeave → Microsoft)', () => {
  const chain = ['audit', 'microsoft', '--ledgers', ledgersOf('chain')];
  it('table', () => golden('chain-microsoft.txt', chain));
  it('csv', () => golden('chain-microsoft.csv', [...chain, '--format', 'csv']));
  it('json', () => golden('chain-microsoft.json', [...chain, '--format', 'json']));
  const explain = ['audit', 'nvidia', '--ledgers', ledgersOf('two-hop'), '--id', 'n2'];
  it('--id table', () => golden('two-hop-nvidia-n2.txt', explain));
  it('--id csv', () => golden('two-hop-nvidia-n2.csv', [...explain, '--format', 'csv']));
  it('--id json', () => golden('two-hop-nvidia-n2.json', [...explain, '--format', 'json']));

  it('csv is the report dialect: BOM, CRLF, formula guard; --no-bom drops the BOM', async () => {
    const csv = (await runCli([...chain, '--format', 'csv'])).stdout;
    expect(csv.startsWith('\uFEFFline,company,id,date,payer,category,amount,')).toBe(true);
    expect(csv.split('\r\n').length).toBe(csv.split('\n').length);
    expect(csv.endsWith('\r\n')).toBe(true);
    const noBom = (await runCli([...chain, '--format', 'csv', '--no-bom'])).stdout;
    expect(noBom).toBe(csv.slice(1));
  });
});

interface ExplainJson {
  transfer: { position: number; of: number; payer: string; payee: string; matched: string; payer_amount: string; payee_amount: string; payer_row: { id: string } | null; payee_row: { id: string } | null };
  exceptions: { code: string; id: string; amount: string; counterparty_id: string; counterparty_amount: string }[];
  pool_before: { company: string; balance: string } | null;
  draw: { amount: string; method: string; earmark: string; unfunded: string };
  invested: { stake: string; tranche: number } | null;
  arrived: { company: string; amount: string; rescaled: boolean };
  views: { investor: string; fate: string; parts: { part: string; before: string; drawn: string; arrived: string }[] }[];
  returning: StakeJson[];
  booked: { amount: string; organic: string; circular: string; circular_pct: string } | null;
}

async function explain(example: string, company: string, id: string, extra: string[] = []): Promise<ExplainJson> {
  const result = await runCli(['audit', company, '--ledgers', ledgersOf(example), '--id', id, '--format', 'json', ...extra]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ExplainJson;
}

describe('--id explains one transfer with the trace figures', () => {
  it('direct: direct-loop a2, OpenAI pays $4B from $30B organic + $10B of Amazon money', async () => {
    const e = await explain('direct-loop', 'amazon', 'a2');
    expect(e.transfer).toMatchObject({ position: 4, of: 4, payer: 'openai', payee: 'amazon', matched: 'yes', payer_row: { id: 'o2' }, payee_row: { id: 'a2' } });
    expect(e.exceptions).toEqual([]);
    expect(e.pool_before).toEqual({ company: 'openai', balance: '40000000000.00' });
    expect(e.draw).toMatchObject({ amount: '4000000000.00', method: 'pro-rata', earmark: '', unfunded: '0.00' });
    expect(e.views).toEqual([
      {
        investor: 'amazon',
        fate: 'returning',
        earmarked: '0.00',
        parts: [
          { part: 'rest', before: '30000000000.00', drawn: '3000000000.00', arrived: '3000000000.00' },
          { part: 'amazon>openai', before: '10000000000.00', drawn: '1000000000.00', arrived: '1000000000.00' },
        ],
      },
    ]);
    expect(e.returning.map((s) => [s.stake, s.route, s.payer, s.amount])).toEqual([['amazon>openai', 'direct', 'openai', '1000000000.00']]);
    expect(e.returning[0]?.tranches.map((t) => t.rows.map((r) => `${r.source} ${r.id} ${r.amount}`))).toEqual([['amazon.csv:3 a1 10000000000.00', 'openai.csv:3 o1 10000000000.00']]);
    expect(e.booked).toMatchObject({ amount: '4000000000.00', organic: '3000000000.00', circular: '1000000000.00', circular_pct: '25.00' });

    const table = await runCli(['audit', 'amazon', '--ledgers', ledgersOf('direct-loop'), '--id', 'a2']);
    expect(table.stdout).toContain("1. openai's pool just before the payment: balance 40,000,000,000.00");
    expect(table.stdout).toContain("in amazon's view: 10,000,000,000.00 of amazon>openai; rest (not amazon's money) 30,000,000,000.00");
    expect(table.stdout).toContain('2. Drawn: 4,000,000,000.00 from openai\'s pool, by pro-rata');
    expect(table.stdout).toMatch(/amazon {3}amazon>openai {2}10,000,000,000\.00 {2}1,000,000,000\.00 {2}1,000,000,000\.00 {2}back to its investor: circular for amazon/);
    expect(table.stdout).toContain('5. Booked by amazon as cloud revenue: 4,000,000,000.00 = organic 3,000,000,000.00 + circular 1,000,000,000.00 (25.00%)');
  });

  it('direct under lifo and investor-last: the same transfer, the other rules', async () => {
    const lifo = await explain('direct-loop', 'amazon', 'a2', ['--method', 'lifo']);
    expect(lifo.views[0]?.parts).toEqual([
      { part: 'rest', before: '30000000000.00', drawn: '0.00', arrived: '0.00' },
      { part: 'amazon>openai', before: '10000000000.00', drawn: '4000000000.00', arrived: '4000000000.00' },
    ]);
    const last = await explain('direct-loop', 'amazon', 'a2', ['--method', 'investor-last']);
    expect(last.returning).toEqual([]);
    expect(last.booked).toMatchObject({ organic: '4000000000.00', circular: '0.00' });
  });

  it('indirect: two-hop n2, Oracle pays Nvidia with $2B of Nvidia money in a $20B pool', async () => {
    const e = await explain('two-hop', 'nvidia', 'n2');
    expect(e.transfer).toMatchObject({ payer: 'oracle', payee: 'nvidia', payer_row: { id: 'r2' }, payee_row: { id: 'n2' } });
    expect(e.pool_before).toEqual({ company: 'oracle', balance: '20000000000.00' });
    expect(e.views).toEqual([
      {
        investor: 'nvidia',
        fate: 'returning',
        earmarked: '0.00',
        parts: [
          { part: 'rest', before: '18000000000.00', drawn: '4500000000.00', arrived: '4500000000.00' },
          { part: 'nvidia>openai', before: '2000000000.00', drawn: '500000000.00', arrived: '500000000.00' },
        ],
      },
    ]);
    expect(e.returning.map((s) => [s.stake, s.investee, s.route, s.payer, s.amount])).toEqual([['nvidia>openai', 'openai', 'indirect', 'oracle', '500000000.00']]);
    expect(e.returning[0]?.tranches[0]?.rows.map((r) => r.source)).toEqual(['nvidia.csv:3', 'openai.csv:3']);
    expect(e.booked).toMatchObject({ amount: '5000000000.00', organic: '4500000000.00', circular: '500000000.00', circular_pct: '10.00' });

    const table = (await runCli(['audit', 'nvidia', '--ledgers', ledgersOf('two-hop'), '--id', 'n2'])).stdout;
    expect(table).toContain('indirect: paid back by oracle, not by the investee');
    expect(table).toContain('invested 2026-01-02, tranche 1 of 1: nvidia.csv:3 n1 10,000,000,000.00 → openai.csv:3 o1 10,000,000,000.00');
  });

  it('indirect, one hop earlier: the Oracle purchase that carried Nvidia money into Oracle', async () => {
    const e = await explain('two-hop', 'oracle', 'r1');
    expect(e.pool_before).toEqual({ company: 'openai', balance: '40000000000.00' });
    expect(e.views).toEqual([
      {
        investor: 'nvidia',
        fate: 'pool',
        earmarked: '0.00',
        parts: [
          { part: 'rest', before: '30000000000.00', drawn: '6000000000.00', arrived: '6000000000.00' },
          { part: 'nvidia>openai', before: '10000000000.00', drawn: '2000000000.00', arrived: '2000000000.00' },
        ],
      },
    ]);
    expect(e.returning).toEqual([]);
    expect(e.booked).toMatchObject({ amount: '8000000000.00', organic: '8000000000.00', circular: '0.00' });
  });

  it('rescaled: rescale a2, OpenAI pays $400M, Amazon books $500M', async () => {
    const e = await explain('rescale', 'amazon', 'a2');
    expect(e.transfer).toMatchObject({ payer_amount: '400000000.00', payee_amount: '500000000.00' });
    expect(e.exceptions).toEqual([
      expect.objectContaining({ code: 'amount_mismatch', id: 'o2', amount: '400000000.00', counterparty_id: 'a2', counterparty_amount: '500000000.00' }),
    ]);
    expect(e.pool_before).toEqual({ company: 'openai', balance: '4000000000.00' });
    expect(e.arrived).toEqual({ company: 'amazon', amount: '500000000.00', rescaled: true });
    expect(e.views[0]?.parts).toEqual([
      { part: 'rest', before: '3000000000.00', drawn: '300000000.00', arrived: '375000000.00' },
      { part: 'amazon>openai', before: '1000000000.00', drawn: '100000000.00', arrived: '125000000.00' },
    ]);
    expect(e.returning.map((s) => s.amount)).toEqual(['125000000.00']);
    expect(e.booked).toMatchObject({ amount: '500000000.00', organic: '375000000.00', circular: '125000000.00', circular_pct: '25.00' });

    const table = (await runCli(['audit', 'amazon', '--ledgers', ledgersOf('rescale'), '--id', 'a2'])).stdout;
    expect(table).toContain('3. 500,000,000.00 arrived at amazon\'s pool, not the 400,000,000.00 paid');
    expect(table).toContain('amount_mismatch on openai o2 (openai.csv:4): 400,000,000.00; other side a2 500,000,000.00');
  });

  it('an investment row: the stake it creates, and the payer side of a transfer', async () => {
    const e = await explain('direct-loop', 'openai', 'o1');
    expect(e.invested).toEqual({ stake: 'amazon>openai', tranche: 1 });
    expect(e.pool_before).toEqual({ company: 'amazon', balance: '20000000000.00' });
    expect(e.views).toEqual([
      {
        investor: 'amazon',
        fate: 'pool',
        earmarked: '0.00',
        parts: [
          { part: 'rest', before: '20000000000.00', drawn: '10000000000.00', arrived: '0.00' },
          { part: 'amazon>openai', before: '0.00', drawn: '0.00', arrived: '10000000000.00' },
        ],
      },
    ]);
    expect(e.booked).toBeNull();
    const payerSide = await explain('direct-loop', 'openai', 'o2');
    expect(payerSide.transfer).toMatchObject({ payer: 'openai', payee: 'amazon' });
    expect(payerSide.returning.map((s) => s.amount)).toEqual(['1000000000.00']);
  });

  it('earmarked: the deal\'s stakes are drawn first, and --no-earmark turns that off', async () => {
    const on = await explain('direct-loop-earmarked', 'amazon', 'a2');
    expect(on.draw.earmark).toBe('AWS-2026');
    expect(on.booked).toMatchObject({ circular_pct: '100.00' });
    const off = await explain('direct-loop-earmarked', 'amazon', 'a2', ['--no-earmark']);
    expect(off.draw.earmark).toBe('');
    expect(off.booked).toMatchObject({ circular_pct: '25.00' });
  });

  it('an unknown --id is a usage error naming it', async () => {
    const result = await runCli(['audit', 'amazon', '--ledgers', ledgersOf('direct-loop'), '--id', 'zz9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('roundtrip: no row with id "zz9" in amazon\'s ledger\n');
    expect(result.stdout).toBe('');
  });
});

describe('usage', () => {
  it('an unknown company is exit 2 and lists the companies', async () => {
    const dir = ledgersOf('two-hop');
    const result = await runCli(['audit', 'google', '--ledgers', dir]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`roundtrip: unknown company "google": the ledgers in ${dir} hold nvidia, openai, oracle\n`);
  });

  it('a refused option prints nothing but the error (exit 2)', async () => {
    const dir = ledgersOf('two-hop');
    for (const args of [
      ['--format', 'xml'],
      ['--only', 'organic'],
      ['--id', 'n2', '--only', 'circular'],
    ]) {
      const result = await runCli(['audit', 'nvidia', '--ledgers', dir, ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout, args.join(' ')).toBe('');
    }
  });

  it('a company with no revenue in the period says so and exits 0', async () => {
    const result = await runCli(['audit', 'nvidia', '--ledgers', ledgersOf('two-hop'), '--period', '2025']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('nvidia booked no revenue in period 2025.');
    const json = await runCli(['audit', 'nvidia', '--ledgers', ledgersOf('two-hop'), '--period', '2025', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('roundtrip: nvidia booked no revenue in period 2025\n');
    expect(JSON.parse(json.stdout)).toMatchObject({ lines: [], categories: [], total: { booked: '0.00', circular_pct: '', rows: 0 } });
  });

  it('a month range is one listing (the union of its months); --period may not repeat', async () => {
    const dir = ledgersOf('periods');
    const range = JSON.parse((await runCli(['audit', 'amazon', '--ledgers', dir, '--period', '2026-01..2026-02', '--format', 'json'])).stdout) as AuditJson;
    const year = JSON.parse((await runCli(['audit', 'amazon', '--ledgers', dir, '--period', '2026', '--format', 'json'])).stdout) as AuditJson;
    expect(range.period).toBe('2026-01..2026-02');
    expect(range.lines).toEqual(year.lines);
    expect(range.total).toEqual(year.total);
    const twice = await runCli(['audit', 'amazon', '--ledgers', dir, '--period', '2026-01', '--period', '2026-02']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('audit takes one period');
  });

  it('--only circular lists the circular rows; totals still cover every row', async () => {
    const dir = ledgersOf('chain');
    const all = JSON.parse((await runCli(['audit', 'openai', '--ledgers', ledgersOf('direct-loop'), '--format', 'json'])).stdout) as AuditJson;
    expect(all.lines.length).toBe(1);
    const only = JSON.parse((await runCli(['audit', 'openai', '--ledgers', ledgersOf('direct-loop'), '--only', 'circular', '--format', 'json'])).stdout) as AuditJson;
    expect(only.lines).toEqual([]);
    expect(only.total).toEqual(all.total);
    const table = (await runCli(['audit', 'microsoft', '--ledgers', dir, '--only', 'circular'])).stdout;
    expect(table).toContain('Showing the 2 rows with circular money, of 2 (--only circular).');
  });
});

describe('colour', () => {
  const descriptor = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  const setTTY = (value: boolean): void => {
    Object.defineProperty(process.stdout, 'isTTY', { value, configurable: true, writable: true });
  };
  afterEach(() => {
    if (descriptor === undefined) delete (process.stdout as { isTTY?: boolean }).isTTY;
    else Object.defineProperty(process.stdout, 'isTTY', descriptor);
  });
  const ESC = '\u001b[';
  const list = ['audit', 'microsoft', '--ledgers', ledgersOf('chain')];
  const one = ['audit', 'nvidia', '--ledgers', ledgersOf('two-hop'), '--id', 'n2'];

  it('on a terminal without NO_COLOR: bold headings and dim stake lines', async () => {
    setTTY(true);
    const result = await runCli(list, { NO_COLOR: undefined });
    expect(result.stdout).toContain(`${ESC}1mmicrosoft: booked revenue, all dates${ESC}22m`);
    expect(result.stdout).toContain(`${ESC}2m`);
    expect((await runCli(one, { NO_COLOR: undefined })).stdout).toContain(ESC);
  });

  it('NO_COLOR set: no escape codes, even on a terminal', async () => {
    setTTY(true);
    for (const args of [list, one]) {
      const result = await runCli(args, { NO_COLOR: '1' });
      expect(result.stdout).not.toContain(ESC);
    }
  });

  it('not a terminal: no escape codes, and the same text', async () => {
    setTTY(false);
    const plain = await runCli(list, { NO_COLOR: undefined });
    expect(plain.stdout).not.toContain(ESC);
    expect((await runCli(one, { NO_COLOR: undefined })).stdout).not.toContain(ESC);
    setTTY(true);
    const coloured = await runCli(list, { NO_COLOR: undefined });
    // eslint-disable-next-line no-control-regex
    expect(coloured.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain.stdout);
  });

  it('follows no-color.org: an empty NO_COLOR does not disable colour', () => {
    expect(wantsColour(true, {})).toBe(true);
    expect(wantsColour(true, { NO_COLOR: '' })).toBe(true);
    expect(wantsColour(true, { NO_COLOR: '0' })).toBe(false);
    expect(wantsColour(false, {})).toBe(false);
    expect(wantsColour(undefined, {})).toBe(false);
  });
});
