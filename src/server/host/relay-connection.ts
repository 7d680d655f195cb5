/**
 * Keeps a host engine connected to its relay: connects, sends the engine's connect burst, pumps
 * OUT messages to the relay and IN messages to the engine, and after a drop reconnects with
 * backoff, presenting the reconnection data the relay gave so the session keeps its tokens.
 *
 * Invariants:
 * - While disconnected, engine output is not queued: the shells keep running and the reconnect
 *   SNAPSHOT carries the screens, so memory stays bounded whatever the outage.
 * - A fingerprint mismatch is final (never retried); an unreachable relay is retried until
 *   `giveUpAfterMs` has passed without a successful connection.
 * - A connection counts as successful only once the relay sent READY. One the relay closes before
 *   that after a NOTIFY (a refusal: sessions per address, rate limit) is retried with growing
 *   backoff like an unreachable relay, and ends as a `refused` failure carrying that NOTIFY.
 */
import type { HostEngine } from '../../core/host/host-engine.js';
import { encodeOutMessage } from '../../core/protocol/tmate/out-messages.js';
import { parseInMessage } from '../../core/protocol/tmate/in-messages.js';
import { TmateStreamDecoder } from '../../core/protocol/tmate/stream-decoder.js';
import type { Clock, TimerHandle } from '../../core/util/clock.js';
import { HostConnectError, type ConnectFailure, type HostStream, type HostTransport } from './host-transport.js';

export interface RelayConnectionOptions {
  giveUpAfterMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_CONNECTION_OPTIONS: RelayConnectionOptions = {
  giveUpAfterMs: 60_000,
  minBackoffMs: 500,
  maxBackoffMs: 5_000,
};

export interface RelayConnectionEvents {
  status(text: string): void;
  /** The connection cannot be (re)established; the caller should end the engine. */
  fatal(failure: ConnectFailure, message: string): void;
}

export class RelayConnection {
  private stream: HostStream | null = null;
  private retryTimer: TimerHandle | null = null;
  private lastSuccess: number;
  private attempt = 0;
  private stopped = false;
  private everConnected = false;
  /** The current stream got READY from the relay. */
  private ready = false;
  /** The relay's NOTIFY on the current stream before READY: why it refused, if it closes. */
  private refusal: string | null = null;

  constructor(
    private readonly engine: HostEngine,
    private readonly transport: HostTransport,
    private readonly clock: Clock,
    private readonly events: RelayConnectionEvents,
    private readonly options: RelayConnectionOptions = DEFAULT_CONNECTION_OPTIONS,
  ) {
    this.lastSuccess = clock.now();
    engine.onMessage((message) => this.stream?.write(encodeOutMessage(message)));
  }

  get connected(): boolean {
    return this.stream !== null;
  }

  start(): void {
    void this.connect();
  }

  /** Flushes nothing further and closes the stream; no reconnects afterwards. */
  stop(): void {
    this.stopped = true;
    this.retryTimer?.cancel();
    this.stream?.close();
    this.stream = null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.events.status(`${this.everConnected ? 'Reconnecting' : 'Connecting'} to ${this.transport.describe}...`);
    let stream: HostStream;
    try {
      stream = await this.transport.connect();
    } catch (error) {
      return this.connectFailed(error);
    }
    if (this.stopped) return stream.close();
    this.attach(stream);
  }

  private attach(stream: HostStream): void {
    const decoder = new TmateStreamDecoder();
    const reconnectData = this.everConnected ? (this.engine.env('tmate_reconnection_data') ?? null) : null;
    this.stream = stream;
    this.ready = false;
    this.refusal = null;
    stream.onData((chunk) => {
      for (const item of decoder.feed(chunk)) {
        if (!item.ok) return this.dropStream(stream, `bad data from the relay: ${item.error.detail}`);
        const parsed = parseInMessage(item.value);
        if (!parsed.ok || parsed.value.type === 'unknown') continue;
        if (parsed.value.type === 'ready') this.established();
        else if (parsed.value.type === 'notify' && !this.ready) this.refusal = parsed.value.message;
        this.engine.handle(parsed.value);
      }
    });
    stream.onClose((reason) => this.dropStream(stream, reason));
    for (const message of this.engine.connectMessages(reconnectData)) stream.write(encodeOutMessage(message));
  }

  /** The relay sent READY: the session is registered, so the backoff and the give-up clock start over. */
  private established(): void {
    this.ready = true;
    this.everConnected = true;
    this.attempt = 0;
    this.lastSuccess = this.clock.now();
  }

  private dropStream(stream: HostStream, reason: string): void {
    if (this.stream !== stream) return;
    this.stream = null;
    stream.close();
    if (this.stopped) return;
    if (!this.ready) {
      // Closed with a NOTIFY before READY: the relay said no. Closed without one: a failed attempt.
      const refusal = this.refusal;
      return this.connectFailed(refusal !== null ? new HostConnectError('refused', refusal) : new HostConnectError('unreachable', `the connection closed before the session was ready (${reason})`));
    }
    this.lastSuccess = this.clock.now();
    this.events.status(`Connection to the relay lost (${reason})`);
    this.scheduleRetry();
  }

  private connectFailed(error: unknown): void {
    const failure = error instanceof HostConnectError ? error.failure : 'unreachable';
    const message = error instanceof Error ? error.message : String(error);
    if (failure === 'fingerprint') return this.events.fatal(failure, message);
    if (this.clock.now() - this.lastSuccess >= this.options.giveUpAfterMs) return this.events.fatal(failure, message);
    this.events.status(failure === 'refused' ? `The relay refused the session (${message}); retrying` : `Cannot reach the relay (${message}); retrying`);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    // The last wait ends at the give-up time, so that the give-up comes at it, not a backoff later.
    const untilGiveUp = Math.max(0, this.lastSuccess + this.options.giveUpAfterMs - this.clock.now());
    const delay = Math.min(this.options.maxBackoffMs, this.options.minBackoffMs * 2 ** this.attempt, untilGiveUp);
    this.attempt++;
    this.retryTimer = this.clock.setTimeout(() => void this.connect(), delay);
  }
}
