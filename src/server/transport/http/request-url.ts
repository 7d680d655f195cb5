/**
 * The URL of an HTTP request or WebSocket upgrade, parsed from its request target, or null when
 * the target does not parse (e.g. an absolute-form `http://a:99999/` with a port out of range).
 *
 * Invariant: never throws, whatever a client sends: an upgrade's target is parsed outside any
 * framework's error handling, where a throw would end the relay.
 */
const BASE = 'http://relay.invalid';

export function requestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', BASE);
  } catch {
    return null;
  }
}
