// The host engine's WebSocket transport, refused by the relay: the error it reports (and the host
// prints while it retries) carries the relay's reason, the first line of a text body, with control
// characters taken out and its length capped; a body that is not text adds nothing.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { wsHostTransport } from '../../../src/server/host/ws-host-transport.js';
import { HostConnectError } from '../../../src/server/host/host-transport.js';

/** An HTTP server that answers every upgrade `status` with `body` of `type`. */
async function refusingServer(status: number, type: string, body: string): Promise<Server> {
  const server = createServer();
  server.on('upgrade', (_request, socket) => {
    socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

async function refusal(server: Server): Promise<HostConnectError> {
  const { port } = server.address() as AddressInfo;
  const error: unknown = await wsHostTransport(`ws://127.0.0.1:${port}`).connect().then(
    () => new Error('connected'),
    (e: unknown) => e,
  );
  if (!(error instanceof HostConnectError)) throw new Error(`expected a HostConnectError, got ${String(error)}`);
  return error;
}

describe('WebSocket host transport, refused', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  it("reports the relay's reason from a text body", async () => {
    servers.push(await refusingServer(429, 'text/plain; charset=utf-8', 'Too many connections from your address; try again later.\n'));
    const error = await refusal(servers[0]!);
    expect(error.failure).toBe('refused');
    expect(error.message).toBe('the relay answered HTTP 429: Too many connections from your address; try again later.');
  });

  it('keeps only the first line, without control characters, at most 200 characters', async () => {
    servers.push(await refusingServer(403, 'text/plain', `bad\u001b[2J ${'x'.repeat(400)}\nsecond line\n`));
    const error = await refusal(servers[0]!);
    expect(error.message).toMatch(/^the relay answered HTTP 403: bad \[2J x+$/);
    expect(error.message.length).toBe('the relay answered HTTP 403: '.length + 200);
    expect(error.message).not.toContain('second line');
  });

  it('adds nothing for a body that is not text', async () => {
    servers.push(await refusingServer(502, 'text/html', '<h1>Bad gateway</h1>'));
    const error = await refusal(servers[0]!);
    expect(error.message).toBe('the relay answered HTTP 502');
  });
});
