/**
 * circular.csv's text without an object per line (a run can bring millions of
 * returning stakes home): each line is made from the text of its transfer
 * (made once per transfer: a transfer's stakes are together in report order)
 * and of its stake (once per stake). Every byte is the one tableChunks writes
 * for the rows of report/circular.ts `circularRow`
 * (tests/report/circular.test.ts compares them).
 */
import { source, type Transfer } from '../model.js';
import { formatAmount, formatMinor } from '../money/amount.js';
import { CIRCULAR_COLUMNS } from '../report/circular.js';
import type { ReturningList } from '../trace/trace.js';
import type { Stake } from '../trace/stake.js';
import { csvField, guardFormula, type CsvOptions } from './csv.js';

/** Lines per chunk (as in write/csv.ts: a chunk stays an ordinary young string). */
const CHUNK = 256;

/**
 * circular.csv's text in chunks, as tableChunks would write the rows of
 * `circularRow`: every text field formula-guarded and quoted as needed, the
 * amount as it is (digits, a point, a minus: never quoted). A stake's
 * company, id, date, kind, payer, category and source are its transfer's,
 * made into text once per run of one transfer.
 */
export function* circularChunks(returning: ReturningList, digits: number, options: CsvOptions): Generator<string> {
  const text = (value: string): string => csvField(guardFormula(value));
  yield `${options.bom ? '\uFEFF' : ''}${CIRCULAR_COLUMNS.map(([name]) => csvField(name)).join(',')}\r\n`;
  const stakeText = new Map<Stake, string>();
  let lastT: Transfer | undefined;
  let head = '';
  let tail = '';
  let payer = '';
  let lines = '';
  let count = 0;
  for (let i = 0; i < returning.length; i++) {
    const t = returning.transferAt(i);
    if (t !== lastT) {
      lastT = t;
      payer = t.payer;
      const c = returning.at(i);
      const cited = c.cited;
      head = `${text(c.company)},${text(c.row?.id ?? '')},${text(cited.date)},${text(c.kind)},${text(payer)},${text(c.category)},`;
      tail = `,${text(source(cited))}\r\n`;
    }
    const s = returning.stakeAt(i);
    let st = stakeText.get(s);
    if (st === undefined) stakeText.set(s, (st = `${text(s.investee)},${text(s.deal)},`));
    const x = returning.minorAt(i);
    const amount = x === x ? formatMinor(x, digits) : formatAmount(returning.amountAt(i), digits);
    lines += `${head}${st}${s.investee === payer ? 'direct' : 'indirect'},${amount}${tail}`;
    if (++count === CHUNK) {
      yield lines;
      lines = '';
      count = 0;
    }
  }
  if (count > 0) yield lines;
}

