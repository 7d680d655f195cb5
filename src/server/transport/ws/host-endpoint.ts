/**
 * The relay's WebSocket endpoint for hosts (`/ws/host`): the same tmate msgpack stream as the SSH
 * subsystem, in binary messages, for hosts that can only reach the relay over HTTP(S).
 *
 * Invariants:
 * - An upgrade with an Origin header (a browser, maybe on another site's page) is refused 403.
 * - Upgrades pass the same admission as SSH connections (admission-guard.ts): the connection
 *   rate per address, at most `maxUnauthenticatedPerIp` connections per address that have not
 *   finished the tmate handshake, and each must finish it within `authTimeoutMs`. An upgrade
 *   refused there is answered `429 Too Many Requests` with the reason, never just cut.
 * - Messages larger than the relay's message-size limit are refused by `ws` itself (close 1009);
 *   text frames close the connection (1003); bytes that are not the tmate protocol close it with
 *   1002 and the error's code as the reason; a closed socket is a host disconnect; a host that stops
 *   answering pings is terminated (heartbeat.ts).
 * - Like an SSH host, a host gets HOST_MS_PER_TURN of parsing per event-loop turn (input-budget.ts),
 *   and one that stops reading is reported congested once HIGH_WATER bytes wait for it, so that
 *   pastes wait instead of piling up in the relay (host-link.ts).
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock } from '../../../core/util/clock.js';
import type { HttpFeature } from '../http/http-server.js';
import { answerAndClose } from '../http/raw-answer.js';
import type { Relay } from '../../relay/relay.js';
import { HostLink } from '../../relay/host-link.js';
import { HOST_WS_PATH } from '../../host/ws-host-transport.js';
import { HOST_MS_PER_TURN, InputBudget } from '../input-budget.js';
import { AdmissionGuard, type Admission } from '../admission-guard.js';
import type { HttpClientAddress } from '../client-address.js';
import { startHeartbeat } from './heartbeat.js';

/** Output waiting for a host beyond this marks it congested; below LOW_WATER it drains (as for SSH hosts). */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
const HEARTBEAT_MS = 30_000;
const BROWSER_HOST_TEXT = 'Browsers cannot host sessions: this endpoint is for tmate-relay host (the request has an Origin header).';

export interface HostEndpointOptions {
  clientAddress: HttpClientAddress;
  clock: Clock;
  /** How long a host may take from its upgrade to the end of its tmate handshake. */
  authTimeoutMs: number;
  /** Most connections per address still in their handshake; 0: no cap. */
  maxUnauthenticatedPerIp: number;
}

export function hostWebSocketEndpoint(relay: Relay, options: HostEndpointOptions): HttpFeature {
  const server = new WebSocketServer({ noServer: true, maxPayload: relay.limits.maxMessageSize, perMessageDeflate: false });
  const admission = new AdmissionGuard(relay, options.clock, options.authTimeoutMs, options.maxUnauthenticatedPerIp);
  const heartbeat = startHeartbeat(server, HEARTBEAT_MS);
  return {
    upgradeFor: (pathname) =>
      pathname === HOST_WS_PATH
        ? (request, socket, head) => {
            // Browsers always send an Origin; hosts (tmate-relay host, ws) never do. Without this
            // any web page could register sessions from its visitors' addresses.
            if (request.headers.origin !== undefined) return answerAndClose(socket, 403, BROWSER_HOST_TEXT);
            const ip = options.clientAddress(request);
            const admitted = admission.accept(socket, ip, (reason) => answerAndClose(socket, 429, reason));
            if (!admitted) return;
            server.handleUpgrade(request, socket, head, (ws) => {
              heartbeat.track(ws);
              serveHost(relay, ws, ip, admitted);
            });
          }
        : null,
    close: () => {
      heartbeat.stop();
      for (const client of server.clients) client.terminate();
      server.close();
    },
  };
}

function serveHost(relay: Relay, socket: WebSocket, remoteAddress: string, admission: Admission): void {
  const metrics = relay.services.metrics;
  let blocked = false;
  const drainListeners: (() => void)[] = [];
  const sent = (): void => {
    if (!blocked || socket.bufferedAmount > LOW_WATER) return;
    blocked = false;
    for (const listener of drainListeners) listener();
  };
  const link = new HostLink(
    {
      kind: 'ws',
      remoteAddress,
      write: (data) => {
        if (socket.readyState !== socket.OPEN) return true;
        metrics.bytesSent('host', data.length);
        socket.send(data, { binary: true }, sent);
        if (socket.bufferedAmount > HIGH_WATER) blocked = true;
        return !blocked;
      },
      onDrain: (callback) => void drainListeners.push(callback),
      // 1002 is WebSocket's "protocol error"; the reason must fit a control frame (123 bytes).
      close: (protocolError) => (protocolError ? socket.close(1002, protocolError.slice(0, 120)) : socket.close(1000)),
    },
    relay,
  );
  const budget = new InputBudget(HOST_MS_PER_TURN, () => socket.pause(), () => socket.resume());
  socket.on('message', (data, isBinary) => {
    if (!isBinary) return socket.close(1003, 'binary frames only');
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    metrics.bytesReceived('host', bytes.length);
    budget.run(() => link.receive(bytes));
    if (link.established) admission.admit();
  });
  socket.on('close', () => {
    budget.dispose();
    link.disconnected();
  });
  socket.on('error', () => link.disconnected());
}
