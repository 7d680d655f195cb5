/**
 * The page's WebSocket to the relay (`…/t/TOKEN/ws`), with automatic reconnection: a connection
 * that drops (anything but one of the relay's WEB_CLOSE codes) is retried with growing delays for
 * as long as the relay keeps accepting the token; a WEB_CLOSE code is final.
 *
 * Invariants: at most one socket is open at a time; after `final` nothing is retried; input is
 * sent in frames of at most MAX_FRAME bytes (the relay refuses larger ones).
 */
import { parseRelayMessage, type PageMessage, type RelayMessage } from '../core/protocol/web-viewer-protocol.js';
import type { TermSize } from './terminal-fit.js';

const MAX_FRAME = 16 * 1024;
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 10_000];

export interface ConnectionEvents {
  /** A socket opened (the first one or a reconnection); the relay redraws everything next. */
  open(reconnected: boolean): void;
  output(bytes: Uint8Array): void;
  control(message: RelayMessage): void;
  /** The connection dropped; the next attempt starts in `retryInMs`. */
  lost(retryInMs: number): void;
  /** The relay closed the connection for good (see WEB_CLOSE); `wasLive` tells whether any socket ever opened. */
  final(code: number, reason: string, wasLive: boolean): void;
}

export class ViewerConnection {
  private socket: WebSocket | null = null;
  private failures = 0;
  private everOpen = false;
  private finished = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly socketUrl: (size: TermSize) => string,
    private readonly currentSize: () => TermSize,
    private readonly events: ConnectionEvents,
  ) {}

  start(): void {
    if (this.finished || this.socket) return;
    const socket = new WebSocket(this.socketUrl(this.currentSize()));
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      const reconnected = this.everOpen;
      this.everOpen = true;
      this.failures = 0;
      // The size may have changed while connecting; the relay ignores a resize to the same size.
      this.sendResize(this.currentSize());
      this.events.open(reconnected);
    };
    socket.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data === 'string') {
        const message = parseRelayMessage(event.data);
        if (message) this.events.control(message);
      } else {
        this.events.output(new Uint8Array(event.data));
      }
    };
    socket.onclose = (event: CloseEvent) => {
      this.socket = null;
      if (event.code >= 4000 && event.code <= 4999) {
        this.finished = true;
        this.events.final(event.code, event.reason, this.everOpen);
        return;
      }
      const delay = RETRY_DELAYS_MS[Math.min(this.failures, RETRY_DELAYS_MS.length - 1)]!;
      this.failures++;
      this.events.lost(delay);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.start();
      }, delay);
    };
  }

  /** Retries now instead of waiting for the timer (e.g. the browser came back online). */
  retryNow(): void {
    if (this.retryTimer === null) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.start();
  }

  sendInput(bytes: Uint8Array): void {
    const socket = this.openSocket();
    if (!socket) return;
    for (let i = 0; i < bytes.length; i += MAX_FRAME) socket.send(bytes.subarray(i, i + MAX_FRAME));
  }

  sendResize(size: TermSize): void {
    const message: PageMessage = { type: 'resize', cols: size.cols, rows: size.rows };
    this.openSocket()?.send(JSON.stringify(message));
  }

  private openSocket(): WebSocket | null {
    return this.socket && this.socket.readyState === WebSocket.OPEN ? this.socket : null;
  }
}
