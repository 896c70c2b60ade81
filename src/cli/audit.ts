/**
 * `roundtrip audit COMPANY`: one company's booked revenue, row by row, with
 * the stakes behind its circular money and the investment rows they started
 * as; `--id ROW_ID` explains one row's transfer in full. Thin: reads the
 * ledgers, calls src/audit/, prints.
 */
import type { Argv, CommandModule } from 'yargs';
import { assertCompany, auditCompany, auditPeriod } from '../audit/audit.js';
import { explainRow } from '../audit/explain.js';
import { auditCsv, auditJson, auditTable, periodText } from '../audit/format.js';
import { explainCsv, explainJson, explainTable } from '../audit/format-explain.js';
import { ANSI, PLAIN, wantsColour } from '../audit/style.js';
import { usageError } from '../errors.js';
import { readLedgers } from '../load/read.js';
import { reconcileLedgers } from '../pipeline.js';
import { ALL } from '../report/period.js';
import { type ArgsOf, listOf, methodOf, readOptionsOf, withLedgers, withMethod } from './options.js';

export const AUDIT_FORMATS = ['table', 'csv', 'json'] as const;

function auditOptions<T>(y: Argv<T>) {
  return withMethod(withLedgers(y))
    .positional('company', { type: 'string', demandOption: true, describe: 'the company id (its ledger file name up to the first dot, e.g. amazon)' })
    .option('period', { type: 'string', describe: 'only rows dated in YYYY-MM, YYYY or YYYY-MM..YYYY-MM (a range is one listing)', requiresArg: true })
    .option('format', { type: 'string', choices: AUDIT_FORMATS, default: 'table', describe: 'table for a terminal; csv (report dialect) or json for tools', requiresArg: true })
    .option('only', { type: 'string', choices: ['circular'], describe: 'list only the rows with circular money (totals still cover every row)', requiresArg: true })
    .option('id', { type: 'string', describe: "explain one row of the company's ledger in full: its transfer, the payer's pool, the draw, the returning stakes", requiresArg: true })
    .option('bom', { type: 'boolean', default: true, describe: 'start CSV output with a UTF-8 BOM (--no-bom to drop it)' })
    .conflicts('id', 'only')
    .example('$0 audit amazon', "Amazon's booked revenue, organic and circular, row by row")
    .example('$0 audit nvidia --period 2026 --only circular', 'the 2026 rows with circular money')
    .example('$0 audit nvidia --id NVDA-0092', 'one row explained: pool, draw, returning stakes')
    .example('$0 audit amazon --format csv > amazon-audit.csv', 'for a spreadsheet (filter on the line column)');
}

/** The options as yargs parses them (typed from the builder). */
export type AuditArgs = ArgsOf<ReturnType<typeof auditOptions<object>>>;

export const auditCommand: CommandModule<object, AuditArgs> = {
  command: 'audit <company>',
  describe: "one company's booked revenue, row by row: organic, circular, and for each circular part the stake, route and the investment rows it traces to",
  builder: auditOptions,
  handler: async (args) => {
    // Checked here as well as by yargs: main.ts records a yargs validation
    // failure without stopping the handler, and audit must not print a listing
    // in a format that was refused.
    const format = String(args.format);
    if (!(AUDIT_FORMATS as readonly string[]).includes(format)) throw usageError(`--format ${JSON.stringify(format)} is not a format (expected one of ${AUDIT_FORMATS.join(', ')})`);
    if (args.only !== undefined && String(args.only) !== 'circular') throw usageError(`--only ${JSON.stringify(String(args.only))} is not a filter (expected circular)`);
    if (args.id !== undefined && args.only !== undefined) throw usageError('--id explains one row; it cannot be combined with --only');
    const method = methodOf(args.method);
    const periods = listOf(args.period);
    const period = periods.length === 0 ? undefined : auditPeriod(periods);
    const ledgers = await readLedgers(args.ledgers, undefined, readOptionsOf(args));
    const company = String(args.company);
    assertCompany(ledgers.companies, company, args.ledgers);
    const style = wantsColour(process.stdout.isTTY, process.env) ? ANSI : PLAIN;
    const choice = { method, earmark: args.earmark };

    if (args.id !== undefined) {
      const explained = explainRow(ledgers, choice, company, String(args.id), period);
      const text = format === 'json' ? explainJson(explained) : format === 'csv' ? explainCsv(explained, { bom: args.bom }) : explainTable(explained, style);
      process.stdout.write(text);
      return;
    }

    const rec = reconcileLedgers(ledgers, choice);
    const report = auditCompany(rec, company, { period: period ?? ALL, only: args.only === 'circular' ? 'circular' : 'all' });
    if (format === 'table') {
      process.stdout.write(auditTable(report, style));
      return;
    }
    // The table says so itself; a CSV or JSON document stays a valid, empty listing.
    if (report.booked === 0) process.stderr.write(`roundtrip: ${company} booked no revenue in ${periodText(report.period)}\n`);
    process.stdout.write(format === 'json' ? auditJson(report) : auditCsv(report, { bom: args.bom }));
  },
};
