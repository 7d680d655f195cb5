/**
 * One host connection speaking tmate protocol 6: decodes its byte stream, runs the handshake
 * (HEADER, replicated options, READY → tokens, connection strings, READY; or RECONNECT → the same
 * tokens), then feeds every message to its session.
 *
 * Invariants:
 * - Nothing malformed is ever sent to the host (it would kill the user's tmate): every IN message
 *   goes through the validating encoder.
 * - Garbage from the host ends this host's session alone, with a logged protocol error.
 * - A connection that closes without FIN leaves its session waiting for a reconnect.
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

  constructor(
    private readonly channel: ByteChannel,
    private readonly factory: SessionFactory,
  ) {
    this.decoder = new TmateStreamDecoder({ maxMessageBytes: factory.limits.maxMessageSize });
    this.replica = factory.newReplica();
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
      this.dispatch(parsed.value);
      if ((this.state as LinkState) === 'closed') return; // dispatch may have closed the link
    }
  }

  /** The transport closed (or errored). */
  disconnected(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.session && !this.finished) this.session.hostLost();
    if (!this.session) this.replica.dispose();
    this.factory.log.info({ event: 'host-disconnected', session: this.session?.id ?? null, ip: this.remoteAddress });
  }

  send(message: InMessage): void {
    if (this.state === 'closed') return;
    const encoded = encodeInMessage(message);
    if (!encoded.ok) {
      this.factory.log.error({ event: 'refused-outgoing', code: encoded.error.code, detail: encoded.error.detail, type: message.type });
      return;
    }
    this.channel.write(encoded.value);
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.channel.close();
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
    this.close();
    if (session) session.end('protocol error');
    else this.replica.dispose();
  }
}
