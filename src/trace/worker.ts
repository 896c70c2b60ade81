/**
 * A tracing thread (see threads.ts): replays the views of some investors
 * over the shared transfer arrays and sends back their returning stakes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runViews, type ViewInput, type ViewOutput } from './engine.js';
import type { Method } from './methods.js';

export interface TraceTask {
  readonly input: ViewInput;
  /** 1 for each company whose views this thread keeps. */
  readonly owns: Uint8Array;
  readonly keys: readonly string[];
  readonly method: Method;
}

export type TraceMessage = { readonly type: 'progress'; readonly done: number } | { readonly type: 'done'; readonly output: ViewOutput };

const port = parentPort;
if (port === null) throw new Error('trace/worker.js runs as a worker thread');
const task = workerData as TraceTask;
const output = runViews(task.input, task.owns, task.keys, task.method, (done) => port.postMessage({ type: 'progress', done } satisfies TraceMessage));
port.postMessage({ type: 'done', output } satisfies TraceMessage, [output.position, output.stake, output.amount, output.origins].map((a) => a.buffer as ArrayBuffer));
