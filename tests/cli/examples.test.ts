/**
 * Every worked example (copied into tests/fixtures/examples), run as its
 * README says, checked byte for byte against the expected reports. An
 * expected folder's name says how it was run: METHOD, then `-no-earmark`
 * for --no-earmark, or `-usd`/`-eur`/… for --currency USD/EUR/…. The
 * `import` example has no report folders (its expected ledger is checked
 * by the import tests).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/helpers.js';
import { EXAMPLES, exampleVariants, variantArgs } from '../support/examples.js';

const root = EXAMPLES;
const scratch = mkdtempSync(join(tmpdir(), 'roundtrip-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const REPORTS = ['summary.csv', 'revenue.csv', 'circular.csv', 'exceptions.csv', 'exposure.csv'];

const cases = exampleVariants();

describe('worked examples, byte for byte', () => {
  it('finds every example', () => {
    expect(cases.length).toBe(23);
    expect(variantArgs('pro-rata-no-earmark')).toEqual(['--method', 'pro-rata', '--no-earmark']);
    expect(variantArgs('pro-rata-eur')).toEqual(['--method', 'pro-rata', '--currency', 'EUR']);
    expect(variantArgs('investor-first')).toEqual(['--method', 'investor-first']);
  });

  it.each(cases)('$example / $variant', async ({ example, variant }) => {
    const expectedDir = join(root, example, 'expected', variant);
    const periods = readdirSync(expectedDir).filter((p) => p !== 'all');
    const out = join(scratch, example, variant);
    const args = ['run', '--ledgers', join(root, example, 'ledgers'), '--out', out, ...variantArgs(variant), '--quiet'];
    for (const p of periods) args.push('--period', p);
    const result = await runCli(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const period of readdirSync(expectedDir)) {
      for (const file of REPORTS) {
        const expected = readFileSync(join(expectedDir, period, file), 'utf8');
        expect(existsSync(join(out, period, file)), `${period}/${file} written`).toBe(true);
        expect(readFileSync(join(out, period, file), 'utf8'), `${period}/${file}`).toBe(expected);
      }
      expect(existsSync(join(out, period, 'manifest.json'))).toBe(true);
    }
  });
});
