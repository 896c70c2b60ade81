/** `roundtrip check`: validates and matches only; prints the exceptions; writes nothing. */
import type { CommandModule } from 'yargs';
import { readLedgers } from '../load/read.js';
import { matchTransfers } from '../match/match.js';
import { formatAmount } from '../money/amount.js';
import { source } from '../model.js';
import { textTable, withThousands } from '../report/text-table.js';
import { byCodeUnits } from '../sort.js';
import { type ArgsOf, readOptionsOf, withLedgers } from './options.js';
import { plural } from '../words.js';

/** The options as yargs parses them (typed from the builder). */
export type CheckArgs = ArgsOf<ReturnType<typeof withLedgers<object>>>;

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'validate the ledgers and match both sides of every transfer; print the exceptions; write nothing',
  builder: (y) => withLedgers(y).example('$0 check --ledgers ledgers', 'exit 0 when the ledgers are valid, 2 when not'),
  handler: async (args) => {
    const ledgers = await readLedgers(args.ledgers, undefined, readOptionsOf(args));
    const matched = matchTransfers(ledgers);
    const counts = { yes: 0, no: 0, external: 0 };
    for (const t of matched.transfers) counts[t.matched]++;
    const money = (m: bigint): string => withThousands(formatAmount(m, ledgers.minorDigits));
    const out: string[] = [
      `${plural(ledgers.files.length, 'input file')}, ${plural(ledgers.companies.length, 'company', 'companies')}, ${plural(ledgers.rows.length, 'row')}, currency ${ledgers.currency || '(none)'}`,
      `${plural(matched.transfers.length, 'transfer')}: ${plural(counts.yes, 'matched pair')}, ${plural(counts.no, 'unmatched side')}, ${counts.external} with external parties`,
    ];
    const ownership = ledgers.ownership;
    if (ownership !== undefined) out.push(`${ownership.holdings.length === 1 ? '1 holding' : `${ownership.holdings.length} holdings`} declared in ${ownership.path}`);
    const exceptions = [...matched.exceptions].sort((x, y) => byCodeUnits(x.company, y.company) || x.row.ts - y.row.ts || x.row.seq - y.row.seq);
    if (exceptions.length === 0) out.push('no exceptions (unfunded outflows are found by tracing: see roundtrip run)\n');
    else {
      out.push(`${plural(exceptions.length, 'exception')} (unfunded outflows are found by tracing: see roundtrip run):`);
      out.push(
        textTable(
          [
            { title: 'code', align: 'left' },
            { title: 'company', align: 'left' },
            { title: 'id', align: 'left' },
            { title: 'date', align: 'left' },
            { title: 'amount', align: 'right' },
            { title: 'detail', align: 'left' },
            { title: 'source', align: 'left' },
          ],
          exceptions.map((e) => [e.code, e.company, e.id, e.row.date, money(e.amount), e.detail, source(e.row)]),
        ),
      );
    }
    process.stdout.write(`${out.join('\n').replace(/\n+$/, '')}\n`);
  },
};
