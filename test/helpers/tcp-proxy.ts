// A loopback TCP forwarder for fault tests: everything passes through until cut() destroys the
// live connections (new ones are still accepted), like a network drop between host and relay.
// Its gate can also be shut for outages that last: while shut, new connections are refused at
// once (reset), so a host that reconnects by itself stays away until open() is called.
//
// Invariant: close() destroys every socket and stops listening.
import { createServer, connect, type Socket, type AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections forwarded so far. */
  readonly accepted: number;
  /** Connections refused while the gate was shut. */
  readonly refused: number;
  cut(): void;
  shut(): void;
  open(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const live = new Set<Socket>();
  let accepted = 0;
  let refused = 0;
  let shut = false;
  const server = createServer((inbound) => {
    inbound.on('error', () => undefined);
    if (shut) {
      refused++;
      inbound.resetAndDestroy();
      return;
    }
    accepted++;
    const outbound = connect(targetPort, '127.0.0.1');
    live.add(inbound);
    live.add(outbound);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    const drop = (): void => {
      inbound.destroy();
      outbound.destroy();
      live.delete(inbound);
      live.delete(outbound);
    };
    inbound.on('close', drop);
    outbound.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    get refused() {
      return refused;
    },
    cut() {
      for (const socket of live) socket.destroy();
      live.clear();
    },
    shut() {
      shut = true;
    },
    open() {
      shut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of live) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
