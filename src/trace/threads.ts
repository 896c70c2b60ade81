/**
 * The pro-rata trace in threads. Each investor's views are its own (SPEC §3):
 * the draw in one investor's view of a pool depends on that view and the
 * pool's balance alone, never on another investor's view. So each thread
 * replays every transfer's balances but keeps the views of some investors
 * only, and the returning stakes of all threads, merged in processing order,
 * are those of a single replay (a test compares them).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RoundtripError } from '../errors.js';
import type { Transfer } from '../model.js';
import type { ViewOutput } from './engine.js';
import { assembleTrace, prepareViews, traceFlatPrepared } from './flat.js';
import { trace, type TraceOptions, type TraceResult } from './trace.js';
import type { TraceMessage, TraceTask } from './worker.js';

const WORKER = new URL('./worker.js', import.meta.url);
/** Below this many transfers one thread traces: starting threads would cost more than they save. */
export const AUTO_TRANSFERS = 200_000;
const AUTO_MAX_THREADS = 2;

/**
 * Traces as `trace` does, in up to `jobs` threads (`auto`: two on a machine
 * with two cores or more, for AUTO_TRANSFERS transfers or more) when the run
 * is pro-rata in doubles and no single transfer is observed; in this thread
 * otherwise. `onThreads` is told how many threads traced, when more than one.
 */
export async function traceInThreads(
  transfers: readonly Transfer[],
  companies: readonly string[],
  options: TraceOptions,
  jobs: number | 'auto',
  onThreads?: (threads: number) => void,
): Promise<TraceResult> {
  const wanted = jobs === 'auto' ? (transfers.length >= AUTO_TRANSFERS ? Math.min(AUTO_MAX_THREADS, availableParallelism()) : 1) : jobs;
  if (wanted < 2 || options.observe !== undefined || !existsSync(fileURLToPath(WORKER))) {
    return trace(transfers, companies, options);
  }
  const prepared = prepareViews(transfers, companies, options.earmark, true);
  // Investors dealt out by their stakes, most first, to the thread with the fewest.
  const stakesOf = new Array<number>(companies.length).fill(0);
  const index = new Map(companies.map((c, i) => [c, i]));
  for (const stake of prepared.stakes) {
    const i = index.get(stake.investor) as number;
    stakesOf[i] = (stakesOf[i] as number) + 1;
  }
  const investors = stakesOf.map((n, i) => [i, n] as const).filter(([, n]) => n > 0);
  const count = Math.min(wanted, investors.length);
  if (count < 2) return traceFlatPrepared(prepared, companies, options, transfers.length);
  onThreads?.(count);
  const owns = Array.from({ length: count }, () => new Uint8Array(companies.length));
  const load = new Array<number>(count).fill(0);
  for (const [investor, n] of investors.sort((x, y) => y[1] - x[1] || x[0] - y[0])) {
    let lightest = 0;
    for (let g = 1; g < count; g++) if ((load[g] as number) < (load[lightest] as number)) lightest = g;
    (owns[lightest] as Uint8Array)[investor] = 1;
    load[lightest] = (load[lightest] as number) + n;
  }
  const done = new Array<number>(count).fill(0);
  const workers: Worker[] = [];
  const runs = owns.map(
    (own, g) =>
      new Promise<ViewOutput>((resolve, reject) => {
        const task: TraceTask = { input: prepared.input, owns: own, keys: prepared.keys, method: options.method };
        const worker = new Worker(WORKER, { workerData: task });
        workers.push(worker);
        let settled = false;
        worker.on('message', (message: TraceMessage) => {
          if (message.type === 'progress') {
            done[g] = message.done;
            options.onProgress?.(Math.min(...done), transfers.length);
          } else {
            settled = true;
            resolve(message.output);
          }
        });
        worker.on('error', (error) => {
          settled = true;
          reject(error);
        });
        worker.on('exit', (code) => {
          if (!settled) reject(new RoundtripError('internal', `a tracing thread stopped with code ${code} before it finished`));
        });
      }),
  );
  let outputs: ViewOutput[];
  try {
    outputs = await Promise.all(runs);
  } finally {
    for (const worker of workers) void worker.terminate();
  }
  return assembleTrace(prepared, outputs, companies, options, transfers.length);
}
