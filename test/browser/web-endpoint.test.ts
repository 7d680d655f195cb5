// The web viewer's HTTP side without a browser: the page's security headers, the bundled assets,
// the WebSocket's Origin check and close codes, and the frames it carries — replayed into a
// headless xterm they draw the same screen the real OpenSSH viewer of that size sees.
import xterm from '@xterm/headless';
import type { Terminal } from '@xterm/headless';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { WebSocket, type RawData } from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEB_CLOSE, parseRelayMessage, type RelayMessage } from '../../src/core/protocol/web-viewer-protocol.js';
import { isAllowedOrigin } from '../../src/server/transport/ws/web-viewer.js';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';
import { runChecked, waitFor, withTimeout } from '../helpers/wait.js';
import { ApiClient } from '../helpers/api-client.js';
import { EngineHost } from '../helpers/engine-host.js';

beforeAll(async () => {
  await runChecked(process.execPath, [fileURLToPath(new URL('../../scripts/build-web.mjs', import.meta.url))], { timeoutMs: 60_000 });
}, 90_000);

/** A WebSocket client of the web viewer endpoint, replaying binary frames into a headless xterm. */
class WsViewer {
  readonly term: Terminal;
  readonly controls: RelayMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<boolean>;

  constructor(url: string, cols: number, rows: number, headers: Record<string, string> = {}) {
    this.term = new xterm.Terminal({ cols, rows, scrollback: 0, allowProposedApi: true });
    const ws = new WebSocket(`${url}?cols=${cols}&rows=${rows}`, { headers });
    this.ws = ws;
    this.opened = new Promise((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode === 101));
      ws.once('error', () => resolve(false));
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data: RawData, isBinary) => {
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (isBinary) this.term.write(buf);
      else {
        const message = parseRelayMessage(buf.toString());
        if (message) this.controls.push(message);
      }
    });
    onCleanup(async () => {
      ws.terminate();
      this.term.dispose();
    });
  }

  private readonly ws: WebSocket;

  send(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Session and window from the latest hello/title message. */
  title(): string {
    let title = '';
    for (const m of this.controls) if (m.type !== 'end') title = `${m.session}\n${m.window}`;
    return title;
  }

  lines(): string[] {
    const buf = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(buf.getLine(buf.baseY + y)?.translateToString(true) ?? '');
    return out;
  }
}

describe('web viewer endpoint', () => {
  it('serves the page and its bundled assets with security headers, never the token to third parties', async () => {
    const f = await startTestRelay();
    const { rw } = await f.readyHost();
    const base = `http://127.0.0.1:${f.running.httpPort}`;
    const page = await fetch(`${base}/t/${rw}`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts
    expect(html).toContain('<script src="../web/viewer.js" defer></script>');
    expect(html).not.toContain(rw);
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/); // no CDN

    const js = await fetch(`${base}/web/viewer.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toContain('xterm');
    const css = await fetch(`${base}/web/viewer.css`);
    expect(css.status).toBe(200);
    expect(await css.text()).toContain('.xterm');
    expect((await fetch(`${base}/web/viewer.html`)).status).toBe(404);
    expect((await fetch(`${base}/web/..%2Fpackage.json`)).status).toBe(404);
  });

  it('accepts the page origin and --web-url, refuses other origins before upgrading', async () => {
    const f = await startTestRelay({ webUrl: 'https://relay.example.com' });
    const { rw } = await f.readyHost();
    const url = `ws://127.0.0.1:${f.running.httpPort}/t/${rw}/ws`;
    const evil = new WsViewer(url, 80, 24, { Origin: 'https://evil.example' });
    expect(await evil.opened).toBe(false);
    for (const origin of [`http://127.0.0.1:${f.running.httpPort}`, 'https://relay.example.com']) {
      const ok = new WsViewer(url, 80, 24, { Origin: origin });
      expect(await ok.opened).toBe(true);
    }
    expect(isAllowedOrigin('null', '127.0.0.1:80', '')).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:80', '127.0.0.1:80', '')).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:81', '127.0.0.1:80', 'http://127.0.0.1:80')).toBe(false);
  });

  it('closes with clear codes for unknown tokens and key-restricted sessions', async () => {
    const f = await startTestRelay();
    const unknown = new WsViewer(`ws://127.0.0.1:${f.running.httpPort}/t/NoSuchTokenAbcdefghijkLMNPQ/ws`, 80, 24);
    expect(await withTimeout(unknown.closed, 5000, () => 'close')).toEqual({ code: WEB_CLOSE.unknownToken, reason: 'Invalid or expired session token' });

    const keysFile = `${f.dir.path}/authorized_keys`;
    await writeFile(keysFile, `${f.key.publicLine}\n`);
    const { rw } = await f.readyHost({ extraArgs: ['-a', keysFile] });
    const refused = new WsViewer(`ws://127.0.0.1:${f.running.httpPort}/t/${rw}/ws`, 80, 24);
    const closed = await withTimeout(refused.closed, 5000, () => 'close');
    expect(closed.code).toBe(WEB_CLOSE.refused);
    expect(closed.reason).toMatch(/SSH keys/);
  });

  it('counts unknown tokens on the page as failed attempts; a throttled address learns nothing', async () => {
    const f = await startTestRelay({ authFailureLimit: 5, rateLimitWindowMs: 3_600_000 });
    const { rw } = await f.readyHost();
    const base = `http://127.0.0.1:${f.running.httpPort}`;
    const guesses = [];
    for (let i = 0; i < 8; i++) guesses.push((await fetch(`${base}/t/guess-${i}`)).status);
    expect(guesses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(guesses.slice(5)).toEqual([429, 429, 429]);
    const right = await fetch(`${base}/t/${rw}`);
    expect(right.status).toBe(429);
    expect(await right.text()).toContain('Too many failed attempts from your address');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^tmate_relay_auth_failures_total\{reason="unknown_token"\} 5$/m);
  });

  it('reads X-Forwarded-For only from a --trust-proxy peer', async () => {
    const behindProxy = await startTestRelay({ authFailureLimit: 2, rateLimitWindowMs: 3_600_000, trustProxy: ['127.0.0.1'] });
    const { rw } = await behindProxy.readyHost();
    const proxied = (client: string, token: string) =>
      fetch(`http://127.0.0.1:${behindProxy.running.httpPort}/t/${token}`, { headers: { 'x-forwarded-for': client } });
    for (let i = 0; i < 3; i++) await proxied('203.0.113.7', `guess-${i}`);
    expect((await proxied('203.0.113.7', rw)).status).toBe(429);
    expect((await proxied('203.0.113.8', rw)).status).toBe(200);

    const direct = await startTestRelay({ authFailureLimit: 2, rateLimitWindowMs: 3_600_000 });
    const { rw: token } = await direct.readyHost();
    const spoofed = (client: string, path: string) =>
      fetch(`http://127.0.0.1:${direct.running.httpPort}/t/${path}`, { headers: { 'x-forwarded-for': client } });
    for (let i = 0; i < 3; i++) await spoofed(`198.51.100.${i}`, `guess-${i}`);
    expect((await spoofed('198.51.100.99', token)).status).toBe(429);
  });

  it('serves the web links tmate prints for a named session with an API key (PREFIX/NAME tokens)', async () => {
    const key = 'ci-team-api-key-0123456789abcdef';
    const f = await startTestRelay({ apiKeys: [{ prefix: 'ci', key }] });
    const { host, rw, ro } = await f.readyHost({ extraArgs: ['-k', key, '-n', 'build-42'] });
    expect(rw).toBe('ci/build-42');
    const base = `http://127.0.0.1:${f.running.httpPort}`;
    const links = { rw: await host.display('#{tmate_web}'), ro: await host.display('#{tmate_web_ro}') };
    expect(links).toEqual({ rw: `${base}/t/ci/build-42`, ro: `${base}/t/ro-ci/build-42` });
    for (const link of [links.rw, links.ro]) {
      const page = await fetch(link);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('data-state="live"');
    }
    expect((await fetch(`${base}/t/ci/no-such-name`)).status).toBe(404);

    const web = new WsViewer(`${links.rw.replace(/^http/, 'ws')}/ws`, 80, 24);
    await waitFor(() => web.lines().some((line) => /^\$ ?$/.test(line)), { describe: () => `the prompt\n${web.lines().join('\n')}` });
    web.send(Buffer.from('echo named-$((40+2))\r'));
    await waitFor(() => web.lines().some((line) => line === 'named-42'), { describe: () => `the output\n${web.lines().join('\n')}` });
    const watcher = new WsViewer(`${links.ro.replace(/^http/, 'ws')}/ws`, 80, 24);
    await waitFor(() => watcher.lines().some((line) => line === 'named-42'), { describe: () => `the read-only screen\n${watcher.lines().join('\n')}` });
    expect(watcher.controls[0]).toMatchObject({ type: 'hello', readOnly: true });
  });

  it("counts a web viewer's bytes both ways in the relay's metrics", async () => {
    const f = await startTestRelay();
    const { rw } = await f.readyHost();
    const web = new WsViewer(`ws://127.0.0.1:${f.running.httpPort}/t/${rw}/ws`, 80, 24);
    expect(await web.opened).toBe(true);
    await waitFor(() => web.lines().some((line) => /^\$ ?$/.test(line)), { describe: () => `the prompt\n${web.lines().join('\n')}` });
    const typed = Buffer.from('echo web-$((40+2))\r');
    web.send(typed);
    await waitFor(() => web.lines().some((line) => line === 'web-42'), { describe: () => `the output\n${web.lines().join('\n')}` });
    // No SSH viewer in this session: every viewer byte counted went through the WebSocket.
    const api = ApiClient.of(f);
    expect(await api.metric('tmate_relay_bytes_received_total', 'peer="viewer"')).toBeGreaterThanOrEqual(typed.length);
    expect(await api.metric('tmate_relay_bytes_sent_total', 'peer="viewer"')).toBeGreaterThan(80);
  });

  it('tells the page of a read-only session that it only watches, through the read-write link too', async () => {
    const f = await startTestRelay();
    const host = EngineHost.start({ server: `127.0.0.1:${f.port}`, fingerprint: f.running.keys.ed25519.fingerprint, args: ['--read-only'] });
    onCleanup(() => host.close());
    await waitFor(() => f.running.relay.registry.all().length === 1, { describe: () => `the read-only session\n${host.describe()}` });
    const { rw } = f.running.relay.registry.all()[0]!.tokens;
    const web = new WsViewer(`ws://127.0.0.1:${f.running.httpPort}/t/${rw}/ws`, 80, 24);
    expect(await web.opened).toBe(true);
    await waitFor(() => web.controls.length > 0, { describe: () => 'the hello message' });
    expect(web.controls[0]).toMatchObject({ type: 'hello', readOnly: true });
  });

  it('draws the same screen as an SSH viewer of the same size and counts in the size rule', async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const ssh = await f.viewer(rw, { cols: 90, rows: 26 });
    const web = new WsViewer(`ws://127.0.0.1:${f.running.httpPort}/t/${rw}/ws`, 90, 26);
    expect(await web.opened).toBe(true);
    await ssh.waitForScreen((s) => /^\$ ?$/m.test(s), 'the prompt');
    ssh.type('echo same-$((20+3))\r');
    await ssh.waitForText(/^same-23$/m);
    expect(web.controls[0]).toMatchObject({ type: 'hello', readOnly: false, session: 'tmate' });
    const window = await host.display('#{window_index}:#{window_name}');
    await waitFor(() => web.title() === `tmate\n${window}`, { describe: () => `title ${window}, got ${web.title()}` });
    await waitFor(
      () => {
        const a = ssh.lines();
        const b = web.lines();
        return a.length === b.length && a.slice(0, -1).every((line, i) => line.trimEnd() === b[i]!.trimEnd());
      },
      { describe: () => `same window area\nssh:\n${ssh.lines().join('\n')}\nweb:\n${web.lines().join('\n')}` },
    );

    web.send(JSON.stringify({ type: 'resize', cols: 70, rows: 20 }));
    await waitFor(async () => (await host.display('#{window_width}x#{window_height}')) === '70x19', {
      describe: () => 'the web viewer size to win',
    });
  });
});
