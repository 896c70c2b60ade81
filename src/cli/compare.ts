/**
 * `roundtrip compare`: all five tracing methods side by side (SPEC §3.4).
 * One read, one match, ten traces (five methods, earmarks on and off);
 * writes methods.csv into each period folder and prints the table, widest
 * spreads first.
 */
import type { Argv, CommandModule } from 'yargs';
import { byWidestSpread, differs, type MethodsLine } from '../compare/compare.js';
import { METHODS_FILE, runCompare } from '../compare/run.js';
import { formatAmount } from '../money/amount.js';
import { parsePeriods } from '../report/period.js';
import { textTable, withThousands, type TextColumn } from '../report/text-table.js';
import { METHODS } from '../trace/methods.js';
import { type ArgsOf, listOf, readOptionsOf, withLedgers, withPeriods } from './options.js';

const earmarkWord = (on: boolean): string => (on ? 'earmarks on' : 'earmarks off');

function compareOptions<T>(y: Argv<T>) {
  return withPeriods(withLedgers(y))
    .option('out', { type: 'string', default: 'reports', describe: 'output folder; methods.csv goes into one sub-folder per period, beside the run\'s reports', requiresArg: true })
    .option('earmark', { type: 'boolean', default: true, describe: 'methods.csv with earmarks (--no-earmark: without); the other setting is traced too and printed where it differs' })
    .option('bom', { type: 'boolean', default: true, describe: 'start the CSV with a UTF-8 BOM (--no-bom to drop it)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
    .example('$0 compare', 'write reports/all/methods.csv and print the five answers, widest spreads first')
    .example('$0 compare --period 2026 --no-earmark', 'one year, deal earmarks ignored');
}

/** The options as yargs parses them (typed from the builder). */
export type CompareArgs = ArgsOf<ReturnType<typeof compareOptions<object>>>;

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare',
  describe: 'trace by all five methods (with and without earmarks) and write methods.csv per period: how much the answer depends on the method',
  builder: compareOptions,
  handler: async (args) => {
    const periods = parsePeriods(listOf(args.period));
    const { ledgers, periods: perPeriod } = await runCompare({ ledgers: args.ledgers, out: args.out, periods, earmark: args.earmark, bom: args.bom, read: readOptionsOf(args) });
    const digits = ledgers.minorDigits;
    if (args.quiet) return;

    const money = (m: bigint): string => withThousands(formatAmount(m, digits));
    const out = args.out.replace(/\/+$/, '');
    const text: string[] = [];
    for (const { period, lines, other } of perPeriod) {
      text.push(`${out}/${period.name}/${METHODS_FILE}  (circular revenue by method, ${earmarkWord(args.earmark)}, ${ledgers.currency || 'no currency'}; ${lines.length === 1 ? '1 company/category row' : `${lines.length} company/category rows`}, widest spreads first)`);
      const columns: TextColumn[] = [
        { title: 'company', align: 'left' },
        { title: 'category', align: 'left' },
        { title: 'booked', align: 'right' },
        ...METHODS.map((m): TextColumn => ({ title: m, align: 'right' })),
        { title: 'min', align: 'right' },
        { title: 'max', align: 'right' },
        { title: 'spread %', align: 'right' },
      ];
      const sorted = [...lines].sort(byWidestSpread);
      text.push(textTable(columns, sorted.map((l) => [l.company, l.category, money(l.booked), ...l.circular.map(money), money(l.min), money(l.max), l.spreadPct])));

      // The other earmark setting: only the rows whose figures it changes.
      const otherByKey = new Map<string, MethodsLine>(other.map((l) => [`${l.company}\u0000${l.category}`, l]));
      const changed = sorted
        .map((l) => ({ l, o: otherByKey.get(`${l.company}\u0000${l.category}`) as MethodsLine }))
        .filter(({ l, o }) => differs(l, o));
      const otherWord = earmarkWord(!args.earmark);
      if (changed.length === 0) text.push(`With ${otherWord} (${args.earmark ? '--no-earmark' : 'the default'}), every figure is the same.\n`);
      else {
        text.push(`With ${otherWord} (${args.earmark ? '--no-earmark' : 'the default'}), ${changed.length === 1 ? '1 row changes' : `${changed.length} rows change`} (not in ${METHODS_FILE}):`);
        text.push(
          textTable(
            columns,
            changed.map(({ o }) => [o.company, o.category, money(o.booked), ...o.circular.map(money), money(o.min), money(o.max), o.spreadPct]),
          ),
        );
      }
    }
    process.stdout.write(text.join('\n'));
  },
};
