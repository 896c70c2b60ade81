/**
 * A headless Chromium driven over the DevTools protocol through a pipe
 * (`--remote-debugging-pipe`: commands on fd 3, replies and events on fd 4,
 * each message JSON ended by a NUL). Enough for the report tests: open a
 * page, record every console message, exception, dialog and network request,
 * read the DOM, take a screenshot. No package, no browser download: it runs
 * the system's `chromium` (Debian's, which .ci/run installs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

export interface PageEvents {
  /** Console messages of level error or warning, exceptions and browser log errors, as text. */
  readonly errors: string[];
  /** Every request the page made (its own URL excluded) that was not blocked before it left. */
  readonly requests: string[];
  /** Every request the browser blocked before it left (by the page's Content-Security-Policy, say), with the reason. */
  readonly blocked: string[];
  /** Every alert/confirm/prompt the page tried to open. */
  readonly dialogs: string[];
}

export class Browser {
  private readonly child: ChildProcess;
  private readonly input: Writable;
  private readonly profile: string;
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private readonly listeners: ((m: Message) => void)[] = [];
  private exited = false;
  private stderr = '';

  private constructor(executable: string) {
    this.profile = mkdtempSync(join(tmpdir(), 'roundtrip-chromium-'));
    this.child = spawn(
      executable,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--remote-debugging-pipe',
        `--user-data-dir=${this.profile}`,
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-extensions',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        '--mute-audio',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
    );
    this.input = this.child.stdio[3] as Writable;
    const output = this.child.stdio[4] as Readable;
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.receive(chunk));
    (this.child.stderr as Readable).on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    this.child.on('exit', () => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited: ${this.stderr}`));
      this.pending.clear();
    });
  }

  static async launch(executable: string): Promise<Browser> {
    const browser = new Browser(executable);
    await browser.send('Browser.getVersion');
    return browser;
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
      const message = JSON.parse(this.buffer.slice(0, end)) as Message;
      this.buffer = this.buffer.slice(end + 1);
      if (message.id !== undefined) {
        const p = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error !== undefined) p?.reject(new Error(message.error.message));
        else p?.resolve(message);
      } else for (const listen of this.listeners) listen(message);
    }
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(new Error(`chromium has exited: ${this.stderr}`));
    const id = this.nextId++;
    const message: Message = { id, method, params, ...(sessionId === undefined ? {} : { sessionId }) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (m) => resolve(m.result ?? {}), reject });
      this.input.write(`${JSON.stringify(message)}\0`);
    });
  }

  /** Opens `url` in a new tab of `width` CSS pixels, waits for its load event, and records what it does. */
  async open(url: string, width: number): Promise<Page> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const events: PageEvents = { errors: [], requests: [], blocked: [], dialogs: [] };
    const requested = new Map<string, string>();
    let loaded: () => void = () => undefined;
    const load = new Promise<void>((resolve) => (loaded = resolve));
    this.listeners.push((m) => {
      if (m.sessionId !== sessionId) return;
      const p = m.params ?? {};
      switch (m.method) {
        case 'Runtime.consoleAPICalled': {
          const type = p.type as string;
          if (type === 'error' || type === 'warning' || type === 'assert') events.errors.push(`console.${type}: ${JSON.stringify(p.args)}`);
          break;
        }
        case 'Runtime.exceptionThrown':
          events.errors.push(`exception: ${JSON.stringify(p.exceptionDetails)}`);
          break;
        case 'Log.entryAdded': {
          const entry = p.entry as { level: string; text: string; source: string };
          if (entry.level === 'error' || entry.level === 'warning') events.errors.push(`${entry.source} ${entry.level}: ${entry.text}`);
          break;
        }
        case 'Network.requestWillBeSent': {
          const request = p.request as { url: string };
          if (request.url !== url) {
            requested.set(p.requestId as string, request.url);
            events.requests.push(request.url);
          }
          break;
        }
        case 'Network.loadingFailed': {
          const at = requested.get(p.requestId as string);
          if (at !== undefined && p.blockedReason !== undefined) {
            events.requests.splice(events.requests.indexOf(at), 1);
            events.blocked.push(`${at} (${String(p.blockedReason)})`);
          }
          break;
        }
        case 'Page.javascriptDialogOpening':
          events.dialogs.push(String(p.message));
          void this.send('Page.handleJavaScriptDialog', { accept: false }, sessionId).catch(() => undefined);
          break;
        case 'Page.loadEventFired':
          loaded();
          break;
      }
    });
    for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await this.send(`${domain}.enable`, {}, sessionId);
    await this.send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
    const navigation = (await this.send('Page.navigate', { url }, sessionId)) as { errorText?: string };
    if (navigation.errorText !== undefined) throw new Error(`cannot open ${url}: ${navigation.errorText}`);
    await load;
    return new Page(this, sessionId, width, events);
  }

  async close(): Promise<void> {
    if (!this.exited) {
      const exit = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      await this.send('Browser.close').catch(() => undefined);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export class Page {
  constructor(
    private readonly browser: Browser,
    private readonly sessionId: string,
    private readonly width: number,
    readonly events: PageEvents,
  ) {}

  /** The value of a JavaScript expression evaluated in the page (DevTools evaluation is not bound by the page's CSP). */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.browser.send('Runtime.evaluate', { expression, returnByValue: true }, this.sessionId)) as {
      result: { value: T };
      exceptionDetails?: unknown;
    };
    if (r.exceptionDetails !== undefined) throw new Error(`evaluation failed: ${JSON.stringify(r.exceptionDetails)}`);
    return r.result.value;
  }

  /** Lays the page out for print (CSS `@media print`) instead of the screen. */
  async emulatePrint(): Promise<void> {
    await this.browser.send('Emulation.setEmulatedMedia', { media: 'print' }, this.sessionId);
  }

  /** The page printed (A4, backgrounds on), as PDF bytes. */
  async pdf(): Promise<Buffer> {
    const { data } = (await this.browser.send('Page.printToPDF', { printBackground: true, paperWidth: 8.27, paperHeight: 11.69 }, this.sessionId)) as { data: string };
    return Buffer.from(data, 'base64');
  }

  /** A PNG of the whole page, at its full height. */
  async screenshot(): Promise<Buffer> {
    const height = await this.evaluate<number>('Math.ceil(document.documentElement.scrollHeight)');
    await this.browser.send('Emulation.setDeviceMetricsOverride', { width: this.width, height, deviceScaleFactor: 1, mobile: false }, this.sessionId);
    const { data } = (await this.browser.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, this.sessionId)) as { data: string };
    return Buffer.from(data, 'base64');
  }
}
