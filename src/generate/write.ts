/**
 * Streams a generated ledger set to a folder (the I/O half of issue 6).
 * Chunks from `generateLedgerChunks` are appended to one write stream per
 * file; a full stream buffer pauses generation until it drains, so memory
 * stays bounded whatever the number of rows. At most MAX_OPEN_STREAMS files
 * are open at once (least recently used ones are closed and later reopened
 * for appending), so thousands of companies do not exhaust file descriptors.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { generateLedgerChunks, type GenerateOptions, type GenerationSummary } from './generate.js';

const MAX_OPEN_STREAMS = 64;

/** Writes every file of the set into `outDir` (which must exist) and returns the summary. */
export async function writeGeneratedLedgers(options: GenerateOptions, outDir: string): Promise<GenerationSummary> {
  const open = new Map<string, WriteStream>(); // insertion order = least recently used first
  const started = new Set<string>();
  let failure: unknown;

  const close = async (stream: WriteStream): Promise<void> => {
    stream.end();
    await finished(stream);
  };

  const streamFor = async (file: string): Promise<WriteStream> => {
    const existing = open.get(file);
    if (existing !== undefined) {
      open.delete(file);
      open.set(file, existing);
      return existing;
    }
    if (open.size >= MAX_OPEN_STREAMS) {
      const [oldestName, oldest] = open.entries().next().value as [string, WriteStream];
      open.delete(oldestName);
      await close(oldest);
    }
    const stream = createWriteStream(path.join(outDir, file), { flags: started.has(file) ? 'a' : 'w', encoding: 'utf8' });
    stream.on('error', (error) => {
      failure ??= error;
    });
    started.add(file);
    open.set(file, stream);
    return stream;
  };

  const iterator = generateLedgerChunks(options);
  try {
    for (;;) {
      const next = iterator.next();
      if (next.done === true) {
        for (const stream of open.values()) await close(stream);
        open.clear();
        if (failure !== undefined) throw failure;
        return next.value;
      }
      const stream = await streamFor(next.value.file);
      if (!stream.write(next.value.text)) await once(stream, 'drain');
      if (failure !== undefined) throw failure;
    }
  } finally {
    for (const stream of open.values()) stream.destroy();
  }
}
