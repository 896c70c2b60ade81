/**
 * exposure.csv and related parties (SPEC §9): the relation's edges (the day
 * of the investment, the primary row's date, a holding ended by 0, either
 * direction, a side never recorded), shares rounded half to even, holdings
 * read on the period's last day, and the plain lines the builder returns.
 * Expected figures worked out by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLedgers, type LedgerInput } from '../../src/load/load.js';
import { formatAmount } from '../../src/money/amount.js';
import { reconcileLedgers, reportFolders } from '../../src/pipeline.js';
import { exposureLines, largestCounterparties, periodEnd, Relations } from '../../src/report/exposure.js';
import { ALL, parsePeriods, type Period } from '../../src/report/period.js';
import { runCli } from '../support/helpers.js';
import { HEADER } from '../support/ledger-text.js';

const examples = join(import.meta.dirname, '..', 'fixtures', 'examples');

/** Ledger files (header added) and an optional ownership file, as loader inputs. */
function inputs(ledgers: Record<string, readonly string[]>, holdings?: readonly string[]): LedgerInput[] {
  const files = Object.entries(ledgers).map(([name, lines]) => ({ name, bytes: Buffer.from([HEADER, ...lines].join('\n') + '\n') }));
  if (holdings !== undefined) files.push({ name: '_ownership.csv', bytes: Buffer.from(['date,holder,held,percent', ...holdings].join('\n') + '\n') });
  return files;
}

/** exposure.csv's rows for one period, without the header, as plain text lines. */
function exposure(ledgers: Record<string, readonly string[]>, holdings: readonly string[] | undefined, period: Period = ALL): string[] {
  const rec = reconcileLedgers(loadLedgers(inputs(ledgers, holdings), 'ledgers'), { method: 'pro-rata', earmark: true });
  const latest = rec.ledgers.rows.reduce((max, r) => (r.day > max ? r.day : max), '');
  const lines = exposureLines(
    rec.revenue.filter((l) => period.contains(l.row.day)),
    rec.relations,
    new Set(rec.ledgers.companies),
    periodEnd(period, latest),
  );
  const money = (m: bigint): string => formatAmount(m, 2);
  return lines.map((l) => [l.company, l.counterparty, l.category, money(l.booked), money(l.organic), money(l.circular), money(l.related), l.sharePct, l.holdsPct, l.heldPct].join(','));
}

const month = (name: string): Period => parsePeriods([name])[0] as Period;

describe('related parties: an investment between them', () => {
  // Amazon invests $10 in OpenAI on 10 Jan at 15:00 (both sides recorded); OpenAI buys AWS around it.
  const ledgers = {
    'amazon.csv': [
      'a0,2026-01-01,in,opening,other,,100.00,USD,,,',
      'a1,2026-01-10T15:00,out,openai,investment,,10.00,USD,INV,,',
      'a2,2026-01-09,in,openai,revenue,cloud,1.00,USD,R1,,day before the investment',
      'a3,2026-01-10T09:00,in,openai,revenue,cloud,2.00,USD,R2,,same day but earlier',
      'a4,2026-01-11,in,openai,revenue,cloud,4.00,USD,R3,,day after',
      'a5,2026-01-12,out,openai,purchase,api,3.00,USD,R4,,Amazon buys from OpenAI',
    ],
    'openai.csv': [
      'o0,2026-01-01,in,opening,other,,100.00,USD,,,',
      'o1,2026-01-10T15:00,in,amazon,investment,,10.00,USD,INV,,',
      'o2,2026-01-09,out,amazon,purchase,cloud,1.00,USD,R1,,',
      'o3,2026-01-10T09:00,out,amazon,purchase,cloud,2.00,USD,R2,,',
      'o4,2026-01-11,out,amazon,purchase,cloud,4.00,USD,R3,,',
      'o5,2026-01-12,in,amazon,revenue,api,3.00,USD,R4,,',
    ],
  };

  it('from the day of the investment\'s primary row, whatever the hour; in either direction', () => {
    // a2 (9 Jan) is not related; a3 (10 Jan, 09:00, before the 15:00 investment) and a4 are: $6 of $7.
    // OpenAI's revenue from Amazon (the investor) is related too. Circular: a4's $4 drawn pro rata from
    // $97 of rest and $10 of Amazon's stake: allocate(400, [9700, 1000]) = [363, 37] cents.
    expect(exposure(ledgers, undefined)).toEqual(['amazon,openai,cloud,7.00,6.63,0.37,6.00,100.00,,', 'openai,amazon,api,3.00,3.00,0.00,3.00,100.00,,']);
  });

  it('counts the payer\'s row date (SPEC §3.2 primary row), not the payee\'s, when the two differ', () => {
    const mismatch = {
      'nvidia.csv': ['n0,2026-02-01,in,opening,other,,100.00,USD,,,', 'n1,2026-02-10,out,oracle,investment,,5.00,USD,INV,,', 'n2,2026-02-05,in,oracle,revenue,chips,1.00,USD,C1,,', 'n3,2026-02-10,in,oracle,revenue,chips,2.00,USD,C2,,'],
      // Oracle dates its side of the investment 1 Feb (a date_mismatch): the relation still starts on 10 Feb.
      'oracle.csv': ['r0,2026-02-01,in,opening,other,,100.00,USD,,,', 'r1,2026-02-01,in,nvidia,investment,,5.00,USD,INV,,', 'r2,2026-02-05,out,nvidia,purchase,chips,1.00,USD,C1,,', 'r3,2026-02-10,out,nvidia,purchase,chips,2.00,USD,C2,,'],
    };
    expect(exposure(mismatch, undefined).map((l) => l.split(',').slice(0, 7).join(','))).toEqual(['nvidia,oracle,chips,3.00,2.90,0.10,2.00']);
  });

  it('an investment whose payer recorded nothing still relates them (the payer\'s kind is the complement of the payee\'s)', () => {
    const oneSide = {
      'nvidia.csv': ['n0,2026-01-01,in,opening,other,,100.00,USD,,,', 'n1,2026-01-06,in,openai,revenue,chips,1.00,USD,C1,,'],
      'openai.csv': ['o0,2026-01-01,in,opening,other,,100.00,USD,,,', 'o1,2026-01-05,in,nvidia,investment,,5.00,USD,INV,,unmatched', 'o2,2026-01-06,out,nvidia,purchase,chips,1.00,USD,C1,,'],
    };
    expect(exposure(oneSide, undefined)).toEqual(['nvidia,openai,chips,1.00,0.95,0.05,1.00,100.00,,']);
  });

  it('a purchase, or an investment with an external party, relates nobody', () => {
    const rec = reconcileLedgers(loadLedgers(inputs(ledgers), 'ledgers'), { method: 'pro-rata', earmark: true });
    const relations = new Relations(undefined, rec.matched.transfers.filter((t) => t.payerKind !== 'investment'));
    expect(relations.related('amazon', 'openai', '2026-12-31')).toBe(false);
    expect(rec.relations.related('amazon', 'opening', '2026-12-31')).toBe(false);
    expect(rec.relations.related('openai', 'amazon', '2026-01-10')).toBe(true);
    expect(rec.relations.related('openai', 'amazon', '2026-01-09')).toBe(false);
    expect(rec.relations.reason('amazon', 'openai', '2026-01-10')).toBe('investment between them since 2026-01-10');
  });
});

describe('related parties: declared holdings', () => {
  // Microsoft holds 10% of CoreWeave from 1 Jan 2026 until the 0 row of 1 Mar; they trade both ways.
  const ledgers = {
    'coreweave.csv': [
      'c0,2026-01-01,in,opening,other,,100.00,USD,,,',
      'c1,2026-02-15,in,microsoft,revenue,cloud,8.00,USD,M1,,',
      'c2,2026-03-01,in,microsoft,revenue,cloud,2.00,USD,M2,,the day the holding ends',
      'c3,2026-02-20,out,microsoft,purchase,software,1.00,USD,S1,,',
      'c4,2026-03-05,in,gpu-customers,revenue,cloud,10.00,USD,,,',
    ],
    'microsoft.csv': [
      'm0,2026-01-01,in,opening,other,,100.00,USD,,,',
      'm1,2026-02-15,out,coreweave,purchase,cloud,8.00,USD,M1,,',
      'm2,2026-03-01,out,coreweave,purchase,cloud,2.00,USD,M2,,',
      'm3,2026-02-20,in,coreweave,revenue,software,1.00,USD,S1,,',
    ],
  };
  const holdings = ['2026-01-01,microsoft,coreweave,10.00', '2026-03-01,microsoft,coreweave,0'];

  it('a positive percent either way relates them; 0 ends it on its day', () => {
    expect(exposure(ledgers, holdings, month('2026-02'))).toEqual(['coreweave,microsoft,cloud,8.00,8.00,0.00,8.00,100.00,,10.00', 'microsoft,coreweave,software,1.00,1.00,0.00,1.00,100.00,10.00,']);
    // March: the holding ended on 1 Mar, so c2 is not related and nothing is held on 31 Mar.
    expect(exposure(ledgers, holdings, month('2026-03'))).toEqual(['coreweave,gpu-customers,cloud,10.00,10.00,0.00,0.00,83.33,,', 'coreweave,microsoft,cloud,2.00,2.00,0.00,0.00,16.67,,']);
    // The whole run: related $8 of CoreWeave's $10 from Microsoft; nothing held on the last day (5 Mar).
    expect(exposure(ledgers, holdings)).toEqual([
      'coreweave,gpu-customers,cloud,10.00,10.00,0.00,0.00,50.00,,',
      'coreweave,microsoft,cloud,10.00,10.00,0.00,8.00,50.00,,',
      'microsoft,coreweave,software,1.00,1.00,0.00,1.00,100.00,,',
    ]);
  });

  it('a later row replaces the percent; holdings are read on the period\'s last day', () => {
    const changed = ['2026-01-01,microsoft,coreweave,10.00', '2026-02-28,microsoft,coreweave,12.5', '2026-03-02,coreweave,microsoft,0.01'];
    // 28 Feb is February's last day (2026 is no leap year): read there, 12.50.
    expect(exposure(ledgers, changed, month('2026-02'))[0]).toBe('coreweave,microsoft,cloud,8.00,8.00,0.00,8.00,100.00,,12.50');
    // On 31 Mar each holds a part of the other.
    expect(exposure(ledgers, changed, month('2026-03'))[1]).toBe('coreweave,microsoft,cloud,2.00,2.00,0.00,2.00,16.67,0.01,12.50');
    // A holding starting after the run's latest row (5 Mar) is not read for `all`.
    expect(exposure(ledgers, ['2026-03-06,microsoft,coreweave,5'])[1]).toBe('coreweave,microsoft,cloud,10.00,10.00,0.00,0.00,50.00,,');
    expect(exposure(ledgers, ['2026-03-05,microsoft,coreweave,5'])[1]).toBe('coreweave,microsoft,cloud,10.00,10.00,0.00,0.00,50.00,,5.00');
  });

  it('period ends: a month (leap years), a year, and all (the latest row of the run)', () => {
    expect(periodEnd(month('2024-02'), '')).toBe('2024-02-29');
    expect(periodEnd(month('2100-02'), '')).toBe('2100-02-28');
    expect(periodEnd(month('2026-04'), '')).toBe('2026-04-30');
    expect(periodEnd(month('2026-12'), '')).toBe('2026-12-31');
    expect(periodEnd(month('2026'), '')).toBe('2026-12-31');
    expect(periodEnd(ALL, '2026-03-05')).toBe('2026-03-05');
  });

  it('hundredths and reasons in both directions', () => {
    const rec = reconcileLedgers(loadLedgers(inputs(ledgers, holdings), 'ledgers'), { method: 'pro-rata', earmark: true });
    expect(rec.relations.hundredths('microsoft', 'coreweave', '2026-02-28')).toBe(1000);
    expect(rec.relations.hundredths('coreweave', 'microsoft', '2026-02-28')).toBe(0);
    expect(rec.relations.hundredths('microsoft', 'coreweave', '2025-12-31')).toBe(0);
    expect(rec.relations.reason('coreweave', 'microsoft', '2026-02-15')).toBe('microsoft holds 10.00% of coreweave');
    expect(rec.relations.reason('coreweave', 'microsoft', '2026-03-01')).toBe('');
  });
});

describe('exposure lines', () => {
  it('share_pct is rounded half to even; lines sort by company, counterparty, category in code units', () => {
    const ledgers = {
      'amd.csv': [
        'd0,2026-01-01,in,opening,other,,1.00,USD,,,',
        'd1,2026-01-02,in,acme,revenue,chips,0.01,USD,,,',
        'd2,2026-01-03,in,Zeta,revenue,chips,7.98,USD,,,',
        'd3,2026-01-04,in,acme,revenue,boards,0.01,USD,,,',
      ],
    };
    // $8.00 in all: 1/800 = 0.125% → 0.12 (even), 798/800 = 99.75%; 'Zeta' sorts before 'acme'; 'boards' before 'chips'.
    expect(exposure(ledgers, undefined)).toEqual(['amd,Zeta,chips,7.98,7.98,0.00,0.00,99.75,,', 'amd,acme,boards,0.01,0.01,0.00,0.00,0.12,,', 'amd,acme,chips,0.01,0.01,0.00,0.00,0.12,,']);
    const odd = { 'amd.csv': ['d1,2026-01-02,in,acme,revenue,chips,0.03,USD,,,', 'd2,2026-01-03,in,beta,revenue,chips,7.97,USD,,,'] };
    // 3/800 = 0.375% → 0.38 (up to even); 797/800 = 99.625% → 99.62.
    expect(exposure(odd, undefined).map((l) => l.split(',')[7])).toEqual(['0.38', '99.62']);
  });

  it('is written with the other reports, text columns guarded against formulas', () => {
    const rec = reconcileLedgers(loadLedgers(inputs({ 'amd.csv': ['d1,2026-01-02,in,=HYPERLINK(1),revenue,chips,0.03,USD,,,'] }), 'ledgers'), { method: 'pro-rata', earmark: true });
    const folder = reportFolders(rec, [ALL], { bom: false }).folders[0];
    expect(folder?.files.get('exposure.csv')).toBe(
      "company,counterparty,category,booked,organic,circular,related,share_pct,holds_pct,held_pct\r\namd,'=HYPERLINK(1),chips,0.03,0.03,0.00,0.00,100.00,,\r\n",
    );
  });

  it('returns plain data: bigints and strings, the company\'s booked total and the row count', () => {
    const rec = reconcileLedgers(loadLedgers(inputs({ 'amd.csv': ['d1,2026-01-02,in,acme,revenue,chips,0.03,USD,,,', 'd2,2026-01-05,in,acme,revenue,chips,1.00,USD,,,'] }), 'ledgers'), { method: 'pro-rata', earmark: true });
    expect(exposureLines(rec.revenue, rec.relations, new Set(['amd']), '2026-01-05')).toEqual([
      { company: 'amd', counterparty: 'acme', category: 'chips', booked: 103n, organic: 103n, circular: 0n, related: 0n, companyBooked: 103n, sharePct: '100.00', holdsPct: '', heldPct: '', rows: 2 },
    ]);
    expect(exposureLines([], rec.relations, new Set(['amd']), '')).toEqual([]);
  });

  it('largest counterparty: categories summed, ties to the first by code units, the largest ledger company added when the largest is external', () => {
    const line = (company: string, counterparty: string, category: string, booked: bigint, companyBooked: bigint) => ({
      company, counterparty, category, booked, organic: booked, circular: 0n, related: 0n, companyBooked, sharePct: '', holdsPct: '', heldPct: '', rows: 1,
    });
    const tops = largestCounterparties(
      [
        line('a', 'b', 'x', 30n, 100n),
        line('a', 'b', 'y', 30n, 100n),
        line('a', 'ext', 'x', 40n, 100n),
        line('b', 'a', 'x', 5n, 10n),
        line('b', 'c', 'x', 5n, 10n),
      ],
      new Set(['a', 'b', 'c']),
    );
    expect(tops.map((t) => [t.company, t.counterparty, t.rank, t.booked, t.sharePct])).toEqual([
      ['a', 'b', 'largest', 60n, '60.00'],
      ['b', 'a', 'largest', 5n, '50.00'],
    ]);
    const external = largestCounterparties([line('a', 'b', 'x', 30n, 100n), line('a', 'ext', 'x', 70n, 100n)], new Set(['a', 'b']));
    expect(external.map((t) => [t.counterparty, t.rank, t.sharePct])).toEqual([
      ['ext', 'largest', '70.00'],
      ['b', 'largest-company', '30.00'],
    ]);
  });
});

describe('the exposure example through the commands', () => {
  const ledgers = join(examples, 'exposure', 'ledgers');

  it('run prints each company\'s largest counterparty below the summary', async () => {
    const out = mkdtempSync(join(tmpdir(), 'roundtrip-exposure-'));
    const result = await runCli(['run', '--ledgers', ledgers, '--out', out, '--period', '2025']);
    rmSync(out, { recursive: true, force: true });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(8).join('\n')).toBe(
      [
        "Largest counterparty of each company, then its largest ledger company when that is another (share of the company's booked revenue; all in exposure.csv):",
        'company    counterparty                                   booked  share %  circular           related',
        '---------  ----------------------------------  -----------------  -------  --------  ----------------',
        'coreweave  microsoft                            2,000,000,000.00    40.00      0.00              0.00',
        'microsoft  azure-customers                      9,000,000,000.00    56.25      0.00              0.00',
        '           openai (largest ledger company)      7,000,000,000.00    43.75      0.00  7,000,000,000.00',
        'nvidia     other-chip-buyers                   37,500,000,000.00    93.75      0.00              0.00',
        '           coreweave (largest ledger company)   1,500,000,000.00     3.75      0.00  1,500,000,000.00',
        'openai     chatgpt-subscribers                  6,000,000,000.00   100.00      0.00              0.00',
        '',
      ].join('\n'),
    );
  });

  it('audit marks the related-party rows, with the reason, in json and in the table', async () => {
    const json = JSON.parse((await runCli(['audit', 'nvidia', '--ledgers', ledgers, '--format', 'json'])).stdout) as { lines: { id: string; related: boolean; related_because: string }[] };
    expect(json.lines.map((l) => [l.id, l.related, l.related_because])).toEqual([
      ['nv-02', true, 'nvidia holds 7.00% of coreweave'],
      ['nv-03', false, ''],
      ['nv-04', false, ''],
      ['nv-07', true, 'investment between them since 2025-10-01'],
      ['nv-08', true, 'nvidia holds 7.00% of coreweave'],
      ['nv-09', false, ''],
    ]);
    const table = (await runCli(['audit', 'coreweave', '--ledgers', ledgers, '--period', '2025'])).stdout;
    expect(table).toContain('unused capacity backstop\n            related party: nvidia holds 7.00% of coreweave\n');
    const csv = (await runCli(['audit', 'microsoft', '--ledgers', ledgers, '--format', 'csv', '--no-bom'])).stdout.split('\r\n');
    expect(csv[0]?.split(',').slice(11, 15)).toEqual(['matched', 'payer_kind', 'related', 'related_because']);
    expect(csv.filter((l) => l.startsWith('revenue,')).map((l) => l.split(',').slice(2, 3).concat(l.split(',').slice(13, 15)))).toEqual([
      ['ms-02', 'yes', 'microsoft holds 49.00% of openai'],
      ['ms-03', 'no', ''],
      ['ms-05', 'yes', 'microsoft holds 27.00% of openai'],
      ['ms-06', 'yes', 'microsoft holds 27.00% of openai'],
      ['ms-08', 'no', ''],
    ]);
  });
});
