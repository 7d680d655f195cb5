/**
 * How connected clients are described to people: in join/leave notices (`127.0.0.1, SHA256:…`)
 * and in the list-clients view (`joined 3m ago`, the table). Pure text helpers.
 */
import type { ViewerIdentity } from '../relay/viewer-link.js';

/** `IP, SHA256:…` or `IP, no key`: the form tmate.io used in its join notices, plus the key. */
export function describeIdentity(identity: Pick<ViewerIdentity, 'ip' | 'fingerprint'>): string {
  return identity.fingerprint ? `${identity.ip}, ${identity.fingerprint}` : `${identity.ip}, no key`;
}

/** `12s ago`, `3m ago`, `1h05m ago`. */
export function formatAgo(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m ago`;
}

/** A connected client as the list-clients view shows it. */
export interface ConnectedClient {
  id: number;
  readOnly: boolean;
  identity: Pick<ViewerIdentity, 'ip' | 'fingerprint'>;
  since: number;
}

/**
 * The list-clients view (`C-b W`): a header naming the session as `viewer` may see it, then one
 * aligned row per client (id, rw/ro, address, key, since when), `viewer` marked "(you)".
 */
export function clientTable(clients: readonly ConnectedClient[], viewer: ConnectedClient, sessionName: string, now: number): string[] {
  const rows = clients.map((c) => [
    `#${c.id}`,
    c.readOnly ? 'ro' : 'rw',
    c.identity.ip,
    c.identity.fingerprint ?? 'no key',
    `joined ${formatAgo(now - c.since)}${c === viewer ? '  (you)' : ''}`,
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...rows.map((r) => r[i]!.length)));
  return [
    `${clients.length} client${clients.length === 1 ? '' : 's'} connected to [${sessionName}]`,
    '',
    ...rows.map((r) => r.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]!) : cell)).join('  ')),
  ];
}
