/**
 * An in-process host transport for relay-local sessions: a pair of byte pipes between a host
 * engine and a HostLink in the same process, so local sessions take the very same protocol path
 * as remote hosts.
 *
 * Invariant: bytes are delivered asynchronously (next microtask), in order, like a socket, so
 * neither side re-enters the other while it is handling a message.
 */
import type { Relay } from '../relay/relay.js';
import { HostLink } from '../relay/host-link.js';
import type { HostStream, HostTransport } from './host-transport.js';

export function memoryHostTransport(relay: Relay): HostTransport {
  return {
    describe: 'this relay (in process)',
    connect: async () => openPipe(relay),
  };
}

function openPipe(relay: Relay): HostStream {
  const dataListeners: ((data: Uint8Array) => void)[] = [];
  const closeListeners: ((reason: string) => void)[] = [];
  let closed = false;
  // Writes and the close are queued in one FIFO, so bytes written before a close (FIN) arrive.
  const closeBoth = (reason: string): void => {
    if (closed) return;
    closed = true;
    queueMicrotask(() => {
      link.disconnected();
      for (const listener of closeListeners) listener(reason);
    });
  };
  const link = new HostLink(
    {
      kind: 'local',
      remoteAddress: 'local',
      write: (data) => {
        if (closed) return;
        const copy = data.slice();
        queueMicrotask(() => {
          for (const listener of dataListeners) listener(copy);
        });
      },
      close: () => closeBoth('closed by the relay'),
    },
    relay,
  );
  return {
    write: (data) => {
      if (closed) return;
      const copy = data.slice();
      queueMicrotask(() => link.receive(copy));
    },
    onData: (listener) => void dataListeners.push(listener),
    onClose: (listener) => void closeListeners.push(listener),
    close: () => closeBoth('closed by the host'),
  };
}
