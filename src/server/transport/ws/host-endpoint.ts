/**
 * The relay's WebSocket endpoint for hosts (`/ws/host`): the same tmate msgpack stream as the SSH
 * subsystem, in binary messages, for hosts that can only reach the relay over HTTP(S).
 *
 * Invariants: messages larger than the relay's message-size limit are refused by `ws` itself
 * (close 1009); text frames close the connection; a closed socket is a host disconnect; like an
 * SSH host, a host gets HOST_MS_PER_TURN of parsing per event-loop turn (input-budget.ts).
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import type { HttpFeature } from '../http/http-server.js';
import type { Relay } from '../../relay/relay.js';
import { HostLink } from '../../relay/host-link.js';
import { HOST_WS_PATH } from '../../host/ws-host-transport.js';
import { HOST_MS_PER_TURN, InputBudget } from '../input-budget.js';
import type { HttpClientAddress } from '../client-address.js';

export function hostWebSocketEndpoint(relay: Relay, clientAddress: HttpClientAddress): HttpFeature {
  const server = new WebSocketServer({ noServer: true, maxPayload: relay.limits.maxMessageSize, perMessageDeflate: false });
  server.on('connection', (socket: WebSocket, request: IncomingMessage) => serveHost(relay, socket, clientAddress(request)));
  return {
    upgradeFor: (pathname) =>
      pathname === HOST_WS_PATH
        ? (request, socket, head) => server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request))
        : null,
    close: () => {
      for (const client of server.clients) client.terminate();
      server.close();
    },
  };
}

function serveHost(relay: Relay, socket: WebSocket, remoteAddress: string): void {
  const metrics = relay.services.metrics;
  const link = new HostLink(
    {
      kind: 'ws',
      remoteAddress,
      write: (data) => {
        if (socket.readyState !== socket.OPEN) return;
        metrics.bytesSent('host', data.length);
        socket.send(data, { binary: true });
      },
      close: () => socket.close(1000),
    },
    relay,
  );
  const budget = new InputBudget(HOST_MS_PER_TURN, () => socket.pause(), () => socket.resume());
  socket.on('message', (data, isBinary) => {
    if (!isBinary) return socket.close(1003, 'binary frames only');
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    metrics.bytesReceived('host', bytes.length);
    budget.run(() => link.receive(bytes));
  });
  socket.on('close', () => {
    budget.dispose();
    link.disconnected();
  });
  socket.on('error', () => link.disconnected());
}
