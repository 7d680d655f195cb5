// Real Chromium (Debian's /usr/bin/chromium, installed by .ci/run) driven by playwright-core, and a
// WebViewerPage wrapper that reads what a person sees on the web viewer page: the terminal's
// rendered rows (`.xterm-rows`), the notice, the title and the read-only badge. If Chromium is
// missing these tests fail with a clear message; they never skip.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { runChecked, waitFor } from '../../helpers/wait.js';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ARTIFACTS_DIR = `${ROOT}test/artifacts`;

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * One browser per test file (launched in beforeAll, after building the page bundle so the relay
 * serves the current src/web), closed in afterAll. Each test opens pages in its own context.
 */
export function useBrowser(): { browser(): Browser } {
  let browser: Browser | null = null;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: the browser tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it)`);
    }
    await runChecked(process.execPath, [`${ROOT}scripts/build-web.mjs`], { timeoutMs: 60_000 });
    // playwright gives every launch a fresh temporary --user-data-dir and removes it on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS, timeout: 30_000 });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
  });
  return {
    browser() {
      if (!browser) throw new Error('the browser is not running');
      return browser;
    },
  };
}

export interface OpenOptions {
  width?: number;
  height?: number;
  /** Clipboard access for copy/paste tests. */
  clipboard?: boolean;
}

export class WebViewerPage {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly status: number | null,
    /** Console errors and uncaught exceptions of the page (CSP violations show up here). */
    readonly errors: readonly string[],
  ) {}

  static async open(browser: Browser, url: string, options: OpenOptions = {}): Promise<WebViewerPage> {
    const context = await browser.newContext({ viewport: { width: options.width ?? 1000, height: options.height ?? 640 } });
    if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    const response = await page.goto(url, { waitUntil: 'load' });
    return new WebViewerPage(context, page, response?.status() ?? null, errors);
  }

  /** The terminal's rows as rendered in the page, trailing blanks trimmed. */
  async rows(): Promise<string[]> {
    const rows = await this.page.locator('.xterm-rows > div').allTextContents();
    return rows.map((r) => r.replace(/\u00a0/g, ' ').trimEnd());
  }

  /** The screen as text, with the border and `·` filler around a smaller session removed. */
  async screen(): Promise<string> {
    return withoutFiller(await this.rows()).join('\n');
  }

  async waitForScreen(predicate: (screen: string, rows: string[]) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
    let last = '';
    return waitFor(
      async () => {
        const rows = withoutFiller(await this.rows());
        last = rows.join('\n');
        return predicate(last, rows) ? last : null;
      },
      { timeoutMs, intervalMs: 50, describe: () => `web page to show ${what}; it shows:\n${last}` },
    );
  }

  waitForText(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const test = (s: string): boolean => (typeof text === 'string' ? s.includes(text) : text.test(s));
    return this.waitForScreen(test, String(text), timeoutMs);
  }

  /** The notice over the terminal ('' while hidden). */
  async notice(): Promise<string> {
    const notice = this.page.locator('#notice');
    if (!(await notice.isVisible())) return '';
    return (await notice.innerText()).replace(/\s+/g, ' ').trim();
  }

  async waitForNotice(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
    let last = '';
    return waitFor(
      async () => {
        last = await this.notice();
        return (typeof text === 'string' ? last.includes(text) : text.test(last)) ? last : null;
      },
      { timeoutMs, intervalMs: 50, describe: () => `notice ${String(text)}; the notice is "${last}"` },
    );
  }

  async attribute(name: string): Promise<string | null> {
    return this.page.locator('body').getAttribute(name);
  }

  async waitForAttribute(name: string, value: string | RegExp, timeoutMs = 10_000): Promise<string> {
    let last: string | null = null;
    return waitFor(
      async () => {
        last = await this.attribute(name);
        return last !== null && (typeof value === 'string' ? last === value : value.test(last)) ? last : null;
      },
      { timeoutMs, intervalMs: 50, describe: () => `body[${name}] to be ${String(value)}; it is ${String(last)}` },
    );
  }

  /** The terminal size the page sent to the relay (COLSxROWS). */
  async size(): Promise<{ cols: number; rows: number }> {
    const [cols, rows] = (await this.waitForAttribute('data-size', /^\d+x\d+$/)).split('x').map(Number);
    return { cols: cols!, rows: rows! };
  }

  async focus(): Promise<void> {
    await this.page.locator('.xterm-helper-textarea').focus();
  }

  async type(text: string): Promise<void> {
    await this.focus();
    await this.page.keyboard.type(text);
  }

  async press(key: string): Promise<void> {
    await this.focus();
    await this.page.keyboard.press(key);
  }

  async screenshot(name: string): Promise<string> {
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    const path = `${ARTIFACTS_DIR}/${name}.png`;
    await this.page.screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/**
 * Rows without what tmux draws around a session smaller than the terminal: the right border and
 * `·` filler at the end of rows, and the rows below the session (bottom border, filler, tmux's
 * "(size … from a smaller client)" note).
 */
export function withoutFiller(rows: string[]): string[] {
  return rows
    .filter((row) => !/^[─┘·]+$/.test(row) && !/^·*\(size \d+x\d+ from a smaller client\)$/.test(row))
    .map((row) => row.replace(/│?·+$/, '').trimEnd());
}

/** The last non-empty row above the status line. */
export function lastNonEmptyRow(rows: string[]): string {
  const area = rows.slice(0, -1);
  for (let i = area.length - 1; i >= 0; i--) if (area[i]!.trim() !== '') return area[i]!;
  return '';
}
