// The WebSocket endpoint for hosts (`/ws/host`) under the limits SSH hosts have: connections that
// never finish the tmate handshake are capped per address (an upgrade over the cap, or over the
// connection rate, is answered 429 with the reason) and cut at the deadline, and a host that stops
// reading makes the relay hold a paste back instead of queueing it in memory.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { EngineHost } from '../helpers/engine-host.js';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';
import { waitFor } from '../helpers/wait.js';
import { liveMemory } from './helpers/probes.js';

const MiB = 1024 * 1024;

/** A WebSocket to /ws/host that sends nothing; resolves whether it opened, and tells when it closes. */
function idleHostSocket(port: number): { opened: Promise<boolean>; closed: Promise<void> } {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/host`);
  onCleanup(async () => ws.terminate());
  ws.on('error', () => undefined);
  return {
    opened: new Promise((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('error', () => resolve(false));
      ws.once('unexpected-response', () => resolve(false));
    }),
    closed: new Promise((resolve) => ws.once('close', () => resolve())),
  };
}

/** Sends a WebSocket upgrade to /ws/host by hand and returns everything answered until the relay closed. */
function rawUpgrade(port: number, extraHeaders = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.write(
        'GET /ws/host HTTP/1.1\r\nHost: relay\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extraHeaders}\r\n`,
      );
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.once('error', reject);
    socket.once('close', () => resolve(answer));
    onCleanup(async () => void socket.destroy());
  });
}

describe('WebSocket hosts', () => {
  it('caps connections per address that have not finished the handshake, and cuts them at the deadline', async () => {
    const f = await startTestRelay({ maxUnauthenticatedPerIp: 2, authTimeoutMs: 1500 });
    const port = f.running.httpPort;
    const first = idleHostSocket(port);
    const second = idleHostSocket(port);
    expect(await first.opened).toBe(true);
    expect(await second.opened).toBe(true);
    expect(await idleHostSocket(port).opened).toBe(false);
    // The refused upgrade is told why, in HTTP, rather than cut.
    const refused = await rawUpgrade(port);
    expect(refused).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(refused).toContain('Too many connections from your address are still connecting (at most 2); try again later.');
    await Promise.all([first.closed, second.closed]);
    // Their slots are free again: a real host registers.
    const host = EngineHost.start({ server: `ws://127.0.0.1:${port}` });
    onCleanup(() => host.close());
    const { rw } = await host.tokens();
    expect(f.running.relay.registry.lookup(rw)).toBeDefined();
  });

  it('closes a host that sends bytes that are not the tmate protocol with 1002 and the error code', async () => {
    const f = await startTestRelay();
    const ws = new WebSocket(`ws://127.0.0.1:${f.running.httpPort}/ws/host`);
    onCleanup(async () => ws.terminate());
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
    );
    await new Promise((resolve) => ws.once('open', resolve));
    // 0xc1 is the one byte MessagePack never uses.
    ws.send(Buffer.from([0xc1, 0xc1, 0xc1, 0xc1]), { binary: true });
    const { code, reason } = await closed;
    expect(code).toBe(1002);
    expect(reason).toMatch(/^tmate protocol error \([A-Z_]+\)$/);
    // A well-behaved host is served as before.
    const host = EngineHost.start({ server: `ws://127.0.0.1:${f.running.httpPort}` });
    onCleanup(() => host.close());
    const { rw } = await host.tokens();
    expect(f.running.relay.registry.lookup(rw)).toBeDefined();
  });

  it('refuses upgrades from browsers (an Origin header) with 403, so that web pages cannot register sessions', async () => {
    const f = await startTestRelay();
    const refused = await rawUpgrade(f.running.httpPort, 'Origin: http://evil.example\r\n');
    expect(refused).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(refused).toContain('Browsers cannot host sessions');
    expect(f.running.relay.registry.all()).toHaveLength(0);
  });

  it('answers upgrades over the connection rate 429 with the reason', async () => {
    const f = await startTestRelay({ connectionRateLimit: 1 });
    const port = f.running.httpPort;
    expect(await idleHostSocket(port).opened).toBe(true);
    const refused = await rawUpgrade(port);
    expect(refused).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(refused).toContain('Too many connection attempts from your address; try again later.');
  });

  it('holds a paste back while the host does not read, and delivers all of it once it does', async () => {
    const f = await startTestRelay();
    const size = 2 * MiB;
    const count = join(f.dir.path, 'count');
    const host = EngineHost.start({
      server: `ws://127.0.0.1:${f.running.httpPort}`,
      command: ['sh', '-c', `stty raw -echo; head -c ${size} | wc -c > ${count}; exec sleep 600`],
    });
    onCleanup(() => host.close());
    const { rw } = await host.tokens();
    const session = f.running.relay.registry.lookup(rw)!.session;
    const paste = join(f.dir.path, 'paste');
    writeFileSync(paste, Buffer.alloc(size, 'pasted-text '));
    const baseline = liveMemory();
    host.signal('SIGSTOP');
    onCleanup(async () => host.signal('SIGCONT'));
    const input = openSync(paste, 'r');
    const ssh = spawn('ssh', ['-tt', '-F', '/dev/null', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=no', '-o', 'LogLevel=ERROR',
      '-o', 'IdentitiesOnly=yes', '-i', f.key.privatePath, '-p', String(f.port), `${rw}@127.0.0.1`], { stdio: [input, 'ignore', 'ignore'] });
    closeSync(input);
    onCleanup(async () => void ssh.kill('SIGKILL'));
    await waitFor(() => session.hostBusy(), { timeoutMs: 20_000, describe: () => 'the stopped WebSocket host to back up' });
    expect(liveMemory() - baseline, 'memory while the paste waits for the host').toBeLessThan(32 * MiB);
    host.signal('SIGCONT');
    await waitFor(() => existsSync(count) && readFileSync(count, 'utf8').trim() !== '', { timeoutMs: 60_000, describe: () => 'the whole paste to arrive' });
    expect(Number(readFileSync(count, 'utf8').trim())).toBe(size);
  });
});
