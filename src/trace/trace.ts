/**
 * Tracing's one entry point (SPEC §3): replays every transfer through the
 * companies' pools, in every investor's view, and finds the money that came
 * back to its investor. Which engine runs is decided here and nowhere else
 * (`chooseEngine`), and the result says which ran (`TraceResult.engine`):
 *
 * - the flat engine (flat.ts, engine.ts) for every method, with and without
 *   earmarks: doubles wherever the figures fit, BigInt per split and per
 *   pool where they do not;
 * - in threads (threads.ts) when asked (`jobs`) or, with `auto`, when the
 *   work pays for them: each thread keeps some investors' views;
 * - the general engine (general.ts) when single transfers are observed
 *   (`audit --id`, which shows every step), in doubles while every figure
 *   of the run stays below 2^50, in BigInt otherwise.
 *
 * `trace` is the synchronous form (one thread); `traceInThreads` may start
 * threads. Both go through `chooseEngine`.
 */
import type { Transfer } from '../model.js';
import { autoThreads, type Jobs } from '../threads/pool.js';
import { BIGINT, DOUBLE } from './arith.js';
import { prepareViews, traceFlatPrepared } from './flat.js';
import { fitsDoubles, traceWith } from './general.js';
import { threadsAvailable, traceFlatInThreads } from './threads.js';
import type { TraceOptions, TraceResult } from './types.js';

export type { CompanyBooks, Returning, ReturningList, TraceEngine, TraceOptions, TraceResult, TransferDetail, ViewSnapshot } from './types.js';
export { ReturningArray, ReturningPicked, totalOf } from './returning.js';
export { engineLabel } from './types.js';

/** With `auto`, threads trace from this many transfers... */
export const AUTO_TRANSFERS = 200_000;
/** ...or from this many transfers times stakes (portfolio books: thousands of stakes make each transfer dear). */
export const AUTO_WORK = 500_000_000;
const AUTO_MAX_THREADS = 2;

/** The engine for a run: the one place where it is chosen. */
export interface EngineChoice {
  readonly name: 'flat' | 'general';
  /** Threads for the flat engine (1: this thread). */
  readonly threads: number;
}

/**
 * Chooses the engine: the general one when single transfers are observed,
 * else the flat one, in threads when `jobs` asks for them (`auto`: two on a
 * machine with two cores or more once the transfers, or transfers times
 * stakes, are many) and the worker code is there (it is built JavaScript).
 * Threads split the investors, so there are never more than investors.
 */
export function chooseEngine(transfers: number, stakes: number, investors: number, options: TraceOptions, jobs: Jobs): EngineChoice {
  if (options.observe !== undefined) return { name: 'general', threads: 1 };
  const wanted =
    jobs === 'auto' ? (transfers >= AUTO_TRANSFERS || transfers * stakes >= AUTO_WORK ? autoThreads(AUTO_MAX_THREADS) : 1) : jobs;
  const threads = wanted >= 2 && threadsAvailable() ? Math.min(wanted, investors) : 1;
  return { name: 'flat', threads: Math.max(1, threads) };
}

/** Traces in this thread (the engine chosen by `chooseEngine` with one job). */
export function trace(transfers: readonly Transfer[], companies: readonly string[], options: TraceOptions): TraceResult {
  if (chooseEngine(transfers.length, 0, 0, options, 1).name === 'general') {
    return fitsDoubles(transfers) ? traceWith(DOUBLE, transfers, companies, options) : traceWith(BIGINT, transfers, companies, options);
  }
  return traceFlatPrepared(prepareViews(transfers, companies, options.earmark), companies, options, transfers.length);
}

/**
 * Traces as `trace` does, in up to `jobs` threads; `onThreads` is told how
 * many threads trace, when more than one. The figures are the same whatever
 * `jobs` says.
 */
export async function traceInThreads(
  transfers: readonly Transfer[],
  companies: readonly string[],
  options: TraceOptions,
  jobs: Jobs,
  onThreads?: (threads: number) => void,
): Promise<TraceResult> {
  if (options.observe !== undefined) return trace(transfers, companies, options);
  const prepared = prepareViews(transfers, companies, options.earmark, true);
  const investors = new Set(prepared.stakes.map((s) => s.investor)).size;
  const choice = chooseEngine(transfers.length, prepared.stakes.length, investors, options, jobs);
  if (choice.threads < 2) return traceFlatPrepared(prepared, companies, options, transfers.length);
  onThreads?.(choice.threads);
  return traceFlatInThreads(prepared, companies, options, transfers.length, choice.threads);
}
