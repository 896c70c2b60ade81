/**
 * Synthetic ledger sets (issue 6, issue 11's portfolio profile): a pure,
 * deterministic generator of valid ledger folders (SPEC §1) with the shape
 * of the real thing and a small, known share of every exception of SPEC §2.
 * The same options give byte-identical files. Nothing here does I/O: the
 * generator yields chunks of text to append to named files, so a million
 * transfers never become one giant string (see write.ts for the streaming
 * writer and `generateLedgers` for small in-memory sets).
 *
 * By job: options.ts (the options and their checks), economy.ts (the
 * simulated economy), exceptions.ts (the planted exceptions), text.ts (the
 * CSV text), shapes.ts (the shapes they share).
 */
import { byCodeUnits } from '../sort.js';
import { LedgerGenerator, type GenerationSummary } from './economy.js';
import { type GenerateOptions, validateGenerateOptions } from './options.js';
import type { GeneratedChunk } from './text.js';

export { type GenerationSummary } from './economy.js';
export { EXCEPTION_CODES, type ExceptionCode, lookalikeName } from './exceptions.js';
export { type GenerateOptions, MAX_COMPANIES, MAX_SCALE, MAX_TRANSFERS, PROFILES, type Profile, validateGenerateOptions } from './options.js';
export { CATEGORIES } from './shapes.js';
export { companyIds, type GeneratedChunk, LEDGER_HEADER, ledgerFileNames, START_DATE } from './text.js';

/** One whole file, for small sets held in memory. */
export interface GeneratedFile {
  readonly name: string;
  readonly text: string;
}

/**
 * The generator: yields chunks of text to append to files (every file of the
 * set gets at least its header) and returns a summary. Memory stays bounded
 * by the number of files, not the number of rows.
 */
export function* generateLedgerChunks(options: GenerateOptions): Generator<GeneratedChunk, GenerationSummary, undefined> {
  const problem = validateGenerateOptions(options);
  if (problem !== undefined) throw new RangeError(problem);
  const state = new LedgerGenerator(options);
  const ready = state.text.ready;
  for (let step = 0; step < options.transfers; step++) {
    state.step(step);
    if (ready.length > 0) {
      yield* ready;
      ready.length = 0;
    }
  }
  state.finish();
  yield* ready;
  ready.length = 0;
  return state.summary();
}

/** A whole set in memory (for tests and small sets), files sorted by name. */
export function generateLedgers(options: GenerateOptions): GeneratedFile[] {
  return generateLedgerSet(options).files;
}

/** Like `generateLedgers`, with the summary. */
export function generateLedgerSet(options: GenerateOptions): { files: GeneratedFile[]; summary: GenerationSummary } {
  const texts = new Map<string, string[]>();
  const iterator = generateLedgerChunks(options);
  for (;;) {
    const next = iterator.next();
    if (next.done === true) {
      const files = [...texts.entries()]
        .map(([name, parts]) => ({ name, text: parts.join('') }))
        .sort((x, y) => byCodeUnits(x.name, y.name));
      return { files, summary: next.value };
    }
    const parts = texts.get(next.value.file);
    if (parts === undefined) texts.set(next.value.file, [next.value.text]);
    else parts.push(next.value.text);
  }
}
