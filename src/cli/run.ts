/** `roundtrip run`: the monthly batch. Reads, reconciles, checks, writes, prints a summary. */
import type { Argv, CommandModule } from 'yargs';
import { type BatchResult, runBatch } from '../batch.js';
import { formatAmount, percent } from '../money/amount.js';
import { largestCounterparties } from '../report/exposure.js';
import { parsePeriods } from '../report/period.js';
import { type ArgsOf, listOf, methodOf, readOptionsOf, withLedgers, withMethod, withPeriods } from './options.js';
import { progressFor } from './progress.js';
import { textTable, withThousands } from '../report/text-table.js';

function runOptions<T>(y: Argv<T>) {
  return withMethod(withPeriods(withLedgers(y)))
    .option('out', { type: 'string', default: 'reports', describe: 'output folder; one sub-folder per period', requiresArg: true })
    .option('bom', { type: 'boolean', default: true, describe: 'start each CSV with a UTF-8 BOM (--no-bom to drop it)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors (no summary, no progress line)' })
    .example('$0 run', 'reconcile ledgers/ into reports/all/')
    .example('$0 run --period 2026-02 --period 2026 --method fifo', 'a month and a year, Clayton\'s Case');
}

/** The options as yargs parses them (typed from the builder). */
export type RunArgs = ArgsOf<ReturnType<typeof runOptions<object>>>;

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'reconcile the ledgers and write the reports (summary, revenue, circular, exceptions, exposure, manifest, report.html)',
  builder: runOptions,
  handler: async (args) => {
    const method = methodOf(args.method);
    const periods = parsePeriods(listOf(args.period));
    const progress = progressFor(args.quiet);
    const read = readOptionsOf(args);
    let result: BatchResult;
    try {
      result = await runBatch({ ledgers: args.ledgers, out: args.out, periods, method, earmark: args.earmark, bom: args.bom, read }, progress);
    } finally {
      progress.done();
    }
    const { ledgers, reports } = result;
    if (args.quiet) return;
    const money = (m: bigint): string => withThousands(formatAmount(m, ledgers.minorDigits));
    const lines: string[] = [];
    const companies = new Set(ledgers.companies);
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
      const tops = largestCounterparties(report.exposure, companies);
      if (tops.length > 0) {
        lines.push(
          "Largest counterparty of each company, then its largest ledger company when that is another (share of the company's booked revenue; all in exposure.csv):",
        );
        lines.push(
          textTable(
            [
              { title: 'company', align: 'left' },
              { title: 'counterparty', align: 'left' },
              { title: 'booked', align: 'right' },
              { title: 'share %', align: 'right' },
              { title: 'circular', align: 'right' },
              { title: 'related', align: 'right' },
            ],
            tops.map((t) => [t.rank === 'largest' ? t.company : '', t.rank === 'largest' ? t.counterparty : `${t.counterparty} (largest ledger company)`, money(t.booked), t.sharePct, money(t.circular), money(t.related)]),
          ),
        );
      }
    }
    process.stdout.write(lines.join('\n'));
  },
};
