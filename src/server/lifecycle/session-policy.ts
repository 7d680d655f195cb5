/**
 * The relay's policies around sessions, in one place the Relay calls into: which lifetime rules a
 * new session gets (server defaults, the host's `tmate-relay-ttl`, the maximum), whether a new host
 * is admitted (API key, per-address session limit, brute-force throttle) and with which tokens,
 * how a refused host is sent away, and the numbers the metrics read.
 *
 * Invariants:
 * - A refused host is told why in one NOTIFY, its connection closed and its replica disposed.
 * - A host whose session the relay ended on purpose (cancelled, expired, idle, nobody joined) and
 *   that comes back with its reconnection data is told to end its own session, never given a new one.
 * - No API key and no full token reaches a log line.
 */
import type { HostOptions } from '../../core/mux/host-options.js';
import type { SessionReplica } from '../../core/mux/session-replica.js';
import type { Clock } from '../../core/util/clock.js';
import { formatDuration } from '../../core/util/duration.js';
import { AbuseGuard } from '../abuse/abuse-guard.js';
import type { KeyAllowList } from '../abuse/authorized-keys.js';
import type { RelayConfig } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import { RelayMetrics, type RelaySnapshot } from '../observability/metrics.js';
import { ApiKeyTable } from '../registry/api-keys.js';
import { chooseTokens } from '../registry/named-sessions.js';
import type { SessionRegistry } from '../registry/session-registry.js';
import type { HostPort } from '../relay/ports.js';
import { endText, type EndReason, type SessionTokens } from '../relay/relay-session.js';
import type { LifetimeRules } from './session-lifetime.js';

/** The relay's shared services beyond config: metrics, abuse guard, API keys, viewer allow list. */
export interface RelayServices {
  metrics: RelayMetrics;
  guard: AbuseGuard;
  apiKeys: ApiKeyTable;
  /** Server-wide `--authorized-keys`; null when every key may join. */
  viewerKeys: KeyAllowList | null;
}

export type PolicyConfig = Pick<
  RelayConfig,
  | 'sessionTtlMs'
  | 'maxSessionTtlMs'
  | 'idleTtlMs'
  | 'unjoinedTtlMs'
  | 'apiKeys'
  | 'maxSessions'
  | 'maxSessionsPerIp'
  | 'maxViewersPerSession'
  | 'connectionRateLimit'
  | 'authFailureLimit'
  | 'rateLimitWindowMs'
>;

export function createRelayServices(
  config: PolicyConfig,
  clock: Clock,
  log: Logger,
  parts: { metrics?: RelayMetrics; viewerKeys?: KeyAllowList | null } = {},
): RelayServices {
  const metrics = parts.metrics ?? new RelayMetrics();
  const guard = new AbuseGuard(
    clock,
    { connectionLimit: config.connectionRateLimit, authFailureLimit: config.authFailureLimit, windowMs: config.rateLimitWindowMs },
    metrics,
    log,
  );
  return { metrics, guard, apiKeys: new ApiKeyTable(config.apiKeys), viewerKeys: parts.viewerKeys ?? null };
}

/** The lifetime rules of a new session: the host's TTL if it asked (capped), else the default. */
export function lifetimeFor(config: PolicyConfig, options: HostOptions, notes: string[] = []): Partial<LifetimeRules> {
  let ttlMs = options.ttlMs ?? config.sessionTtlMs;
  if (ttlMs > config.maxSessionTtlMs) {
    notes.push(`Session lifetime capped at ${formatDuration(config.maxSessionTtlMs)} (the relay's maximum)`);
    ttlMs = config.maxSessionTtlMs;
  }
  return { ttlMs, idleMs: config.idleTtlMs, unjoinedMs: config.unjoinedTtlMs };
}

export type HostAdmission = { ok: true; tokens: SessionTokens; notes: string[] } | { ok: false; refusal: string; reason: string };

/** Decides whether a new (not resumed) host gets a session, and its tokens. */
export function admitHost(
  registry: SessionRegistry,
  services: RelayServices,
  config: PolicyConfig,
  host: HostPort,
  options: HostOptions,
): HostAdmission {
  const ip = host.remoteAddress;
  // Asking for names (or with a key) is guessing at something secret: a throttled address may not.
  const asksForNames = options.apiKey !== null || options.sessionName !== null || options.sessionNameRo !== null;
  if (asksForNames && services.guard.refuseIfThrottled(ip)) {
    return { ok: false, reason: 'rate limited', refusal: 'Too many failed attempts from your address; session refused, try again later' };
  }
  if (config.maxSessions > 0 && registry.size >= config.maxSessions) {
    services.metrics.limitRefusal('sessions');
    return { ok: false, reason: 'sessions', refusal: `This relay is at its limit of ${config.maxSessions} sessions; session refused, try again later` };
  }
  const max = config.maxSessionsPerIp;
  // Relay-local sessions (kind `local`) are started by the operator, not by a remote address.
  if (max > 0 && host.kind !== 'local' && registry.countByHostAddress(ip) >= max) {
    services.metrics.limitRefusal('sessions_per_ip');
    return { ok: false, reason: 'sessions per address', refusal: `This relay allows at most ${max} sessions per address; session refused` };
  }
  const choice = chooseTokens(registry, options, services.apiKeys);
  if (!choice.ok) {
    services.guard.authFailed(ip, 'bad_api_key', { host: host.kind });
    return { ok: false, reason: 'bad api key', refusal: choice.refusal };
  }
  // "Already in use" tells whether a name exists: it counts as a failed attempt, so that names
  // cannot be probed faster than tokens can.
  if (choice.nameTaken) services.guard.authFailed(ip, 'name_taken', { host: host.kind });
  return { ok: true, tokens: choice.tokens, notes: choice.notes };
}

/** Sends a refused host away: one NOTIFY with the reason, then close. Returns null for `establish`. */
export function refuseHost(host: HostPort, replica: SessionReplica, refusal: string, reason: string, log: Logger): null {
  log.warn({ event: 'host-refused', reason, host: host.kind, ip: host.remoteAddress });
  host.send({ type: 'notify', message: refusal });
  host.close();
  replica.dispose();
  return null;
}

/** A host came back for a session the relay ended on purpose: tell it, and have it end its session. */
export function dismissHost(host: HostPort, replica: SessionReplica, ended: { id: string; reason: EndReason }, log: Logger): null {
  log.info({ event: 'host-dismissed', session: ended.id, reason: ended.reason, ip: host.remoteAddress });
  const text = endText(ended.reason);
  host.send({ type: 'notify', message: text[0]!.toUpperCase() + text.slice(1) });
  // Written before the close, so the host reads it before it sees the connection end.
  host.send({ type: 'exec-cmd', clientId: -1, argv: ['kill-session'] });
  host.close();
  replica.dispose();
  return null;
}

/** The gauges' view of the relay at scrape time. */
export function relaySnapshot(registry: SessionRegistry, protocolErrors: ReadonlyMap<string, number>): RelaySnapshot {
  const sessionsByHostKind = new Map<string, number>();
  const viewers = { rw: 0, ro: 0 };
  for (const session of registry.all()) {
    const kind = session.hostInfo?.kind ?? 'none';
    sessionsByHostKind.set(kind, (sessionsByHostKind.get(kind) ?? 0) + 1);
    for (const viewer of session.listViewers()) {
      if (viewer.identity.readOnly) viewers.ro++;
      else viewers.rw++;
    }
  }
  return { sessionsByHostKind, viewers, protocolErrors };
}
