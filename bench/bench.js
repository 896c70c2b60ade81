// The benchmark (issue 6): `npm run bench` (= npm run build && node bench/bench.js).
//
//   node bench/bench.js [--sizes 10000,100000,1000000] [--companies 50] [--seed 1]
//
// For each size (number of transfers, about 1.8 ledger rows each) it writes a
// generated ledger set into a temporary folder (removed at the end), then
// measures, each in a fresh child process:
//   - the floor: csv-parse's streaming parser reading every file of the set
//     with the tool's options and doing nothing else (bench/floor.js);
//   - a full `roundtrip run --ledgers DIR --out TMP --quiet`.
// Times are wall-clock times of the whole child process (start-up included,
// for both), so their ratio compares like with like.
//
// Peak memory is the child's peak resident set size. With GNU time present
// (/usr/bin/time) it is `%M` (KiB) written with `-o` to a file, so it does not
// mix with the child's stderr; otherwise node is started with
// `--import bench/rss-probe.js`, which writes process.resourceUsage().maxRSS
// to a file on exit (a parent cannot read a child's maxRSS from Node).
//
// Prints an aligned markdown table, the 100k→1M growth of the run time and the
// targets (met / not met). Exits 1 if a child fails (its stderr is printed),
// else 0 whatever the targets.
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
const TARGET_RATIO = 1.5;
const TARGET_RSS_MB = 1024; // 1 GiB
const TARGET_GROWTH = 11;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    companies: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
  },
});
const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
const companies = Number(values.companies);
const seed = Number(values.seed);
if (sizes.length === 0 || !sizes.every((n) => Number.isInteger(n) && n > 0)) fail(`--sizes must be positive whole numbers separated by commas (got ${values.sizes})`, 2);
if (!Number.isInteger(companies) || companies < 1) fail(`--companies must be a positive whole number (got ${values.companies})`, 2);
if (!Number.isSafeInteger(seed) || seed < 0) fail(`--seed must be a whole number, 0 or more (got ${values.seed})`, 2);

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

const results = [];
let failed = false;
try {
  console.log(`roundtrip bench: ${companies} companies, seed ${seed}, sizes ${sizes.join(', ')}; node ${process.version}; peak RSS via ${useGnuTime ? GNU_TIME : 'bench/rss-probe.js'}`);
  for (const transfers of sizes) {
    const ledgers = path.join(tmp, `ledgers-${transfers}`);
    await mkdir(ledgers);
    const startGenerate = performance.now();
    const summary = await writeGeneratedLedgers({ companies, transfers, seed }, ledgers);
    const generateSeconds = (performance.now() - startGenerate) / 1000;
    process.stdout.write(`  ${transfers} transfers: generated ${summary.rows} rows in ${summary.files.length} files (${generateSeconds.toFixed(2)} s)`);

    const floor = await measure([path.join(root, 'bench', 'floor.js'), ledgers], path.join(tmp, 'floor.rss'));
    if (stopped !== undefined) break;
    if (floor.code !== 0) {
      process.stdout.write('\n');
      console.error(`csv-parse floor failed (exit ${floor.code}):\n${floor.stderr}`);
      failed = true;
      break;
    }
    const parsed = JSON.parse(floor.stdout);
    if (parsed.records !== summary.rows + summary.files.length) {
      console.error(`\nwarning: csv-parse read ${parsed.records} records, expected ${summary.rows} rows + ${summary.files.length} headers`);
    }
    process.stdout.write(`; floor ${(floor.ms / 1000).toFixed(2)} s`);

    const reports = path.join(tmp, `reports-${transfers}`);
    const run = await measure(
      [path.join(root, 'bin', 'roundtrip.js'), 'run', '--ledgers', ledgers, '--out', reports, '--quiet'],
      path.join(tmp, 'run.rss'),
    );
    if (stopped !== undefined) break;
    if (run.code !== 0) {
      process.stdout.write('\n');
      console.error(`roundtrip run failed (exit ${run.code}) on ${transfers} transfers:\n${run.stderr}`);
      failed = true;
      break;
    }
    process.stdout.write(`; run ${(run.ms / 1000).toFixed(2)} s\n`);
    results.push({ transfers, rows: summary.rows, files: summary.files.length, generateSeconds, floor, run });
    await rm(ledgers, { recursive: true, force: true });
    await rm(reports, { recursive: true, force: true });
  }
} finally {
  await cleanUp();
}

if (stopped !== undefined) {
  console.error('\nbench: stopped');
  process.exit(stopped);
}
if (results.length > 0) report(results);
process.exit(failed ? 1 : 0);

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

function report(rows) {
  const header = ['transfers', 'rows', 'files', 'generate s', 'csv-parse floor s', 'run s', 'run / floor', 'run peak RSS MB', 'floor peak RSS MB', 'run rows/s'];
  const body = rows.map((r) => [
    r.transfers.toLocaleString('en-US'),
    r.rows.toLocaleString('en-US'),
    String(r.files),
    r.generateSeconds.toFixed(2),
    (r.floor.ms / 1000).toFixed(2),
    (r.run.ms / 1000).toFixed(2),
    `${(r.run.ms / r.floor.ms).toFixed(2)}×`,
    r.run.rssMB.toFixed(0),
    r.floor.rssMB.toFixed(0),
    Math.round(r.rows / (r.run.ms / 1000)).toLocaleString('en-US'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log('');
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const b of body) console.log(line(b));
  console.log('');

  const at = (n) => rows.find((r) => r.transfers === n);
  const big = at(1_000_000);
  const mid = at(100_000);
  const status = (ok) => (ok ? 'met' : 'NOT MET');
  const growth = big && mid ? big.run.ms / mid.run.ms : undefined;
  console.log(`100k→1M run time growth: ${growth === undefined ? 'n/a (needs sizes 100000 and 1000000)' : `${growth.toFixed(2)}×`}`);
  console.log('Targets:');
  if (big) {
    const ratio = big.run.ms / big.floor.ms;
    console.log(`  run ≤ ${TARGET_RATIO}× csv-parse floor at 1M transfers: ${ratio.toFixed(2)}× — ${status(ratio <= TARGET_RATIO)}`);
  } else {
    const last = rows[rows.length - 1];
    const ratio = last.run.ms / last.floor.ms;
    console.log(`  run ≤ ${TARGET_RATIO}× csv-parse floor at 1M transfers: n/a (not measured; ${ratio.toFixed(2)}× at ${last.transfers})`);
  }
  const peak = Math.max(...rows.map((r) => r.run.rssMB));
  console.log(`  run peak RSS < 1 GiB (${TARGET_RSS_MB} MiB), highest of all sizes: ${peak.toFixed(0)} MiB — ${Number.isNaN(peak) ? 'n/a' : status(peak < TARGET_RSS_MB)}`);
  console.log(`  100k→1M run time growth ≤ ${TARGET_GROWTH}×: ${growth === undefined ? 'n/a' : `${growth.toFixed(2)}× — ${status(growth <= TARGET_GROWTH)}`}`);
}

function fail(message, code) {
  console.error(`bench: ${message}`);
  process.exit(code);
}
