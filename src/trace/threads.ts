/**
 * The flat trace in threads (trace.ts decides when). Each investor's views are its own (SPEC §3):
 * the draw in one investor's view of a pool depends on that view and the
 * pool's balance alone, never on another investor's view. So each thread
 * replays every transfer's balances but keeps the views of some investors
 * only, and the returning stakes of all threads, merged in processing order,
 * are those of a single replay (a test compares them).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RoundtripError } from '../errors.js';
import type { ViewOutput } from './engine.js';
import { assembleTrace, type Prepared } from './flat.js';
import type { TraceOptions, TraceResult } from './types.js';
import type { TraceMessage, TraceTask } from './worker.js';

const WORKER = new URL('./worker.js', import.meta.url);

/** Can threads start (the worker is built JavaScript: not there when the sources run under a test runner)? */
export function threadsAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER));
}

/**
 * The flat trace in `count` threads (trace.ts decides when): the investors
 * dealt out by their stakes, most first, to the thread with the fewest.
 */
export async function traceFlatInThreads(prepared: Prepared, companies: readonly string[], options: TraceOptions, transferCount: number, count: number): Promise<TraceResult> {
  const transfers = { length: transferCount };
  const stakesOf = new Array<number>(companies.length).fill(0);
  const index = new Map(companies.map((c, i) => [c, i]));
  for (const stake of prepared.stakes) {
    const i = index.get(stake.investor) as number;
    stakesOf[i] = (stakesOf[i] as number) + 1;
  }
  const investors = stakesOf.map((n, i) => [i, n] as const).filter(([, n]) => n > 0);
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
