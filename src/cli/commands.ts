/** Every command of the tool, registered explicitly in main.ts. */
import type { CommandModule } from 'yargs';
import { auditCommand } from './audit.js';
import { checkCommand } from './check.js';
import { compareCommand } from './compare.js';
import { generateCommand } from './generate.js';
import { importCommand } from './import.js';
import { runCommand } from './run.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [runCommand, checkCommand, auditCommand, compareCommand, generateCommand, importCommand];
