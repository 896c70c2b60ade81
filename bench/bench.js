// The benchmark (issues 6 and 11): `npm run bench` (= npm run build && node bench/bench.js).
//
//   node bench/bench.js [--volume 10000,100000,1000000] [--portfolio 10000,30000,100000]
//                       [--companies 50] [--seed 1] [--scale 3] [--compare 100000]
//
// Two regimes of generated ledger sets (`roundtrip generate`), each written
// into a temporary folder (removed at the end):
//   - volume: the default profile, a few dozen stakes at any size, with
//     amounts the size of real contracts (`--scale 3`: billions), so the run
//     takes the path real books take;
//   - portfolio: `--profile portfolio`, investments a tenth of intercompany
//     transfers, most under a deal of their own: thousands of stakes.
// For each set it measures, each in a fresh child process:
//   - the floor: csv-parse's streaming parser reading every file of the set
//     with the tool's options and doing nothing else (bench/floor.js);
//   - a full `roundtrip run --ledgers DIR --out TMP --quiet` (wall time, peak RSS);
//   - the trace alone, in one thread, through the tool's entry point
//     (bench/trace-stats.js): stakes, mean stake parts touched per outflow
//     (every view's parts of the payer's pool), and the trace time per part
//     update;
//   - on the portfolio set of `--compare` transfers, `roundtrip compare`
//     (ten traces) against the run.
// Times are wall-clock times of the whole child process (start-up included),
// so their ratios compare like with like.
//
// Peak memory is the child's peak resident set size. With GNU time present
// (/usr/bin/time) it is `%M` (KiB) written with `-o` to a file, so it does not
// mix with the child's stderr; otherwise node is started with
// `--import bench/rss-probe.js`, which writes process.resourceUsage().maxRSS
// to a file on exit (a parent cannot read a child's maxRSS from Node).
//
// Prints one markdown table per regime and the targets (met / not met).
// Exits 1 if a child fails (its stderr is printed), else 0 whatever the targets.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GNU_TIME = '/usr/bin/time';
const TARGETS = {
  volumeRatio: 2.5,
  volumeRssMB: 1024,
  volumeGrowth: 11,
  portfolioRunS: 15,
  portfolioRssMB: 600,
  portfolioNsPerPart: 25,
  compareRuns: 10,
};

const { values } = parseArgs({
  options: {
    volume: { type: 'string', default: '10000,100000,1000000' },
    portfolio: { type: 'string', default: '10000,30000,100000' },
    companies: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    scale: { type: 'string', default: '3' },
    compare: { type: 'string', default: '100000' },
  },
});
const sizesOf = (text, name) => {
  if (text.trim() === '') return [];
  const sizes = text.split(',').map((s) => Number(s.trim()));
  if (!sizes.every((n) => Number.isInteger(n) && n > 0)) fail(`--${name} must be positive whole numbers separated by commas (got ${text})`, 2);
  return sizes;
};
const volumeSizes = sizesOf(values.volume, 'volume');
const portfolioSizes = sizesOf(values.portfolio, 'portfolio');
const companies = Number(values.companies);
const seed = Number(values.seed);
const scale = Number(values.scale);
const compareAt = Number(values.compare);
if (!Number.isInteger(companies) || companies < 1) fail(`--companies must be a positive whole number (got ${values.companies})`, 2);
if (!Number.isSafeInteger(seed) || seed < 0) fail(`--seed must be a whole number, 0 or more (got ${values.seed})`, 2);
if (!Number.isInteger(scale) || scale < 0) fail(`--scale must be a whole number, 0 or more (got ${values.scale})`, 2);

const writeModule = path.join(root, 'dist', 'generate', 'write.js');
if (!existsSync(writeModule) || !existsSync(path.join(root, 'dist', 'cli', 'main.js'))) fail('dist/ is missing: run `npm run build` first (or `npm run bench`).', 2);
const { writeGeneratedLedgers } = await import(pathToFileURL(writeModule).href);

const useGnuTime = existsSync(GNU_TIME);
const tmp = await mkdtemp(path.join(os.tmpdir(), 'roundtrip-bench-'));
const cleanUp = () => rm(tmp, { recursive: true, force: true });
let current; // the child being measured, stopped with us
let stopped; // exit code once a signal asked us to stop
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.once(signal, () => {
    stopped = code;
    // The child leads its own process group (GNU time and node under it): stop the whole group.
    if (current?.pid !== undefined) {
      try {
        process.kill(-current.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    void cleanUp().finally(() => process.exit(code));
  });
}

const results = { volume: [], portfolio: [] };
let failed = false;
try {
  console.log(
    `roundtrip bench: ${companies} companies, seed ${seed}; volume ${volumeSizes.join(', ') || '-'} (scale ${scale}), portfolio ${portfolioSizes.join(', ') || '-'}; node ${process.version}; peak RSS via ${useGnuTime ? GNU_TIME : 'bench/rss-probe.js'}`,
  );
  const plan = [...volumeSizes.map((n) => ['volume', n]), ...portfolioSizes.map((n) => ['portfolio', n])];
  for (const [profile, transfers] of plan) {
    const result = await measureSet(profile, transfers);
    if (result === undefined) break;
    results[profile].push(result);
  }
} finally {
  await cleanUp();
}

if (stopped !== undefined) {
  console.error('\nbench: stopped');
  process.exit(stopped);
}
report(results);
process.exit(failed ? 1 : 0);

/** Generates one set and measures it; undefined when stopped or a child failed. */
async function measureSet(profile, transfers) {
  const name = `${profile}-${transfers}`;
  const ledgers = path.join(tmp, `ledgers-${name}`);
  await mkdir(ledgers);
  const options = { companies, transfers, seed, profile, ...(profile === 'volume' ? { scale } : {}) };
  const summary = await writeGeneratedLedgers(options, ledgers);
  process.stdout.write(`  ${name}: ${summary.rows} rows`);
  const step = async (label, args, rssName) => {
    if (stopped !== undefined) return undefined;
    const r = await measure(args, path.join(tmp, rssName));
    if (stopped !== undefined) return undefined;
    if (r.code !== 0) {
      process.stdout.write('\n');
      console.error(`${label} failed (exit ${r.code}) on ${name}:\n${r.stderr}`);
      failed = true;
      return undefined;
    }
    process.stdout.write(`; ${label} ${(r.ms / 1000).toFixed(2)} s`);
    return r;
  };
  const floor = await step('floor', [path.join(root, 'bench', 'floor.js'), ledgers], 'floor.rss');
  if (floor === undefined) return undefined;
  const reports = path.join(tmp, `reports-${name}`);
  const run = await step('run', [path.join(root, 'bin', 'roundtrip.js'), 'run', '--ledgers', ledgers, '--out', reports, '--quiet'], 'run.rss');
  if (run === undefined) return undefined;
  const traced = await step('trace', [path.join(root, 'bench', 'trace-stats.js'), ledgers], 'stats.rss');
  if (traced === undefined) return undefined;
  const stats = JSON.parse(traced.stdout);
  let compare;
  if (profile === 'portfolio' && transfers === compareAt) {
    compare = await step('compare', [path.join(root, 'bin', 'roundtrip.js'), 'compare', '--ledgers', ledgers, '--out', path.join(tmp, `compare-${name}`), '--quiet'], 'compare.rss');
    if (compare === undefined) return undefined;
  }
  process.stdout.write('\n');
  await rm(ledgers, { recursive: true, force: true });
  await rm(reports, { recursive: true, force: true });
  return { profile, transfers, rows: summary.rows, floor, run, stats, compare };
}

/** Runs `node ...args` in a child process: wall time, exit code, output and peak RSS (MiB). */
function measure(args, rssFile) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    let command = process.execPath;
    let argv = args;
    if (useGnuTime) {
      command = GNU_TIME;
      argv = ['-f', '%M', '-o', rssFile, process.execPath, ...args];
    } else {
      argv = ['--import', pathToFileURL(path.join(root, 'bench', 'rss-probe.js')).href, ...args];
      env.ROUNDTRIP_RSS_FILE = rssFile;
    }
    const start = performance.now();
    const child = spawn(command, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      current = undefined;
      const ms = performance.now() - start;
      readFile(rssFile, 'utf8')
        .catch(() => '')
        .then((text) => {
          // GNU time puts "Command exited with non-zero status N" before the figure when the child fails.
          const last = text.trim().split('\n').pop() ?? '';
          const kib = Number(last);
          resolve({
            code: code ?? (signal ? `signal ${signal}` : 1),
            ms,
            rssMB: Number.isFinite(kib) && last !== '' ? kib / 1024 : Number.NaN,
            stdout: Buffer.concat(stdout).toString('utf8'),
            stderr: Buffer.concat(stderr).toString('utf8'),
          });
        }, reject);
    });
  });
}

function report(all) {
  const header = ['transfers', 'rows', 'stakes', 'parts / outflow', 'trace s', 'ns / part', 'csv-parse floor s', 'run s', 'run / floor', 'run peak RSS MB'];
  const table = (rows) => {
    const body = rows.map((r) => [
      r.transfers.toLocaleString('en-US'),
      r.rows.toLocaleString('en-US'),
      r.stats.stakes.toLocaleString('en-US'),
      (r.stats.parts / Math.max(1, r.stats.outflows)).toFixed(0),
      (r.stats.traceMs / 1000).toFixed(2),
      (r.stats.parts === 0 ? 0 : (r.stats.traceMs * 1e6) / r.stats.parts).toFixed(1),
      (r.floor.ms / 1000).toFixed(2),
      (r.run.ms / 1000).toFixed(2),
      `${(r.run.ms / r.floor.ms).toFixed(2)}×`,
      r.run.rssMB.toFixed(0),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
    console.log(line(header));
    console.log(`|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
    for (const b of body) console.log(line(b));
  };
  const status = (ok) => (ok ? 'met' : 'NOT MET');
  for (const profile of ['volume', 'portfolio']) {
    const rows = all[profile];
    if (rows.length === 0) continue;
    console.log(`\n${profile === 'volume' ? `Volume sets (default profile, amounts ×10^${scale})` : 'Portfolio sets (--profile portfolio)'}:\n`);
    table(rows);
    for (const r of rows) console.log(`  ${r.transfers}: engine ${r.stats.engine}`);
  }
  console.log('\nTargets:');
  const v = all.volume;
  const big = v.find((r) => r.transfers === 1_000_000);
  const mid = v.find((r) => r.transfers === 100_000);
  if (big) {
    const ratio = big.run.ms / big.floor.ms;
    console.log(`  volume 1M: run ≤ ${TARGETS.volumeRatio}× csv-parse floor: ${ratio.toFixed(2)}× — ${status(ratio <= TARGETS.volumeRatio)}`);
    console.log(`  volume 1M: peak RSS ≤ ${TARGETS.volumeRssMB} MB: ${big.run.rssMB.toFixed(0)} MB — ${status(big.run.rssMB <= TARGETS.volumeRssMB)}`);
  } else console.log('  volume 1M: n/a (not measured)');
  if (big && mid) {
    const growth = big.run.ms / mid.run.ms;
    console.log(`  volume 100k→1M run growth ≤ ${TARGETS.volumeGrowth}×: ${growth.toFixed(2)}× — ${status(growth <= TARGETS.volumeGrowth)}`);
  }
  const p = all.portfolio.find((r) => r.transfers === 100_000);
  if (p) {
    const ns = (p.stats.traceMs * 1e6) / p.stats.parts;
    console.log(`  portfolio 100k: run ≤ ${TARGETS.portfolioRunS} s: ${(p.run.ms / 1000).toFixed(2)} s — ${status(p.run.ms / 1000 <= TARGETS.portfolioRunS)}`);
    console.log(`  portfolio 100k: peak RSS ≤ ${TARGETS.portfolioRssMB} MB: ${p.run.rssMB.toFixed(0)} MB — ${status(p.run.rssMB <= TARGETS.portfolioRssMB)}`);
    console.log(`  portfolio 100k: < ${TARGETS.portfolioNsPerPart} ns per part update: ${ns.toFixed(1)} ns — ${status(ns < TARGETS.portfolioNsPerPart)}`);
  } else console.log('  portfolio 100k: n/a (not measured)');
  const c = all.portfolio.find((r) => r.compare !== undefined);
  if (c) {
    const times = c.compare.ms / c.run.ms;
    console.log(
      `  compare on portfolio ${c.transfers.toLocaleString('en-US')} ≤ ${TARGETS.compareRuns}× the run: ${(c.compare.ms / 1000).toFixed(2)} s, ${times.toFixed(2)}× — ${status(times <= TARGETS.compareRuns)} (peak RSS ${c.compare.rssMB.toFixed(0)} MB)`,
    );
  }
}

function fail(message, code) {
  console.error(`bench: ${message}`);
  process.exit(code);
}
