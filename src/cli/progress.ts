/**
 * A progress line on stderr while a long run works: stage, percent, rows or
 * transfers per second. Only when stderr is a terminal and --quiet is not
 * given; silent otherwise, so logs and pipes stay clean.
 */

export interface Progress {
  /** Starts a stage of `total` units (rows, transfers). */
  stage(name: string, total: number, unit: string): void;
  /** Reports `done` units of the current stage (cheap: renders at most ten times a second). */
  update(done: number): void;
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
  const render = (done: number, now: number): void => {
    const seconds = Math.max((now - started) / 1000, 0.001);
    const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
    const rate = Math.round(done / seconds).toLocaleString('en-US');
    const line = `roundtrip: ${name} ${percent}% (${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${unit}, ${rate} ${unit}/s)`;
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
    update(done) {
      const now = Date.now();
      if (now - lastRender < 100) return;
      lastRender = now;
      render(done, now);
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
