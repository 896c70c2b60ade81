/**
 * The command line. Commands are registered explicitly (yargs 18 is ESM-only
 * and cannot load a command directory). Every failure becomes an exit code
 * here and nowhere else.
 */
import yargs from 'yargs';
import { RoundtripError, exitCodeOf, usageError } from '../errors.js';
import { VERSION } from '../version.js';
import { commands } from './commands.js';

export async function main(argv: string[]): Promise<number> {
  const parser = yargs(argv)
    .scriptName('roundtrip')
    .usage('$0 <command> [options]\n\nReconciles revenue inflated by circular financing: how much of each company\'s booked revenue is organic and how much is its own investment coming back.')
    .version(VERSION)
    .strict()
    .demandCommand(1, 'Name a command: run, check, audit, compare, generate or import.')
    .recommendCommands()
    .help()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      // A usage failure stops here: no command handler may run after it.
      if (error) throw error;
      throw usageError(`${message}\nRun 'roundtrip --help' for usage.`);
    })
    .exitProcess(false);
  for (const command of commands) parser.command(command);
  try {
    await parser.parseAsync();
  } catch (error) {
    return report(error);
  }
  return process.exitCode === undefined ? 0 : Number(process.exitCode);
}

function report(error: unknown): number {
  if (error instanceof RoundtripError) {
    const prefix = error.code === 'input' ? '' : 'roundtrip: ';
    process.stderr.write(`${prefix}${error.message}\n`);
    if (error.code === 'input') {
      const count = error.total;
      process.stderr.write(`roundtrip: ${count === 1 ? '1 input error' : `${count} input errors`}; nothing was written.\n`);
    }
  } else {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`roundtrip: internal error: ${text}\n`);
  }
  return exitCodeOf(error);
}
