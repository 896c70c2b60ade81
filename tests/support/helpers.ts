/** Test helpers: run the CLI in-process and capture what it prints. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `roundtrip ARGS` in this process (same code path as the binary) and
 * returns its exit code and output. Calls are serialised: stdout/stderr are
 * swapped for the duration.
 */
let queue: Promise<unknown> = Promise.resolve();

export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const next = queue.then(async () => {
    let stdout = '';
    let stderr = '';
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const saved: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    const previousExitCode = process.exitCode;
    process.exitCode = undefined;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }) as typeof process.stderr.write;
    try {
      const code = await main(args);
      return { code, stdout, stderr };
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
      process.exitCode = previousExitCode;
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Writes `files` into `DIR/ledgers/` and runs `roundtrip run --ledgers ledgers
 * --out reports --quiet ...extra` from DIR, so messages read `ledgers/NAME` as
 * in SPEC §6.
 */
export async function runOnLedgers(dir: string, files: Record<string, string | Uint8Array>, extra: string[] = []): Promise<CliResult> {
  mkdirSync(join(dir, 'ledgers'), { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, 'ledgers', name)), { recursive: true });
    writeFileSync(join(dir, 'ledgers', name), content);
  }
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return await runCli(['run', '--ledgers', 'ledgers', '--out', 'reports', '--quiet', ...extra]);
  } finally {
    process.chdir(cwd);
  }
}
