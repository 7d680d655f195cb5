/**
 * Every metric the relay exports, defined in this one file (prom-client), on a Registry of its own
 * per relay: tests run many relays in one process, and the global registry would mix them up.
 *
 * Names (all prefixed `tmate_relay_`):
 *   sessions_active{host_kind}            gauge      sessions alive now, by host transport (ssh, ws, local)
 *   viewers_active{access}                gauge      attached viewers, access = rw | ro
 *   sessions_ended_total{reason}          counter    expired, idle, unjoined, cancelled, exited, host_lost, shutdown, protocol_error
 *   session_duration_seconds              histogram  lifetime of ended sessions
 *   bytes_received_total{peer}            counter    bytes from hosts / viewers (peer = host | viewer;
 *                                                    SSH channel data and WebSocket messages)
 *   bytes_sent_total{peer}                counter    bytes to hosts / viewers (the same)
 *   auth_failures_total{reason}           counter    failed viewer/host authentication, by reason
 *   rate_limited_total{kind}              counter    attempts refused by a rate limit, kind = connection | auth
 *   limit_refusals_total{limit}           counter    refused because a size limit was reached
 *   protocol_errors_total{code}           counter    malformed host input, by error code
 *   event_loop_lag_seconds{stat}          gauge      event-loop delay since the previous scrape (p50, p99, max)
 *
 * Invariants: labels never carry tokens, session ids or addresses (bounded cardinality);
 * `close()` stops the event-loop monitor.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type AuthFailureReason =
  | 'unknown_token'
  | 'malformed_token'
  | 'key_not_authorized'
  | 'no_key'
  | 'bad_signature'
  | 'bad_api_key'
  | 'bad_api_token'
  | 'name_taken';

export type RateLimitKind = 'connection' | 'auth';
export type LimitKind = 'sessions' | 'sessions_per_ip' | 'viewers_per_session' | 'auth_timeout' | 'unauthenticated_per_ip' | 'http_connections_per_ip' | 'viewer_stalled' | 'viewer_input';
export type Peer = 'host' | 'viewer';

/** What the gauges read at scrape time. */
export interface RelaySnapshot {
  sessionsByHostKind: ReadonlyMap<string, number>;
  viewers: { rw: number; ro: number };
  protocolErrors: ReadonlyMap<string, number>;
}

const PREFIX = 'tmate_relay_';
const DURATION_BUCKETS = [60, 300, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400];

/** Sampling interval of the event-loop delay histogram. */
const LOOP_RESOLUTION_MS = 20;

export class RelayMetrics {
  readonly registry = new Registry();
  private snapshot: () => RelaySnapshot = () => ({ sessionsByHostKind: new Map(), viewers: { rw: 0, ro: 0 }, protocolErrors: new Map() });
  private readonly loop: IntervalHistogram;
  private readonly ended: Counter<'reason'>;
  private readonly duration: Histogram;
  /** Byte counts since the last scrape: plain numbers on the hot path, folded into the counters by collect(). */
  private readonly pendingReceived: Record<Peer, number> = { host: 0, viewer: 0 };
  private readonly pendingSent: Record<Peer, number> = { host: 0, viewer: 0 };
  private readonly authFailures: Counter<'reason'>;
  private readonly rateLimited: Counter<'kind'>;
  private readonly limitRefusals: Counter<'limit'>;

  constructor() {
    const registers = [this.registry];
    const metrics = this;
    this.loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.loop.enable();
    new Gauge({
      name: `${PREFIX}sessions_active`,
      help: 'Sessions alive now, by host transport kind.',
      labelNames: ['host_kind'],
      registers,
      collect() {
        this.reset();
        for (const [kind, n] of metrics.snapshot().sessionsByHostKind) this.set({ host_kind: kind }, n);
      },
    });
    new Gauge({
      name: `${PREFIX}viewers_active`,
      help: 'Viewers attached now, read-write (rw) and read-only (ro).',
      labelNames: ['access'],
      registers,
      collect() {
        const { rw, ro } = metrics.snapshot().viewers;
        this.set({ access: 'rw' }, rw);
        this.set({ access: 'ro' }, ro);
      },
    });
    new Counter({
      name: `${PREFIX}protocol_errors_total`,
      help: 'Malformed messages from hosts, by error code.',
      labelNames: ['code'],
      registers,
      collect() {
        this.reset();
        for (const [code, n] of metrics.snapshot().protocolErrors) this.inc({ code }, n);
      },
    });
    new Gauge({
      name: `${PREFIX}event_loop_lag_seconds`,
      help: 'Event-loop delay observed since the previous scrape.',
      labelNames: ['stat'],
      registers,
      collect() {
        const h = metrics.loop;
        // The histogram records each sampling interval whole (resolution + delay): the lag is the
        // excess. No sample since the last scrape (two scrapes in quick succession) is no lag.
        const seconds = (ns: number): number => (Number.isFinite(ns) && h.count > 0 ? Math.max(0, ns / 1e9 - LOOP_RESOLUTION_MS / 1000) : 0);
        this.set({ stat: 'p50' }, seconds(h.percentile(50)));
        this.set({ stat: 'p99' }, seconds(h.percentile(99)));
        this.set({ stat: 'max' }, seconds(h.max));
        h.reset();
      },
    });
    this.ended = new Counter({ name: `${PREFIX}sessions_ended_total`, help: 'Sessions ended, by reason.', labelNames: ['reason'], registers });
    this.duration = new Histogram({
      name: `${PREFIX}session_duration_seconds`,
      help: 'How long ended sessions lived.',
      buckets: DURATION_BUCKETS,
      registers,
    });
    byteCounter(`${PREFIX}bytes_received_total`, 'Bytes received, by peer kind.', this.pendingReceived, registers);
    byteCounter(`${PREFIX}bytes_sent_total`, 'Bytes sent, by peer kind.', this.pendingSent, registers);
    this.authFailures = new Counter({
      name: `${PREFIX}auth_failures_total`,
      help: 'Failed authentication attempts, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.rateLimited = new Counter({
      name: `${PREFIX}rate_limited_total`,
      help: 'Attempts refused by a per-address rate limit (connection attempts, or auth after too many failures).',
      labelNames: ['kind'],
      registers,
    });
    this.limitRefusals = new Counter({
      name: `${PREFIX}limit_refusals_total`,
      help: 'Connections or sessions refused because a configured limit was reached.',
      labelNames: ['limit'],
      registers,
    });
  }

  /** Tells the gauges where to read the relay's state at scrape time. */
  observe(snapshot: () => RelaySnapshot): void {
    this.snapshot = snapshot;
  }

  sessionEnded(reason: string, lifetimeMs: number): void {
    this.ended.inc({ reason: reason.replace(/\s+/g, '_') });
    this.duration.observe(Math.max(0, lifetimeMs) / 1000);
  }

  bytesReceived(peer: Peer, n: number): void {
    if (n > 0) this.pendingReceived[peer] += n;
  }

  bytesSent(peer: Peer, n: number): void {
    if (n > 0) this.pendingSent[peer] += n;
  }

  authFailure(reason: AuthFailureReason): void {
    this.authFailures.inc({ reason });
  }

  rateLimitedAttempt(kind: RateLimitKind): void {
    this.rateLimited.inc({ kind });
  }

  limitRefusal(limit: LimitKind): void {
    this.limitRefusals.inc({ limit });
  }

  /** The exposition text and its content type, for `GET /metrics`. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    this.loop.disable();
  }
}

/**
 * A per-peer byte counter fed from `pending` at scrape time. Every chunk a relay moves is counted,
 * so the hot path only adds to a number; prom-client's label lookup runs once per scrape.
 */
function byteCounter(name: string, help: string, pending: Record<Peer, number>, registers: Registry[]): void {
  new Counter({
    name,
    help,
    labelNames: ['peer'],
    registers,
    collect() {
      for (const peer of ['host', 'viewer'] as const) {
        this.inc({ peer }, pending[peer]);
        pending[peer] = 0;
      }
    },
  });
}
