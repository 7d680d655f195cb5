// Slow HTTP clients (slowloris), end to end on loopback: a client that sends its headers, or its
// body, a little at a time never finishes a request, and without a limit it holds its socket for
// ever. With --http-request-timeout (1 s here) the relay answers 408 and closes the connection,
// while a WebSocket viewer that upgraded before the slow client came, and a normal request, are
// served as usual.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';
import { waitFor } from '../helpers/wait.js';
import { RawHost } from './helpers/raw-host.js';
import { openWebViewer } from './helpers/web-viewer-socket.js';

const TIMEOUT_MS = 1000;

interface SlowClient {
  received: () => string;
  closed: Promise<void>;
}

/** Connects, sends `head`, then `drip` every 100 ms until the relay closes the connection. */
async function slowClient(port: number, head: string, drip: string): Promise<SlowClient> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  socket.write(head);
  const dripping = setInterval(() => socket.writable && socket.write(drip), 100);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  void closed.then(() => clearInterval(dripping));
  onCleanup(async () => {
    clearInterval(dripping);
    socket.destroy();
  });
  return { received: () => received, closed };
}

async function closedWithin(client: SlowClient, ms: number): Promise<void> {
  let done = false;
  void client.closed.then(() => (done = true));
  await waitFor(() => done, { timeoutMs: ms, describe: () => `the slow client cut (received so far: ${JSON.stringify(client.received())})` });
}

describe('slow HTTP clients', () => {
  it('are answered 408 and cut at --http-request-timeout, headers or body; others are served meanwhile', async () => {
    const f = await startTestRelay({ httpRequestTimeoutMs: TIMEOUT_MS });
    const port = f.running.httpPort;
    const host = await RawHost.start({ port: f.port });
    onCleanup(() => host.close());
    const viewer = await openWebViewer(port, host.tokens.rw);

    const headers = await slowClient(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: 1\r\n');
    const body = await slowClient(
      port,
      'POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n' +
        `Authorization: token ${f.running.apiToken.value}\r\n\r\n{"`,
      ' ',
    );
    // Dripping 10 bytes a second, neither request could finish for hours.
    await closedWithin(headers, 5 * TIMEOUT_MS);
    await closedWithin(body, 5 * TIMEOUT_MS);
    expect(headers.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(body.received()).toMatch(/^HTTP\/1\.1 408 /);

    // The WebSocket viewer has been connected longer than the limit and is still served.
    expect(viewer.closed()).toBe(false);
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
