/**
 * `roundtrip generate`: writes a synthetic, deterministic ledger set (for
 * tests, demos and the benchmark). Same arguments, same bytes.
 */
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { RoundtripError, usageError } from '../errors.js';
import { MAX_SCALE, PROFILES, validateGenerateOptions, type GenerateOptions, type Profile } from '../generate/generate.js';
import { writeGeneratedLedgers } from '../generate/write.js';
import { ioReason } from '../write/files.js';

export interface GenerateArgs {
  companies: number;
  transfers: number;
  seed: number;
  profile: string;
  scale: number | undefined;
  out: string;
  force: boolean;
}

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: 'Write a synthetic ledger set (deterministic: the same seed gives the same files)',
  builder: (yargs: Argv<object>): Argv<GenerateArgs> =>
    yargs
      .option('companies', { type: 'number', demandOption: true, describe: 'Number of companies (co001, co002, …)' })
      .option('transfers', {
        type: 'number',
        demandOption: true,
        describe: 'Number of transfers (intercompany transfers and external rows; about 1.8 ledger rows each)',
      })
      .option('seed', { type: 'number', default: 1, describe: 'Random seed (a whole number, 0 or more)' })
      .option('profile', {
        type: 'string',
        choices: PROFILES,
        default: 'volume',
        describe: 'volume: a few dozen stakes at any size; portfolio: investments a tenth of intercompany transfers, most under a deal of their own (stakes grow with the set), amounts in billions and some at the 15-digit limit',
      })
      .option('scale', { type: 'number', describe: `Amounts times 10^scale, 0 to ${MAX_SCALE} (default 0 for volume, 3 for portfolio: billions)` })
      .option('out', { type: 'string', demandOption: true, describe: 'Folder to write the ledgers to (created if absent)' })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Write into a folder that already holds .csv files (they are deleted first)',
      })
      .example('$0 generate --companies 50 --transfers 100000 --out ledgers-100k', 'about 178,000 rows in 62 files')
      .example('$0 generate --companies 50 --transfers 100000 --profile portfolio --out portfolio-100k', 'thousands of stakes'),
  handler: async (args) => {
    const options: GenerateOptions = {
      companies: args.companies,
      transfers: args.transfers,
      seed: args.seed,
      profile: args.profile as Profile,
      ...(args.scale === undefined ? {} : { scale: args.scale }),
    };
    const problem = validateGenerateOptions(options);
    if (problem !== undefined) throw usageError(problem);
    if (typeof args.out !== 'string' || args.out === '') throw usageError('--out must name a folder');
    const out = args.out;
    await prepareFolder(out, args.force);
    let summary;
    try {
      summary = await writeGeneratedLedgers(options, out);
    } catch (error) {
      throw new RoundtripError('io', `cannot write the ledgers to ${out}: ${messageOf(error)}`);
    }
    const rows = summary.rows.toLocaleString('en-US');
    process.stdout.write(
      `Wrote ${summary.files.length} files, ${rows} rows (${options.companies} companies, ${options.transfers} transfers, seed ${options.seed}${options.profile === 'volume' ? '' : `, ${options.profile}`}) to ${out}\n`,
    );
  },
};

/** Creates the folder, or checks that it holds no ledger files (deleting them with --force). */
async function prepareFolder(out: string, force: boolean): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(out)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new RoundtripError('io', `cannot read ${out}: ${messageOf(error)}`);
    try {
      await mkdir(out, { recursive: true });
    } catch (mkdirError) {
      throw new RoundtripError('io', `cannot create ${out}: ${messageOf(mkdirError)}`);
    }
    return;
  }
  if (!isDirectory) throw usageError(`--out ${out} is a file, not a folder`);
  let csvFiles: string[];
  try {
    const entries = await readdir(out, { withFileTypes: true });
    // The files the tool would read as ledgers: not hidden, ending in .csv in any case.
    csvFiles = entries
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.') && /\.csv$/i.test(e.name))
      .map((e) => e.name);
  } catch (error) {
    throw new RoundtripError('io', `cannot read ${out}: ${messageOf(error)}`);
  }
  if (csvFiles.length === 0) return;
  if (!force) {
    throw usageError(
      `${out} already holds ${csvFiles.length} .csv file${csvFiles.length === 1 ? '' : 's'}; choose an empty folder or add --force to replace them`,
    );
  }
  try {
    for (const name of csvFiles) await unlink(path.join(out, name));
  } catch (error) {
    throw new RoundtripError('io', `cannot delete the old ledgers in ${out}: ${messageOf(error)}`);
  }
}

/** I/O errors in the words every command uses (write/files.ts). */
function messageOf(error: unknown): string {
  return ioReason(error);
}
