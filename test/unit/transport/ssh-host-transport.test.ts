// The host engine's SSH transport turns Nagle off on its socket, as the relay does on its side:
// with Nagle on, a small packet written while an earlier one is unacknowledged (pane output in
// two quick writes) waits for the relay's delayed ACK, up to 40 ms (measured: 1 in 40 such pairs).
import { once } from 'node:events';
import { Socket, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ssh2 from 'ssh2';
import { generateUsableKeyPair } from '../../../src/server/keys/host-keys.js';
import { sshHostTransport } from '../../../src/server/host/ssh-host-transport.js';
import type { HostStream } from '../../../src/server/host/host-transport.js';

const { Server } = ssh2;

/** A minimal tmate-like endpoint: auth none, the `tmate` subsystem; reports each client's source port. */
function startEndpoint(onClientPort: (port: number) => void): ssh2.Server {
  const server = new Server({ hostKeys: [generateUsableKeyPair('ed25519').private] }, (client, info) => {
    onClientPort(info.port);
    client.on('authentication', (ctx) => ctx.accept());
    client.on('session', (accept) => accept().on('subsystem', (acceptSubsystem) => void acceptSubsystem()));
  });
  server.listen(0, '127.0.0.1');
  return server;
}

describe('SSH host transport', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    vi.restoreAllMocks();
  });

  it('sets TCP_NODELAY on its connection to the relay', async () => {
    const setNoDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    let clientPort = -1;
    const server = startEndpoint((port) => (clientPort = port));
    cleanups.push(() => server.close());
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    const stream: HostStream = await sshHostTransport({ host: '127.0.0.1', port, fingerprints: [] }).connect();
    cleanups.push(() => stream.close());

    expect(clientPort).toBeGreaterThan(0);
    const calls = setNoDelay.mock.calls.filter((_, i) => (setNoDelay.mock.contexts[i] as Socket).localPort === clientPort);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.at(-1)).toEqual([true]);
  });
});
