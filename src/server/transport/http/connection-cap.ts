/**
 * Caps the TCP connections one address holds open to the HTTP port at once (`--max-http-connections-per-ip`):
 * requests, keep-alive connections between them, and WebSocket connections (web viewers, hosts)
 * until they close. Without it one client could hold thousands of sockets, each a file descriptor
 * of the relay, every one of them living up to the request timeout.
 *
 * A connection over the cap is told why at once (`429 Too Many Requests`, a one-line text body,
 * `Connection: close`), and closed: a request it sends anyway is not served, an upgrade not taken.
 *
 * Invariants: an address counts its connections from accept to close, whatever they became; a
 * refused connection does not count. Connections from `--trust-proxy` peers are not counted (a
 * reverse proxy carries everyone's connections; its clients are told apart per request, by the
 * other limits). Addresses are written as plainAddress() writes them (IPv4-mapped IPv6 as IPv4).
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { plainAddress, trustedProxyCheck } from '../client-address.js';
import { answerAndClose } from './raw-answer.js';

export interface ConnectionCapOptions {
  /** Most open connections per address; 0 means no limit. */
  maxPerIp: number;
  /** `--trust-proxy` entries: peers whose connections are not counted. */
  trustedProxies: readonly string[];
  /** A connection from `ip` was refused (for the metrics and the log). */
  onRefused(ip: string): void;
}

const refusedSockets = new WeakSet<object>();

/** Whether `socket` was refused by the cap: nothing it asks for is to be served. */
export function isRefusedConnection(socket: object): boolean {
  return refusedSockets.has(socket);
}

/** Starts counting `server`'s connections per address and refusing those over the cap. */
export function capConnectionsPerAddress(server: Server, options: ConnectionCapOptions): void {
  if (options.maxPerIp <= 0) return;
  const isTrusted = trustedProxyCheck(options.trustedProxies);
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const peer = socket.remoteAddress;
    if (peer === undefined) return; // already gone
    if (isTrusted?.(peer)) return;
    const ip = plainAddress(peer);
    const count = open.get(ip) ?? 0;
    if (count >= options.maxPerIp) {
      refuse(socket, options.maxPerIp);
      options.onRefused(ip);
      return;
    }
    open.set(ip, count + 1);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left > 0) open.set(ip, left);
      else open.delete(ip);
    });
  });
}

function refuse(socket: Socket, limit: number): void {
  refusedSockets.add(socket);
  answerAndClose(socket, 429, `Too many connections from your address (at most ${limit} at once); close some and try again.`);
}
