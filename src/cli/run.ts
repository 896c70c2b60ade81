/** `roundtrip run`: the monthly batch. Reads, reconciles, checks, writes, prints a summary. */
import type { CommandModule } from 'yargs';
import { readLedgers } from '../load/read.js';
import { formatAmount, percent } from '../money/amount.js';
import { matchTransfers } from '../match/match.js';
import { reconcileTraced, reportFolderStreams, traceOptions } from '../pipeline.js';
import { traceInThreads } from '../trace/trace.js';
import type { Ledgers } from '../model.js';
import { parsePeriods } from '../report/period.js';
import type { PeriodReport } from '../report/reports.js';
import { writeFolders } from '../write/atomic.js';
import { jobsOf, listOf, methodOf, withLedgers, withMethod, withPeriods } from './options.js';
import { progressFor } from './progress.js';
import { textTable, withThousands } from './text.js';

export interface RunArgs {
  ledgers: string;
  jobs: string;
  out: string;
  period: string[];
  method: string;
  earmark: boolean;
  bom: boolean;
  quiet: boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'reconcile the ledgers and write the reports (summary, revenue, circular, exceptions, manifest)',
  builder: (y) =>
    withMethod(withPeriods(withLedgers(y)))
      .option('out', { type: 'string', default: 'reports', describe: 'output folder; one sub-folder per period', requiresArg: true })
      .option('bom', { type: 'boolean', default: true, describe: 'start each CSV with a UTF-8 BOM (--no-bom to drop it)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors (no summary, no progress line)' })
      .example('$0 run', 'reconcile ledgers/ into reports/all/')
      .example('$0 run --period 2026-02 --period 2026 --method fifo', 'a month and a year, Clayton\'s Case') as never,
  handler: async (args) => {
    const method = methodOf(args.method);
    const periods = parsePeriods(listOf(args.period));
    const progress = progressFor(args.quiet);
    const jobs = jobsOf(args.jobs);
    let ledgers: Ledgers;
    let reports: PeriodReport[];
    try {
      progress.stage('loading', 1, 'files');
      let loading = 'loading';
      ledgers = await readLedgers(
        args.ledgers,
        (done, total, rows) => {
          if (done === 0) progress.stage(loading, total, 'files');
          else progress.update(done, rows);
        },
        { jobs, onThreads: (threads) => (loading = `loading in ${threads} threads`) },
      );
      progress.stage('matching', ledgers.rows.length, 'rows');
      const matched = matchTransfers(ledgers, (done) => progress.update(done));
      progress.stage('tracing', matched.transfers.length, 'transfers');
      const options = traceOptions(ledgers, { method, earmark: args.earmark, onProgress: (done) => progress.update(done) });
      const traced = await traceInThreads(matched.transfers, ledgers.companies, options, jobs, (threads) =>
        progress.stage(`tracing in ${threads} threads`, matched.transfers.length, 'transfers'),
      );
      const rec = reconcileTraced(ledgers, matched, traced);
      progress.stage('reporting', periods.length, 'folders');
      const built = reportFolderStreams(rec, periods, { bom: args.bom });
      reports = built.reports;
      // writeFolders catches Ctrl-C (and SIGTERM) itself while it writes: no partial output.
      await writeFolders(args.out, built.folders);
    } finally {
      progress.done();
    }
    if (args.quiet) return;
    const money = (m: bigint): string => withThousands(formatAmount(m, ledgers.minorDigits));
    const lines: string[] = [];
    for (const report of reports) {
      lines.push(
        `${args.out.replace(/\/+$/, '')}/${report.period}/  (${method}, earmarks ${args.earmark ? 'on' : 'off'}, ${ledgers.currency || 'no currency'}; ${report.revenue.length} revenue rows, ${report.exceptions.length} exceptions)`,
      );
      lines.push(
        textTable(
          [
            { title: 'company', align: 'left' },
            { title: 'category', align: 'left' },
            { title: 'booked', align: 'right' },
            { title: 'circular', align: 'right' },
            { title: 'circular %', align: 'right' },
            { title: 'disputed', align: 'right' },
          ],
          report.summary.map((s) => [s.company, s.category, money(s.booked), money(s.circular), percent(s.circular, s.booked), money(s.disputed)]),
        ),
      );
    }
    process.stdout.write(lines.join('\n'));
  },
};
