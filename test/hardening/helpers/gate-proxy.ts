// GateProxy: a loopback TCP forwarder whose gate can be shut, for outages that last: cut() drops
// the live connections (like test/helpers/tcp-proxy.ts), and while the gate is shut new
// connections are refused at once (reset), so a host that reconnects by itself stays away until
// open() is called.
//
// Invariant: close() destroys every socket and stops listening.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface GateProxy {
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

export async function startGateProxy(targetPort: number): Promise<GateProxy> {
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
