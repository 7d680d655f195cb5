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
  PROTOCOL_LIMIT: { layer: 'protocol', text: 'message exceeds a limit of the relay (panes, sizes)' },
  PROTOCOL_VERSION: { layer: 'protocol', text: 'unsupported protocol version' },
  PROTOCOL_ORDER: { layer: 'protocol', text: 'message arrived out of order' },
  PROTOCOL_BAD_OUTGOING: { layer: 'protocol', text: 'refused to encode a malformed message for the host' },
  // config: what the operator gave us
  CONFIG_INVALID: { layer: 'config', text: 'invalid configuration' },
  // session: lifecycle
  SESSION_NOT_FOUND: { layer: 'session', text: 'Invalid or expired session token' },
  SESSION_BAD_TOKEN: { layer: 'session', text: 'Invalid session token' },
  SESSION_ENDED: { layer: 'session', text: 'session ended' },
  SESSION_LIMIT: { layer: 'session', text: 'a session limit was reached' },
  SESSION_API_KEY: { layer: 'session', text: 'invalid API key' },
  // auth
  AUTH_DENIED: { layer: 'auth', text: 'authentication denied' },
  AUTH_RATE_LIMITED: { layer: 'auth', text: 'too many failed attempts from this address; try again later' },
  // api: the HTTP API's answers (the code is the `error.code` field of every error body)
  API_UNAUTHORIZED: { layer: 'api', text: 'missing or invalid API token' },
  API_BAD_JSON: { layer: 'api', text: 'the request body is not valid JSON' },
  API_INVALID_REQUEST: { layer: 'api', text: 'the request is invalid' },
  API_UNSUPPORTED_MEDIA_TYPE: { layer: 'api', text: 'send the body as application/json' },
  API_BODY_TOO_LARGE: { layer: 'api', text: 'the request body is too large' },
  API_NOT_FOUND: { layer: 'api', text: 'no such route' },
  API_METHOD_NOT_ALLOWED: { layer: 'api', text: 'this route does not take that method' },
  API_SESSION_NOT_FOUND: { layer: 'api', text: 'no such session' },
  API_CLIENT_NOT_FOUND: { layer: 'api', text: 'no such client in this session' },
  API_LOCAL_SESSIONS_UNAVAILABLE: { layer: 'api', text: 'relay-local sessions are not available' },
  API_COMMAND_NOT_FOUND: { layer: 'api', text: 'the command cannot be started (not found, or not executable)' },
  API_INTERNAL: { layer: 'api', text: 'internal error' },
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
