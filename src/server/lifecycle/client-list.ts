/**
 * How connected clients are described to people: in join/leave notices (`127.0.0.1, SHA256:…`)
 * and in the list-clients view (`joined 3m ago`). Pure text helpers.
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
