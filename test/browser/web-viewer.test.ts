// The web viewer in a real browser: Debian's Chromium (playwright-core) opens the links a stock
// tmate 2.4.0 host prints, against a relay on loopback, next to a real OpenSSH viewer. Every
// assertion is on what a person sees: the terminal rows the page rendered, its notice, title and
// badge, the host's own tmate state. Screenshots go to test/artifacts/ (kept by CI, ignored by git).
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { onCleanup, startTestRelay, type RelayFixture } from '../helpers/relay-fixture.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait.js';
import type { TmateHost } from '../helpers/tmate-host.js';
import { lastNonEmptyRow, useBrowser, WebViewerPage } from './helpers/web-browser.js';

const PROMPT = /^\$ ?$/m;
const browser = useBrowser();

async function openPage(url: string, options: { width?: number; height?: number; clipboard?: boolean } = {}): Promise<WebViewerPage> {
  const page = await WebViewerPage.open(browser.browser(), url, options);
  onCleanup(() => page.close());
  return page;
}

async function hostValue(host: TmateHost, format: string, expected: string): Promise<void> {
  let last = '';
  await waitFor(async () => (last = await host.display(format)) === expected, {
    describe: () => `host ${format} to become ${expected} (it is ${last})`,
  });
}

/** Types a command once the prompt is the last line, then waits for its output. */
async function run(page: WebViewerPage, command: string, expected: string | RegExp): Promise<void> {
  await page.waitForScreen((_, rows) => PROMPT.test(lastNonEmptyRow(rows)), 'the prompt as the last line');
  await page.type(command);
  await page.press('Enter');
  await page.waitForText(expected);
}


async function webLinks(f: RelayFixture, host: TmateHost): Promise<{ web: string; webRo: string }> {
  return { web: await host.display('#{tmate_web}'), webRo: await host.display('#{tmate_web_ro}') };
}

describe('web viewer (Chromium) with a stock tmate host', () => {
  it('shows the host prompt, runs what the page types, and an SSH viewer sees it too', async () => {
    const f = await startTestRelay();
    const { host, rw, ro } = await f.readyHost();
    const { web, webRo } = await webLinks(f, host);
    expect(web).toBe(`http://127.0.0.1:${f.running.httpPort}/t/${rw}`);
    expect(webRo).toBe(`http://127.0.0.1:${f.running.httpPort}/t/${ro}`);
    await host.waitForMessage(`web session: ${web}`);

    const page = await openPage(web);
    expect(page.status).toBe(200);
    await page.waitForScreen((_, rows) => PROMPT.test(lastNonEmptyRow(rows)), 'the host prompt');
    await page.waitForScreen((_, rows) => /\[tmate\] 0:\S+\*/.test(rows[rows.length - 1] ?? ''), 'the status line');
    const window = await host.display('#{window_index}:#{window_name}');
    await waitFor(async () => (await page.page.title()) === `tmate · ${window}`, {
      describe: () => `page title tmate · ${window}`,
    });
    expect(await page.page.locator('#read-only').isVisible()).toBe(false);

    const ssh = await f.viewer(rw);
    await run(page, 'echo web-typed-$((6*7))', /^web-typed-42$/m);
    await ssh.waitForText(/^web-typed-42$/m);
    expect(await host.capturePane()).toContain('web-typed-42');
    await page.screenshot('web-viewer-rw');
    expect(page.errors).toEqual([]); // e.g. nothing blocked by the Content-Security-Policy
  });

  it('opens the web link of a named session with an API key (tmate -k KEY -n NAME)', async () => {
    const key = 'ci-team-api-key-0123456789abcdef';
    const f = await startTestRelay({ apiKeys: [{ prefix: 'ci', key }] });
    const { host } = await f.readyHost({ extraArgs: ['-k', key, '-n', 'build-42'] });
    const { web } = await webLinks(f, host);
    expect(web).toBe(`http://127.0.0.1:${f.running.httpPort}/t/ci/build-42`);
    const page = await openPage(web);
    expect(page.status).toBe(200);
    await page.waitForScreen((_, rows) => PROMPT.test(lastNonEmptyRow(rows)), 'the host prompt');
    await run(page, 'echo named-web-$((6*7))', /^named-web-42$/m);
    expect(await host.capturePane()).toContain('named-web-42');
    expect(page.errors).toEqual([]);
  });

  it('shows read-only on the read-only page and ignores what it types', async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const { webRo } = await webLinks(f, host);
    const page = await openPage(webRo);
    await page.waitForScreen((_, rows) => PROMPT.test(lastNonEmptyRow(rows)), 'the host prompt');
    await page.waitForText('[read-only]');
    expect(await page.page.locator('#read-only').isVisible()).toBe(true);
    expect(await page.page.locator('#read-only').innerText()).toBe('read-only');

    await page.type('echo ro-web-typed');
    await page.press('Enter');
    // A read-write viewer's command shows up on the read-only page after what the page typed.
    const ssh = await f.viewer(rw);
    await ssh.waitForScreen((screen) => PROMPT.test(screen), 'the prompt');
    ssh.type('echo rw-after-ro\r');
    await page.waitForText(/^rw-after-ro$/m);
    expect(await page.screen()).not.toContain('ro-web-typed');
    expect(await host.capturePane()).not.toContain('ro-web-typed');
    await page.screenshot('web-viewer-ro');

    // C-b d still detaches, and the page says so.
    await page.press('Control+B');
    await page.press('d');
    expect(await page.waitForNotice(/^Detached/)).toBe('Detached detached (from session tmate)');
    await host.waitForMessage(/A mate has left/);
  });

  it('sizes the session for the browser window and follows when it is resized', async () => {
    const f = await startTestRelay();
    const { host } = await f.readyHost();
    const { web } = await webLinks(f, host);
    const page = await openPage(web, { width: 900, height: 500 });
    await page.waitForScreen((_, rows) => PROMPT.test(lastNonEmptyRow(rows)), 'the host prompt');
    const first = await page.size();
    await hostValue(host, '#{window_width}x#{window_height}', `${first.cols}x${first.rows - 1}`);

    await page.page.setViewportSize({ width: 640, height: 360 });
    let smaller = first;
    await waitFor(async () => {
      smaller = await page.size();
      return smaller.cols < first.cols && smaller.rows < first.rows;
    }, { describe: () => `the page to fit a smaller window (still ${smaller.cols}x${smaller.rows})` });
    await hostValue(host, '#{window_width}x#{window_height}', `${smaller.cols}x${smaller.rows - 1}`);
    const rows = await page.waitForScreen((_, r) => /^\[tmate\] 0:\S+\*/.test(r[r.length - 1] ?? ''), 'the status line');
    expect(rows.split('\n')).toHaveLength(smaller.rows);
  });

  it('tells the page why the session ended', async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const { web } = await webLinks(f, host);
    const page = await openPage(web);
    const ssh = await f.viewer(rw);
    await page.waitForScreen((_, rows) => PROMPT.test(lastNonEmptyRow(rows)), 'the host prompt');
    await ssh.waitForScreen((screen) => PROMPT.test(screen), 'the prompt');
    await page.type('exit');
    await page.press('Enter');
    expect(await page.waitForNotice('session ended: every window exited')).toBe('Session ended session ended: every window exited');
    await page.waitForAttribute('data-connection', 'ended');
    await page.screenshot('web-viewer-ended');
    await ssh.waitForExit();
    expect(ssh.rawOutput()).toContain('session ended: every window exited');
    await host.exited;

    // The link is dead now: a fresh page says so, without a terminal.
    const late = await openPage(web);
    expect(late.status).toBe(404);
    await late.waitForNotice('Invalid or expired session token');
  });

  it('says so when the token is unknown', async () => {
    const f = await startTestRelay();
    const page = await openPage(`http://127.0.0.1:${f.running.httpPort}/t/NoSuchTokenAbcdefghijkLMNPQ`);
    expect(page.status).toBe(404);
    expect(await page.notice()).toBe('Session not found Invalid or expired session token');
    expect(await page.page.locator('.xterm').count()).toBe(0);
  });

  it('refuses web links of a session restricted to authorized keys', async () => {
    const f = await startTestRelay();
    const keysFile = `${f.dir.path}/authorized_keys`;
    await writeFile(keysFile, `${f.key.publicLine}\n`);
    const { host, rw, ro } = await f.readyHost({ extraArgs: ['-a', keysFile] });
    // The relay gives such a session no web links; typed by hand, they show why they do not work.
    expect(await webLinks(f, host)).toEqual({ web: '', webRo: '' });
    for (const url of [`http://127.0.0.1:${f.running.httpPort}/t/${rw}`, `http://127.0.0.1:${f.running.httpPort}/t/${ro}`]) {
      const page = await openPage(url);
      expect(page.status).toBe(403);
      await page.waitForNotice(/^Web access refused .*Join it with ssh instead\.$/);
      expect(await page.page.locator('.xterm').count()).toBe(0);
    }
  });

  it('reconnects by itself when the connection drops, while the session lives', async () => {
    const f = await startTestRelay();
    const proxy = await startTcpProxy(f.running.httpPort);
    onCleanup(() => proxy.close());
    const { host, rw } = await f.readyHost();
    const page = await openPage(`http://127.0.0.1:${proxy.port}/t/${rw}`);
    await run(page, 'echo before-drop', /^before-drop$/m);
    await page.waitForAttribute('data-connection', 'live');
    proxy.cut();
    await page.waitForNotice(/^Connection lost Reconnecting in \d+ s…$/);
    await page.waitForAttribute('data-connection', 'live');
    expect(await page.notice()).toBe('');
    await page.waitForText(/^before-drop$/m);
    await run(page, 'echo after-reconnect', /^after-reconnect$/m);
    expect(await host.capturePane()).toContain('after-reconnect');
  });

  it('pastes as bracketed paste only when the program in the pane asked for it', async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const page = await openPage(`http://127.0.0.1:${f.running.httpPort}/t/${rw}`, { clipboard: true });
    const paste = async (text: string): Promise<void> => {
      await page.page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
      await page.press('Control+Shift+V');
    };
    // cat -v shows the bytes the pane receives; printf turns bracketed paste on for it.
    await run(page, "printf 'BP\\x1b[?2004h\\n'; cat -v", /^BP$/m);
    await paste('pasted-on');
    await page.press('Enter');
    await page.waitForText(/^\^\[\[200~pasted-on\^\[\[201~$/m);
    await page.press('Control+C');
    await run(page, "printf 'NOBP\\x1b[?2004l\\n'; cat -v", /^NOBP$/m);
    await paste('pasted-off');
    await page.press('Enter');
    await page.waitForScreen((s) => /^pasted-off$/m.test(s) && !s.includes('pasted-off^'), 'pasted-off without markers');
    expect(await host.capturePane()).toMatch(/^pasted-off$/m);
  });

  it('copies the selection to the clipboard', async () => {
    const f = await startTestRelay();
    const { rw } = await f.readyHost();
    const page = await openPage(`http://127.0.0.1:${f.running.httpPort}/t/${rw}`, { clipboard: true });
    await run(page, 'echo copy-me-$((1+1))', /^copy-me-2$/m);
    const rows = await page.rows();
    const row = page.page.locator('.xterm-rows > div').nth(rows.indexOf('copy-me-2'));
    const box = await row.boundingBox();
    if (!box) throw new Error('the output row is not on screen');
    await page.page.mouse.dblclick(box.x + 3, box.y + box.height / 2);
    await page.press('Control+Shift+C');
    await waitFor(async () => (await page.page.evaluate('navigator.clipboard.readText()')) === 'copy-me-2', {
      describe: () => 'the clipboard to hold the selected word',
    });
  });
});
