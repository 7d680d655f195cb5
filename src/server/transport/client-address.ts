/**
 * The address a connection comes from, as the per-address limits, the logs and the viewer list
 * see it, written the same way for SSH, HTTP and WebSocket connections.
 *
 * Invariants:
 * - IPv4-mapped IPv6 addresses (`::ffff:203.0.113.5`, what a dual-stack listener on `::` sees) are
 *   written as IPv4, so one client has one address whichever port it used.
 * - `X-Forwarded-For` counts only on a request whose TCP peer is one of the `--trust-proxy`
 *   addresses; then the client is the nearest address in the header that is not itself a trusted
 *   proxy (what the proxy saw). Anyone else's header is ignored: a client cannot pick the
 *   address its failed attempts are counted against.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/** The client address of an HTTP request or WebSocket upgrade. */
export type HttpClientAddress = (request: IncomingMessage) => string;

/** `address` as the relay records it ('unknown' when the socket has none, e.g. already closed). */
export function plainAddress(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

/**
 * Checks a `--trust-proxy` list (IP addresses, CIDR ranges, or `loopback`, `linklocal`,
 * `uniquelocal`); returns one problem per bad entry (none when every entry is usable).
 */
export function trustProxyProblems(entries: readonly string[]): string[] {
  const problems: string[] = [];
  if (entries.some((entry) => entry === '')) problems.push('an empty entry (two commas, or a comma at an end)');
  for (const entry of entries) {
    if (entry === '') continue;
    try {
      proxyAddr.compile([entry]);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return problems;
}

/** Whether a TCP peer address is one of the given proxies; null when there are none. */
export function trustedProxyCheck(trustedProxies: readonly string[]): ((peer: string) => boolean) | null {
  if (trustedProxies.length === 0) return null;
  const trust = proxyAddr.compile([...trustedProxies]);
  return (peer) => trust(peer, 0);
}

/** The resolver for a relay behind the given proxies (none: the TCP peer is the client). */
export function httpClientAddress(trustedProxies: readonly string[]): HttpClientAddress {
  if (trustedProxies.length === 0) return (request) => plainAddress(request.socket.remoteAddress);
  const trust = proxyAddr.compile([...trustedProxies]);
  return (request) => {
    if (request.socket.remoteAddress === undefined) return 'unknown';
    return plainAddress(proxyAddr(request, trust));
  };
}
