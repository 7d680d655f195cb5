// --max-http-connections-per-ip, end to end on loopback (cap 3): one address holding three
// connections (a web viewer's WebSocket and two idle sockets) gets its fourth answered 429 and
// closed, a WebSocket upgrade included, and a request sent on it anyway is not served, while the
// three keep working; a closed connection frees
// its place; another address, and a --trust-proxy peer, are not limited by them.
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.js';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';
import { waitFor } from '../helpers/wait.js';
import { RawHost } from './helpers/raw-host.js';
import { openWebViewer } from './helpers/web-viewer-socket.js';

const CAP = 3;
const PROXY = '127.0.0.3';

interface RawClient {
  socket: Socket;
  received: () => string;
  closed: () => boolean;
}

/** A TCP connection to the HTTP port from `from`, collecting what it receives. */
async function rawClient(port: number, from = '127.0.0.1'): Promise<RawClient> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, localAddress: from }, () => resolve(s));
    s.once('error', reject);
  });
  let received = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  socket.once('close', () => (closed = true));
  onCleanup(async () => void socket.destroy());
  return { socket, received: () => received, closed: () => closed };
}

/** Sends GET /healthz on a new connection from `from` and returns the raw answer once it closed. */
async function healthz(port: number, from = '127.0.0.1'): Promise<string> {
  const client = await rawClient(port, from);
  client.socket.write('GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n');
  await waitFor(() => client.closed(), { describe: () => `the answer to ${from} (so far ${JSON.stringify(client.received())})` });
  return client.received();
}

describe('--max-http-connections-per-ip', () => {
  it('answers connections over the cap 429 and closes them; the others, other addresses and trusted proxies are served', async () => {
    const f = await startTestRelay({ maxHttpConnectionsPerIp: CAP, trustProxy: [PROXY] });
    const port = f.running.httpPort;
    const host = await RawHost.start({ port: f.port });
    onCleanup(() => host.close());

    const viewer = await openWebViewer(port, host.tokens.rw);
    const idle = [await rawClient(port), await rawClient(port)];

    const refused = await healthz(port);
    expect(refused).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(refused).toContain('Too many connections from your address (at most 3 at once)');
    expect(refused).not.toContain('"status":"ok"');

    // A request sent on a refused connection anyway is not served: it creates no session.
    const api = ApiClient.of(f);
    const body = JSON.stringify({ command: ['sh', '-c', 'sleep 60'], quiet: true });
    const sneaky = await rawClient(port);
    sneaky.socket.write(
      `POST /api/sessions HTTP/1.1\r\nHost: relay\r\nAuthorization: token ${api.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    await waitFor(() => sneaky.closed(), { describe: () => 'the refused POST cut' });
    expect(sneaky.received()).toMatch(/^HTTP\/1\.1 429 /);
    expect(sneaky.received()).not.toContain('201');
    const legit = await api.post('/api/sessions', JSON.parse(body), { from: '127.0.0.2' });
    expect(legit.status).toBe(201);
    const listed = await api.get<{ sessions: unknown[] }>('/api/sessions', { from: '127.0.0.2' });
    expect(listed.body.sessions).toHaveLength(2); // the raw host's and the one asked from 127.0.0.2

    const upgrade = new WebSocket(`ws://127.0.0.1:${port}/t/${host.tokens.rw}/ws`);
    const upgradeError = await new Promise<string>((resolve) => {
      upgrade.once('error', (error) => resolve(error.message));
      upgrade.once('open', () => resolve('opened'));
    });
    expect(upgradeError).toMatch(/429/);

    // Another address, and a trusted proxy with more connections than the cap, are served.
    expect(await healthz(port, '127.0.0.2')).toMatch(/^HTTP\/1\.1 200 [^]*"status":"ok"/);
    const throughProxy = [await rawClient(port, PROXY), await rawClient(port, PROXY), await rawClient(port, PROXY)];
    expect(await healthz(port, PROXY)).toMatch(/^HTTP\/1\.1 200 /);
    for (const client of throughProxy) expect(client.closed()).toBe(false);

    // The three first connections are untouched; the viewer still gets frames.
    expect(viewer.closed()).toBe(false);
    for (const client of idle) expect(client.closed()).toBe(false);
    idle[0]!.socket.write('GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n');
    await waitFor(() => idle[0]!.received().includes('"status":"ok"'), { describe: () => 'an answer on a counted connection' });

    // Closing one frees its place.
    idle[1]!.socket.destroy();
    await waitFor(async () => /^HTTP\/1\.1 200 /.test(await healthz(port)), { describe: () => 'a new connection served after one closed' });
    idle[0]!.socket.destroy();
    await waitFor(async () => (await api.metric('tmate_relay_limit_refusals_total', 'limit="http_connections_per_ip"')) >= 3, {
      describe: () => 'the refusals counted',
    });
  });
});
