/**
 * SPEC §4: before any file is written the run checks its own books; a failed
 * check is a bug in the tool and exits 1 naming the figures that disagree.
 * The books of a real run are tampered with here to see each check fail.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeOf, RoundtripError } from '../../src/errors.js';
import { reconcileLedgers } from '../../src/pipeline.js';
import { assertBooks, checkBooks } from '../../src/report/check.js';
import { summarise } from '../../src/report/reports.js';
import { ledgersOf } from '../support/ledger-text.js';

const rec = reconcileLedgers(
  ledgersOf({
    'amazon.csv': ['a0,2026-01-01,in,opening,other,,20.00,USD,,,', 'a1,2026-01-10,out,openai,investment,,10.00,USD,INV-1,,', 'a2,2026-01-20,in,openai,revenue,cloud,4.00,USD,AWS-1,,'],
    'openai.csv': ['o0,2026-01-05,in,customers,revenue,api,30.00,USD,,,', 'o1,2026-01-10,in,amazon,investment,,10.00,USD,INV-1,,', 'o2,2026-01-20,out,amazon,purchase,cloud,4.00,USD,AWS-1,,'],
  }),
  { method: 'pro-rata', earmark: true },
);

function failure(run: () => void): RoundtripError {
  try {
    run();
  } catch (error) {
    if (error instanceof RoundtripError) return error;
    throw error;
  }
  throw new Error('the check passed');
}

describe('the self-check of SPEC §4', () => {
  it('passes on a real run, every check named', () => {
    const checks = checkBooks(rec.traced, rec.revenue, summarise(rec.revenue), 2);
    expect(checks.map((c) => [c.name, c.passed])).toEqual([
      ['revenue rows split exactly (organic + circular = amount)', true],
      ['every balance = received - paid + unfunded', true],
      ['every view: parts non-negative and summing to the balance', true],
      ['summary columns = sums of the revenue rows', true],
    ]);
  });

  it('fails with exit 1 and the figures when a revenue row does not split exactly', () => {
    const [first, ...rest] = rec.revenue;
    const broken = [{ ...first!, organic: first!.organic + 1n }, ...rest];
    const error = failure(() => assertBooks(checkBooks(rec.traced, broken, summarise(broken), 2), 'all'));
    expect(exitCodeOf(error)).toBe(1);
    expect(error.message).toContain('amazon.csv:4: organic 3.01 + circular 1.00 vs amount 4.00');
  });

  it('fails when a balance is not received - paid + unfunded', () => {
    const books = new Map(rec.traced.books);
    books.set('openai', { ...books.get('openai')!, balance: books.get('openai')!.balance - 1n });
    const error = failure(() => assertBooks(checkBooks({ ...rec.traced, books }, rec.revenue, summarise(rec.revenue), 2), 'all'));
    expect(error.message).toContain('openai: balance 35.99 vs received 40.00 - paid 4.00 + unfunded 0.00 = 36.00');
  });

  it('fails when the summary does not add up to the revenue rows', () => {
    const summary = summarise(rec.revenue).map((s) => ({ ...s, circular: s.circular + 1n }));
    const error = failure(() => assertBooks(checkBooks(rec.traced, rec.revenue, summary, 2), '2026-01'));
    expect(error.message).toContain('the books do not balance for period 2026-01');
    expect(error.message).toContain('summary columns = sums of the revenue rows: summary booked 34.00 organic 33.00 circular 1.02 rows 2 vs revenue rows booked 34.00 organic 33.00 circular 1.00 rows 2');
  });

  it('fails when a view reports a problem', () => {
    const error = failure(() => assertBooks(checkBooks({ ...rec.traced, viewProblems: ['openai in amazon\'s view: stakes 11.00 exceed the balance 10.00'] }, rec.revenue, summarise(rec.revenue), 2), 'all'));
    expect(error.message).toContain("every view: parts non-negative and summing to the balance: openai in amazon's view: stakes 11.00 exceed the balance 10.00");
  });
});
