/** The worked examples in tests/fixtures/examples, as the test files that replay them see them. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const EXAMPLES = join(import.meta.dirname, '..', 'fixtures', 'examples');

/**
 * The command-line options an expected folder's name stands for: METHOD,
 * then `-no-earmark` for --no-earmark, or `-usd`/`-eur`/… for --currency.
 */
export function variantArgs(variant: string): string[] {
  if (variant.endsWith('-no-earmark')) return ['--method', variant.slice(0, -'-no-earmark'.length), '--no-earmark'];
  const currency = /-([a-z]{3})$/.exec(variant)?.[1];
  if (currency !== undefined) return ['--method', variant.slice(0, -4), '--currency', currency.toUpperCase()];
  return ['--method', variant];
}

/** Every (example, expected folder) with report folders (the import example has none: its expected output is a ledger). */
export function exampleVariants(): { example: string; variant: string }[] {
  return readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(EXAMPLES, d.name, 'expected'))
        .filter((variant) => statSync(join(EXAMPLES, d.name, 'expected', variant)).isDirectory())
        .map((variant) => ({ example: d.name, variant })),
    );
}
