/**
 * The report.html renderer (src/report/html.ts) and its flow layout
 * (src/report/flows.ts), without a browser: escaping, exact figures,
 * determinism, the summing line past the 30 largest flows, the layout's
 * geometry. tests/browser.test.ts opens the pages in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { DRAWN_FLOWS, EXPOSURE_ROWS, escapeHtml, reportHtml, withSeparators, type ManifestFigures, type ReportPage, type TableRows } from '../../src/report/html.js';
import { FLOW_HEIGHT, layoutFlows, type FlowBand } from '../../src/report/flows.js';
import { reportFolders } from '../../src/pipeline.js';
import { ALL } from '../../src/report/period.js';
import { loadLedgers } from '../../src/load/load.js';
import { reconcileLedgers } from '../../src/pipeline.js';
import { readLedgerDir } from '../support/pipeline.js';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const SUMMARY = ['company', 'category', 'booked', 'organic', 'circular', 'circular_pct', 'disputed', 'revenue_rows'];
const CIRCULAR = ['company', 'id', 'date', 'kind', 'payer', 'category', 'investee', 'deal', 'route', 'amount', 'source'];
const EXPOSURE = ['company', 'counterparty', 'category', 'booked', 'organic', 'circular', 'related', 'share_pct', 'holds_pct', 'held_pct'];

const MANIFEST: ManifestFigures = {
  version: '0.1.0',
  method: 'pro-rata',
  earmark: true,
  period: 'all',
  currency: 'USD',
  inputs: [{ file: 'amazon.csv', rows: 3 }],
  totals: { ledger_rows: 3, revenue_rows: 1, booked: '4000000000.00', organic: '3000000000.00', circular: '1000000000.00', disputed: '0.00', circular_rows: 1 },
  exceptions: { unmatched: 0, unfunded: 2 },
};

function page(parts: Partial<ReportPage> = {}): ReportPage {
  return {
    manifest: MANIFEST,
    summary: { header: SUMMARY, rows: [['amazon', 'cloud', '4000000000.00', '3000000000.00', '1000000000.00', '25.00', '0.00', '1']] },
    circular: { header: CIRCULAR, rows: [['amazon', 'a2', '2026-01-20', 'revenue', 'openai', 'cloud', 'openai', '', 'direct', '1000000000.00', 'amazon.csv:4']] },
    exposure: null,
    digits: 2,
    ...parts,
  };
}

/** `n` returning stakes of amazon, amounts 1.00 … n.00 in that order, each via openai (direct). */
function stakes(n: number, amount = (k: number): string => `${k + 1}.00`): TableRows {
  return {
    header: CIRCULAR,
    rows: Array.from({ length: n }, (_, k) => ['amazon', `r${k}`, '2026-01-20', 'revenue', 'openai', 'cloud', 'openai', '', 'direct', amount(k), `amazon.csv:${k + 2}`]),
  };
}

/** The circular.csv rows drawn in the page's table, as their ids. */
function drawnIds(html: string): string[] {
  const table = /<table data-report="circular.csv">(.*?)<\/table>/s.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<td class="id" data-col="id">([^<]*)<\/td>/g)].map((m) => m[1] as string);
}

describe('escaping and figures', () => {
  it('escapes the five markup characters and replaces control characters', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(escapeHtml('a\u0001b\u007fc\td\ne')).toBe('a\ufffdb\ufffdc\td\ne');
    expect(escapeHtml('株式会社 🚀 =HYPERLINK("x")')).toBe('株式会社 🚀 =HYPERLINK(&quot;x&quot;)');
  });

  it('adds thousands separators to a report figure and changes nothing else', () => {
    expect(withSeparators('1592985171428.56')).toBe('1,592,985,171,428.56');
    expect(withSeparators('999.99')).toBe('999.99');
    expect(withSeparators('1000')).toBe('1,000');
    expect(withSeparators('-1234567.891')).toBe('-1,234,567.891');
    expect(withSeparators('18.30')).toBe('18.30');
    expect(withSeparators('')).toBe('');
  });

  it('shows every ledger text escaped, in every part of the page', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const html = reportHtml(
      page({
        manifest: { ...MANIFEST, inputs: [{ file: `amazon.${evil}.csv`, rows: 3 }], period: evil },
        summary: { header: SUMMARY, rows: [[evil, evil, '4.00', '3.00', '1.00', '25.00', '0.00', '1']] },
        circular: { header: CIRCULAR, rows: [[evil, evil, evil, evil, evil, evil, evil, evil, 'indirect', '1.00', evil]] },
        exposure: { header: EXPOSURE, rows: [[evil, evil, evil, '4.00', '3.00', '1.00', '0.00', '100.00', '', '']] },
      }),
    );
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror=alert(1)>');
    expect(html.split('&lt;img src=x onerror=alert(1)&gt;').length - 1).toBeGreaterThan(15);
  });

  it('is one self-contained page: a policy that forbids every load, no script, no link, no URL', () => {
    const html = reportHtml(page());
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|https?:/i);
  });

  it('shows the figures as written in the CSV rows, with separators', () => {
    const html = reportHtml(page());
    expect(html).toContain('<td class="n" data-col="booked">4,000,000,000.00</td><td class="n" data-col="organic">3,000,000,000.00</td><td class="n" data-col="circular">1,000,000,000.00</td><td class="n" data-col="circular_pct">25.00</td>');
    expect(html).toContain('<dt>Circular</dt><dd>1,000,000,000.00</dd>');
    expect(html).toContain('<td data-col="code">unfunded</td><td class="n" data-col="count">2</td>');
  });

  it('is deterministic: the same input gives the same bytes', () => {
    const a = reportHtml(page({ circular: stakes(40) }));
    const b = reportHtml(page({ circular: stakes(40) }));
    expect(a).toBe(b);
  });
  it('counts the rates and ownership files among the input files, after the ledgers', () => {
    const html = reportHtml(page({ manifest: { ...MANIFEST, rates: { file: '_rates.csv', rows: 3 }, ownership: { file: '_ownership.csv', rows: 4 } } }));
    expect(html).toContain('<dt>Input files</dt><dd>3</dd>');
    const files = [...html.matchAll(/<tr><td data-col="file">([^<]*)<\/td><td class="n" data-col="rows">([0-9]+)<\/td><\/tr>/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(files).toEqual(['amazon.csv:3', '_rates.csv:3', '_ownership.csv:4']);
  });
});

describe('the loops', () => {
  it(`draws the ${DRAWN_FLOWS} largest returning stakes and sums the others exactly, saying how many`, () => {
    // 35 stakes of 1.00 … 35.00: drawn 35.00 … 6.00, summed 1.00 + … + 5.00 = 15.00.
    const html = reportHtml(page({ circular: stakes(35) }));
    expect(drawnIds(html)).toEqual(Array.from({ length: 30 }, (_, k) => `r${34 - k}`));
    expect(html).toContain('and <span data-col="rest_count">5</span> more returning stakes, not drawn one by one (the pale ribbons), of <span data-col="rest_amount">15.00</span> in all');
    expect(html.match(/<text class="flow"/g)?.length).toBe(DRAWN_FLOWS);
  });

  it('sums amounts beyond 2^53 minor units exactly', () => {
    const big = '90071992547409.93'; // 2^53 + 1 minor units
    const html = reportHtml(page({ circular: stakes(33, (k) => (k < 3 ? big : '900719925474099.00')) }));
    expect(html).toContain('of <span data-col="rest_amount">270,215,977,642,229.79</span> in all');
    expect(html).toContain('<span data-col="rest_count">3</span> more returning stakes');
  });

  it('breaks ties between equal amounts by circular.csv order, and says one stake in the singular', () => {
    const html = reportHtml(page({ circular: stakes(31, () => '7.00') }));
    expect(drawnIds(html)).toEqual(Array.from({ length: 30 }, (_, k) => `r${k}`));
    expect(html).toContain('and <span data-col="rest_count">1</span> more returning stake, not drawn');
  });

  it('lists a stake of 0.00 without drawing it (it would have no width)', () => {
    const html = reportHtml(page({ circular: stakes(2, (k) => (k === 0 ? '0.00' : '3.00')) }));
    expect(drawnIds(html)).toEqual(['r1', 'r0']);
    expect(html.match(/<text class="flow"/g)?.length).toBe(1);
    expect(html).not.toContain('NaN');
    expect(reportHtml(page({ circular: stakes(1, () => '0.00') }))).not.toContain('<svg class="loops"');
  });

  it('has no summing line when every stake is drawn, and says so when none came back', () => {
    expect(reportHtml(page({ circular: stakes(30) }))).not.toContain('rest_count');
    const none = reportHtml(page({ circular: { header: CIRCULAR, rows: [] } }));
    expect(none).toContain("<p>No investor's money came back in this period.</p>");
    expect(none).not.toContain('<svg class="loops"');
  });
});

describe('the exposure part', () => {
  it(`lists each company's ${EXPOSURE_ROWS} largest lines of exposure.csv by booked revenue, ties in file order, and counts the others`, () => {
    // amazon: 12 counterparties c0 … c11 booking 1.00 … 12.00 (c5 and c6 both 6.00); nvidia: one.
    const rows = Array.from({ length: 12 }, (_, k) => {
      const booked = `${k === 6 ? 6 : k + 1}.00`;
      return ['amazon', `c${k}`, 'cloud', booked, booked, '0.00', '0.00', '1.00', '', ''];
    });
    rows.push(['nvidia', 'oracle', 'chips', '5.00', '4.00', '1.00', '0.00', '100.00', '', '7.00']);
    const html = reportHtml(page({ exposure: { header: EXPOSURE, rows } }));
    const counterparties = [...html.matchAll(/<tr class="line"><td data-col="counterparty">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(counterparties).toEqual(['c11', 'c10', 'c9', 'c8', 'c7', 'c5', 'c6', 'c4', 'c3', 'c2', 'oracle']);
    expect(html).toContain('<tr class="more"><td colspan="9">and 2 more lines of amazon in exposure.csv</td></tr>');
    expect(html).toContain('<td class="n" data-col="share_pct">100.00</td><td class="n" data-col="booked">5.00</td><td class="n" data-col="circular">1.00</td><td class="n" data-col="related">0.00</td><td class="n" data-col="holds_pct"></td><td class="n" data-col="held_pct">7.00</td>');
  });

  it('says so when the run wrote no exposure lines', () => {
    expect(reportHtml(page({ exposure: null }))).toContain('<p>This run wrote no exposure.csv.</p>');
    expect(reportHtml(page({ exposure: { header: EXPOSURE, rows: [] } }))).toContain('<p>No revenue was booked in this period.</p></section>');
  });
});

describe('the flow layout', () => {
  const bands: FlowBand[] = [
    { investor: 'nvidia', investee: 'openai', payer: 'oracle', weight: 30, label: '30.00' },
    { investor: 'nvidia', investee: 'openai', payer: 'coreweave', weight: 20, label: '20.00' },
    { investor: 'amazon', investee: 'openai', payer: null, weight: 40, label: '40.00' },
    { investor: 'amazon', investee: 'anthropic', payer: null, weight: 10, label: null },
  ];
  const layout = layoutFlows(bands);

  it('gives ribbons widths to scale, summing to the flow height', () => {
    expect(layout.ribbons.map((r) => r.width)).toEqual([144, 96, 192, 48]);
    expect(layout.ribbons.reduce((s, r) => s + r.width, 0)).toBe(FLOW_HEIGHT);
  });

  it('draws a node per company and column, payers only where a route is indirect', () => {
    expect(layout.nodes.map((n) => `${n.column}:${n.name}:${n.height}`)).toEqual([
      '0:amazon:240',
      '0:nvidia:240',
      // anthropic is amazon's alone, openai amazon's and nvidia's: anthropic above, nearer amazon.
      '1:anthropic:48',
      '1:openai:432',
      // Both between openai and nvidia: the heavier first.
      '2:oracle:144',
      '2:coreweave:96',
      '3:amazon:240',
      '3:nvidia:240',
    ]);
    expect(layout.investors).toEqual(['amazon', 'nvidia']);
  });

  it('labels the drawn bands at their ends without overlap, and not the pale ones', () => {
    const flows = layout.labels.filter((l) => l.kind === 'flow');
    expect(flows.map((l) => l.text)).toEqual(['40.00', '30.00', '20.00']);
    const many = layoutFlows(Array.from({ length: 40 }, (_, k) => ({ investor: `i${k % 3}`, investee: 'x', payer: null, weight: 1 + k, label: `${k}` })));
    const ys = many.labels.filter((l) => l.kind === 'flow').map((l) => l.y);
    expect(ys.length).toBe(40);
    for (let k = 1; k < ys.length; k++) expect((ys[k] as number) - (ys[k - 1] as number)).toBeGreaterThanOrEqual(12.99);
    expect(Math.max(...ys)).toBeLessThan(many.height);
  });

  it('runs each ribbon through its own nodes, one unbroken path', () => {
    const d = layout.ribbons[0]?.d as string;
    expect(d.match(/^M/g)?.length).toBe(1);
    expect(d.match(/C/g)?.length).toBe(3);
    // Through oracle's node in column 2 (x = 480 … 492).
    const oracle = layout.nodes.find((n) => n.column === 2 && n.name === 'oracle');
    expect(d).toContain(`480 ${(oracle?.y as number) + 72}L492`);
  });
});

describe('report.html in the report folder', () => {
  it('is written beside the CSV files, from the same rows, the same bytes every time', () => {
    const dir = join(import.meta.dirname, '..', '..', 'ledgers');
    const rec = reconcileLedgers(loadLedgers(readLedgerDir(dir), 'ledgers'), { method: 'pro-rata', earmark: true });
    const one = reportFolders(rec, [ALL], { bom: true }).folders[0]?.files;
    const two = reportFolders(rec, [ALL], { bom: true }).folders[0]?.files;
    const html = one?.get('report.html') as string;
    expect(two?.get('report.html')).toBe(html);
    expect(html).toBe(readFileSync(join(import.meta.dirname, '..', '..', 'reports', 'all', 'report.html'), 'utf8'));
    expect(html).not.toMatch(/20[0-9]{2}-[0-9]{2}-[0-9]{2}T|GMT|UTC/);
  });
});

