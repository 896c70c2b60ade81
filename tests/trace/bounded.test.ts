/**
 * SPEC §3.1: the trace's state is bounded by the number of stakes, never by
 * the length of history: a view exists only while it holds stakes, a stake
 * drawn to zero is dropped, and fifo/lifo lots are dropped as they are spent.
 */
import { describe, expect, it } from 'vitest';
import { matchTransfers } from '../../src/match/match.js';
import type { Method } from '../../src/trace/methods.js';
import { METHODS } from '../../src/trace/methods.js';
import { trace } from '../../src/trace/trace.js';
import { ledgersOf } from '../support/ledger-text.js';

function stateAfter(files: Record<string, string[]>, method: Method) {
  const ledgers = ledgersOf(files);
  return trace(matchTransfers(ledgers).transfers, ledgers.companies, { method, earmark: true, minorDigits: 2 }).state;
}

/** Amazon invests in OpenAI `rounds` times; between rounds OpenAI earns and spends; at the end it pays everything out. */
function history(rounds: number): Record<string, string[]> {
  const amazon = ['a0,2026-01-01,in,opening,other,,1000000.00,USD,,,'];
  const openai: string[] = [];
  let held = 0;
  for (let i = 1; i <= rounds; i++) {
    const day = `2026-01-01T${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    amazon.push(`a${i},${day},out,openai,investment,,10.00,USD,I${i},D${i % 3},`);
    openai.push(`o${i},${day},in,amazon,investment,,10.00,USD,I${i},D${i % 3},`);
    openai.push(`r${i},${day},in,customers,revenue,api,7.00,USD,,,`);
    openai.push(`p${i},${day},out,suppliers,other,,12.00,USD,,,`);
    held += 5;
  }
  openai.push(`z,2026-02-01,out,payroll,other,,${held}.00,USD,,,everything left`);
  return { 'amazon.csv': amazon, 'openai.csv': openai };
}

describe('bounded state', () => {
  it.each(METHODS)('%s: after a long history, a drained pool holds no view, stake or lot', (method) => {
    expect(stateAfter(history(300), method)).toEqual({ views: 0, stakeFigures: 0, lots: 0 });
  });

  it.each(METHODS)('%s: a pool still holding money keeps at most one view with at most the three deal stakes', (method) => {
    const files = history(300);
    (files['openai.csv'] as string[]).pop(); // keep the money
    const state = stateAfter(files, method);
    // investor-first spends Amazon's 10.00 first in every round: nothing of it is left
    expect(state.views).toBe(method === 'investor-first' ? 0 : 1);
    expect(state.stakeFigures).toBeLessThanOrEqual(3);
  });
});
