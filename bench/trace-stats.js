// The trace's own figures for the benchmark: run by bench.js in a fresh child
// process (`node bench/trace-stats.js DIR`), it reads and matches the set,
// then times one trace through the tool's entry point (src/trace/trace.ts,
// in this thread) and prints, as JSON, the stakes, the outflows that drew
// from pools seen by some investor, the stake parts those draws touched
// (every part of every view of the payer's pool takes its share of a
// pro-rata draw), the trace time and the engine's own account.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const load = (file) => import(pathToFileURL(path.join(root, 'dist', file)).href);
const { readLedgers } = await load('load/read.js');
const { matchTransfers } = await load('match/match.js');
const { trace, engineLabel } = await load('trace/trace.js');

const dir = process.argv[2];
const method = process.argv[3] ?? 'pro-rata';
if (dir === undefined) {
  process.stderr.write('usage: node bench/trace-stats.js DIR [METHOD]\n');
  process.exit(2);
}
const ledgers = await readLedgers(dir, undefined, { jobs: 1 });
const { transfers } = matchTransfers(ledgers);
const start = performance.now();
const result = trace(transfers, ledgers.companies, { method, earmark: true, minorDigits: ledgers.minorDigits });
const ms = performance.now() - start;
const stakes = result.origins.size;
const { draws, outflows, parts } = result.engine;
process.stdout.write(`${JSON.stringify({ transfers: transfers.length, stakes, draws, outflows, parts, traceMs: ms, engine: engineLabel(result.engine) })}\n`);
