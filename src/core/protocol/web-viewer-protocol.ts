/**
 * The WebSocket protocol between the web viewer page (src/web/) and the relay
 * (src/server/transport/ws/web-viewer.ts). Platform-neutral: both sides import this file.
 *
 *   page  → relay  binary frame: terminal input bytes, exactly what an SSH viewer's terminal sends
 *   page  → relay  text frame:   {"type":"resize","cols":C,"rows":R}   (the whole terminal, status line included)
 *   relay → page   binary frame: terminal output, exactly the frames an SSH viewer of that size gets
 *   relay → page   text frame:   {"type":"hello","readOnly":B,"session":S,"window":W}  once, first
 *                                {"type":"title","session":S,"window":W}              when either changes
 *                                {"type":"end","reason":TEXT}                         just before close 4000
 *
 * The socket lives at `/t/TOKEN/ws?cols=C&rows=R` (the initial size). The relay closes it with one
 * of the WEB_CLOSE codes and a short human reason; any other close (1006, 1001 …) is a dropped
 * connection that the page retries while the session lives.
 *
 * Invariant: parsers never throw; anything malformed is null and ignored by the caller.
 */

/** Close codes the relay uses; all are final (the page does not reconnect). */
export const WEB_CLOSE = {
  /** The viewer ended: session over, detached, or relay shutting down; reason in the `end` message. */
  ended: 4000,
  /** The page sent something the relay cannot accept (e.g. a malformed control message). */
  badRequest: 4400,
  /** Web access is refused for this session (restricted to authorized SSH keys). */
  refused: 4403,
  /** Unknown or expired token. */
  unknownToken: 4404,
} as const;

/**
 * A token as it appears in a web path (`/t/TOKEN`, `/t/TOKEN/ws`), as a RegExp source: one segment
 * (random tokens, `-n`/`-r` names and their `ro-` forms) or two (`PREFIX/NAME` and
 * `ro-PREFIX/NAME` of named sessions with an API key, `tmate -k`), letters, digits and dashes each.
 */
export const WEB_TOKEN_SOURCE = '[A-Za-z0-9-]{1,64}(?:/[A-Za-z0-9-]{1,64})?';

export const UNKNOWN_TOKEN_TEXT = 'Invalid or expired session token';
export const THROTTLED_TEXT = 'Too many failed attempts from your address; try again later';
export const KEY_RESTRICTED_TEXT =
  'This session only admits listed SSH keys (tmate -a), so it cannot be joined from a browser. Join it with ssh instead.';

/** Terminal sizes the relay accepts from a page (the SSH transport uses the same cap). */
export const MAX_WEB_COLS = 1000;
export const MAX_WEB_ROWS = 1000;

export interface ResizeMessage {
  type: 'resize';
  cols: number;
  rows: number;
}

export type PageMessage = ResizeMessage;

export interface HelloMessage {
  type: 'hello';
  readOnly: boolean;
  session: string;
  window: string;
}

export interface TitleMessage {
  type: 'title';
  session: string;
  window: string;
}

export interface EndMessage {
  type: 'end';
  reason: string;
}

export type RelayMessage = HelloMessage | TitleMessage | EndMessage;

function isSize(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A control message from the page, or null when it is not one we understand. */
export function parsePageMessage(text: string): PageMessage | null {
  const o = parseObject(text);
  if (o?.['type'] === 'resize' && isSize(o['cols'], MAX_WEB_COLS) && isSize(o['rows'], MAX_WEB_ROWS)) {
    return { type: 'resize', cols: o['cols'], rows: o['rows'] };
  }
  return null;
}

/** A control message from the relay, or null when it is not one we understand. */
export function parseRelayMessage(text: string): RelayMessage | null {
  const o = parseObject(text);
  if (o === null) return null;
  const str = (key: string): string | null => (typeof o[key] === 'string' ? (o[key] as string) : null);
  const session = str('session');
  const window = str('window');
  switch (o['type']) {
    case 'hello':
      return typeof o['readOnly'] === 'boolean' && session !== null && window !== null
        ? { type: 'hello', readOnly: o['readOnly'], session, window }
        : null;
    case 'title':
      return session !== null && window !== null ? { type: 'title', session, window } : null;
    case 'end': {
      const reason = str('reason');
      return reason !== null ? { type: 'end', reason } : null;
    }
    default:
      return null;
  }
}

/** The page title for a session and its active window, e.g. `tmate · 0:bash`. */
export function pageTitle(session: string, window: string): string {
  return window === '' ? session : `${session} · ${window}`;
}

/** A close reason fits in 123 bytes of UTF-8 (RFC 6455); longer text is cut at a character boundary. */
export function closeReason(text: string): string {
  let out = text;
  while (new TextEncoder().encode(out).length > 123) out = Array.from(out).slice(0, -1).join('');
  return out;
}

/** The first size a page asks for, from `?cols=&rows=`; 80×24 when absent or invalid. */
export function initialSize(query: URLSearchParams): { cols: number; rows: number } {
  const cols = Number(query.get('cols'));
  const rows = Number(query.get('rows'));
  return {
    cols: isSize(cols, MAX_WEB_COLS) ? cols : 80,
    rows: isSize(rows, MAX_WEB_ROWS) ? rows : 24,
  };
}
