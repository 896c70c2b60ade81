import { describe, expect, it } from 'vitest';
import { progressFor, silentProgress, terminalProgress } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = {
    isTTY,
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress display', () => {
  it('is silent when stderr is not a terminal, and with --quiet', () => {
    expect(progressFor(false, fakeStream(false))).toBe(silentProgress);
    expect(progressFor(true, fakeStream(true))).toBe(silentProgress);
    expect(progressFor(false, fakeStream(true))).not.toBe(silentProgress);
  });

  it('shows the stage, percent, count and rate on one line, then clears it', () => {
    const stream = fakeStream(true);
    const progress = terminalProgress(stream);
    progress.stage('tracing', 2000, 'transfers');
    // eslint-disable-next-line no-control-regex
    expect(stream.text).toMatch(/^\r\u001b\[2Kroundtrip: tracing 0% \(0 of 2,000 transfers, \d[\d,]* transfers\/s\)$/);
    progress.done();
    expect(stream.text.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('gives the rate in rows when rows are reported (loading)', async () => {
    const stream = fakeStream(true);
    const progress = terminalProgress(stream);
    progress.stage('loading', 62, 'files');
    await new Promise((resolve) => setTimeout(resolve, 120));
    progress.update(31, 500000);
    // eslint-disable-next-line no-control-regex
    expect(stream.text.split('\r').at(-1)).toMatch(/^\u001b\[2Kroundtrip: loading 50% \(31 of 62 files, 500,000 rows, [\d,]+ rows\/s\)$/);
  });

  it('renders at most ten times a second', () => {
    const stream = fakeStream(true);
    const progress = terminalProgress(stream);
    progress.stage('matching', 100, 'rows');
    const before = stream.text.length;
    for (let i = 0; i < 1000; i++) progress.update(50);
    const renders = stream.text.slice(before).split('\r').length - 1;
    expect(renders).toBeLessThanOrEqual(1);
  });
});
