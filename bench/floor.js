// The floor of the benchmark: parse every ledger file of a folder with
// csv-parse's streaming parser, with the options the tool uses, and nothing
// else. Run by bench.js in a fresh child process (`node bench/floor.js DIR`);
// prints {"files":N,"records":M} (records include each file's header).
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse';

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: node bench/floor.js DIR\n');
  process.exit(2);
}

// The files the tool reads (SPEC §1): not hidden, ending in .csv, in code-unit order.
const names = (await readdir(dir, { withFileTypes: true }))
  .filter((e) => e.isFile() && !e.name.startsWith('.') && /\.csv$/i.test(e.name))
  .map((e) => e.name)
  .sort();

let records = 0;
for (const name of names) {
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: false });
  createReadStream(path.join(dir, name))
    .on('error', (error) => parser.destroy(error))
    .pipe(parser);
  for await (const _record of parser) records++;
}
process.stdout.write(`${JSON.stringify({ files: names.length, records })}\n`);
