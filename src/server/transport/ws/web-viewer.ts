/**
 * The web viewer's WebSocket endpoint (`/t/TOKEN/ws`): adapts a browser's socket to the relay's
 * ViewerTerminal port, like ssh-viewer.ts does for an SSH channel. The page gets exactly the
 * frames an SSH viewer of its size gets, its keys go through the same ViewerLink, and its size
 * counts in the smallest-size rule like any read-write viewer. Protocol:
 * src/core/protocol/web-viewer-protocol.ts.
 *
 * Invariants:
 * - The upgrade is refused (403, before any WebSocket exists) when the browser's Origin is neither
 *   the request's own host nor the configured --web-url origin. Requests without Origin (not a
 *   browser, so not a cross-site request) are admitted.
 * - Unknown/expired tokens, key-restricted sessions (tmate -a) and whatever else the relay refuses
 *   never attach a viewer: the socket is closed with WEB_CLOSE.unknownToken / WEB_CLOSE.refused and
 *   a reason.
 * - Whichever side ends first (viewer link or socket), the viewer is removed from its session
 *   exactly once; a page that stops answering pings is terminated.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  KEY_RESTRICTED_TEXT,
  THROTTLED_TEXT,
  UNKNOWN_TOKEN_TEXT,
  WEB_CLOSE,
  closeReason,
  initialSize,
  parsePageMessage,
  type RelayMessage,
  WEB_TOKEN_SOURCE,
} from '../../../core/protocol/web-viewer-protocol.js';
import { redactToken } from '../../observability/logger.js';
import type { RelayMetrics } from '../../observability/metrics.js';
import type { ViewerTerminal } from '../../relay/ports.js';
import type { Relay } from '../../relay/relay.js';
import type { RelaySession } from '../../relay/relay-session.js';
import type { HttpFeature } from '../http/http-server.js';
import type { HttpClientAddress } from '../client-address.js';
import { requestUrl } from '../http/request-url.js';
import { answerAndClose } from '../http/raw-answer.js';
import { startHeartbeat } from './heartbeat.js';

/** `/t/TOKEN/ws`; a token is one or two path segments (WEB_TOKEN_SOURCE). */
const WS_PATH = new RegExp(`^/t/(${WEB_TOKEN_SOURCE})/ws$`);
/** Largest frame a page may send; the page splits bigger pastes. */
const MAX_PAYLOAD = 64 * 1024;
/** Output queued beyond this marks the page as not keeping up; below LOW_WATER it drains. */
const HIGH_WATER = 256 * 1024;
const LOW_WATER = 32 * 1024;
const DEFAULT_HEARTBEAT_MS = 30_000;

export interface WebViewerOptions {
  /** Ping interval; a page that missed the previous ping is dropped. */
  heartbeatMs?: number;
}

export function webViewerEndpoint(relay: Relay, clientAddress: HttpClientAddress, options: WebViewerOptions = {}): HttpFeature {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD, perMessageDeflate: false });
  const heartbeat = startHeartbeat(server, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);

  const upgrade = (token: string) => (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const origin = request.headers.origin;
    if (origin !== undefined && !isAllowedOrigin(origin, request.headers.host, relay.webBaseUrl)) {
      relay.log.warn({ event: 'web-viewer-refused', reason: 'origin', origin, ip: clientAddress(request), token: redactToken(token) });
      return answerAndClose(socket, 403, 'Origin not allowed');
    }
    server.handleUpgrade(request, socket, head, (ws) => {
      heartbeat.track(ws);
      serveViewer(relay, ws, request, clientAddress(request), token);
    });
  };

  return {
    upgradeFor: (pathname) => {
      const match = WS_PATH.exec(pathname);
      return match ? upgrade(match[1]!) : null;
    },
    close: () => {
      heartbeat.stop();
      for (const client of server.clients) client.terminate();
      server.close();
    },
  };
}

/** Same host as the request (the page came from here) or the public --web-url origin. */
export function isAllowedOrigin(origin: string, host: string | undefined, webBaseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null"
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (host !== undefined && url.host === normalizedHost(url.protocol, host)) return true;
  return webBaseUrl !== '' && url.origin === normalizedOrigin(webBaseUrl);
}

/** The Host header as URL.host spells it for `protocol` (lower case, default port dropped). */
function normalizedHost(protocol: string, host: string): string | null {
  try {
    return new URL(`${protocol}//${host}`).host;
  } catch {
    return null;
  }
}

function normalizedOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function serveViewer(relay: Relay, ws: WebSocket, request: IncomingMessage, ip: string, token: string): void {
  // The brute-force guard SSH viewers pass too (abuse/abuse-guard.ts): a throttled address learns nothing.
  if (relay.services.guard.refuseIfThrottled(ip)) {
    ws.close(WEB_CLOSE.refused, closeReason(THROTTLED_TEXT));
    return;
  }
  const entry = relay.registry.lookup(token);
  if (!entry || entry.session.isEnded) {
    relay.services.guard.authFailed(ip, 'unknown_token', { via: 'web' });
    ws.close(WEB_CLOSE.unknownToken, UNKNOWN_TOKEN_TEXT);
    return;
  }
  const session = entry.session;
  if (session.replica.options.keyRestricted) {
    relay.log.info({ event: 'web-viewer-refused', reason: 'key-restricted', session: session.id, ip });
    ws.close(WEB_CLOSE.refused, closeReason(KEY_RESTRICTED_TEXT));
    return;
  }
  const size = initialSize(requestUrl(request.url)?.searchParams ?? new URLSearchParams());
  const terminal = new WebSocketTerminal(ws, ip, session, relay.services.metrics);
  // In a read-only session (`host --read-only`) the read-write link watches too: the page says so.
  terminal.sendHello(entry.readOnly || session.replica.options.readOnlySession);
  const viewer = relay.attachViewer(token, terminal, { ip, fingerprint: null }, size.cols, size.rows);
  if (typeof viewer === 'string') {
    // The relay's own refusals (e.g. a relay that admits only listed SSH keys) are not "unknown token".
    ws.close(viewer === UNKNOWN_TOKEN_TEXT ? WEB_CLOSE.unknownToken : WEB_CLOSE.refused, closeReason(viewer));
    return;
  }
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const bytes = toBuffer(data);
    relay.services.metrics.bytesReceived('viewer', bytes.length);
    if (isBinary) return viewer.input(bytes);
    const message = parsePageMessage(bytes.toString('utf8'));
    if (message?.type === 'resize') viewer.resize(message.cols, message.rows);
  });
  let gone = false;
  const leave = (): void => {
    if (gone) return;
    gone = true;
    terminal.markClosed();
    session.removeViewer(viewer);
  };
  ws.on('close', leave);
  ws.on('error', () => {
    leave();
    ws.terminate();
  });
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** The viewer's reason, as ViewerLink.end() prints it last: `…[reason]\r\n`. */
function endReason(lastOutput: string): string {
  const match = /\[([^[\]\r\n\x1b]*)\]\r\n$/.exec(lastOutput);
  return match?.[1] ?? 'session ended';
}

/** A browser's socket as a ViewerTerminal: binary frames out with backpressure, title updates. */
class WebSocketTerminal implements ViewerTerminal {
  readonly kind = 'web';
  private closed = false;
  private blocked = false;
  private readonly drainCallbacks: (() => void)[] = [];
  private lastOutput = '';
  private title = '';
  /** Until the hello says otherwise: a read-only viewer must never see a read-write name. */
  private readOnly = true;

  constructor(
    private readonly ws: WebSocket,
    readonly remoteAddress: string,
    private readonly session: RelaySession,
    private readonly metrics: RelayMetrics,
  ) {}

  sendHello(readOnly: boolean): void {
    this.readOnly = readOnly;
    const { session, window } = this.currentTitle();
    this.title = `${session}\n${window}`;
    this.sendControl({ type: 'hello', readOnly, session, window });
  }

  write(data: string): boolean {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return true;
    this.lastOutput = data;
    const bytes = Buffer.from(data, 'utf8');
    this.metrics.bytesSent('viewer', bytes.length);
    this.ws.send(bytes, { binary: true }, () => this.flushed());
    this.updateTitle();
    if (this.ws.bufferedAmount > HIGH_WATER) this.blocked = true;
    return !this.blocked;
  }

  onDrain(callback: () => void): void {
    this.drainCallbacks.push(callback);
  }

  /** A big paste waits for the host: stop reading the socket (the browser's sends back up). */
  pauseInput(): void {
    this.ws.pause();
  }

  resumeInput(): void {
    this.ws.resume();
  }

  close(_exitStatus: number): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ws.readyState !== this.ws.OPEN) return;
    const reason = endReason(this.lastOutput);
    this.sendControl({ type: 'end', reason });
    this.ws.close(WEB_CLOSE.ended, closeReason(reason));
  }

  /** The socket is gone; nothing more is sent. */
  markClosed(): void {
    this.closed = true;
  }

  private flushed(): void {
    if (!this.blocked || this.ws.bufferedAmount > LOW_WATER) return;
    this.blocked = false;
    for (const callback of this.drainCallbacks) callback();
  }

  private updateTitle(): void {
    const { session, window } = this.currentTitle();
    const title = `${session}\n${window}`;
    if (title === this.title) return;
    this.title = title;
    this.sendControl({ type: 'title', session, window });
  }

  private currentTitle(): { session: string; window: string } {
    const window = this.session.replica.activeWindow();
    return { session: this.session.nameFor(this.readOnly), window: window ? `${window.index}:${window.name}` : '' };
  }

  private sendControl(message: RelayMessage): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const text = JSON.stringify(message);
    this.metrics.bytesSent('viewer', Buffer.byteLength(text));
    this.ws.send(text);
  }
}
