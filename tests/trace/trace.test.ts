/** SPEC §3 tracing on small hand-computed cases the shared examples do not cover. */
import { describe, expect, it } from 'vitest';
import { reconcileLedgers, reportFolders } from '../../src/pipeline.js';
import { ALL } from '../../src/report/period.js';
import type { Method } from '../../src/trace/methods.js';
import { ledgersOf } from '../support/ledger-text.js';

/** Runs the pipeline and returns the report CSVs without BOM, rows as lines (header dropped). */
function reports(files: Record<string, readonly string[]>, method: Method = 'pro-rata', earmark = true) {
  const rec = reconcileLedgers(ledgersOf(files), { method, earmark });
  const folder = reportFolders(rec, [ALL], { bom: false }).folders[0];
  const rows = (name: string): string[] => (folder?.files.get(name) ?? '').split('\r\n').slice(1, -1);
  return { rec, summary: rows('summary.csv'), revenue: rows('revenue.csv'), circular: rows('circular.csv'), exceptions: rows('exceptions.csv') };
}

describe('a side that was never recorded (SPEC §2, §7)', () => {
  it('traces a purchase the payee never booked: nothing booked, the returning stake still listed with an empty id', () => {
    const r = reports({
      'amazon.csv': ['a0,2026-01-01,in,opening,other,,100.00,USD,,,', 'a1,2026-01-10,out,openai,investment,,10.00,USD,INV-1,,'],
      'openai.csv': [
        'o0,2026-01-05,in,customers,revenue,api,30.00,USD,,,',
        'o1,2026-01-10,in,amazon,investment,,10.00,USD,INV-1,,',
        'o2,2026-01-20,out,amazon,purchase,cloud,4.00,USD,AWS-9,,never booked by amazon',
      ],
    });
    // OpenAI holds 30 rest + 10 amazon>openai: 4 is 3 rest + 1 Amazon's.
    expect(r.circular).toEqual(['amazon,,2026-01-20,revenue,openai,cloud,openai,,direct,1.00,openai.csv:4']);
    expect(r.revenue).toEqual(['openai,o0,2026-01-05,customers,api,30.00,30.00,0.00,0.00,external,,openai.csv:2']);
    expect(r.exceptions).toEqual([`unmatched,openai,o2,2026-01-20,amazon,4.00,,,"no mirror with ref ""AWS-9"" in amazon's ledger",openai.csv:4`]);
    const amazon = r.rec.traced.books.get('amazon');
    expect([amazon?.received, amazon?.paid, amazon?.balance]).toEqual([10400n, 1000n, 9400n]);
  });

  it('traces a receipt whose payer recorded nothing as drawn from the payer, with the payee row cited', () => {
    const r = reports({
      'amazon.csv': ['a0,2026-01-01,in,opening,other,,100.00,USD,,,', 'a1,2026-01-10,out,openai,investment,,10.00,USD,INV-1,,', 'a2,2026-01-20,in,openai,revenue,cloud,4.00,USD,AWS-1,,'],
      'openai.csv': ['o0,2026-01-05,in,customers,revenue,api,30.00,USD,,,', 'o1,2026-01-10,in,amazon,investment,,10.00,USD,INV-1,,'],
    });
    expect(r.revenue[0]).toBe('amazon,a2,2026-01-20,openai,cloud,4.00,3.00,1.00,25.00,no,,amazon.csv:4');
    expect(r.circular).toEqual(['amazon,a2,2026-01-20,revenue,openai,cloud,openai,,direct,1.00,amazon.csv:4']);
  });
});

describe('returning money that is not revenue', () => {
  it('closes the loop of an investment coming back: listed in circular.csv, not in revenue.csv', () => {
    const r = reports({
      'amazon.csv': ['a0,2026-01-01,in,opening,other,,100.00,USD,,,', 'a1,2026-01-10,out,openai,investment,,10.00,USD,INV-1,,', 'a2,2026-02-01,in,openai,investment,,4.00,USD,INV-2,,'],
      'openai.csv': ['o0,2026-01-05,in,customers,revenue,api,30.00,USD,,,', 'o1,2026-01-10,in,amazon,investment,,10.00,USD,INV-1,,', 'o2,2026-02-01,out,amazon,investment,,4.00,USD,INV-2,,'],
    });
    expect(r.circular).toEqual(['amazon,a2,2026-02-01,investment,openai,,openai,,direct,1.00,amazon.csv:4']);
    expect(r.revenue).toEqual(['openai,o0,2026-01-05,customers,api,30.00,30.00,0.00,0.00,external,,openai.csv:2']);
    // OpenAI's new stake in Amazon's pool: 4.00, and Amazon's view no longer holds the returned 1.00.
    expect(r.rec.traced.origins.get('openai>amazon')?.map((t) => t.payerRow?.id)).toEqual(['o2']);
  });
});

describe('unfunded outflows (SPEC §3.2 step 1)', () => {
  it('draws the whole pool in every view and takes the uncovered part as rest, reported with both figures', () => {
    const r = reports({
      'amazon.csv': ['a0,2026-01-01,in,opening,other,,100.00,USD,,,', 'a1,2026-01-02,out,tinylab,investment,,10.00,USD,S-1,,', 'a2,2026-01-03,in,tinylab,revenue,cloud,15.00,USD,C-1,,'],
      'tinylab.csv': ['t1,2026-01-02,in,amazon,investment,,10.00,USD,S-1,,', 't2,2026-01-03,out,amazon,purchase,cloud,15.00,USD,C-1,,'],
    });
    expect(r.revenue).toEqual(['amazon,a2,2026-01-03,tinylab,cloud,15.00,5.00,10.00,66.67,yes,purchase,amazon.csv:4']);
    expect(r.exceptions).toEqual(['unfunded,tinylab,t2,2026-01-03,amazon,5.00,a2,15.00,outflow 15.00 exceeds traced balance 10.00,tinylab.csv:3']);
    const tiny = r.rec.traced.books.get('tinylab');
    expect([tiny?.received, tiny?.paid, tiny?.unfunded, tiny?.balance]).toEqual([1000n, 1500n, 500n, 0n]);
  });

  it('names the payer with an empty id and the payee row when the payer recorded nothing', () => {
    const r = reports({
      'amazon.csv': ['a2,2026-01-03,in,tinylab,revenue,cloud,15.00,USD,C-1,,'],
      'tinylab.csv': ['t0,2026-01-01,in,opening,other,,6.00,USD,,,'],
    });
    // sorted by company: amazon's unmatched row, then tinylab's unfunded one
    expect(r.exceptions).toEqual([
      `unmatched,amazon,a2,2026-01-03,tinylab,15.00,,,"no mirror with ref ""C-1"" in tinylab's ledger",amazon.csv:2`,
      `unfunded,tinylab,,2026-01-03,amazon,9.00,a2,15.00,outflow 15.00 exceeds traced balance 6.00,amazon.csv:2`,
    ]);
  });
});

describe('same-moment ordering (SPEC §3.2)', () => {
  it('breaks a cycle of same-day payments by key: the first by (company, row order) goes first', () => {
    const r = reports({
      'amazon.csv': ['a0,2026-01-01,in,opening,other,,100.00,USD,,,', 'a1,2026-01-01,out,openai,investment,,10.00,USD,INV,,', 'a2,2026-01-02,out,openai,purchase,api,5.00,USD,API,,', 'a3,2026-01-02,in,openai,revenue,cloud,10.00,USD,AWS,,'],
      'openai.csv': ['o1,2026-01-01,in,amazon,investment,,10.00,USD,INV,,', 'o2,2026-01-02,in,amazon,revenue,api,5.00,USD,API,,', 'o3,2026-01-02,out,amazon,purchase,cloud,10.00,USD,AWS,,'],
    });
    // Both payers wait on a receipt of the same day: a cycle, so amazon's payment (first by key) goes
    // first. OpenAI then holds 5.00 rest + 10.00 Amazon's: allocate(1000, [500, 1000]) = [333, 667].
    expect(r.revenue).toContain('amazon,a3,2026-01-02,openai,cloud,10.00,3.33,6.67,66.70,yes,purchase,amazon.csv:5');
  });
});

describe('views are independent (SPEC §3.1)', () => {
  it('carries one dollar as two investors\' stakes at once and books each return to its own investor', () => {
    // Microsoft invests 10 in OpenAI (OpenAI has nothing else); OpenAI invests all 10 in CoreWeave (10 of its own).
    // CoreWeave pays OpenAI 4 (software) and Microsoft 4 (cloud), pro-rata from 20: each 2 stake + 2 rest in both views.
    const r = reports({
      'coreweave.csv': ['c0,2026-01-01,in,customers,revenue,cloud,10.00,USD,,,', 'c1,2026-01-03,in,openai,investment,,10.00,USD,OC,,', 'c2,2026-01-04,out,openai,purchase,software,4.00,USD,L1,,', 'c3,2026-01-05,out,microsoft,purchase,cloud,4.00,USD,Z1,,'],
      'microsoft.csv': ['m0,2026-01-01,in,opening,other,,100.00,USD,,,', 'm1,2026-01-02,out,openai,investment,,10.00,USD,MO,,', 'm2,2026-01-05,in,coreweave,revenue,cloud,4.00,USD,Z1,,'],
      'openai.csv': ['o1,2026-01-02,in,microsoft,investment,,10.00,USD,MO,,', 'o2,2026-01-03,out,coreweave,investment,,10.00,USD,OC,,', 'o3,2026-01-04,in,coreweave,revenue,software,4.00,USD,L1,,'],
    });
    // After c2, CoreWeave holds 16: Microsoft's view 8 of microsoft>openai (10 - 2), OpenAI's view 8 openai>coreweave.
    // c3 draws 4 of 16: 2 Microsoft's (indirect: investee openai, payer coreweave).
    expect(r.circular).toEqual([
      'microsoft,m2,2026-01-05,revenue,coreweave,cloud,openai,,indirect,2.00,microsoft.csv:4',
      'openai,o3,2026-01-04,revenue,coreweave,software,coreweave,,direct,2.00,openai.csv:4',
    ]);
  });
});
