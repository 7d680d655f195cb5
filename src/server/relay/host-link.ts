/**
 * One host connection speaking tmate protocol 6: decodes its byte stream, runs the handshake
 * (HEADER, replicated options, READY → tokens, connection strings, READY; or RECONNECT → the same
 * tokens), then feeds every message to its session.
 *
 * Invariants:
 * - Nothing malformed is ever sent to the host (it would kill the user's tmate): every IN message
 *   goes through the validating encoder.
 * - Garbage from the host, or a message over the replica's limits (a giant layout), ends this
 *   host's session alone, with a logged protocol error.
 * - A connection that closes without FIN leaves its session waiting for a reconnect.
 * - Messages sent in one synchronous burst (a paste's keys, the greeting) leave in one write, in
 *   order, at the end of the burst (a microtask): one SSH packet instead of one per key.
 * - `congested` is true while the transport reports the host is not reading; senders that can
 *   wait (a viewer's paste) check it and resume on `onDrain`, so nothing piles up here.
 */
import type { InMessage, OutMessage } from '../../core/protocol/tmate/messages.js';
import { PROTOCOL_VERSION } from '../../core/protocol/tmate/messages.js';
import { TmateStreamDecoder } from '../../core/protocol/tmate/stream-decoder.js';
import { parseOutMessage } from '../../core/protocol/tmate/out-messages.js';
import { encodeInMessage } from '../../core/protocol/tmate/in-messages.js';
import type { RelayError } from '../../core/errors.js';
import { SessionReplica } from '../../core/mux/session-replica.js';
import type { ByteChannel, HostPort } from './ports.js';
import type { RelaySession } from './relay-session.js';
import type { SessionFactory } from './session-factory.js';

type LinkState = 'awaiting-header' | 'handshake' | 'established' | 'closed';

export class HostLink implements HostPort {
  private readonly decoder: TmateStreamDecoder;
  private readonly replica: SessionReplica;
  private state: LinkState = 'awaiting-header';
  private reconnectData: string | null = null;
  private session: RelaySession | null = null;
  private finished = false;
  /** Encoded messages of the current burst, written together by flush(). */
  private readonly outgoing = new OutgoingBytes();
  private channelCongested = false;
  /** Set when the host broke the protocol: the transport's close says so. */
  private protocolErrorText: string | null = null;
  private readonly drainListeners: (() => void)[] = [];

  constructor(
    private readonly channel: ByteChannel,
    private readonly factory: SessionFactory,
  ) {
    this.decoder = new TmateStreamDecoder({ maxMessageBytes: factory.limits.maxMessageSize });
    this.replica = factory.newReplica();
    channel.onDrain?.(() => {
      this.channelCongested = false;
      for (const listener of this.drainListeners) listener();
    });
  }

  get congested(): boolean {
    return this.channelCongested;
  }

  /** The handshake is over and the link serves a session. */
  get established(): boolean {
    return this.state === 'established';
  }

  onDrain(callback: () => void): void {
    this.drainListeners.push(callback);
  }

  get kind(): string {
    return this.channel.kind;
  }

  get remoteAddress(): string {
    return this.channel.remoteAddress;
  }

  /** Bytes from the transport. */
  receive(chunk: Uint8Array): void {
    if (this.state === 'closed') return;
    for (const item of this.decoder.feed(chunk)) {
      if (!item.ok) return this.protocolError(item.error);
      const parsed = parseOutMessage(item.value);
      if (!parsed.ok) return this.protocolError(parsed.error);
      const overLimit = this.replica.check(parsed.value);
      if (overLimit) return this.protocolError(overLimit);
      this.dispatch(parsed.value);
      if ((this.state as LinkState) === 'closed') return; // dispatch may have closed the link
    }
  }

  /** The transport closed (or errored). */
  disconnected(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.outgoing.take();
    if (this.session && !this.finished) this.session.hostLost(this);
    if (!this.session) this.replica.dispose();
    this.factory.log.info({ event: 'host-disconnected', session: this.session?.id ?? null, ip: this.remoteAddress });
  }

  send(message: InMessage): void {
    if (this.state === 'closed') return;
    const wasEmpty = this.outgoing.length === 0;
    // A paste is millions of PANE_KEYs: they are written straight into the burst's bytes.
    if (message.type !== 'pane-key' || !this.outgoing.appendPaneKey(message.paneId, message.key)) {
      const encoded = encodeInMessage(message);
      if (!encoded.ok) {
        this.factory.log.error({ event: 'refused-outgoing', code: encoded.error.code, detail: encoded.error.detail, type: message.type });
        return;
      }
      this.outgoing.append(encoded.value);
    }
    if (wasEmpty) queueMicrotask(() => this.flush());
  }

  close(): void {
    if (this.state === 'closed') return;
    this.flush();
    this.state = 'closed';
    this.channel.close(this.protocolErrorText ?? undefined);
  }

  /** Writes the burst of messages sent since the last flush, as one chunk. */
  private flush(): void {
    if (this.outgoing.length === 0 || this.state === 'closed') return;
    if (this.channel.write(this.outgoing.take()) === false) this.channelCongested = true;
  }

  private dispatch(message: OutMessage): void {
    switch (this.state) {
      case 'awaiting-header':
        return this.onHeader(message);
      case 'handshake':
        return this.onHandshakeMessage(message);
      case 'established':
        if (message.type === 'fin') this.finished = true;
        this.session?.handleHostMessage(message);
        return;
    }
  }

  private onHeader(message: OutMessage): void {
    if (message.type !== 'header') {
      return this.protocolError({ code: 'PROTOCOL_ORDER', detail: `expected HEADER, got ${message.type}` });
    }
    if (message.protocol !== PROTOCOL_VERSION) {
      this.send({ type: 'notify', message: `This relay speaks tmate protocol ${PROTOCOL_VERSION}; please use tmate 2.4 or newer` });
      return this.protocolError({ code: 'PROTOCOL_VERSION', detail: `protocol ${message.protocol}` });
    }
    this.replica.apply(message);
    this.state = 'handshake';
  }

  private onHandshakeMessage(message: OutMessage): void {
    if (message.type === 'reconnect') {
      this.reconnectData = message.data;
      return;
    }
    if (message.type === 'fin') {
      this.finished = true;
      return this.close();
    }
    if (message.type !== 'ready') {
      this.replica.apply(message);
      return;
    }
    this.session = this.factory.establish(this, this.replica, this.reconnectData);
    this.state = this.session ? 'established' : 'closed';
  }

  private protocolError(error: RelayError): void {
    this.factory.log.warn({ event: 'protocol-error', code: error.code, detail: error.detail, session: this.session?.id ?? null, ip: this.remoteAddress });
    this.factory.countProtocolError(error.code);
    const session = this.session;
    this.finished = true;
    this.protocolErrorText = `tmate protocol error (${error.code})`;
    // Ending the session tells the host why (a NOTIFY), then closes this link.
    // A layout over the relay's limits is well formed: say what it was, not "malformed".
    if (session) session.end('protocol error', error.code === 'PROTOCOL_LIMIT' ? `session ended: the host's session is larger than this relay accepts (${error.detail})` : undefined);
    this.close();
    if (!session) this.replica.dispose();
  }
}

/** The bytes of one burst of IN messages. */
class OutgoingBytes {
  private buf = new Uint8Array(4096);
  length = 0;

  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /**
   * PANE_KEY `[6, paneId, key]` with the same bytes encodeInMessage writes (smallest int forms),
   * for the common ranges; false (nothing written) for anything else.
   */
  appendPaneKey(paneId: number, key: number): boolean {
    if (!Number.isInteger(paneId) || !Number.isInteger(key) || paneId < -32 || paneId > 0xffff || key < 0 || key > 0xffffffff) return false;
    this.reserve(16);
    const b = this.buf;
    b[this.length++] = 0x93; // fixarray of 3
    b[this.length++] = 0x06; // PANE_KEY
    this.uint(paneId);
    this.uint(key);
    return true;
  }

  /** The bytes so far (a copy); the buffer starts over. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    if (this.buf.length > 256 * 1024) this.buf = new Uint8Array(4096);
    return out;
  }

  /** A non-negative int, or a negative fixint (-32..-1). */
  private uint(v: number): void {
    const b = this.buf;
    if (v < 0) b[this.length++] = v & 0xff;
    else if (v < 0x80) b[this.length++] = v;
    else if (v < 0x100) {
      b[this.length++] = 0xcc;
      b[this.length++] = v;
    } else if (v < 0x10000) {
      b[this.length++] = 0xcd;
      b[this.length++] = v >>> 8;
      b[this.length++] = v & 0xff;
    } else {
      b[this.length++] = 0xce;
      b[this.length++] = v >>> 24;
      b[this.length++] = (v >>> 16) & 0xff;
      b[this.length++] = (v >>> 8) & 0xff;
      b[this.length++] = v & 0xff;
    }
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
}
