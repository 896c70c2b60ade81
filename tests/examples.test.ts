/**
 * Every worked example of the specification (copied into tests/fixtures/examples),
 * run as its README says, checked byte for byte against the expected reports.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const root = join(import.meta.dirname, 'fixtures', 'examples');
const scratch = mkdtempSync(join(tmpdir(), 'roundtrip-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const REPORTS = ['summary.csv', 'revenue.csv', 'circular.csv', 'exceptions.csv'];

const cases = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(root, d.name, 'expected')).map((variant) => ({ example: d.name, variant })),
  );

describe('shared examples, byte for byte', () => {
  it('finds every example', () => {
    expect(cases.length).toBe(20);
  });

  it.each(cases)('$example / $variant', async ({ example, variant }) => {
    const expectedDir = join(root, example, 'expected', variant);
    const periods = readdirSync(expectedDir).filter((p) => p !== 'all');
    const method = variant.replace(/-no-earmark$/, '');
    const out = join(scratch, example, variant);
    const args = ['run', '--ledgers', join(root, example, 'ledgers'), '--out', out, '--method', method, '--quiet'];
    if (variant.endsWith('-no-earmark')) args.push('--no-earmark');
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
