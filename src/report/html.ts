/**
 * report.html (SPEC §11): one period as a page to look at. One self-contained
 * file: inline CSS and SVG, no script, nothing loaded from anywhere (the
 * Content-Security-Policy forbids it), printable, no clock time.
 *
 * The page is made from the same formatted rows as the CSV reports (and the
 * figures of manifest.json), so every figure on it is one of theirs, as
 * written there (thousands separators added for reading). The one figure
 * computed here is the exact sum of the returning stakes not drawn one by
 * one. Every ledger text is escaped: hostile names show as text.
 *
 * Pure: strings in, a string out.
 */
import { formatAmount } from '../money/amount.js';
import { COLUMN_TITLES, FLOW_HEIGHT, layoutFlows, type FlowBand, type FlowLayout } from './flows.js';

/** The rows of a report table, as made for its CSV file. */
export interface TableRows {
  readonly header: readonly string[];
  readonly rows: Iterable<readonly string[]>;
}

/** The figures of manifest.json the page shows. */
export interface ManifestFigures {
  readonly version: string;
  readonly method: string;
  readonly earmark: boolean;
  readonly period: string;
  readonly currency: string;
  readonly inputs: readonly { readonly file: string; readonly rows: number }[];
  /** The rates file read (SPEC §8), absent when there was none. */
  readonly rates?: { readonly file: string; readonly rows: number };
  /** The ownership file read (SPEC §9), null or absent when there was none. */
  readonly ownership?: { readonly file: string; readonly rows: number } | null;
  readonly totals: {
    readonly ledger_rows: number;
    readonly revenue_rows: number;
    readonly booked: string;
    readonly organic: string;
    readonly circular: string;
    readonly disputed: string;
    readonly circular_rows: number;
  };
  readonly exceptions: Readonly<Record<string, number>>;
}

/** A loop of report.html: the returning stakes of one investor, investee and payer (null: route direct), summed. */
export interface LoopSum {
  readonly investor: string;
  readonly investee: string;
  readonly payer: string | null;
  minor: bigint;
}

/**
 * What the loops part shows of circular.csv: its DRAWN_FLOWS largest rows
 * (larger first, then earlier in the file), every loop's sum in order of
 * first appearance, the count and the total of all its rows.
 */
export interface CircularFlows {
  readonly header: readonly string[];
  readonly top: readonly { readonly row: readonly string[]; readonly minor: bigint }[];
  readonly loops: readonly LoopSum[];
  readonly count: number;
  readonly all: bigint;
}

export interface ReportPage {
  readonly manifest: ManifestFigures;
  readonly summary: TableRows;
  /** circular.csv's rows, or what the page shows of them, gathered as they were made (report/circular.ts). */
  readonly circular: TableRows | CircularFlows;
  /** exposure.csv's rows; null where the run has none to give. */
  readonly exposure: TableRows | null;
  /** The currency's minor-unit digits. */
  readonly digits: number;
}

/** How many returning stakes are drawn one by one (SPEC §11: at least 30); the rest are summed. */
export const DRAWN_FLOWS = 30;
/** How many counterparties are listed per company in the exposure part. */
export const EXPOSURE_ROWS = 10;

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for HTML (element content and quoted attributes alike): the five
 * markup characters as references; control characters, which HTML forbids,
 * as U+FFFD.
 */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '\ufffd');
}

/** A report figure as written in the CSV, with thousands separators: 1234567.00 → 1,234,567.00. */
export function withSeparators(figure: string): string {
  const m = /^(-?)([0-9]+)(\.[0-9]+)?$/.exec(figure);
  if (m === null) return figure;
  return `${m[1]}${(m[2] as string).replace(/\B(?=(?:[0-9]{3})+$)/g, ',')}${m[3] ?? ''}`;
}

/** A report amount back in minor units (exact). */
function minorOf(figure: string, digits: number): bigint {
  const dot = figure.indexOf('.');
  const whole = dot < 0 ? figure : figure.slice(0, dot);
  const fraction = dot < 0 ? '' : figure.slice(dot + 1);
  return BigInt(whole + fraction.padEnd(digits, '0'));
}

/** Columns by name: a row's values read through the header. */
function reader(t: TableRows, names: readonly string[]): (row: readonly string[], name: string) => string {
  const at = new Map(t.header.map((h, i) => [h, i]));
  for (const name of names) if (!at.has(name)) throw new Error(`report.html: the table has no column ${name}`);
  return (row, name) => row[at.get(name) as number] ?? '';
}

/** A number: two decimals at most, no -0, as SVG wants it. */
function num(x: number): string {
  const r = Math.round(x * 100) / 100;
  return String(r === 0 ? 0 : r);
}

const e = escapeHtml;
/** A figure cell: right-aligned, separated, its column named for readers and tests. */
const fig = (column: string, figure: string): string => `<td class="n" data-col="${column}">${e(withSeparators(figure))}</td>`;
const txt = (column: string, text: string): string => `<td data-col="${column}">${e(text)}</td>`;

const STYLE = `
:root{--organic:#4c78a8;--circular:#e45756;--rest:#b8b8b8;--ink:#1d1d1f;--mute:#6b6b70;--rule:#d9d9de}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1080px;padding:24px 28px 48px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:36px 0 8px;padding-top:8px;border-top:2px solid var(--ink)}
h3{font-size:15px;margin:20px 0 6px}
p{margin:6px 0}
.sub,.note{color:var(--mute)}
.note{font-size:12px}
table{border-collapse:collapse;margin:8px 0 4px;font-size:12.5px}
th,td{padding:3px 6px;border-bottom:1px solid var(--rule);text-align:left;vertical-align:middle;white-space:nowrap}
th{font-weight:600;border-bottom:1.5px solid var(--ink);white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.zero{color:var(--mute)}
tfoot td,tr.more td{border-bottom:none;color:var(--mute)}
tr.group th{padding-top:14px;font-size:14px;border-bottom:1px solid var(--ink)}
code,.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.cols{display:flex;flex-wrap:wrap;gap:12px 40px;align-items:flex-start}
dl.facts{display:grid;grid-template-columns:max-content max-content;gap:2px 16px;margin:8px 0}
dl.facts dt{color:var(--mute)}
dl.facts dd{margin:0;font-variant-numeric:tabular-nums}
.bar{display:block}
.key{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px;vertical-align:baseline}
svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;fill:var(--ink)}
svg .col{font-weight:600;fill:var(--mute)}
svg .node{font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
svg .flow{font-variant-numeric:tabular-nums}
svg.loops{width:100%;height:auto;max-width:1000px}
.ribbons path{fill:none;stroke-opacity:.6}
.ribbons path.rest{stroke-opacity:.22}
.leader{stroke:var(--mute);stroke-width:.6}
.wide{overflow-x:auto}
@page{margin:12mm}
@media print{
 body{max-width:none;padding:0;font-size:10pt}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 h2{break-after:avoid}
 tr,svg,dl{break-inside:avoid}
 .wide{overflow:visible}
 table{font-size:7pt}
 th,td{padding:1px 3px;white-space:normal}
 td.n,th.n,td[data-col=date],td.id{white-space:nowrap}
 code,.id{font-size:6.5pt}
 .bar{width:80px}
}
`;

/** The colours of the investors' ribbons (colour-blind friendly, Tableau 10). */
const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#e45756', '#72b7b2', '#eeca3b', '#ff9da6', '#9d755d', '#79706e'];

function runPart(m: ManifestFigures): string {
  const files = [...m.inputs, ...(m.rates === undefined ? [] : [m.rates]), ...(m.ownership === undefined || m.ownership === null ? [] : [m.ownership])];
  const facts: [string, string][] = [
    ['Period', m.period],
    ['Tracing method', m.method],
    ['Earmarks', m.earmark ? 'on' : 'off'],
    ['Reporting currency', m.currency],
    ['Input files', String(files.length)],
    ['Ledger rows', withSeparators(String(m.totals.ledger_rows))],
    ['Revenue rows', withSeparators(String(m.totals.revenue_rows))],
    ['Returning stakes', withSeparators(String(m.totals.circular_rows))],
    ['Booked revenue', withSeparators(m.totals.booked)],
    ['Organic', withSeparators(m.totals.organic)],
    ['Circular', withSeparators(m.totals.circular)],
    ['Disputed', withSeparators(m.totals.disputed)],
  ];
  const dl = `<dl class="facts" data-report="manifest.json">${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
  const inputs = `<table data-report="manifest.json" data-part="inputs"><thead><tr><th>input file</th><th class="n">rows</th></tr></thead><tbody>${files
    .map((f) => `<tr>${txt('file', f.file)}${fig('rows', String(f.rows))}</tr>`)
    .join('')}</tbody></table>`;
  const codes = Object.entries(m.exceptions);
  const exceptions = `<table data-report="manifest.json" data-part="exceptions"><thead><tr><th>exception</th><th class="n">count</th></tr></thead><tbody>${codes
    .map(([code, n]) => `<tr${n === 0 ? ' class="zero"' : ''}>${txt('code', code)}<td class="n${n === 0 ? ' zero' : ''}" data-col="count">${n}</td></tr>`)
    .join('')}</tbody></table>`;
  return `<section id="run"><h2>1. The run</h2><div class="cols">${dl}${inputs}${exceptions}</div><p class="note">From manifest.json; the exceptions one by one are in exceptions.csv.</p></section>`;
}

function bar(width: number, parts: readonly (readonly [number, string])[], label: string): string {
  let x = 0;
  let rects = '';
  for (const [w, colour] of parts) {
    if (w > 0) rects += `<rect x="${num(x)}" y="2" width="${num(w)}" height="12" fill="${colour}"/>`;
    x += w;
  }
  return `<svg class="bar" width="${width}" height="16" viewBox="0 0 ${width} 16" role="img" aria-label="${e(label)}"><rect x="0" y="2" width="${width}" height="12" fill="#f2f2f4"/>${rects}</svg>`;
}

const BAR = 150;

function revenuePart(t: TableRows, digits: number): string {
  const cols = ['company', 'category', 'booked', 'organic', 'circular', 'circular_pct', 'disputed', 'revenue_rows'] as const;
  const get = reader(t, cols);
  const rows = [...t.rows];
  let max = 0n;
  for (const r of rows) {
    const booked = minorOf(get(r, 'booked'), digits);
    if (booked > max) max = booked;
  }
  const scale = (figure: string): number => (max === 0n ? 0 : (Number(minorOf(figure, digits)) / Number(max)) * BAR);
  const body = rows
    .map((r) => {
      const chart = bar(
        BAR,
        [
          [scale(get(r, 'organic')), 'var(--organic)'],
          [scale(get(r, 'circular')), 'var(--circular)'],
        ],
        `${get(r, 'company')} ${get(r, 'category')}: organic ${get(r, 'organic')}, circular ${get(r, 'circular')}`,
      );
      return `<tr>${txt('company', get(r, 'company'))}${txt('category', get(r, 'category'))}<td>${chart}</td>${fig('booked', get(r, 'booked'))}${fig('organic', get(r, 'organic'))}${fig('circular', get(r, 'circular'))}${fig('circular_pct', get(r, 'circular_pct'))}${fig('disputed', get(r, 'disputed'))}${fig('revenue_rows', get(r, 'revenue_rows'))}</tr>`;
    })
    .join('');
  const table =
    rows.length === 0
      ? '<p>No revenue was booked in this period.</p>'
      : `<div class="wide"><table data-report="summary.csv"><thead><tr><th>company</th><th>category</th><th>booked = <span class="key" style="background:var(--organic);margin-left:0"></span>organic + <span class="key" style="background:var(--circular);margin-left:0"></span>circular</th><th class="n">booked</th><th class="n">organic</th><th class="n">circular</th><th class="n">circular %</th><th class="n">disputed</th><th class="n">rows</th></tr></thead><tbody>${body}</tbody></table></div>`;
  return `<section id="revenue"><h2>2. Booked revenue: organic and circular</h2><p>Per company and category, booked revenue as a bar on one scale (the largest line is the full bar): the investor's own money that came back is circular, the rest organic. The figures are those of summary.csv.</p>${table}</section>`;
}

interface Flow {
  readonly index: number;
  readonly row: readonly string[];
  readonly minor: bigint;
}

/** Does flow `a` come before `b` (larger first, then earlier in circular.csv)? */
function before(a: Flow, b: Flow): boolean {
  return a.minor > b.minor || (a.minor === b.minor && a.index < b.index);
}

/** The flows of circular.csv's rows, in one pass as they stream by. */
function flowsOf(t: TableRows, digits: number): CircularFlows {
  // The largest DRAWN_FLOWS, kept as the rows stream by; every loop's total and count.
  const top: Flow[] = [];
  const loops = new Map<string, LoopSum>();
  let worst = 0;
  let count = 0;
  let all = 0n;
  const at = (name: string): number => t.header.indexOf(name);
  const [company, investee, route, payerAt, amount] = [at('company'), at('investee'), at('route'), at('payer'), at('amount')];
  for (const row of t.rows) {
    const flow: Flow = { index: count++, row, minor: minorOf(row[amount] as string, digits) };
    all += flow.minor;
    const payer = row[route] === 'direct' ? null : (row[payerAt] as string);
    const key = `${row[company] as string}\u0000${row[investee] as string}\u0000${payer ?? ''}`;
    const loop = loops.get(key);
    if (loop === undefined) loops.set(key, { investor: row[company] as string, investee: row[investee] as string, payer, minor: flow.minor });
    else loop.minor += flow.minor;
    // The smallest kept is looked for again only when it is replaced: one comparison for most rows.
    if (top.length < DRAWN_FLOWS || before(flow, top[worst] as Flow)) {
      if (top.length < DRAWN_FLOWS) top.push(flow);
      else top[worst] = flow;
      worst = 0;
      for (let i = 1; i < top.length; i++) if (before(top[worst] as Flow, top[i] as Flow)) worst = i;
    }
  }
  top.sort((a, b) => (before(a, b) ? -1 : 1));
  return { header: t.header, top, loops: [...loops.values()], count, all };
}

/** The loops part, in pieces (tens of thousands of ribbons are written as they are made, not joined into one string first). */
function* loopsPart(circular: TableRows | CircularFlows, digits: number): Generator<string> {
  const cols = ['company', 'id', 'date', 'kind', 'payer', 'category', 'investee', 'deal', 'route', 'amount', 'source'] as const;
  const flows = 'top' in circular ? circular : flowsOf(circular, digits);
  const get = reader({ header: flows.header, rows: [] }, cols);
  const { top, count, all } = flows;
  const loops = new Map<string, LoopSum>(flows.loops.map((l) => [`${l.investor}\u0000${l.investee}\u0000${l.payer ?? ''}`, { ...l }]));
  const intro =
    '<p>Every returning stake of the period is a ribbon: from the investor into the company it invested in, on through the company that paid it back (when the route is indirect), and back to the investor, where it was booked as revenue (or received as its <em>kind</em> says). Widths are to scale; ribbons of one loop run side by side. ' +
    `The ${DRAWN_FLOWS} largest are drawn one by one in the investor's colour, each labelled with its amount; the others of each loop are one pale ribbon. The figures are those of circular.csv.</p>`;
  if (count === 0) {
    yield `<section id="loops"><h2>3. The loops</h2>${intro}<p>No investor's money came back in this period.</p></section>`;
    return;
  }
  // A stake of 0.00 (none is expected) would have no width: it is listed, not drawn.
  const bands: FlowBand[] = top.filter((f) => f.minor > 0n).map((f) => ({
    investor: get(f.row, 'company'),
    investee: get(f.row, 'investee'),
    payer: get(f.row, 'route') === 'direct' ? null : get(f.row, 'payer'),
    weight: Number(f.minor),
    label: `${withSeparators(get(f.row, 'amount'))}  ${get(f.row, 'id')}  ${get(f.row, 'date')}`,
  }));
  let rest = all;
  let restCount = count;
  for (const f of top) {
    const payer = get(f.row, 'route') === 'direct' ? '' : get(f.row, 'payer');
    const loop = loops.get(`${get(f.row, 'company')}\u0000${get(f.row, 'investee')}\u0000${payer}`);
    if (loop !== undefined) loop.minor -= f.minor;
    rest -= f.minor;
    restCount--;
  }
  for (const loop of loops.values()) {
    if (loop.minor > 0n) bands.push({ investor: loop.investor, investee: loop.investee, payer: loop.payer, weight: Number(loop.minor), label: null });
  }
  const body = top
    .map(
      (f, k) =>
        `<tr><td class="n">${k + 1}</td>${txt('company', get(f.row, 'company'))}${txt('investee', get(f.row, 'investee'))}${txt('payer', get(f.row, 'payer'))}${txt('route', get(f.row, 'route'))}${txt('kind', get(f.row, 'kind'))}${txt('category', get(f.row, 'category'))}${txt('deal', get(f.row, 'deal'))}<td class="id" data-col="id">${e(get(f.row, 'id'))}</td>${txt('date', get(f.row, 'date'))}${fig('amount', get(f.row, 'amount'))}<td class="id" data-col="source">${e(get(f.row, 'source'))}</td></tr>`,
    )
    .join('');
  const restLine =
    restCount === 0
      ? ''
      : `<tfoot><tr data-part="rest"><td colspan="12">and <span data-col="rest_count">${restCount}</span> more returning stake${restCount === 1 ? '' : 's'}, not drawn one by one (the pale ribbons), of <span data-col="rest_amount">${e(withSeparators(formatAmount(rest, digits)))}</span> in all</td></tr></tfoot>`;
  const table = `<div class="wide"><table data-report="circular.csv"><thead><tr><th class="n">#</th><th>investor</th><th>investee</th><th>payer</th><th>route</th><th>kind</th><th>category</th><th>deal</th><th>id</th><th>date</th><th class="n">amount</th><th>source</th></tr></thead><tbody>${body}</tbody>${restLine}</table></div>`;
  yield `<section id="loops"><h2>3. The loops</h2>${intro}`;
  if (bands.length > 0) yield* loopsSvg(layoutFlows(bands), bands);
  yield `${table}</section>`;
}

/** Ribbons per piece of report.html. */
const RIBBONS_A_PIECE = 256;

/** The picture of the loops, in pieces: its head, the ribbons a few hundred at a time, its nodes and labels. */
function* loopsSvg(layout: FlowLayout, bands: readonly FlowBand[]): Generator<string> {
  const ribbon = (r: FlowLayout['ribbons'][number]): string => {
    const b = bands[r.band] as FlowBand;
    const stroke = ` stroke="${PALETTE[r.colour % PALETTE.length] as string}"`;
    const title = `${b.investor} → ${b.investee}${b.payer === null ? '' : ` → ${b.payer}`} → ${b.investor}`;
    return `<path${b.label === null ? ' class="rest"' : ''}${stroke} stroke-width="${num(Math.max(r.width, 0.3))}" d="${r.d}"><title>${e(title)}</title></path>`;
  };
  const nodes = layout.nodes.map((n) => `<rect x="${num(n.x)}" y="${num(n.y)}" width="12" height="${num(n.height)}" fill="#333"/>`).join('');
  const leaders = layout.labels
    .filter((l) => l.leader !== null)
    .map((l) => {
      const [x1, y1, x2, y2] = l.leader as readonly [number, number, number, number];
      return `<line class="leader" x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}"/>`;
    })
    .join('');
  const labels = layout.labels
    .map((l) => `<text class="${l.kind === 'column' ? 'col' : l.kind}" x="${num(l.x)}" y="${num(l.y)}"${l.anchor === 'start' ? '' : ` text-anchor="${l.anchor}"`}>${e(l.text)}</text>`)
    .join('');
  const description = `The loops: ${COLUMN_TITLES.join(', ')}; ${FLOW_HEIGHT} pixels of ribbon height stand for all the returning stakes of the period.`;
  yield `<svg class="loops" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-label="${e(description)}"><g class="ribbons">`;
  const ribbons = layout.ribbons;
  for (let k = 0; k < ribbons.length; k += RIBBONS_A_PIECE) yield ribbons.slice(k, k + RIBBONS_A_PIECE).map(ribbon).join('');
  yield `</g><g>${nodes}</g><g>${leaders}</g><g>${labels}</g></svg>`;
}

function exposurePart(t: TableRows | null, digits: number): string {
  const head = '<section id="exposure"><h2>4. Exposure: the largest counterparties</h2>';
  if (t === null) return `${head}<p>This run wrote no exposure.csv.</p></section>`;
  const cols = ['company', 'counterparty', 'category', 'booked', 'organic', 'circular', 'related', 'share_pct', 'holds_pct', 'held_pct'] as const;
  const get = reader(t, cols);
  const byCompany = new Map<string, { index: number; row: readonly string[]; minor: bigint }[]>();
  let index = 0;
  for (const row of t.rows) {
    const company = get(row, 'company');
    let list = byCompany.get(company);
    if (list === undefined) byCompany.set(company, (list = []));
    list.push({ index: index++, row, minor: minorOf(get(row, 'booked'), digits) });
  }
  const intro = `<p>Per company, its ${EXPOSURE_ROWS} largest lines of exposure.csv by booked revenue (one line per counterparty and category): the share of the company's revenue, how much of it is circular and how much came from a related party (an investor or investee, or a declared holding), and the holdings on the period's last day. The bar is the share, its circular part in red.</p>`;
  if (byCompany.size === 0) return `${head}${intro}<p>No revenue was booked in this period.</p></section>`;
  let body = '';
  for (const [company, list] of byCompany) {
    list.sort((a, b) => (a.minor > b.minor ? -1 : a.minor < b.minor ? 1 : a.index - b.index));
    const shown = list.slice(0, EXPOSURE_ROWS);
    const rows = shown
      .map(({ row, minor }) => {
        const share = Number(get(row, 'share_pct')) / 100;
        const circular = minor === 0n ? 0 : (Number(minorOf(get(row, 'circular'), digits)) / Number(minor)) * share;
        const chart = bar(
          160,
          [
            [(share - circular) * 160, 'var(--organic)'],
            [circular * 160, 'var(--circular)'],
          ],
          `${get(row, 'counterparty')}: ${get(row, 'share_pct')} % of ${company}'s revenue`,
        );
        return `<tr class="line">${txt('counterparty', get(row, 'counterparty'))}${txt('category', get(row, 'category'))}<td>${chart}</td>${fig('share_pct', get(row, 'share_pct'))}${fig('booked', get(row, 'booked'))}${fig('circular', get(row, 'circular'))}${fig('related', get(row, 'related'))}${fig('holds_pct', get(row, 'holds_pct'))}${fig('held_pct', get(row, 'held_pct'))}</tr>`;
      })
      .join('');
    const more = list.length - shown.length;
    const foot = more > 0 ? `<tr class="more"><td colspan="9">and ${more} more line${more === 1 ? '' : 's'} of ${e(company)} in exposure.csv</td></tr>` : '';
    body += `<tbody data-company="${e(company)}"><tr class="group"><th colspan="9">${e(company)}</th></tr>${rows}${foot}</tbody>`;
  }
  return `${head}${intro}<div class="wide"><table class="exposure" data-report="exposure.csv"><thead><tr><th>counterparty</th><th>category</th><th>share of revenue</th><th class="n">share %</th><th class="n">booked</th><th class="n">circular</th><th class="n">related</th><th class="n">holds %</th><th class="n">held %</th></tr></thead>${body}</table></div></section>`;
}

/** The whole page. */
export function reportHtml(page: ReportPage): string {
  return [...reportHtmlChunks(page)].join('');
}

/** The whole page in pieces, as it is written (the loops part of a large run is millions of characters). */
export function* reportHtmlChunks(page: ReportPage): Generator<string> {
  const m = page.manifest;
  const title = `roundtrip report: ${m.period}`;
  yield [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>Circular revenue, period ${e(m.period)}</h1><p class="sub">roundtrip ${e(m.version)} · method ${e(m.method)} · earmarks ${m.earmark ? 'on' : 'off'} · amounts in ${e(m.currency)}</p></header>`,
    runPart(m),
    revenuePart(page.summary, page.digits),
    '',
  ].join('\n');
  yield* loopsPart(page.circular, page.digits);
  yield [
    '',
    exposurePart(page.exposure, page.digits),
    '<footer><p class="note">Every figure on this page is a figure of this folder\'s CSV reports or manifest.json, as written there (thousands separators added for reading), except the sum of the returning stakes not drawn one by one, which is their exact sum. Bars and ribbons are to scale.</p></footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
