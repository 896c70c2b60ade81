/**
 * The flat trace in threads (trace.ts decides when). Each investor's views are its own (SPEC §3):
 * the draw in one investor's view of a pool depends on that view and the
 * pool's balance alone, never on another investor's view. So each thread
 * replays every transfer's balances but keeps the views of some investors
 * only, and the returning stakes of all threads, merged in processing order,
 * are those of a single replay (a test compares them). The threads are
 * launched and the investors dealt out by threads/pool.ts.
 */
import { canRunThreads, dealOut, runThreads } from '../threads/pool.js';
import type { ViewOutput } from './engine.js';
import { assembleTrace, type Prepared } from './flat.js';
import type { TraceOptions, TraceResult } from './types.js';
import type { TraceTask } from './worker.js';

const WORKER = new URL('./worker.js', import.meta.url);

/** Can threads start (the worker is built JavaScript: not there when the sources run under a test runner)? */
export function threadsAvailable(): boolean {
  return canRunThreads(WORKER);
}

/**
 * The flat trace in `count` threads (trace.ts decides when): the investors
 * dealt out by their stakes, most first, to the thread with the fewest (ties:
 * the lower company index).
 */
export async function traceFlatInThreads(prepared: Prepared, companies: readonly string[], options: TraceOptions, transferCount: number, count: number): Promise<TraceResult> {
  const stakesOf = new Array<number>(companies.length).fill(0);
  const index = new Map(companies.map((c, i) => [c, i]));
  for (const stake of prepared.stakes) {
    const i = index.get(stake.investor) as number;
    stakesOf[i] = (stakesOf[i] as number) + 1;
  }
  const investors = stakesOf.map((n, i) => [i, n] as const).filter(([, n]) => n > 0);
  const threadOf = dealOut(investors.map(([, n]) => n), count);
  const owns = Array.from({ length: count }, () => new Uint8Array(companies.length));
  investors.forEach(([investor], k) => ((owns[threadOf[k] as number] as Uint8Array)[investor] = 1));
  const done = new Array<number>(count).fill(0);
  const tasks = owns.map((own): TraceTask => ({ input: prepared.input, owns: own, keys: prepared.keys, method: options.method }));
  const outputs = await runThreads<TraceTask, number, ViewOutput>(WORKER, tasks, 'a tracing thread', (g, d) => {
    done[g] = d;
    options.onProgress?.(Math.min(...done), transferCount);
  });
  return assembleTrace(prepared, outputs, companies, options, transferCount);
}
