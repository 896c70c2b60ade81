/** Helpers for the rules tests (SPEC §10): an export through a rules file, as `roundtrip import` converts it. */
import { RoundtripError } from '../../src/errors.js';
import { importExports } from '../../src/load/rules/import.js';
import { ledgerText } from '../../src/write/ledger.js';

const encode = (text: string | Uint8Array): Uint8Array => (typeof text === 'string' ? new TextEncoder().encode(text) : text);

/** One export, or several (name → content), in the order given. */
export type Exports = string | Uint8Array | Record<string, string | Uint8Array>;

function exportsOf(exports: Exports): { name: string; path: string; bytes: Uint8Array }[] {
  const files = typeof exports === 'string' || exports instanceof Uint8Array ? { 'export.csv': exports } : exports;
  return Object.entries(files).map(([name, content]) => ({ name, path: `in/${name}`, bytes: encode(content) }));
}

/** The §1 ledger the rules make of the exports (rules file `in/acme.rules`, company acme). */
export function convert(rules: string | Uint8Array, exports: Exports, company = 'acme'): string {
  return ledgerText(importExports({ name: 'acme.rules', path: 'in/acme.rules', bytes: encode(rules) }, exportsOf(exports), company));
}

/** The §1 rows only (no header), one string per row. */
export function rowsOf(rules: string | Uint8Array, exports: Exports, company = 'acme'): string[] {
  return convert(rules, exports, company).split('\n').slice(1, -1);
}

/** The lines of the input error the conversion throws (it must throw one). */
export function errorsOf(rules: string | Uint8Array, exports: Exports, company = 'acme'): string[] {
  try {
    convert(rules, exports, company);
  } catch (error) {
    if (error instanceof RoundtripError && error.code === 'input') return error.message.split('\n');
    throw error;
  }
  throw new Error('expected an input error, but the export was converted');
}

/** Lines joined with LF and a final LF. */
export function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}
