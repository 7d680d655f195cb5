/**
 * The one catalog of errors, each with a stable code (used in logs, metrics labels and API
 * answers) and the layer it belongs to. Codes never change meaning once published; add new ones.
 *
 * Parsers and codecs never throw these: they return them as values (see `Result`). Code that talks
 * to peers turns them into a counted, logged protocol error and a clean disconnect of that peer.
 */

export const ErrorCatalog = {
  // protocol: what a host sent us
  PROTOCOL_NOT_ARRAY: { layer: 'protocol', text: 'message is not an array with an integer type' },
  PROTOCOL_BAD_FIELD: { layer: 'protocol', text: 'message field has the wrong type or is missing' },
  PROTOCOL_BAD_MSGPACK: { layer: 'protocol', text: 'stream is not valid msgpack' },
  PROTOCOL_TOO_LARGE: { layer: 'protocol', text: 'message exceeds the size limit' },
  PROTOCOL_VERSION: { layer: 'protocol', text: 'unsupported protocol version' },
  PROTOCOL_ORDER: { layer: 'protocol', text: 'message arrived out of order' },
  PROTOCOL_BAD_OUTGOING: { layer: 'protocol', text: 'refused to encode a malformed message for the host' },
  // config: what the operator gave us
  CONFIG_INVALID: { layer: 'config', text: 'invalid configuration' },
  // session: lifecycle
  SESSION_NOT_FOUND: { layer: 'session', text: 'Invalid or expired session token' },
  SESSION_BAD_TOKEN: { layer: 'session', text: 'Invalid session token' },
  SESSION_ENDED: { layer: 'session', text: 'session ended' },
  // auth
  AUTH_DENIED: { layer: 'auth', text: 'authentication denied' },
} as const;

export type ErrorCode = keyof typeof ErrorCatalog;

export interface RelayError {
  code: ErrorCode;
  /** Human detail; never contains a session token. */
  detail: string;
}

export function relayError(code: ErrorCode, detail: string = ErrorCatalog[code].text): RelayError {
  return { code, detail };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: RelayError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(code: ErrorCode, detail?: string): Result<T> {
  return { ok: false, error: relayError(code, detail) };
}
