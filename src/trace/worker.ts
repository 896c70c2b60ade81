/**
 * A tracing thread (see threads.ts): replays the views of some investors
 * over the shared transfer arrays and sends back their returning stakes.
 */
import { threadTask } from '../threads/pool.js';
import { runViews, type ViewInput, type ViewOutput } from './engine.js';
import type { Method } from './methods.js';

export interface TraceTask {
  readonly input: ViewInput;
  /** 1 for each company whose views this thread keeps. */
  readonly owns: Uint8Array;
  readonly keys: readonly string[];
  readonly method: Method;
}

const thread = threadTask<TraceTask, number, ViewOutput>('trace/worker.js');
const { input, owns, keys, method } = thread.task;
const output = runViews(input, owns, keys, method, (done) => thread.progress(done));
thread.finish(output, [output.position, output.stake, output.amount, output.origins].map((a) => a.buffer as ArrayBuffer));
