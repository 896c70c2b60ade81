/**
 * Issue 5, property tests: generated valid ledger sets (tests/support/
 * ledger-set.ts) run through the pure pipeline (load → reconcile → report),
 * checked against SPEC §3/§4 and against an oracle computed without the tool.
 * The number of generated cases is printed at the end.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type Books, COLUMNS, type Column, ledgerFiles, ledgerSet, type LedgerSet, type LedgerRow, permutation, prng, soloCompany, writeLedgers } from '../support/ledger-set.js';
import { CSV_REPORTS, METHODS, type Method, minorOf, parseReport, reportRows, runReports, type RunResult } from '../support/pipeline.js';

const cases = new Map<string, number>();
const counted = (name: string): void => {
  cases.set(name, (cases.get(name) ?? 0) + 1);
};
afterAll(() => {
  const total = [...cases.values()].reduce((x, y) => x + y, 0);
  console.log(`property cases: ${total} generated ledger sets (${[...cases].map(([n, c]) => `${n}: ${c}`).join('; ')})`);
});

const method = fc.constantFrom(...METHODS);

/** ROUNDTRIP_PROPERTY_SCALE=10 runs ten times as many cases (a deeper, slower run). */
const SCALE = Math.max(1, Number(process.env.ROUNDTRIP_PROPERTY_SCALE ?? '1') || 1);
const runs = (n: number): { numRuns: number } => ({ numRuns: n * SCALE });
const TIMEOUT = 60_000 * SCALE;

/** `100 × part / whole`, two decimals, half to even (SPEC §4), computed here independently. */
function percent(part: bigint, whole: bigint): string {
  const scaled = part * 10000n;
  let q = scaled / whole;
  const r = scaled - q * whole;
  if (2n * r > whole || (2n * r === whole && q % 2n === 1n)) q += 1n;
  const s = q.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** The four reports with the `source` column removed, and the manifest without its inputs: the figures. */
function figures(run: RunResult): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const file of CSV_REPORTS) {
    const [header = [], ...rows] = parseReport(run.files.get(file) as string);
    const keep = header.map((h) => h !== 'source');
    const strip = (r: string[]): string[] => r.filter((_, k) => keep[k]);
    out[file] = [strip(header), ...rows.map(strip)];
  }
  const manifest = JSON.parse(run.files.get('manifest.json') as string) as Record<string, unknown>;
  delete manifest.inputs;
  out['manifest.json'] = manifest;
  return out;
}

/** Collects failures cheaply (messages built only on failure); one expect per case reports them all. */
class Problems {
  readonly list: string[] = [];
  check(ok: boolean, message: () => string): void {
    if (!ok) this.list.push(message());
  }
}

/**
 * Runs the set as laid out, and checks that every report row naming a ledger row (company and id) cites
 * that row's physical first line in the file it was written to (SPEC §4 sources, §7).
 */
function run(set: LedgerSet, layout: Parameters<typeof ledgerFiles>[1], m: Method, earmark = true): RunResult {
  const written = writeLedgers(set, layout);
  const result = runReports(written.files, { method: m, earmark });
  const problems = new Problems();
  for (const file of ['revenue.csv', 'circular.csv', 'exceptions.csv']) {
    for (const r of reportRows(result.files.get(file) as string).rows) {
      if (r.id === '') continue;
      // A written id "'+x" is the guarded "+x" or the id "'+x" itself (SPEC §7 cannot tell them apart): either row's source will do.
      const id = r.id as string;
      const where = [id.replace(/^'(?=[=+\-@\t\r])/, ''), id].map((candidate) => written.sources.get(`${r.company} ${candidate}`)).filter((w) => w !== undefined);
      problems.check(where.some((w) => w === r.source), () => `${file}: source ${r.source}, the row is at ${where.join(' or ')}: ${JSON.stringify(r)}`);
    }
  }
  expect(problems.list).toEqual([]);
  return result;
}

describe('properties of generated valid ledger sets', () => {
  it('every revenue row splits exactly, the summary adds up, and every company’s books balance (all five methods)', () => {
    fc.assert(
      fc.property(ledgerSet, fc.boolean(), (set, earmark) => {
        counted('books');
        const problems = new Problems();
        const d = set.digits;
        const bookedRows = [...set.rows.values()].flat().filter((r) => r.kind === 'revenue').length;
        for (const m of METHODS) {
          const result = run(set, {}, m, earmark);
          // Every revenue row: organic + circular = amount, both non-negative, the percentage as SPEC §4 says.
          const revenue = reportRows(result.files.get('revenue.csv') as string).rows;
          const sums = new Map<string, { booked: bigint; organic: bigint; circular: bigint; disputed: bigint; rows: number }>();
          for (const r of revenue) {
            const amount = minorOf(r.amount as string, d);
            const organic = minorOf(r.organic as string, d);
            const circular = minorOf(r.circular as string, d);
            problems.check(organic >= 0n && circular >= 0n && organic + circular === amount, () => `${m}: split ${JSON.stringify(r)}`);
            problems.check(r.circular_pct === percent(circular, amount), () => `${m}: circular_pct ${JSON.stringify(r)}`);
            const k = `${r.company}\u0000${r.category}`;
            const s = sums.get(k) ?? { booked: 0n, organic: 0n, circular: 0n, disputed: 0n, rows: 0 };
            s.booked += amount;
            s.organic += organic;
            s.circular += circular;
            if (r.payer_kind === 'investment' || r.payer_kind === 'other') s.disputed += amount;
            s.rows++;
            sums.set(k, s);
          }
          // Every booked revenue row of the ledgers is reported, once.
          problems.check(revenue.length === bookedRows, () => `${m}: ${revenue.length} revenue rows reported, ${bookedRows} booked`);
          // The summary's columns are the sums of the revenue rows.
          const summary = reportRows(result.files.get('summary.csv') as string).rows;
          problems.check(summary.length === sums.size, () => `${m}: ${summary.length} summary rows for ${sums.size} company/category pairs`);
          for (const s of summary) {
            const want = sums.get(`${s.company}\u0000${s.category}`);
            problems.check(
              want !== undefined &&
                minorOf(s.booked as string, d) === want.booked &&
                minorOf(s.organic as string, d) === want.organic &&
                minorOf(s.circular as string, d) === want.circular &&
                minorOf(s.disputed as string, d) === want.disputed &&
                s.revenue_rows === String(want.rows) &&
                s.circular_pct === percent(want.circular, want.booked),
              () => `${m}: summary ${JSON.stringify(s)} vs sums of the revenue rows ${JSON.stringify(want, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
            );
          }
          // Every company's books: as the oracle moved the money, and balanced.
          for (const c of set.companies) {
            const got = result.rec.traced.books.get(c);
            const want = set.books.get(c) as Books;
            problems.check(
              got !== undefined && got.received === want.received && got.paid === want.paid && got.unfunded === want.unfunded && got.balance === want.balance,
              () => `${m}: books of ${c}: ${String(got?.received)}/${String(got?.paid)}/${String(got?.unfunded)}/${String(got?.balance)} vs oracle ${want.received}/${want.paid}/${want.unfunded}/${want.balance} (received/paid/unfunded/balance)`,
            );
            problems.check(got !== undefined && got.balance === got.received - got.paid + got.unfunded && got.balance >= 0n, () => `${m}: books of ${c} do not balance`);
          }
          // The unfunded exceptions add up to what was unfunded.
          const unfunded = new Map<string, bigint>();
          for (const e of reportRows(result.files.get('exceptions.csv') as string).rows) {
            if (e.code === 'unfunded') unfunded.set(e.company as string, (unfunded.get(e.company as string) ?? 0n) + minorOf(e.amount as string, d));
          }
          for (const c of set.companies) {
            const want = (set.books.get(c) as Books).unfunded;
            problems.check((unfunded.get(c) ?? 0n) === want, () => `${m}: unfunded exceptions of ${c} sum to ${unfunded.get(c) ?? 0n}, oracle ${want}`);
          }
          // Money comes back at most once: without rescaling, no investor gets back more than it invested.
          if (!set.rescaled) {
            const returned = new Map<string, bigint>();
            for (const r of reportRows(result.files.get('circular.csv') as string).rows) {
              returned.set(r.company as string, (returned.get(r.company as string) ?? 0n) + minorOf(r.amount as string, d));
            }
            for (const [investor, back] of returned) {
              const invested = set.invested.get(investor) ?? 0n;
              problems.check(back <= invested, () => `${m}: ${investor} got back ${back}, more than it invested (${invested})`);
            }
          }
          // The run's own checks passed, and say so.
          const manifest = JSON.parse(result.files.get('manifest.json') as string) as { checks: { result: string }[] };
          problems.check(manifest.checks.every((c) => c.result === 'passed'), () => `${m}: a manifest check failed`);
        }
        expect(problems.list).toEqual([]);
      }),
      runs(200),
    );
  }, TIMEOUT);

  it('splitting a ledger into two files, reordering files, or reordering rows (distinct timestamps) changes no figure; only sources move', () => {
    fc.assert(
      fc.property(ledgerSet, fc.nat(), method, fc.boolean(), (set, seed, m, earmark) => {
        counted('split-reorder');
        const random = prng(seed);
        const base = figures(run(set, {}, m, earmark));
        // Every company's rows shuffled.
        const order = new Map(set.companies.map((c) => [c, permutation((set.rows.get(c) as LedgerRow[]).length, random)]));
        expect(figures(run(set, { order }, m, earmark))).toEqual(base);
        // One company's ledger split into two files (its rows shuffled across them too).
        const company = set.companies[Math.floor(random() * set.companies.length)] as string;
        const shuffled = permutation((set.rows.get(company) as LedgerRow[]).length, random);
        const cut = Math.floor(random() * (shuffled.length + 1));
        const split = new Map([[company, [shuffled.slice(0, cut), shuffled.slice(cut)]]]);
        expect(figures(run(set, { split }, m, earmark))).toEqual(base);
        // The files handed over in reverse order.
        const reversed = runReports(ledgerFiles(set, { order }).reverse(), { method: m, earmark });
        expect(figures(reversed)).toEqual(base);
      }),
      runs(250),
    );
  }, TIMEOUT);

  it('rewriting the ledgers (column order, optional columns left out, CRLF, BOM, every field quoted) changes no byte of the CSV reports', () => {
    fc.assert(
      fc.property(ledgerSet, fc.nat(), method, (set, seed, m) => {
        counted('rewrite');
        const random = prng(seed);
        const base = run(set, {}, m);
        const all = [...set.rows.values()].flat();
        const droppable: Column[] = ['category', 'ref', 'deal', 'memo'];
        const columns = permutation(COLUMNS.length, random)
          .map((k) => COLUMNS[k] as Column)
          .filter((c) => !(droppable.includes(c) && all.every((r) => r[c] === '') && random() < 0.7));
        const rewritten = run(set, { columns, eol: '\r\n', bom: true, quoteAll: random() < 0.5 }, m);
        for (const file of CSV_REPORTS) expect(rewritten.files.get(file), file).toBe(base.files.get(file));
        const manifest = (r: RunResult): unknown => {
          const doc = JSON.parse(r.files.get('manifest.json') as string) as { inputs: { sha256?: string }[] };
          for (const input of doc.inputs) delete input.sha256;
          return doc;
        };
        expect(manifest(rewritten)).toEqual(manifest(base));
      }),
      runs(250),
    );
  }, TIMEOUT);

  it('re-running gives identical bytes (also after a run by another method)', () => {
    fc.assert(
      fc.property(ledgerSet, method, method, fc.boolean(), (set, m, other, earmark) => {
        counted('rerun');
        const files = ledgerFiles(set);
        const first = runReports(files, { method: m, earmark }).files;
        runReports(files, { method: other, earmark: !earmark });
        const again = runReports(ledgerFiles(set), { method: m, earmark }).files;
        expect([...again.entries()]).toEqual([...first.entries()]);
      }),
      runs(150),
    );
  }, TIMEOUT);

  it('adding a company that trades only with external parties changes no other company’s figures', () => {
    fc.assert(
      fc.property(ledgerSet, method, fc.array(fc.nat({ max: 45 }), { minLength: 1, maxLength: 8 }), (set, m, slots) => {
        counted('isolation');
        const solo = 'aaa-solo'; // sorts first: every other row's position in the run moves
        const withSolo: LedgerSet = {
          ...set,
          companies: [solo, ...set.companies],
          rows: new Map([[solo, soloCompany(solo, set.currency, set.digits, slots)], ...set.rows]),
        };
        const base = run(set, {}, m);
        const more = run(withSolo, {}, m);
        for (const file of CSV_REPORTS) {
          const [header = [], ...rows] = parseReport(base.files.get(file) as string);
          const [header2 = [], ...rows2] = parseReport(more.files.get(file) as string);
          expect(header2).toEqual(header);
          const company = header.indexOf('company');
          expect(rows2.filter((r) => r[company] !== solo), file).toEqual(rows);
        }
        for (const c of set.companies) expect(more.rec.traced.books.get(c), c).toEqual(base.rec.traced.books.get(c));
      }),
      runs(150),
    );
  }, TIMEOUT);
});
