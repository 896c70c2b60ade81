/**
 * A progress line on stderr while a long run works: stage, percent, rows or
 * transfers per second. Only when stderr is a terminal and --quiet is not
 * given; silent otherwise, so logs and pipes stay clean.
 */

export interface Progress {
  /** Starts a stage of `total` units (rows, transfers). */
  stage(name: string, total: number, unit: string): void;
  /**
   * Reports `done` units of the current stage, and optionally the ledger rows
   * read so far (then the rate is in rows/s). Cheap: renders at most ten
   * times a second.
   */
  update(done: number, rows?: number): void;
  /** Clears the line. */
  done(): void;
}

export const silentProgress: Progress = { stage: () => undefined, update: () => undefined, done: () => undefined };

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let name = '';
  let total = 0;
  let unit = '';
  let started = 0;
  let lastRender = 0;
  let shown = false;
  const render = (done: number, now: number, rows?: number): void => {
    const seconds = Math.max((now - started) / 1000, 0.001);
    const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
    const count = `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${unit}`;
    const rate =
      rows === undefined
        ? `${Math.round(done / seconds).toLocaleString('en-US')} ${unit}/s`
        : `${rows.toLocaleString('en-US')} rows, ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`;
    const line = `roundtrip: ${name} ${percent}% (${count}, ${rate})`;
    stream.write(`\r\u001b[2K${line}`);
    shown = true;
  };
  return {
    stage(stageName, stageTotal, stageUnit) {
      name = stageName;
      total = stageTotal;
      unit = stageUnit;
      started = Date.now();
      lastRender = 0;
      render(0, started);
    },
    update(done, rows) {
      const now = Date.now();
      if (now - lastRender < 100) return;
      lastRender = now;
      render(done, now, rows);
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
      shown = false;
    },
  };
}

export function progressFor(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  return !quiet && stream.isTTY === true ? terminalProgress(stream) : silentProgress;
}
