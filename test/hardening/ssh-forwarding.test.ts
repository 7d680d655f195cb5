// Port and socket forwarding, asked of the relay by the real OpenSSH client: `-W`, `-L`, `-D` and
// `-R`, to TCP ports and to Unix sockets, and the `sftp` subsystem. The relay serves terminals
// only. If it forwarded, any session token would also open a tunnel into the relay machine's
// network and loopback, so every request must be refused.
//
// Invariants checked: ssh reports each refusal (exit 255, or a tunnel that closes at once);
// nothing reaches the targets, a TCP server and a Unix socket that count what they accept on this
// machine, which is also the relay's; no socket appears where `-R` asked for one; afterwards the
// session still takes a viewer's typing.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onCleanup, startTestRelay, type RelayFixture } from '../helpers/relay-fixture.js';
import { SSH_TEST_OPTIONS } from '../helpers/ssh-viewer.js';
import { runProcess, waitFor } from '../helpers/wait.js';

/** A server that counts the connections it accepts and closes them. */
interface CountingServer {
  accepted: number;
}

async function countingServer(listenOn: { port: 0 } | { path: string }): Promise<CountingServer & { port: number }> {
  const counter = { accepted: 0, port: 0 };
  const server: Server = createServer((socket) => {
    counter.accepted++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen({ ...listenOn, host: 'port' in listenOn ? '127.0.0.1' : undefined }, resolve));
  const address = server.address();
  if (address !== null && typeof address === 'object') counter.port = address.port;
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return counter;
}

/** A loopback port nothing listens on now (ssh listens there next). */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

function sshArgs(f: RelayFixture, user: string, forwarding: string[]): string[] {
  return [
    ...SSH_TEST_OPTIONS,
    '-o', 'KbdInteractiveAuthentication=no',
    '-o', 'BatchMode=yes',
    '-i', f.key.privatePath,
    '-p', String(f.port),
    ...forwarding,
    `${user}@127.0.0.1`,
  ];
}

/** Starts `ssh -N` with a local forwarding and resolves once its listener at `port` accepts connections. */
async function localForwarder(f: RelayFixture, user: string, port: number, forwarding: string[]): Promise<{ stderr: () => string }> {
  const child = spawn('ssh', sshArgs(f, user, ['-N', ...forwarding]), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  onCleanup(async () => void child.kill('SIGKILL'));
  await waitFor(() => canConnect(port), { timeoutMs: 15_000, describe: () => `ssh listening on ${port} (stderr: ${stderr})` });
  return { stderr: () => stderr };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Connects to `port`, sends `greeting` if any, and resolves with what came back once the peer closed
 * the connection (a reset counts: ssh resets a tunnel whose channel was refused if bytes were waiting).
 */
function throughTunnel(port: number, greeting?: Uint8Array, answer?: (socket: Socket, data: Buffer) => void): Promise<Buffer> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port }, () => {
      if (greeting) socket.write(greeting);
    });
    socket.on('data', (data: Buffer) => {
      received.push(data);
      answer?.(socket, data);
    });
    socket.on('error', () => undefined); // followed by 'close'
    socket.once('close', () => resolve(Buffer.concat(received)));
    onCleanup(async () => void socket.destroy());
  });
}

/** The SOCKS5 request of `ssh -D`'s client side for 127.0.0.1:`port` (no authentication). */
function socksConnect(port: number): { hello: Uint8Array; request: Uint8Array } {
  return {
    hello: Uint8Array.of(5, 1, 0),
    request: Uint8Array.of(5, 1, 0, 1, 127, 0, 0, 1, port >> 8, port & 0xff),
  };
}

describe('forwarding asked of the relay (OpenSSH client)', () => {
  it('refuses -W, -s sftp, -R, -L and -D to TCP ports and Unix sockets; nothing reaches them and the session goes on', async () => {
    const f = await startTestRelay();
    const { rw } = await f.readyHost();
    const tcpTarget = await countingServer({ port: 0 });
    const unixTarget = await countingServer({ path: join(f.dir.path, 'target.sock') });

    // -W: stdio forwarding (a direct-tcpip channel).
    const stdio = await runProcess('ssh', sshArgs(f, rw, ['-W', `127.0.0.1:${tcpTarget.port}`]), { timeoutMs: 15_000 });
    expect(stdio.code, stdio.stderr).toBe(255);
    expect(stdio.stderr).toContain('stdio forwarding failed');

    // -s sftp: a file-transfer subsystem on a viewer's channel.
    const sftp = await runProcess('ssh', sshArgs(f, rw, ['-s']).concat('sftp'), { timeoutMs: 15_000 });
    expect(sftp.code, sftp.stderr).toBe(255);
    expect(sftp.stderr).toContain('subsystem request failed');

    // -R: a listener on the relay's side (tcpip-forward, streamlocal-forward@openssh.com).
    const remote = await runProcess('ssh', sshArgs(f, rw, ['-N', '-o', 'ExitOnForwardFailure=yes', '-R', `0:127.0.0.1:${tcpTarget.port}`]), { timeoutMs: 15_000 });
    expect(remote.code, remote.stderr).toBe(255);
    expect(remote.stderr).toContain('remote port forwarding failed');
    const remotePath = join(f.dir.path, 'asked-by-R.sock');
    const remoteUnix = await runProcess('ssh', sshArgs(f, rw, ['-N', '-o', 'ExitOnForwardFailure=yes', '-R', `${remotePath}:127.0.0.1:${tcpTarget.port}`]), { timeoutMs: 15_000 });
    expect(remoteUnix.code, remoteUnix.stderr).toBe(255);
    expect(remoteUnix.stderr).toContain('remote port forwarding failed');
    expect(existsSync(remotePath)).toBe(false);

    // -L: ssh listens here and asks the relay for a channel per connection (direct-tcpip,
    // direct-streamlocal@openssh.com); each connection is closed without a byte.
    const tcpPort = await unusedPort();
    await localForwarder(f, rw, tcpPort, ['-L', `${tcpPort}:127.0.0.1:${tcpTarget.port}`]);
    expect((await throughTunnel(tcpPort, Buffer.from('GET / HTTP/1.0\r\n\r\n'))).length).toBe(0);
    const unixPort = await unusedPort();
    await localForwarder(f, rw, unixPort, ['-L', `${unixPort}:${join(f.dir.path, 'target.sock')}`]);
    expect((await throughTunnel(unixPort, Buffer.from('hello'))).length).toBe(0);

    // -D: a SOCKS5 proxy; ssh accepts the greeting itself, then the relay refuses the channel.
    const socksPort = await unusedPort();
    await localForwarder(f, rw, socksPort, ['-D', String(socksPort)]);
    const socks = socksConnect(tcpTarget.port);
    const reply = await throughTunnel(socksPort, socks.hello, (socket, data) => {
      if (data[0] === 5 && data[1] === 0 && data.length === 2) socket.write(socks.request);
    });
    expect([...reply.subarray(0, 2)], 'ssh answered the SOCKS greeting').toEqual([5, 0]);
    expect(reply.length, 'no SOCKS connect reply: the tunnel closed instead').toBe(2);

    expect(tcpTarget.accepted, 'connections that reached the TCP target').toBe(0);
    expect(unixTarget.accepted, 'connections that reached the Unix socket').toBe(0);

    // The session is still there and takes typing.
    const viewer = await f.viewer(rw);
    await viewer.waitForText(/^\$/m);
    viewer.type('echo still$((40+2))\r');
    await viewer.waitForText(/still42/);
  });
});
