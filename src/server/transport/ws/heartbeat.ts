/**
 * Pings every client of a WebSocket server on an interval and terminates those that did not answer
 * the previous ping: a peer that vanished (a laptop closed, a network gone) is noticed within two
 * intervals instead of holding its socket and session slot until TCP gives up.
 *
 * Invariant: a client counts as alive from when it is tracked until a ping goes unanswered.
 */
import type { WebSocket, WebSocketServer } from 'ws';

export interface Heartbeat {
  /** Starts watching a newly accepted client. */
  track(ws: WebSocket): void;
  stop(): void;
}

export function startHeartbeat(server: WebSocketServer, intervalMs: number): Heartbeat {
  const alive = new WeakSet<WebSocket>();
  const timer = setInterval(() => {
    for (const client of server.clients) {
      if (!alive.has(client)) {
        client.terminate();
        continue;
      }
      alive.delete(client);
      client.ping();
    }
  }, intervalMs);
  timer.unref();
  return {
    track(ws) {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
    },
    stop: () => clearInterval(timer),
  };
}
