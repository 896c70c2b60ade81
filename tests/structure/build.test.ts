/** The globalSetup that refuses to test a stale dist/ (tests/support/build.ts) finds what is stale. */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleSource } from '../support/build.js';

describe('staleSource', () => {
  it('names a source newer than its compiled file, or one not compiled; nothing when dist/ is up to date', () => {
    const root = mkdtempSync(join(tmpdir(), 'roundtrip-build-'));
    const src = join(root, 'src');
    const dist = join(root, 'dist');
    mkdirSync(join(src, 'load'), { recursive: true });
    mkdirSync(join(dist, 'load'), { recursive: true });
    writeFileSync(join(src, 'load', 'read.ts'), '');
    expect(staleSource(src, dist)).toBe('src/load/read.ts');
    writeFileSync(join(dist, 'load', 'read.js'), '');
    const past = new Date('2026-01-01T00:00:00Z');
    utimesSync(join(src, 'load', 'read.ts'), past, past);
    expect(staleSource(src, dist)).toBeUndefined();
    utimesSync(join(dist, 'load', 'read.js'), new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'));
    expect(staleSource(src, dist)).toBe('src/load/read.ts');
  });
});
