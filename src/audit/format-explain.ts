/**
 * The three renderings of `audit --id` (one row explained in full). Pure:
 * an ExplainReport in, a string out.
 */
import { formatAmount, minorDigits, percent } from '../money/amount.js';
import { rateCitation } from '../load/convert.js';
import { source, type Exception, type Row } from '../model.js';
import { table, type Table } from '../report/table.js';
import { textTable, withThousands } from '../report/text-table.js';
import { tableToCsv } from '../write/csv.js';
import type { ExplainPart, ExplainReport, ExplainView } from './explain.js';
import { clean, convertedFrom, disputedNote, rowJson, stakeJson, stakeLines } from './format-common.js';
import { isDisputed } from '../report/reports.js';
import { PLAIN, type Style } from './style.js';

const RULES: Record<string, string> = {
  'pro-rata': 'pro-rata: every part of the pool in proportion',
  fifo: 'fifo: the oldest money first',
  lifo: 'lifo: the newest money first',
  'investor-last': "investor-last: the rest first, then the investor's stakes in proportion",
  'investor-first': "investor-first: the investor's stakes first, in proportion, then the rest",
};

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** The rule of the draw in words: the method, and the earmark where there is one. */
export function drawRule(e: ExplainReport, money: (m: bigint) => string): string[] {
  const lines = [RULES[e.method] ?? e.method];
  const deal = e.transfer.earmark;
  if (e.unfunded > 0n) return lines;
  if (e.earmark !== '') {
    const holding = e.views.filter((v) => v.earmarked > 0n);
    lines.push(
      holding.length === 0
        ? `earmark ${e.earmark}: no view held stakes of that deal, so nothing was drawn from them first`
        : `earmark ${e.earmark}: in ${holding.map((v) => `${v.investor}'s view (${money(v.earmarked)} held)`).join(', ')}, the stakes of that deal were drawn first, up to their total; the method drew the rest of the outflow`,
    );
  } else if (deal !== '' && e.transfer.payerIsLedger && !e.earmarksOn) {
    lines.push(`the transfer carries deal ${deal}, but earmarks are off (--no-earmark)`);
  }
  return lines;
}

/** What becomes of one part at the payee. */
function fateText(e: ExplainReport, v: ExplainView, p: ExplainPart): string {
  const payee = e.transfer.payee;
  if (p.arrived === 0n) {
    const invest = e.invested !== null && v.investor === e.transfer.payer && p.part === 'rest' && p.drawn > 0n;
    return invest ? `became its stake ${e.invested?.stake ?? ''}` : '';
  }
  if (v.fate === 'leaves') return `leaves the ledgers (${payee} is external)`;
  if (p.part === 'rest') return v.fate === 'returning' ? `organic for ${payee}` : `not ${v.investor}'s money: rest in ${payee}'s pool`;
  if (v.fate === 'returning') return `back to its investor: circular for ${payee}`;
  return `${v.investor}'s money in ${payee}'s pool`;
}

function exceptionText(x: Exception, money: (m: bigint) => string): string {
  const other = x.counterpartyRow === null ? '' : `; other side ${x.counterpartyRow.id} ${money(x.counterpartyRow.amount)}`;
  return `${x.code} on ${x.company} ${x.id === '' ? '(no row)' : x.id} (${source(x.row)}): ${money(x.amount)}${other}; ${clean(x.detail)}`;
}

export function explainTable(e: ExplainReport, style: Style = PLAIN): string {
  const money = (m: bigint): string => withThousands(formatAmount(m, e.minorDigits));
  const t = e.transfer;
  const row = e.row;
  const out: string[] = [
    style.bold(`${e.company}'s row ${clean(row.id)} (${clean(source(row))}), explained`),
    `method ${e.method}, earmarks ${e.earmarksOn ? 'on' : 'off'}; amounts in ${e.currency || 'no currency'}`,
    '',
  ];

  const matched =
    t.matched === 'yes' ? 'both sides recorded' : t.matched === 'external' ? `${t.payerIsLedger ? t.payee : t.payer} is outside the ledgers` : `only one side recorded (the ${t.payerRow === null ? 'payer' : 'payee'} has no row)`;
  out.push(style.bold(`The transfer: ${t.payer} → ${t.payee}, ${ordinal(e.position)} of ${e.transfers} in processing order; ${matched}`));
  const sideRow = (side: string, company: string, r: Row | null, kind: string, amount: bigint): string[] =>
    r === null
      ? [side, company, '', '', kind, '', money(amount), (side === 'payer' ? t.payerIsLedger : t.payeeIsLedger) ? '(not recorded)' : '(external party)', '']
      : [side, company, clean(r.id), r.date, r.kind, r.category, money(r.amount), clean(source(r)), clean(r.memo)];
  const sides = textTable(
    [
      { title: 'side', align: 'left' },
      { title: 'company', align: 'left' },
      { title: 'id', align: 'left' },
      { title: 'date', align: 'left' },
      { title: 'kind', align: 'left' },
      { title: 'category', align: 'left' },
      { title: 'amount', align: 'right' },
      { title: 'source', align: 'left' },
      { title: 'memo', align: 'left' },
    ],
    [sideRow('payer', clean(t.payer), t.payerRow, t.payerKind, t.a), sideRow('payee', clean(t.payee), t.payeeRow, t.payeeKind, t.b)],
  );
  out.push(...indentLines(sides, '  ', style));
  for (const [side, r] of [['payer', t.payerRow], ['payee', t.payeeRow]] as const) {
    if (r?.conversion !== undefined) out.push(style.dim(`  ${side}'s amount ${convertedFrom(r.conversion)} = ${money(r.amount)} ${e.currency}`));
  }
  if (e.exceptions.length === 0) out.push(`  Exceptions: none${t.matched === 'yes' ? ' (the two sides agree)' : ''}.`);
  else {
    out.push(style.warn(`  Exceptions (${e.exceptions.length}):`));
    for (const x of e.exceptions) out.push(style.warn(`    ${exceptionText(x, money)}`));
  }
  out.push('');

  // 1. The pool before the draw.
  if (t.payerIsLedger) {
    out.push(style.bold(`1. ${t.payer}'s pool just before the payment: balance ${money(e.balanceBefore)}`));
    const holding = e.views.filter((v) => v.parts.some((p) => p.part !== 'rest' && p.before > 0n));
    if (holding.length === 0) out.push(`   No investor has a stake in it: it is all organic (rest) in every view.`);
    for (const v of holding) {
      const stakes = v.parts.filter((p) => p.part !== 'rest' && p.before > 0n).map((p) => `${money(p.before)} of ${p.part}`);
      out.push(`   in ${v.investor}'s view: ${stakes.join(', ')}; rest (not ${v.investor}'s money) ${money(v.parts[0]?.before ?? 0n)}`);
    }
  } else {
    out.push(style.bold(`1. The payer, ${clean(t.payer)}, is outside the ledgers: no pool; the money is organic (rest) in every view.`));
  }

  // 2. The draw.
  if (t.payerIsLedger) {
    const rule = drawRule(e, money);
    out.push(style.bold(`2. Drawn: ${money(t.a)} from ${t.payer}'s pool, by ${rule[0]}`));
    for (const line of rule.slice(1)) out.push(`   ${line}`);
    if (e.unfunded > 0n) {
      out.push(
        style.warn(`   the pool held only ${money(e.balanceBefore)}: all of it was drawn in every view, and the other ${money(e.unfunded)} is unfunded money from outside the ledgers (rest in every view)`),
      );
    }
  } else {
    out.push(style.bold(`2. Drawn: nothing from a pool; ${money(t.a)} of organic money enters the ledgers.`));
  }

  // 3. Invest, rescale, arrive.
  const arrived = t.payeeIsLedger ? `arrived at ${t.payee}'s pool` : `left the ledgers to ${clean(t.payee)}`;
  out.push(style.bold(`3. ${money(t.b)} ${arrived}${t.b === t.a ? '' : `, not the ${money(t.a)} paid`}`));
  if (e.invested !== null) {
    out.push(`   an investment: in ${t.payer}'s view the money is now its stake ${e.invested.stake} (tranche ${e.invested.tranche})`);
  } else if (t.payerKind === 'investment' && !t.payerIsLedger) {
    out.push(`   an investment from outside the ledgers: it creates no stake`);
  }
  if (t.b !== t.a) out.push(`   the two sides disagree: every view's split is re-split over the payee's ${money(t.b)}, in the same proportions`);

  if (e.views.length > 0) {
    const rows: string[][] = [];
    for (const v of e.views) {
      v.parts.forEach((p) => {
        rows.push([v.investor, p.part, money(p.before), money(p.drawn), money(p.arrived), fateText(e, v, p)]);
      });
    }
    const views = textTable(
      [
        { title: 'view of', align: 'left' },
        { title: 'part', align: 'left' },
        { title: 'pool before', align: 'right' },
        { title: 'drawn', align: 'right' },
        { title: 'arrived', align: 'right' },
        { title: 'then', align: 'left' },
      ],
      rows,
    );
    out.push('', `   Each investor's view splits the same money into that investor's stakes and the rest:`, ...indentLines(views, '   ', style));
    out.push(`   Every other investor's view: all rest (none of its stakes in this money).`);
  } else {
    out.push(`   No investor's stake is in this money: it is all rest in every view.`);
  }
  out.push('');

  // 4. Returning stakes.
  if (e.returning.length > 0) {
    let total = 0n;
    for (const s of e.returning) total += s.amount;
    out.push(style.bold(`4. Returning to ${t.payee}: ${money(total)} of its own investment came back (circular)`));
    out.push(...stakeLines(e.returning, money, style, '   '));
  } else {
    out.push(style.bold(`4. Returning: nothing; no stake of ${clean(t.payee)} was in this money.`));
  }

  // 5. Booked.
  const b = e.booked;
  if (b !== null) {
    out.push(
      style.bold(
        `5. Booked by ${t.payee} as ${b.row.category} revenue: ${money(b.row.amount)} = organic ${money(b.organic)} + circular ${money(b.circular)} (${percent(b.circular, b.row.amount)}%)`,
      ),
    );
    if (isDisputed(b)) out.push(style.warn(`   ${disputedNote(b)}`));
  } else if (t.payeeRow === null && t.payeeIsLedger) {
    out.push(style.bold(`5. Booked: nothing; ${t.payee} never recorded the receipt.`));
  } else if (!t.payeeIsLedger) {
    out.push(style.bold(`5. Booked: nothing in the ledgers (the payee is external).`));
  } else {
    const kind = t.payeeRow?.kind ?? t.payeeKind;
    out.push(style.bold(`5. Booked: no revenue; ${t.payee} recorded the receipt as ${kind}${e.returning.length > 0 ? ' (its returning money is listed in circular.csv, not as revenue)' : ''}.`));
  }
  return `${out.join('\n')}\n`;
}

function indentLines(text: string, indent: string, style: Style): string[] {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.map((line, i) => `${indent}${i === 0 ? style.bold(line) : line}`);
}

/**
 * CSV of one explained row: a long table a spreadsheet filters on `section`:
 * `payer_row`/`payee_row` (the transfer's sides), `exception`, `pool` (the
 * payer's balance before the draw), `draw` (amount; rule in detail),
 * `unfunded`, `arrived`, `view` (one per view and part: before, drawn,
 * arrived), `returning` (one per returning stake), `investment` (one per
 * investment row of each tranche of a returning stake) and `booked` (the
 * revenue split, as in revenue.csv).
 */
export const EXPLAIN_CSV_COLUMNS: readonly (readonly [string, 'text' | 'number'])[] = [
  ['section', 'text'],
  ['company', 'text'],
  ['id', 'text'],
  ['date', 'text'],
  ['kind', 'text'],
  ['category', 'text'],
  ['view', 'text'],
  ['part', 'text'],
  ['amount', 'number'],
  ['before', 'number'],
  ['drawn', 'number'],
  ['arrived', 'number'],
  ['organic', 'number'],
  ['circular', 'number'],
  ['circular_pct', 'number'],
  ['source', 'text'],
  ['detail', 'text'],
];

export function explainCsvTable(e: ExplainReport): Table {
  const money = (m: bigint): string => formatAmount(m, e.minorDigits);
  const t = e.transfer;
  const out = table(EXPLAIN_CSV_COLUMNS);
  const col = new Map(EXPLAIN_CSV_COLUMNS.map(([name], i) => [name, i]));
  const put = (values: Record<string, string>): void => {
    const row = new Array<string>(EXPLAIN_CSV_COLUMNS.length).fill('');
    for (const [name, value] of Object.entries(values)) row[col.get(name) as number] = value;
    out.rows.push(row);
  };
  const rowFields = (r: Row): Record<string, string> => ({ company: r.company, id: r.id, date: r.date, kind: r.kind, category: r.category, amount: money(r.amount), source: source(r) });
  for (const [section, r, company, kind, amount] of [
    ['payer_row', t.payerRow, t.payer, t.payerKind, t.a],
    ['payee_row', t.payeeRow, t.payee, t.payeeKind, t.b],
  ] as const) {
    if (r === null) put({ section, company, kind, amount: money(amount), detail: 'not recorded' });
    else put({ section, ...rowFields(r), detail: r.memo });
  }
  // SPEC §8: a converted side's amount as written and the rate used.
  for (const r of [t.payerRow, t.payeeRow]) {
    const c = r?.conversion;
    if (r === null || c === undefined) continue;
    const written = formatAmount(c.amount, minorDigits(c.currency));
    put({ section: 'conversion', ...rowFields(r), detail: `converted from ${written} ${c.currency} ${c.inverse ? '÷' : '×'} ${c.rate.rate} (${rateCitation(c)})` });
  }
  for (const x of e.exceptions) {
    put({ section: 'exception', company: x.company, id: x.id, date: x.row.date, part: x.code, amount: money(x.amount), source: source(x.row), detail: x.detail });
  }
  if (t.payerIsLedger) put({ section: 'pool', company: t.payer, amount: money(e.balanceBefore), detail: 'balance before the draw' });
  put({ section: 'draw', company: t.payer, amount: money(t.a), detail: t.payerIsLedger ? drawRule(e, money).join('; ') : 'external payer: organic money' });
  if (e.unfunded > 0n) put({ section: 'unfunded', company: t.payer, amount: money(e.unfunded) });
  put({ section: 'arrived', company: t.payee, amount: money(t.b), detail: e.invested === null ? '' : `investment: stake ${e.invested.stake}, tranche ${e.invested.tranche}` });
  for (const v of e.views) {
    for (const p of v.parts) {
      put({ section: 'view', view: v.investor, part: p.part, before: money(p.before), drawn: money(p.drawn), arrived: money(p.arrived), detail: fateText(e, v, p) });
    }
  }
  for (const s of e.returning) {
    put({ section: 'returning', company: t.payee, view: s.stake.investor, part: s.stake.key, amount: money(s.amount), detail: `${s.route}: paid by ${s.payer}` });
    for (const tr of s.tranches) {
      for (const r of tr.rows) put({ section: 'investment', view: s.stake.investor, part: s.stake.key, ...rowFields(r), detail: `tranche ${tr.tranche}` });
    }
  }
  const b = e.booked;
  if (b !== null) {
    put({
      section: 'booked',
      ...rowFields(b.row),
      organic: money(b.organic),
      circular: money(b.circular),
      circular_pct: percent(b.circular, b.row.amount),
      detail: b.payerKind === '' ? '' : `payer_kind ${b.payerKind}`,
    });
  }
  return out;
}

export function explainCsv(e: ExplainReport, options: { bom: boolean }): string {
  return tableToCsv(explainCsvTable(e), options);
}

export function explainJsonValue(e: ExplainReport): Record<string, unknown> {
  const money = (m: bigint): string => formatAmount(m, e.minorDigits);
  const t = e.transfer;
  const b = e.booked;
  return {
    company: e.company,
    id: e.row.id,
    method: e.method,
    earmark: e.earmarksOn,
    currency: e.currency,
    row: rowJson(e.row, money),
    transfer: {
      position: e.position,
      of: e.transfers,
      payer: t.payer,
      payee: t.payee,
      matched: t.matched,
      payer_kind: t.payerKind,
      payee_kind: t.payeeKind,
      payer_amount: money(t.a),
      payee_amount: money(t.b),
      payer_row: t.payerRow === null ? null : rowJson(t.payerRow, money),
      payee_row: t.payeeRow === null ? null : rowJson(t.payeeRow, money),
    },
    exceptions: e.exceptions.map((x) => ({
      code: x.code,
      company: x.company,
      id: x.id,
      date: x.row.date,
      counterparty: x.counterparty,
      amount: money(x.amount),
      counterparty_id: x.counterpartyRow?.id ?? '',
      counterparty_amount: x.counterpartyRow === null ? '' : money(x.counterpartyRow.amount),
      detail: x.detail,
      source: source(x.row),
    })),
    pool_before: t.payerIsLedger ? { company: t.payer, balance: money(e.balanceBefore) } : null,
    draw: { amount: money(t.a), method: e.method, earmark: e.earmark, unfunded: money(e.unfunded), rule: t.payerIsLedger ? drawRule(e, money) : [] },
    invested: e.invested,
    arrived: { company: t.payee, amount: money(t.b), rescaled: t.a !== t.b },
    views: e.views.map((v) => ({
      investor: v.investor,
      fate: v.fate,
      earmarked: money(v.earmarked),
      parts: v.parts.map((p) => ({ part: p.part, before: money(p.before), drawn: money(p.drawn), arrived: money(p.arrived) })),
    })),
    returning: e.returning.map((s) => stakeJson(s, money)),
    booked:
      b === null
        ? null
        : {
            id: b.row.id,
            category: b.row.category,
            amount: money(b.row.amount),
            organic: money(b.organic),
            circular: money(b.circular),
            circular_pct: percent(b.circular, b.row.amount),
            payer_kind: b.payerKind,
            disputed: isDisputed(b),
          },
  };
}

export function explainJson(e: ExplainReport): string {
  return `${JSON.stringify(explainJsonValue(e), null, 2)}\n`;
}
