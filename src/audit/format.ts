/**
 * The three renderings of an audit listing (`--format table|csv|json`).
 * Pure functions from an AuditReport to a string; the command prints it.
 *
 * - table: for a terminal (free text, SPEC §7). Aligned columns, amounts
 *   right-aligned with thousands separators; under each row with circular
 *   money one indented line per returning stake and one per investment
 *   tranche it traces to; totals per category and overall at the end.
 * - csv: the report dialect of SPEC §4 (tableToCsv: BOM unless --no-bom,
 *   CRLF, formula-injection apostrophe), plain decimals. See AUDIT_CSV_COLUMNS.
 * - json: one document with the same content, amounts as strings.
 */
import { formatAmount, minorDigits, percent } from '../money/amount.js';
import { source, type Row } from '../model.js';
import { isDisputed, type SummaryLine } from '../report/reports.js';
import { table, type Table } from '../report/table.js';
import { textTable, withThousands } from '../report/text-table.js';
import { tableToCsv } from '../write/csv.js';
import { clean, conversionJson, convertedFrom, disputedNote, stakeJson, stakeLines } from './format-common.js';
import type { AuditReport, AuditTotal } from './audit.js';
import { PLAIN, type Style } from './style.js';

/** `100 × part / whole`, or '' where nothing was booked. */
export function pctOf(part: bigint, whole: bigint): string {
  return whole > 0n ? percent(part, whole) : '';
}

export function periodText(period: string): string {
  return period === 'all' ? 'all dates' : `period ${period}`;
}

function totalsTable(categories: readonly SummaryLine[], total: AuditTotal, money: (m: bigint) => string): string {
  const row = (name: string, t: AuditTotal): string[] => [name, String(t.rows), money(t.booked), money(t.organic), money(t.circular), pctOf(t.circular, t.booked), money(t.disputed)];
  return textTable(
    [
      { title: 'category', align: 'left' },
      { title: 'rows', align: 'right' },
      { title: 'booked', align: 'right' },
      { title: 'organic', align: 'right' },
      { title: 'circular', align: 'right' },
      { title: 'circular %', align: 'right' },
      { title: 'disputed', align: 'right' },
    ],
    [...categories.map((c) => row(c.category, c)), row('all', total)],
  );
}

/** Bold header line (the first line of a textTable). */
function boldHeader(text: string, style: Style): string {
  const lines = text.split('\n');
  lines[0] = style.bold(lines[0] as string);
  return lines.join('\n');
}

export function auditTable(report: AuditReport, style: Style = PLAIN): string {
  const money = (m: bigint): string => withThousands(formatAmount(m, report.minorDigits));
  const { company } = report;
  const out: string[] = [
    style.bold(`${company}: booked revenue, ${periodText(report.period)}`),
    `method ${report.method}, earmarks ${report.earmark ? 'on' : 'off'}; amounts in ${report.currency || 'no currency'}`,
  ];
  if (report.booked === 0) {
    out.push('', `${company} booked no revenue in ${periodText(report.period)}.`);
    return `${out.join('\n')}\n`;
  }
  out.push(
    `organic: money that came to ${company} from elsewhere; circular: ${company}'s own investment coming back to it.`,
    `Under each row with circular money: the stake it belongs to (investor>investee#deal), its route and the investment rows it started as.`,
    `related: ${company} and the payer were related parties on the row's date (a declared holding either way, or an investment between them).`,
    '',
  );
  if (report.only === 'circular') {
    out.push(
      report.lines.length === 0
        ? `None of the ${report.booked} revenue rows has circular money.`
        : `Showing ${report.lines.length === 1 ? 'the 1 row' : `the ${report.lines.length} rows`} with circular money, of ${report.booked} (--only circular).`,
    );
  }
  if (report.lines.length > 0) {
    const rows = report.lines.map(({ line, related }) => {
      const r = line.row;
      return [r.date, clean(r.id), clean(r.counterparty), r.category, money(r.amount), money(line.organic), money(line.circular), percent(line.circular, r.amount), line.transfer.matched, related === '' ? '' : 'yes', clean(source(r)), clean(r.memo)];
    });
    const listing = textTable(
      [
        { title: 'date', align: 'left' },
        { title: 'id', align: 'left' },
        { title: 'payer', align: 'left' },
        { title: 'category', align: 'left' },
        { title: 'amount', align: 'right' },
        { title: 'organic', align: 'right' },
        { title: 'circular', align: 'right' },
        { title: 'circular %', align: 'right' },
        { title: 'matched', align: 'left' },
        { title: 'related', align: 'left' },
        { title: 'source', align: 'left' },
        { title: 'memo', align: 'left' },
      ],
      rows,
    ).split('\n');
    // Detail lines start under the id column.
    const indent = ' '.repeat(Math.max(4, ...report.lines.map(({ line }) => line.row.date.length)) + 2);
    out.push(style.bold(listing[0] as string), listing[1] as string);
    report.lines.forEach(({ line, stakes, related }, i) => {
      out.push(listing[i + 2] as string);
      const c = line.row.conversion;
      if (c !== undefined) out.push(style.dim(`${indent}${convertedFrom(c)} = ${money(line.row.amount)} ${report.currency}`));
      if (isDisputed(line)) out.push(style.warn(`${indent}${disputedNote(line)}`));
      if (related !== '') out.push(style.dim(`${indent}related party: ${related}`));
      out.push(...stakeLines(stakes, money, style, indent));
    });
  }
  out.push('', style.bold(`Totals over ${report.booked === 1 ? "the 1 revenue row" : `all ${report.booked} revenue rows`} of ${company}, ${periodText(report.period)}`));
  out.push(boldHeader(totalsTable(report.categories, report.total, money), style));
  return out.join('\n');
}

/**
 * CSV: one table a spreadsheet can filter on its first column, `line`:
 * - `revenue`: one per booked revenue row; the revenue columns hold its figures;
 *   `related` is yes when the company and the payer were related parties on
 *   its date (SPEC §9), and `related_because` says why.
 * - `stake`: one per returning stake of that row; the row's identifying
 *   columns (company…category, source) are repeated, its figures are left
 *   empty, and stake…stake_amount describe the stake.
 * - `investment`: one per investment row (either ledger) of each tranche that
 *   created the stake; the stake columns are repeated, and tranche and
 *   investment_* describe the row.
 * - `category_total` (one per category) and `total` (overall): booked,
 *   organic, circular, circular_pct and disputed over every revenue row of
 *   the period (the figures of summary.csv); id and the row columns empty.
 * So the amounts of one level never repeat: filtering `line` = revenue and
 * summing `circular` gives the `total` row; filtering `stake` and summing
 * `stake_amount` gives the same circular figure.
 */
export const AUDIT_CSV_COLUMNS: readonly (readonly [string, 'text' | 'number'])[] = [
  ['line', 'text'],
  ['company', 'text'],
  ['id', 'text'],
  ['date', 'text'],
  ['payer', 'text'],
  ['category', 'text'],
  ['amount', 'number'],
  ['organic', 'number'],
  ['circular', 'number'],
  ['circular_pct', 'number'],
  ['disputed', 'number'],
  ['matched', 'text'],
  ['payer_kind', 'text'],
  ['related', 'text'],
  ['related_because', 'text'],
  ['source', 'text'],
  ['memo', 'text'],
  ['stake', 'text'],
  ['investor', 'text'],
  ['investee', 'text'],
  ['deal', 'text'],
  ['route', 'text'],
  ['stake_amount', 'number'],
  ['tranche', 'number'],
  ['investment_company', 'text'],
  ['investment_id', 'text'],
  ['investment_date', 'text'],
  ['investment_kind', 'text'],
  ['investment_amount', 'number'],
  ['investment_source', 'text'],
];

/**
 * SPEC §8: added after the others when a listed row was converted: on a
 * `revenue` line the revenue row's amount as written, its currency and the
 * rate used; on an `investment` line the investment row's.
 */
export const AUDIT_CSV_CONVERSION_COLUMNS: readonly (readonly [string, 'text' | 'number'])[] = [
  ['original_amount', 'number'],
  ['original_currency', 'text'],
  ['rate', 'number'],
  ['rate_from', 'text'],
  ['rate_to', 'text'],
  ['rate_date', 'text'],
  ['rate_direction', 'text'],
  ['rate_source', 'text'],
];

/** The CSV columns of a conversion (empty object for a row in the reporting currency). */
function conversionColumns(r: Row): Record<string, string> {
  const c = r.conversion;
  if (c === undefined) return {};
  return {
    original_amount: formatAmount(c.amount, minorDigits(c.currency)),
    original_currency: c.currency,
    rate: c.rate.rate,
    rate_from: c.rate.from,
    rate_to: c.rate.to,
    rate_date: c.rate.date,
    rate_direction: c.inverse ? 'inverse' : 'direct',
    rate_source: `${c.ratesFile}:${c.rate.line}`,
  };
}

/** Does the listing show a converted row (then the CSV has the conversion columns)? */
function showsConversion(report: AuditReport): boolean {
  return report.lines.some(({ line, stakes }) => line.row.conversion !== undefined || stakes.some((s) => s.tranches.some((tr) => tr.rows.some((r) => r.conversion !== undefined))));
}

export function auditCsvTable(report: AuditReport): Table {
  const money = (m: bigint): string => formatAmount(m, report.minorDigits);
  const columns = showsConversion(report) ? [...AUDIT_CSV_COLUMNS, ...AUDIT_CSV_CONVERSION_COLUMNS] : AUDIT_CSV_COLUMNS;
  const t = table(columns);
  const width = columns.length;
  const col = new Map(columns.map(([name], i) => [name, i]));
  const put = (values: Record<string, string>): void => {
    const row = new Array<string>(width).fill('');
    for (const [name, value] of Object.entries(values)) row[col.get(name) as number] = value;
    t.rows.push(row);
  };
  for (const { line, stakes, related } of report.lines) {
    const r = line.row;
    const id = { company: r.company, id: r.id, date: r.date, payer: line.transfer.payer, category: r.category, source: source(r) };
    put({
      line: 'revenue',
      ...id,
      amount: money(r.amount),
      organic: money(line.organic),
      circular: money(line.circular),
      circular_pct: percent(line.circular, r.amount),
      disputed: money(isDisputed(line) ? r.amount : 0n),
      matched: line.transfer.matched,
      payer_kind: line.payerKind,
      related: related === '' ? 'no' : 'yes',
      related_because: related,
      memo: r.memo,
      ...conversionColumns(r),
    });
    for (const s of stakes) {
      const stake = { stake: s.stake.key, investor: s.stake.investor, investee: s.stake.investee, deal: s.stake.deal, route: s.route };
      put({ line: 'stake', ...id, ...stake, stake_amount: money(s.amount) });
      for (const tr of s.tranches) {
        for (const ir of tr.rows) {
          put({
            line: 'investment',
            ...id,
            ...stake,
            tranche: String(tr.tranche),
            investment_company: ir.company,
            investment_id: ir.id,
            investment_date: ir.date,
            investment_kind: ir.kind,
            investment_amount: money(ir.amount),
            investment_source: source(ir),
            ...conversionColumns(ir),
          });
        }
      }
    }
  }
  const totals = (line: string, category: string, x: AuditTotal): void =>
    put({
      line,
      company: report.company,
      category,
      amount: money(x.booked),
      organic: money(x.organic),
      circular: money(x.circular),
      circular_pct: pctOf(x.circular, x.booked),
      disputed: money(x.disputed),
    });
  for (const c of report.categories) totals('category_total', c.category, c);
  totals('total', '', report.total);
  return t;
}

export function auditCsv(report: AuditReport, options: { bom: boolean }): string {
  return tableToCsv(auditCsvTable(report), options);
}

function totalJson(x: AuditTotal, money: (m: bigint) => string): Record<string, unknown> {
  return {
    booked: money(x.booked),
    organic: money(x.organic),
    circular: money(x.circular),
    circular_pct: pctOf(x.circular, x.booked),
    disputed: money(x.disputed),
    rows: x.rows,
  };
}

export function auditJsonValue(report: AuditReport): Record<string, unknown> {
  const money = (m: bigint): string => formatAmount(m, report.minorDigits);
  return {
    company: report.company,
    period: report.period,
    method: report.method,
    earmark: report.earmark,
    currency: report.currency,
    only: report.only,
    revenue_rows: report.booked,
    lines: report.lines.map(({ line, stakes, related }) => {
      const r = line.row;
      return {
        id: r.id,
        date: r.date,
        payer: line.transfer.payer,
        category: r.category,
        amount: money(r.amount),
        organic: money(line.organic),
        circular: money(line.circular),
        circular_pct: percent(line.circular, r.amount),
        matched: line.transfer.matched,
        payer_kind: line.payerKind,
        disputed: isDisputed(line),
        related: related !== '',
        related_because: related,
        source: source(r),
        memo: r.memo,
        ...(r.conversion === undefined ? {} : { conversion: conversionJson(r.conversion) }),
        stakes: stakes.map((s) => stakeJson(s, money)),
      };
    }),
    categories: report.categories.map((c) => ({ category: c.category, ...totalJson(c, money) })),
    total: totalJson(report.total, money),
  };
}

export function auditJson(report: AuditReport): string {
  return `${JSON.stringify(auditJsonValue(report), null, 2)}\n`;
}
