/**
 * report.html opened in a real browser (SPEC §11): headless Chromium, driven
 * over the DevTools protocol (tests/support/chromium.ts). The sample's page
 * must render with no console error, no exception, no dialog and no network
 * request; its figures must be those of summary.csv, circular.csv (and
 * exposure.csv where the run writes one) and manifest.json; a ledger set of
 * HTML-hostile names must show them as text and add no element; a screenshot
 * of the sample's page is saved in test-output/report.png.
 *
 * Without `chromium` on PATH the suite is skipped with a printed reason; set
 * ROUNDTRIP_REQUIRE_CHROMIUM=1 (.ci/run does when chromium is present) to
 * make that a failure instead.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, DRAWN_FLOWS, EXPOSURE_ROWS } from '../../src/report/html.js';
import { runCli } from '../support/helpers.js';
import { Browser, type Page } from '../support/chromium.js';
import { minorOf, reportRows } from '../support/pipeline.js';
import { onPath } from '../support/programs.js';

const CHROMIUM = onPath('chromium', 'chromium-browser');
const REQUIRED = process.env.ROUNDTRIP_REQUIRE_CHROMIUM === '1';
if (CHROMIUM === undefined) {
  const reason = 'chromium is not on PATH; install it with `apt-get install -y chromium` (.ci/run does)';
  if (REQUIRED) throw new Error(`browser tests required (ROUNDTRIP_REQUIRE_CHROMIUM=1) but ${reason}`);
  console.warn(`SKIPPED tests/browser.test.ts: ${reason}. report.html was NOT checked in a browser.`);
}

const repo = join(import.meta.dirname, '..', '..');
const SCREENSHOT = join(repo, 'test-output', 'report.png');
const WIDTH = 1100;
const strip = (s: string): string => s.replace(/,/g, '');

/** The elements a report page is made of: anything else was smuggled in by ledger text. */
const ELEMENTS = [
  'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'footer', 'section', 'h1', 'h2', 'h3', 'p', 'em', 'span', 'div', 'dl', 'dt', 'dd',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'svg', 'g', 'path', 'rect', 'line', 'text',
];

/** HTML-hostile ledger text: in ids (the flows), a file name (the inputs) and an external counterparty (exposure). */
const HOSTILE_FILE = 'vendor.<img src=x onerror=alert(3)>.csv';
const HOSTILE_IDS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', '=HYPERLINK("http://x","y")'];
const HOSTILE_NAME = '<b onmouseover=alert(4)>Bold & Co</b>';
const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const HOSTILE_LEDGERS: Record<string, string> = {
  'lab.csv': [
    'id,date,direction,counterparty,kind,category,amount,currency,ref,deal,memo',
    'l0,2026-01-01,in,opening,other,,1000.00,USD,,,opening',
    'l1,2026-01-10,in,vendor,investment,,500.00,USD,INV-1,,<script>alert(5)</script>',
    'l2,2026-01-11,out,vendor,purchase,cloud,300.00,USD,BUY-1,,',
    'l3,2026-01-12,out,vendor,purchase,cloud,200.00,USD,BUY-2,,',
    'l4,2026-01-13,out,vendor,purchase,cloud,100.00,USD,BUY-3,,',
    '',
  ].join('\n'),
  [HOSTILE_FILE]: [
    'id,date,direction,counterparty,kind,category,amount,currency,ref,deal,memo',
    'v0,2026-01-01,in,opening,other,,10000.00,USD,,,',
    'v1,2026-01-10,out,lab,investment,,500.00,USD,INV-1,,',
    `${q(HOSTILE_IDS[0] as string)},2026-01-11,in,lab,revenue,cloud,300.00,USD,BUY-1,,`,
    `${q(HOSTILE_IDS[1] as string)},2026-01-12,in,lab,revenue,cloud,200.00,USD,BUY-2,,`,
    `${q(HOSTILE_IDS[2] as string)},2026-01-13,in,lab,revenue,cloud,100.00,USD,BUY-3,,`,
    `v5,2026-01-14,in,${q(HOSTILE_NAME)},revenue,cloud,50.00,USD,,,`,
    '',
  ].join('\n'),
};

interface Cells {
  [column: string]: string;
}

/** The rows of the page's tables for one report, each as its data-col cells' rendered text. */
function tableRows(page: Page, report: string, part = 'tbody'): Promise<Cells[]> {
  return page.evaluate<Cells[]>(
    `[...document.querySelectorAll('table[data-report="${report}"] ${part} tr')].map((tr) => Object.fromEntries([...tr.querySelectorAll('[data-col]')].map((c) => [c.dataset.col, c.innerText])))`,
  );
}

const suite = CHROMIUM === undefined ? describe.skip : describe;

suite('report.html in headless Chromium', () => {
  let scratch = '';
  let browser: Browser;
  let sample: Page;
  const out = (): string => join(scratch, 'sample', 'all');

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'roundtrip-browser-'));
    const result = await runCli(['run', '--ledgers', join(repo, 'ledgers'), '--out', join(scratch, 'sample'), '--quiet']);
    expect(result.stderr).toBe('');
    browser = await Browser.launch(CHROMIUM as string);
    sample = await browser.open(pathToFileURL(join(out(), 'report.html')).href, WIDTH);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
  });

  it('renders the sample with no console error, no exception, no dialog and no network request, and saves a screenshot', async () => {
    expect(sample.events).toEqual({ errors: [], requests: [], blocked: [], dialogs: [] });
    const rendered = await sample.evaluate<{ title: string; sections: string[]; svgHeight: number; ribbons: number }>(
      `({ title: document.title, sections: [...document.querySelectorAll('section')].map((s) => s.id), svgHeight: document.querySelector('svg.loops').getBoundingClientRect().height, ribbons: document.querySelectorAll('svg.loops .ribbons path').length })`,
    );
    expect(rendered.title).toBe('roundtrip report: all');
    expect(rendered.sections).toEqual(['run', 'revenue', 'loops', 'exposure']);
    expect(await sample.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(WIDTH);
    expect(rendered.svgHeight).toBeGreaterThan(300);
    // 30 stakes drawn one by one and one pale ribbon for the rest of each loop but amazon → openai → amazon, whose 10 stakes are all drawn.
    expect(rendered.ribbons).toBe(DRAWN_FLOWS + 6);
    const png = await sample.screenshot();
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    mkdirSync(join(repo, 'test-output'), { recursive: true });
    writeFileSync(SCREENSHOT, png);
    expect(existsSync(SCREENSHOT)).toBe(true);
  }, 60_000);

  it('shows the figures of summary.csv, as written there', async () => {
    const csv = reportRows(readFileSync(join(out(), 'summary.csv'), 'utf8')).rows;
    const page = await tableRows(sample, 'summary.csv');
    expect(page.length).toBe(csv.length);
    expect(page.length).toBe(10);
    page.forEach((cells, k) => {
      const row = csv[k] as Record<string, string>;
      expect(Object.keys(cells)).toEqual(['company', 'category', 'booked', 'organic', 'circular', 'circular_pct', 'disputed', 'revenue_rows']);
      for (const [column, text] of Object.entries(cells)) expect(strip(text), `${k} ${column}`).toBe(row[column]);
    });
    // With thousands separators for reading: Nvidia's chips.
    expect(page[6]?.booked).toBe('566,455,000,000.00');
  });

  it('draws the largest returning stakes of circular.csv with their exact figures and sums the rest exactly', async () => {
    const csv = reportRows(readFileSync(join(out(), 'circular.csv'), 'utf8')).rows;
    expect(csv.length).toBe(141);
    const largest = csv
      .map((row, index) => ({ row, index, minor: minorOf(row.amount as string, 2) }))
      .sort((a, b) => (a.minor > b.minor ? -1 : a.minor < b.minor ? 1 : a.index - b.index));
    const drawn = largest.slice(0, DRAWN_FLOWS);
    const page = await tableRows(sample, 'circular.csv');
    expect(page.length).toBe(DRAWN_FLOWS);
    page.forEach((cells, k) => {
      const row = (drawn[k] as { row: Record<string, string> }).row;
      expect(Object.keys(cells).length).toBe(11);
      for (const [column, text] of Object.entries(cells)) expect(strip(text), `${k} ${column}`).toBe(row[column]);
    });
    // Every drawn ribbon is labelled with its amount (the labels follow the ribbons' order, not the table's).
    const labels = await sample.evaluate<string[]>(`[...document.querySelectorAll('svg.loops text.flow')].map((t) => t.textContent)`);
    expect(labels.map((l) => strip(l.split(' ')[0] as string)).sort()).toEqual(drawn.map((d) => d.row.amount as string).sort());
    const rest = await tableRows(sample, 'circular.csv', 'tfoot');
    const restSum = largest.slice(DRAWN_FLOWS).reduce((s, d) => s + d.minor, 0n);
    expect(rest).toEqual([{ rest_count: '111', rest_amount: '7,464,711,349.12' }]);
    expect(BigInt(strip(rest[0]?.rest_amount as string).replace('.', ''))).toBe(restSum);
  });

  it('shows the largest counterparties of each company with the figures of exposure.csv', async () => {
    const csv = reportRows(readFileSync(join(out(), 'exposure.csv'), 'utf8')).rows;
    expect(csv.length).toBe(20);
    const page = await sample.evaluate<Cells[]>(
      `[...document.querySelectorAll('table[data-report="exposure.csv"] tr.line')].map((tr) => Object.fromEntries([['company', tr.closest('tbody').dataset.company], ...[...tr.querySelectorAll('[data-col]')].map((c) => [c.dataset.col, c.innerText])]))`,
    );
    const companies = [...new Set(csv.map((r) => r.company as string))];
    const expected = companies.flatMap((company) =>
      csv
        .map((row, index) => ({ row, index, minor: minorOf(row.booked as string, 2) }))
        .filter((l) => l.row.company === company)
        .sort((a, b) => (a.minor > b.minor ? -1 : a.minor < b.minor ? 1 : a.index - b.index))
        .slice(0, EXPOSURE_ROWS)
        .map((l) => l.row),
    );
    expect(page.length).toBe(expected.length);
    page.forEach((cells, k) => {
      const row = expected[k] as Record<string, string>;
      expect(Object.keys(cells).sort()).toEqual(['booked', 'category', 'circular', 'company', 'counterparty', 'held_pct', 'holds_pct', 'related', 'share_pct']);
      for (const [column, text] of Object.entries(cells)) expect(strip(text), `${k} ${column}`).toBe(row[column]);
    });
    // Microsoft's largest ledger counterparty: OpenAI, 27% held, with its circular and related amounts.
    expect(page.find((c) => c.company === 'microsoft' && c.counterparty === 'openai')).toEqual({
      company: 'microsoft',
      counterparty: 'openai',
      category: 'cloud',
      share_pct: '13.16',
      booked: '34,816,000,000.00',
      circular: '8,713,159,583.94',
      related: '34,666,000,000.00',
      holds_pct: '27.00',
      held_pct: '',
    });
  });

  it('shows the run of manifest.json: files and rows, exception counts by code', async () => {
    const manifest = JSON.parse(readFileSync(join(out(), 'manifest.json'), 'utf8')) as {
      ownership: { file: string; rows: number };
      inputs: { file: string; rows: number }[];
      exceptions: Record<string, number>;
      totals: { ledger_rows: number };
    };
    const inputs = await sample.evaluate<string[][]>(`[...document.querySelectorAll('table[data-part="inputs"] tbody tr')].map((tr) => [...tr.cells].map((c) => c.innerText))`);
    expect(inputs).toEqual([...manifest.inputs, manifest.ownership].map((f) => [f.file, String(f.rows)]));
    expect(inputs.at(-1)).toEqual(['_ownership.csv', '4']);
    const codes = await sample.evaluate<string[][]>(`[...document.querySelectorAll('table[data-part="exceptions"] tbody tr')].map((tr) => [...tr.cells].map((c) => c.innerText))`);
    expect(codes).toEqual(Object.entries(manifest.exceptions).map(([code, n]) => [code, String(n)]));
    const facts = await sample.evaluate<string>(`document.querySelector('dl.facts').innerText`);
    expect(facts).toContain('Ledger rows\n934');
    expect(manifest.totals.ledger_rows).toBe(934);
    expect(facts).toContain('Earmarks\non');
  });

  it('shows hostile ledger text as text: no element, attribute, script or dialog comes from it', async () => {
    const ledgers = join(scratch, 'hostile', 'ledgers');
    mkdirSync(ledgers, { recursive: true });
    for (const [name, text] of Object.entries(HOSTILE_LEDGERS)) writeFileSync(join(ledgers, name), text);
    const result = await runCli(['run', '--ledgers', ledgers, '--out', join(scratch, 'hostile', 'reports'), '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const html = readFileSync(join(scratch, 'hostile', 'reports', 'all', 'report.html'), 'utf8');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const page = await browser.open(pathToFileURL(join(scratch, 'hostile', 'reports', 'all', 'report.html')).href, WIDTH);
    expect(page.events).toEqual({ errors: [], requests: [], blocked: [], dialogs: [] });
    const seen = await page.evaluate<{ tags: string[]; handlers: number; text: string; flowIds: string[] }>(
      `({ tags: [...new Set([...document.querySelectorAll('*')].map((e) => e.localName))].sort(),
          handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
          text: document.body.innerText,
          flowIds: [...document.querySelectorAll('table[data-report="circular.csv"] tbody td[data-col="id"]')].map((c) => c.innerText) })`,
    );
    expect(seen.tags.filter((t) => !ELEMENTS.includes(t))).toEqual([]);
    expect(seen.handlers).toBe(0);
    expect(seen.flowIds.sort()).toEqual([...HOSTILE_IDS].sort());
    expect(seen.text).toContain(HOSTILE_FILE);
    expect(seen.text).toContain(HOSTILE_NAME);
    for (const id of HOSTILE_IDS) expect(seen.text).toContain(id);
  }, 60_000);

  it('blocks every load with its Content-Security-Policy, and the harness sees what a page does', async () => {
    // The harness is not blind: a page without the policy that loads an image and logs an error is caught.
    const open = join(scratch, 'open.html');
    writeFileSync(open, '<!DOCTYPE html><meta charset="utf-8"><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>');
    const loose = await browser.open(pathToFileURL(open).href, WIDTH);
    expect(loose.events.requests).toEqual(['http://127.0.0.1:9/x.png']);
    expect(loose.events.errors.some((e) => e.includes('boom'))).toBe(true);
    // The report's policy stops the same page: no request goes out, the script does not run.
    const shut = join(scratch, 'shut.html');
    writeFileSync(
      shut,
      `<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}"><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>`,
    );
    const blocked = await browser.open(pathToFileURL(shut).href, WIDTH);
    expect(blocked.events.requests).toEqual([]);
    expect(blocked.events.blocked).toEqual(['http://127.0.0.1:9/x.png (csp)']);
    expect(blocked.events.errors.some((e) => e.includes('boom'))).toBe(false);
    expect(blocked.events.errors.some((e) => e.includes('Content Security Policy'))).toBe(true);
  }, 60_000);

  it('prints: nothing is wider than an A4 page between 12 mm margins, and the page makes a PDF', async () => {
    const pdf = await sample.pdf();
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    // 210 mm - 2 × 12 mm = 186 mm = 703 CSS pixels.
    const print = await browser.open(pathToFileURL(join(out(), 'report.html')).href, 703);
    await print.emulatePrint();
    expect(await print.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(703);
    expect(print.events).toEqual({ errors: [], requests: [], blocked: [], dialogs: [] });
  }, 60_000);
});
