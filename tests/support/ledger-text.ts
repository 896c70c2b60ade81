/** Builds in-memory ledger sets for tests: file name → CSV lines (header added). */
import { loadLedgers } from '../../src/load/load.js';
import type { Ledgers } from '../../src/model.js';

export const HEADER = 'id,date,direction,counterparty,kind,category,amount,currency,ref,deal,memo';

export function ledgerInputs(files: Record<string, readonly string[]>): { name: string; bytes: Uint8Array }[] {
  return Object.entries(files).map(([name, lines]) => ({ name, bytes: Buffer.from([HEADER, ...lines].join('\n') + '\n', 'utf8') }));
}

export function ledgersOf(files: Record<string, readonly string[]>): Ledgers {
  return loadLedgers(ledgerInputs(files), 'ledgers');
}
