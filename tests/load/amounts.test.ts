/**
 * Issue 5, "Huge and tiny amounts": 15-digit amounts with cents through an
 * investment and purchase loop, zero- and three-decimal currencies, and
 * one-cent parcels split thousands of times, all exact. Every expected figure
 * is derived by hand in the comments (SPEC §3.1 allocate, §3.2, §3.4).
 */
import { describe, expect, it } from 'vitest';
import { RoundtripError } from '../../src/errors.js';
import { loadLedgers } from '../../src/load/load.js';
import { METHODS, type Method, minorOf, reportRows, runReports } from '../support/pipeline.js';
import { HEADER } from '../support/ledger-text.js';

const encoder = new TextEncoder();

/** Ledger files from rows written as CSV lines (no field needs quoting here). */
function ledgers(files: Record<string, readonly string[]>): { name: string; bytes: Uint8Array }[] {
  return Object.entries(files).map(([name, lines]) => ({ name, bytes: encoder.encode(`${[HEADER, ...lines].join('\n')}\n`) }));
}

const BOM = '\uFEFF';
const csv = (lines: readonly string[]): string => `${BOM}${lines.join('\r\n')}\r\n`;

describe('15-digit amounts with cents', () => {
  // X = 999999999999999.99, the largest amount a ledger may hold in USD: 99999999999999999 cents
  // (17 digits; X·X needs 34 digits, far beyond 2^53 and 20 significant digits).
  const X = '999999999999999.99';
  const files = ledgers({
    'vendor.csv': [
      `V1,2026-01-01,in,opening,other,,${X},USD,,,`,
      `V2,2026-01-02,out,lab,investment,,${X},USD,INV,,`,
      `V3,2026-01-03,in,lab,revenue,cloud,${X},USD,BUY1,,`,
      `V4,2026-01-04,in,lab,revenue,cloud,${X},USD,BUY2,,`,
      `V5,2026-01-05,in,customers,revenue,cloud,${X},USD,,,`,
      `V6,2026-01-06,in,customers,revenue,cloud,${X},USD,,,`,
    ],
    'lab.csv': [
      `L1,2026-01-01,in,opening,other,,${X},USD,,,`,
      `L2,2026-01-02,in,vendor,investment,,${X},USD,INV,,`,
      `L3,2026-01-03,out,vendor,purchase,cloud,${X},USD,BUY1,,`,
      // The lab pays one cent less than the vendor books: amount_mismatch, and the money in motion is rescaled.
      `L4,2026-01-04,out,vendor,purchase,cloud,999999999999999.98,USD,BUY2,,`,
    ],
  });

  // Before BUY1 the lab holds 2X: X of rest (its opening) and X of stake vendor>lab (in the vendor's view).
  // pro-rata, BUY1: allocate(X, [X, X]): q = floor(X/2) = 49999999999999999 each, equal remainders, the
  //   leftover cent to the earlier part (the rest): rest 50000000000000000, stake 49999999999999999.
  //   Left in the lab: rest 49999999999999999, stake 50000000000000000 (W = X).
  // pro-rata, BUY2: the lab pays a = X-1: allocate(X-1, [49999999999999999, 50000000000000000]):
  //   q = [49999999999999998, 49999999999999999], remainders [50000000000000000, 49999999999999999],
  //   the leftover cent to the rest: [49999999999999999, 49999999999999999]. Rescaled to the vendor's
  //   b = X: allocate(X, [d, d]) = [50000000000000000, 49999999999999999]: circular 49999999999999999.
  // fifo: BUY1 takes the older lot (the rest, X): 0; BUY2 takes X-1 of the stake, rescaled to X: all circular.
  // lifo and investor-first: BUY1 takes the stake: X; BUY2 finds only rest: 0.
  // investor-last: BUY1 takes the rest: 0; BUY2 takes the stake: X.
  const HALF = '499999999999999.99';
  const expected: Record<Method, [string, string]> = {
    'pro-rata': [HALF, HALF],
    fifo: ['0.00', X],
    lifo: [X, '0.00'],
    'investor-first': [X, '0.00'],
    'investor-last': ['0.00', X],
  };
  const organicOf = (circular: string): string => (circular === X ? '0.00' : circular === HALF ? '500000000000000.00' : X);
  const pct = (circular: string): string => (circular === X ? '100.00' : circular === HALF ? '50.00' : '0.00');

  it.each(METHODS)('%s: the loop splits to the cent', (method) => {
    const { files: out, rec } = runReports(files, { method });
    const [c1, c2] = expected[method];
    expect(out.get('revenue.csv')).toBe(
      csv([
        'company,id,date,counterparty,category,amount,organic,circular,circular_pct,matched,payer_kind,source',
        `vendor,V3,2026-01-03,lab,cloud,${X},${organicOf(c1)},${c1},${pct(c1)},yes,purchase,vendor.csv:4`,
        `vendor,V4,2026-01-04,lab,cloud,${X},${organicOf(c2)},${c2},${pct(c2)},yes,purchase,vendor.csv:5`,
        `vendor,V5,2026-01-05,customers,cloud,${X},${X},0.00,0.00,external,,vendor.csv:6`,
        `vendor,V6,2026-01-06,customers,cloud,${X},${X},0.00,0.00,external,,vendor.csv:7`,
      ]),
    );
    // The two loop receipts return, in all: pro-rata 2·49999999999999999 cents, every other method X.
    const circular = method === 'pro-rata' ? '999999999999999.98' : X;
    // booked 4X = 3999999999999999.96 (16 integer digits); organic = booked - circular.
    const organic = method === 'pro-rata' ? '2999999999999999.98' : '2999999999999999.97';
    // 100·circular/booked: 99999999999999998/399999999999999996 = 24.99999999999999975… → 25.00;
    // 99999999999999999/399999999999999996 = 25.0000000000000000625… → 25.00.
    expect(out.get('summary.csv')).toBe(
      csv(['company,category,booked,organic,circular,circular_pct,disputed,revenue_rows', `vendor,cloud,3999999999999999.96,${organic},${circular},25.00,0.00,4`]),
    );
    // The mismatch shows both amounts (the detail column is free text, SPEC §7).
    const exceptions = reportRows(out.get('exceptions.csv') as string).rows.map(({ detail: _detail, ...rest }) => rest);
    expect(exceptions).toEqual([
      { code: 'amount_mismatch', company: 'lab', id: 'L4', date: '2026-01-04', counterparty: 'vendor', amount: '999999999999999.98', counterparty_id: 'V4', counterparty_amount: X, source: 'lab.csv:5' },
    ]);
    // The books: the vendor received its opening, two loop payments and two customer payments (5X) and paid X.
    expect(rec.traced.books.get('vendor')).toEqual({ received: 499999999999999995n, paid: 99999999999999999n, unfunded: 0n, balance: 399999999999999996n });
    // The lab received 2X and paid X + (X - 1): one cent is left.
    expect(rec.traced.books.get('lab')).toEqual({ received: 199999999999999998n, paid: 199999999999999997n, unfunded: 0n, balance: 1n });
  });

  it('16 integer digits are refused in a ledger, leading zeros included; 15 are accepted', () => {
    const attempt = (amount: string): RoundtripError | undefined => {
      try {
        loadLedgers(ledgers({ 'vendor.csv': [`V1,2026-01-01,in,opening,other,,${amount},USD,,,`] }), 'ledgers');
        return undefined;
      } catch (e) {
        if (e instanceof RoundtripError) return e;
        throw e;
      }
    };
    expect(attempt('999999999999999.99')).toBeUndefined();
    for (const bad of ['1000000000000000', '1000000000000000.00', '0999999999999999.99', '9999999999999999']) {
      const error = attempt(bad);
      expect(error?.code, bad).toBe('input');
      expect(error?.issues[0], bad).toMatchObject({ file: 'ledgers/vendor.csv', line: 2, column: 'amount' });
      expect(error?.issues[0]?.message, bad).toContain(bad);
    }
  });
});

describe('zero- and three-decimal currencies', () => {
  // The lab holds 1000 units of its own and receives 500 from the vendor (a stake); it pays 100 back.
  // pro-rata: allocate(100, [1000, 500]): q = [66, 33], remainders [100000 mod 1500 = 1000, 50000 mod 1500 = 500]:
  // the leftover unit goes to the rest: organic 67, circular 33 (33.00 %). A 15-digit customer payment is booked too.
  const cases = [
    {
      currencies: ['JPY', 'KRW', 'VND', 'CLP', 'ISK'],
      opening: '1000000',
      lab: '1000',
      invest: '500',
      buy: '100',
      big: '999999999999999',
      revenue: [
        'vendor,V3,2026-01-03,lab,cloud,100,67,33,33.00,yes,purchase,vendor.csv:4',
        'vendor,V4,2026-01-04,customers,cloud,999999999999999,999999999999999,0,0.00,external,,vendor.csv:5',
      ],
      // 999999999999999 + 100 = 1000000000000099; 33 of it circular is 0.0000000000033 % → 0.00.
      summary: 'vendor,cloud,1000000000000099,1000000000000066,33,0.00,0,2',
      circular: 'vendor,V3,2026-01-03,revenue,lab,cloud,lab,,direct,33,vendor.csv:4',
    },
    {
      currencies: ['BHD', 'KWD', 'OMR', 'JOD', 'TND', 'IQD', 'LYD'],
      opening: '1000',
      lab: '1',
      invest: '0.5',
      buy: '0.1',
      big: '999999999999999.999',
      revenue: [
        'vendor,V3,2026-01-03,lab,cloud,0.100,0.067,0.033,33.00,yes,purchase,vendor.csv:4',
        'vendor,V4,2026-01-04,customers,cloud,999999999999999.999,999999999999999.999,0.000,0.00,external,,vendor.csv:5',
      ],
      // 999999999999999999 + 100 fils = 1000000000000000099 (19 digits of minor units).
      summary: 'vendor,cloud,1000000000000000.099,1000000000000000.066,0.033,0.00,0.000,2',
      circular: 'vendor,V3,2026-01-03,revenue,lab,cloud,lab,,direct,0.033,vendor.csv:4',
    },
  ];
  for (const c of cases) {
    it.each(c.currencies)('%s: amounts are written with the currency’s minor-unit digits, exactly', (currency) => {
      const files = ledgers({
        'vendor.csv': [
          `V1,2026-01-01,in,opening,other,,${c.opening},${currency},,,`,
          `V2,2026-01-02,out,lab,investment,,${c.invest},${currency},INV,,`,
          `V3,2026-01-03,in,lab,revenue,cloud,${c.buy},${currency},BUY,,`,
          `V4,2026-01-04,in,customers,revenue,cloud,${c.big},${currency},,,`,
        ],
        'lab.csv': [
          `L1,2026-01-01,in,opening,other,,${c.lab},${currency},,,`,
          `L2,2026-01-02,in,vendor,investment,,${c.invest},${currency},INV,,`,
          `L3,2026-01-03,out,vendor,purchase,cloud,${c.buy},${currency},BUY,,`,
        ],
      });
      const { files: out } = runReports(files);
      expect(out.get('revenue.csv')).toBe(csv(['company,id,date,counterparty,category,amount,organic,circular,circular_pct,matched,payer_kind,source', ...c.revenue]));
      expect(out.get('summary.csv')).toBe(csv(['company,category,booked,organic,circular,circular_pct,disputed,revenue_rows', c.summary]));
      expect(out.get('circular.csv')).toBe(csv(['company,id,date,kind,payer,category,investee,deal,route,amount,source', c.circular]));
      expect(JSON.parse(out.get('manifest.json') as string)).toMatchObject({ currency });
    });
  }

  it('more decimals than the currency allows are refused, with the line and the value', () => {
    for (const [currency, amount] of [
      ['JPY', '100.0'],
      ['JPY', '0.5'],
      ['KWD', '0.0001'],
      ['BHD', '1.2345'],
      ['USD', '0.001'],
    ] as const) {
      let error: unknown;
      try {
        loadLedgers(ledgers({ 'vendor.csv': ['V0,2026-01-01,in,opening,other,,5,' + currency + ',,,', `V1,2026-01-02,in,customers,revenue,cloud,${amount},${currency},,,`] }), 'ledgers');
      } catch (e) {
        error = e;
      }
      expect(error, `${currency} ${amount}`).toBeInstanceOf(RoundtripError);
      expect((error as RoundtripError).issues[0], `${currency} ${amount}`).toMatchObject({ line: 3, column: 'amount' });
      expect((error as RoundtripError).issues[0]?.message).toContain(amount);
    }
  });
});

describe('one-cent parcels, split thousands of times', () => {
  // Three investors each put 0.01 into the lab, in turn, 3000 times (k = 0..2999, investor k mod 3); then the
  // lab pays 0.01 for cloud to investor k mod 3, 3000 times, in the same turn. The lab has no other money.
  // In investor j's view the lab holds 1000 cents of stake and 2000 of rest when the purchases start, and
  // every purchase draws one cent in every view:
  // - fifo: purchase k draws the k-th parcel, which investor k mod 3 paid in: all 3000 cents circular.
  // - lifo: purchase k draws parcel 2999-k, whose investor is (2999-k) mod 3; it equals k mod 3 when
  //   2k ≡ 2999 ≡ 2 (mod 3), i.e. k ≡ 1: the 1000 purchases to the second investor, all circular.
  // - investor-first: every view gives its stake first, for purchases 0..999: 334/333/333 cents.
  // - investor-last: every view gives the rest first, the stake for purchases 2000..2999: 333/333/334.
  // - pro-rata: allocate(1, [rest, stake]) gives the cent to the larger part, the rest on a tie: the rest
  //   until 1000/1000 (k = 999), then rest and stake alternate; the stake pays every odd k from 1001 to
  //   2999: k ≡ 3, 1, 5 (mod 6) for investors 0, 1, 2: 333/333/334 cents.
  const N = 3000;
  const investors = ['inv0', 'inv1', 'inv2'];
  const at = (day: number, k: number): string =>
    `2026-01-0${day}T${String(Math.floor(k / 3600)).padStart(2, '0')}:${String(Math.floor(k / 60) % 60).padStart(2, '0')}:${String(k % 60).padStart(2, '0')}`;
  const lines: Record<string, string[]> = { 'lab.csv': [] };
  for (const inv of investors) lines[`${inv}.csv`] = [`${inv}-open,2026-01-01,in,opening,other,,100.00,USD,,,`];
  for (let k = 0; k < N; k++) {
    const inv = investors[k % 3] as string;
    (lines[`${inv}.csv`] as string[]).push(`${inv}-i${k},${at(2, k)},out,lab,investment,,0.01,USD,I${k},,`);
    (lines['lab.csv'] as string[]).push(`lab-i${k},${at(2, k)},in,${inv},investment,,0.01,USD,I${k},,`);
  }
  for (let k = 0; k < N; k++) {
    const inv = investors[k % 3] as string;
    (lines['lab.csv'] as string[]).push(`lab-p${k},${at(3, k)},out,${inv},purchase,cloud,0.01,USD,P${k},,`);
    (lines[`${inv}.csv`] as string[]).push(`${inv}-r${k},${at(3, k)},in,lab,revenue,cloud,0.01,USD,P${k},,`);
  }
  const files = ledgers(lines);
  const expected: Record<Method, [number, number, number]> = {
    fifo: [1000, 1000, 1000],
    lifo: [0, 1000, 0],
    'investor-first': [334, 333, 333],
    'investor-last': [333, 333, 334],
    'pro-rata': [333, 333, 334],
  };
  const money = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  // 100 × cents / 1000 cents booked, exactly: 333 → 33.30.
  const pct = (cents: number): string => `${Math.floor(cents / 10)}.${cents % 10}0`;

  it.each(METHODS)('%s: every cent is accounted for', (method) => {
    const { files: out, rec } = runReports(files, { method });
    const revenue = reportRows(out.get('revenue.csv') as string).rows;
    expect(revenue.length).toBe(N);
    const perInvestor = new Map<string, bigint>();
    for (const r of revenue) {
      const circular = minorOf(r.circular as string, 2);
      expect(minorOf(r.organic as string, 2) + circular, r.id).toBe(1n);
      expect(r.circular_pct).toBe(circular === 1n ? '100.00' : '0.00');
      perInvestor.set(r.company as string, (perInvestor.get(r.company as string) ?? 0n) + circular);
    }
    const want = expected[method];
    expect(investors.map((inv) => perInvestor.get(inv))).toEqual(want.map(BigInt));
    expect(out.get('summary.csv')).toBe(
      csv([
        'company,category,booked,organic,circular,circular_pct,disputed,revenue_rows',
        ...investors.map((inv, j) => {
          const c = want[j] as number;
          return `${inv},cloud,10.00,${money(1000 - c)},${money(c)},${pct(c)},0.00,1000`;
        }),
      ]),
    );
    // circular.csv lists every returning cent: one row per circular purchase.
    const returning = reportRows(out.get('circular.csv') as string).rows;
    expect(returning.length).toBe(want[0] + want[1] + want[2]);
    expect(returning.every((r) => r.amount === '0.01' && r.investee === 'lab' && r.route === 'direct')).toBe(true);
    // Books: each investor paid 10.00 and got 10.00 back; the lab is empty; nothing was unfunded.
    for (const inv of investors) expect(rec.traced.books.get(inv)).toEqual({ received: 11000n, paid: 1000n, unfunded: 0n, balance: 10000n });
    expect(rec.traced.books.get('lab')).toEqual({ received: 3000n, paid: 3000n, unfunded: 0n, balance: 0n });
    expect(out.get('exceptions.csv')).toBe(csv(['code,company,id,date,counterparty,amount,counterparty_id,counterparty_amount,detail,source']));
  });
});
