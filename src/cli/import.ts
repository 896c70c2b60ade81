/** `roundtrip import`: converts exports through a rules file into one §1 ledger (SPEC §5, §10); prints it or writes it atomically. */
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { CommandModule } from 'yargs';
import { usageError } from '../errors.js';
import { COMPANY_ID, companyOf } from '../load/load.js';
import { importExports, type ImportFile } from '../load/rules/import.js';
import { writeFiles } from '../write/atomic.js';
import { ioReason } from '../write/files.js';
import { ledgerText } from '../write/ledger.js';
import { listOf } from './options.js';

export interface ImportArgs {
  exports: string[];
  rules: string;
  company?: string;
  out?: string;
}

async function readInput(path: string, what: string): Promise<ImportFile> {
  try {
    return { name: basename(path), path, bytes: await readFile(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError(`${what} ${JSON.stringify(path)} does not exist (expected the path of ${what === 'export' ? 'an export, e.g. ledgers/amazon.2026-01.csv' : 'a rules file, e.g. ledgers/amazon.rules'})`);
    throw usageError(`${what} ${JSON.stringify(path)} cannot be read: ${ioReason(error)}`);
  }
}

export const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <exports..>',
  describe: 'convert exports through a rules file into one ledger in the ledger format (docs/ledgers.md); print it or write it to --out',
  builder: (y) =>
    y
      .positional('exports', { type: 'string', array: true, demandOption: true, describe: 'the export CSV files, read in this order' })
      .option('rules', { type: 'string', demandOption: true, describe: 'the rules file that says how to read them (see docs/rules.md)', requiresArg: true })
      .option('company', { type: 'string', describe: 'the company id of the ledger (default: the rules file name up to its first dot)', requiresArg: true })
      .option('out', { type: 'string', describe: 'write the ledger to this file (atomically) instead of printing it', requiresArg: true })
      .example('$0 import ledgers/amazon.2026-01.csv --rules ledgers/amazon.rules', 'print the ledger the rules make of the export'),
  handler: async (args) => {
    const company = args.company ?? companyOf(basename(args.rules));
    if (!COMPANY_ID.test(company)) {
      throw usageError(
        `${args.company === undefined ? `the rules file name ${JSON.stringify(basename(args.rules))} does not start with a company id` : `--company ${JSON.stringify(company)} is not a company id`} (expected lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters; pass --company ID)`,
      );
    }
    const rules = await readInput(args.rules, 'rules file');
    const exports: ImportFile[] = [];
    for (const path of listOf(args.exports)) exports.push(await readInput(path, 'export'));
    const text = ledgerText(importExports(rules, exports, company));
    if (args.out === undefined) process.stdout.write(text);
    else await writeFiles(dirname(args.out), [{ folder: '', name: basename(args.out), content: text }]);
  },
};
