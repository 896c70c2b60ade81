/** SPEC §2: every path of matching and every exception it finds. */
import { describe, expect, it } from 'vitest';
import { matchTransfers } from '../../src/match/match.js';
import type { Exception, Transfer } from '../../src/model.js';
import { ledgersOf } from '../support/ledger-text.js';

function summary(e: Exception): string {
  return [e.code, e.company, e.id, e.row.date, e.counterparty, String(e.amount), e.counterpartyRow?.id ?? '', e.detail].join('|');
}

function pairs(transfers: readonly Transfer[]): string[] {
  return transfers.map((t) => `${t.payerRow?.id ?? '-'}>${t.payeeRow?.id ?? '-'}:${t.matched}`);
}

describe('matching by ref', () => {
  it('pairs the rows sharing a ref, whatever their dates and amounts, and reports each mismatch on the payer row', () => {
    const { transfers, exceptions } = matchTransfers(
      ledgersOf({
        'amazon.csv': ['a1,2026-02-11,in,openai,revenue,chips,410.00,USD,AWS-2,,'],
        'openai.csv': ['o1,2026-02-10,out,amazon,purchase,cloud,400.00,USD,AWS-2,,'],
      }),
    );
    expect(pairs(transfers)).toEqual(['o1>a1:yes']);
    const t = transfers[0] as Transfer;
    expect([t.a, t.b, t.payerKind, t.payeeKind, t.primary.id]).toEqual([40000n, 41000n, 'purchase', 'revenue', 'o1']);
    expect(exceptions.map(summary)).toEqual([
      'amount_mismatch|openai|o1|2026-02-10|amazon|40000|a1|payer 400.00 vs payee 410.00',
      'date_mismatch|openai|o1|2026-02-10|amazon|40000|a1|payer 2026-02-10 vs payee 2026-02-11',
      'category_mismatch|openai|o1|2026-02-10|amazon|40000|a1|payer cloud vs payee chips',
    ]);
  });

  it('reports a payer calling it an investment while the payee books revenue (kind_mismatch)', () => {
    const { exceptions } = matchTransfers(
      ledgersOf({
        'coreweave.csv': ['c1,2026-03-10,in,nvidia,revenue,cloud,500.00,USD,CW-9,,'],
        'nvidia.csv': ['n1,2026-03-10,out,coreweave,investment,,500.00,USD,CW-9,,'],
      }),
    );
    expect(exceptions.map(summary)).toEqual(['kind_mismatch|nvidia|n1|2026-03-10|coreweave|50000|c1|payer investment vs payee revenue']);
  });

  it('never falls back when a ref has no mirror: the row is unmatched and traced on its own', () => {
    const { transfers, exceptions } = matchTransfers(
      ledgersOf({
        'oracle.csv': ['r1,2026-03-25,in,openai,revenue,cloud,300.00,USD,ORCL-77,,'],
        'openai.csv': ['o1,2026-03-25,out,oracle,purchase,cloud,300.00,USD,ORCL-78,,'],
      }),
    );
    expect(pairs(transfers)).toEqual(['o1>-:no', '->r1:no']);
    expect(exceptions.map(summary)).toEqual([
      `unmatched|openai|o1|2026-03-25|oracle|30000||no mirror with ref "ORCL-78" in oracle's ledger`,
      `unmatched|oracle|r1|2026-03-25|openai|30000||no mirror with ref "ORCL-77" in openai's ledger`,
    ]);
    const missingPayer = transfers[1] as Transfer;
    expect([missingPayer.payer, missingPayer.payerKind, missingPayer.primary.id, missingPayer.a]).toEqual(['openai', 'purchase', 'r1', 30000n]);
  });

  it('a ref on one side only never pairs with a row without one (SPEC §7): both unmatched', () => {
    const { transfers, exceptions } = matchTransfers(
      ledgersOf({
        'amazon.csv': ['a1,2026-01-20,in,openai,revenue,cloud,4.00,USD,AWS-1,,'],
        'openai.csv': ['o1,2026-01-20,out,amazon,purchase,cloud,4.00,USD,,,'],
      }),
    );
    expect(pairs(transfers)).toEqual(['->a1:no', 'o1>-:no']);
    expect(exceptions.map((e) => e.code)).toEqual(['unmatched', 'unmatched']);
  });
});

describe('matching without a ref', () => {
  it('pairs the k-th payer row with the k-th candidate of the same date part, amount and complementary kind', () => {
    const { transfers, exceptions } = matchTransfers(
      ledgersOf({
        'amazon.csv': [
          'a1,2026-01-20T09:00,in,openai,revenue,cloud,4.00,USD,,,first',
          'a2,2026-01-20,in,openai,revenue,cloud,4.0,USD,,,second',
          'a3,2026-01-20,in,openai,other,,4.00,USD,,,a refund: other',
          'a4,2026-01-21,in,openai,revenue,cloud,4.00,USD,,,next day',
        ],
        'openai.csv': [
          'o1,2026-01-20,out,amazon,purchase,cloud,4.00,USD,,,',
          'o2,2026-01-20,out,amazon,other,,4.00,USD,,,',
          'o3,2026-01-20T18:00,out,amazon,purchase,cloud,4.00,USD,,,',
          'o4,2026-01-20,out,amazon,purchase,cloud,4.00,USD,,,third purchase: no candidate left',
        ],
      }),
    );
    expect(new Set(pairs(transfers))).toEqual(new Set(['o1>a1:yes', 'o3>a2:yes', 'o2>a3:yes', 'o4>-:no', '->a4:no']));
    expect(exceptions.map((e) => `${e.code}:${e.id}`).sort()).toEqual(['unmatched:a4', 'unmatched:o4']);
  });

  it('compares amounts by value (100.5 equals 100.50) and matches investment with investment only', () => {
    const { transfers } = matchTransfers(
      ledgersOf({
        'amazon.csv': ['a1,2026-01-10,out,openai,investment,,100.5,USD,,,', 'a2,2026-01-10,out,openai,investment,,7.00,USD,,,'],
        'openai.csv': ['o1,2026-01-10,in,amazon,investment,,100.50,USD,,,', 'o2,2026-01-10,in,amazon,other,,7.00,USD,,,'],
      }),
    );
    expect(new Set(pairs(transfers))).toEqual(new Set(['a1>o1:yes', 'a2>-:no', '->o2:no']));
  });
});

describe('external rows and lookalikes', () => {
  it('makes a transfer with an external party of every row whose counterparty is not a company', () => {
    const { transfers, exceptions } = matchTransfers(
      ledgersOf({ 'amazon.csv': ['a0,2026-01-01,in,opening,other,,5.00,USD,,,', 'a1,2026-01-02,out,payroll,other,,1.00,USD,,D-1,'] }),
    );
    expect(transfers.map((t) => `${t.payer}>${t.payee}:${t.matched}:${t.earmark}`)).toEqual(['opening>amazon:external:', 'amazon>payroll:external:D-1']);
    expect(exceptions).toEqual([]);
  });

  it('flags an external name equal after normalising, or one edit from an id of 5+ characters, once per company and name', () => {
    const { exceptions } = matchTransfers(
      ledgersOf({
        'amazon.csv': [
          'a1,2026-03-05,in,Open AI,revenue,cloud,1.00,USD,,,',
          'a2,2026-03-06,in,Open AI,revenue,cloud,1.00,USD,,,second row: no second exception',
          'a3,2026-03-07,in,OPEN_AI,revenue,cloud,1.00,USD,,,',
          'a4,2026-03-08,in,Amazon,revenue,cloud,1.00,USD,,,its own name',
          'a5,2026-03-09,in,amf,revenue,cloud,1.00,USD,,,one edit from amd but amd is short',
          'a6,2026-03-10,in,AMD,revenue,chips,1.00,USD,,,',
          'a7,2026-03-11,in,opnai,revenue,cloud,1.00,USD,,,',
        ],
        'amd.csv': [],
        'openai.csv': [],
      }),
    );
    expect(exceptions.map((e) => `${e.id}:${e.detail}`)).toEqual([
      'a1:external counterparty "Open AI" looks like company "openai"',
      'a3:external counterparty "OPEN_AI" looks like company "openai"',
      'a4:external counterparty "Amazon" looks like company "amazon"',
      'a6:external counterparty "AMD" looks like company "amd"',
      'a7:external counterparty "opnai" looks like company "openai"',
    ]);
  });
});
