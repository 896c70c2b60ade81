/**
 * Worker threads, in one place for every stage that runs in threads (the
 * reading threads of load/, the tracing threads of trace/): how many threads
 * to start, how to deal the work out among them, how to launch them and
 * collect their results.
 *
 * The protocol: a thread script takes its task with `threadTask()`, may send
 * `progress(...)` any number of times and ends with one `finish(result)`.
 * The main thread runs one script over several tasks with `runThreads`, which
 * resolves to the results in task order, or rejects as soon as one thread
 * fails or stops early; every thread is stopped either way.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { RoundtripError } from '../errors.js';

/** `--jobs`: how many threads to use, or `auto` (each stage says when threads pay off, and uses one per core up to its own maximum). */
export type Jobs = number | 'auto';

/** What a thread sends: progress, any number of times, then its one result. */
export type ThreadMessage<P, R> = { readonly progress: P } | { readonly result: R };

/**
 * Can this script run as a thread? Thread scripts run compiled (dist/); from
 * the TypeScript sources (tests) there is none, and the work stays in the main
 * thread.
 */
export function canRunThreads(script: URL): boolean {
  return existsSync(fileURLToPath(script));
}

/** The threads `auto` asks for: one per core, at most `max`. */
export function autoThreads(max: number): number {
  return Math.min(max, availableParallelism());
}

/**
 * Deals weighted items out to `count` threads: the heaviest item first (equal
 * weights in `tie` order, item order by default), each to the thread with the
 * least weight so far (the lowest such thread). Returns each item's thread,
 * in item order.
 */
export function dealOut(weights: readonly number[], count: number, tie: (a: number, b: number) => number = (a, b) => a - b): number[] {
  const load = new Array<number>(count).fill(0);
  const threadOf = new Array<number>(weights.length).fill(0);
  const order = weights.map((_, i) => i).sort((a, b) => (weights[b] as number) - (weights[a] as number) || tie(a, b));
  for (const item of order) {
    let lightest = 0;
    for (let t = 1; t < count; t++) if ((load[t] as number) < (load[lightest] as number)) lightest = t;
    threadOf[item] = lightest;
    load[lightest] = (load[lightest] as number) + (weights[item] as number);
  }
  return threadOf;
}

/**
 * Runs `script` once per task, each in its own thread; `onProgress` hears each
 * thread's progress (by task index). `what` names a thread in the message of
 * one that stops before it finishes (`a ledger reading thread`).
 */
export async function runThreads<T, P, R>(script: URL, tasks: readonly T[], what: string, onProgress?: (thread: number, progress: P) => void): Promise<R[]> {
  const workers: Worker[] = [];
  const runs = tasks.map(
    (task, thread) =>
      new Promise<R>((resolve, reject) => {
        const worker = new Worker(script, { workerData: task });
        workers.push(worker);
        let settled = false;
        worker.on('message', (message: ThreadMessage<P, R>) => {
          if ('progress' in message) onProgress?.(thread, message.progress);
          else {
            settled = true;
            resolve(message.result);
          }
        });
        worker.on('error', (error) => {
          settled = true;
          reject(error);
        });
        worker.on('exit', (code) => {
          if (!settled) reject(new RoundtripError('internal', `${what} stopped with code ${code} before it finished`));
        });
      }),
  );
  try {
    return await Promise.all(runs);
  } finally {
    for (const worker of workers) void worker.terminate();
  }
}

/** The thread side: the task this thread was given, and how it reports. */
export interface ThreadSide<T, P, R> {
  readonly task: T;
  progress(progress: P): void;
  /** Sends the result; `transfer` lists buffers handed over without a copy. */
  finish(result: R, transfer?: readonly ArrayBuffer[]): void;
}

/** Called once at the top of a thread script (`script` names it in the error when it is run directly). */
export function threadTask<T, P, R>(script: string): ThreadSide<T, P, R> {
  const port = parentPort;
  if (port === null) throw new Error(`${script} runs as a worker thread`);
  return {
    task: workerData as T,
    progress: (progress) => port.postMessage({ progress } satisfies ThreadMessage<P, R>),
    finish: (result, transfer = []) => port.postMessage({ result } satisfies ThreadMessage<P, R>, [...transfer]),
  };
}
