// WebSocket upgrades (and plain requests) whose request target the relay cannot use, end to end on
// loopback: an absolute-form target that does not parse as a URL (a port out of range, a broken
// IPv6 literal) is answered 400, an upgrade to a path no endpoint serves 404, and neither disturbs
// what is already connected: an upgrade's target is parsed outside the HTTP framework, where a
// throw once ended the whole relay.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';
import { RawHost } from './helpers/raw-host.js';
import { openWebViewer } from './helpers/web-viewer-socket.js';

/** Sends `head` on a fresh connection; resolves with everything received once the relay closed it. */
function exchange(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(head));
    onCleanup(async () => {
      socket.destroy();
    });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.once('error', reject);
    socket.once('close', () => resolve(received));
  });
}

function upgradeRequest(target: string): string {
  return (
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
  );
}

describe('HTTP request targets', () => {
  it('that do not parse are answered 400, unserved upgrade paths 404, and the relay serves on', async () => {
    const f = await startTestRelay();
    const port = f.running.httpPort;
    const host = await RawHost.start({ port: f.port });
    onCleanup(() => host.close());
    const viewer = await openWebViewer(port, host.tokens.rw);

    expect(await exchange(port, upgradeRequest('http://relay:99999/ws/host'))).toMatch(/^HTTP\/1\.1 400 /);
    expect(await exchange(port, upgradeRequest(`http://[::1/t/${host.tokens.rw}/ws`))).toMatch(/^HTTP\/1\.1 400 /);
    expect(await exchange(port, upgradeRequest('/no/such/endpoint'))).toMatch(/^HTTP\/1\.1 404 /);
    const plain = await exchange(port, 'GET http://relay:99999/api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(plain).toMatch(/^HTTP\/1\.1 400 /);

    expect(viewer.closed()).toBe(false);
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await response.json()).toEqual({ status: 'ok' });
    // A well-formed upgrade is still taken.
    await openWebViewer(port, host.tokens.rw);
  });
});
