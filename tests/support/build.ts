/**
 * vitest globalSetup: some tests run the compiled code in dist/ (the worker
 * threads, the end-to-end interrupt of bin/roundtrip.js). `npm test` builds
 * first; `npx vitest` alone might find a dist/ older than src/ and test stale
 * code. So before any test: if a source file is newer than its compiled file
 * (or that is missing), build, and say so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** The first source file whose compiled file is missing or older, or undefined when dist/ is up to date. */
export function staleSource(src = join(root, 'src'), dist = join(root, 'dist')): string | undefined {
  for (const entry of readdirSync(src, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    const compiled = join(dist, relative(src, path)).replace(/\.ts$/, '.js');
    if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(path).mtimeMs) return relative(join(src, '..'), path);
  }
  return undefined;
}

export default function setup(): void {
  const stale = staleSource();
  if (stale === undefined) return;
  process.stderr.write(`dist/ is older than ${stale}: building it before the tests (npm run build)\n`);
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  const still = staleSource();
  if (still !== undefined) throw new Error(`dist/ is still older than ${still} after the build: run npm run build and look at its errors`);
}
