/**
 * The relay: creates sessions for hosts that finish their handshake (fresh, named, or resumed
 * from reconnection data), decides which viewers may join which session, and attaches them.
 * Transport-neutral: SSH and other transports call in through these methods.
 *
 * Invariants:
 * - Tokens are handed out only after the host's READY, so its `-a/-n/-r` options are known.
 * - Connection strings are the exact lines users paste: `ssh -p PORT TOKEN@HOST` (no -p for 22),
 *   and the web links `${webBaseUrl}/t/TOKEN`.
 * - Full tokens never reach a log line.
 */
import { DEFAULT_LIMITS, SessionReplica } from '../../core/mux/session-replica.js';
import type { Clock } from '../../core/util/clock.js';
import type { RelayConfig } from '../config/load-config.js';
import { redactToken, type Logger } from '../observability/logger.js';
import { SessionRegistry } from '../registry/session-registry.js';
import { admitHost, createRelayServices, dismissHost, lifetimeFor, refuseHost, type RelayServices } from '../lifecycle/session-policy.js';
import type { HostPort, ViewerTerminal } from './ports.js';
import { ReconnectionSigner, type ReconnectionClaim } from './reconnection-data.js';
import { RelaySession, endText, endsHostSession, type EndReason, type SessionTokens } from './relay-session.js';
import type { SessionFactory } from './session-factory.js';
import type { ViewerIdentity, ViewerLink } from './viewer-link.js';

export type ViewerAuthDecision = 'allow' | 'deny';

/** A viewer whose key the session's `tmate -a` list does not name (checked again on attach). */
export const KEY_NOT_LISTED_TEXT = 'This session only admits listed SSH keys, and yours is not listed';

export interface OfferedKey {
  type: string;
  base64: string;
}

export class Relay implements SessionFactory {
  readonly registry = new SessionRegistry();
  readonly limits: { maxMessageSize: number };
  private readonly protocolErrors = new Map<string, number>();
  /** Set once the SSH listener knows its real port (config may say 0). */
  advertisedPort: number;
  /** Base URL of the HTTP listener as users reach it, e.g. `https://relay.example.com`. */
  webBaseUrl = '';

  constructor(
    private readonly config: RelayConfig,
    private readonly signer: ReconnectionSigner,
    private readonly clock: Clock,
    readonly log: Logger,
    /** Metrics, abuse guard, API keys, viewer allow list (see lifecycle/session-policy.ts). */
    readonly services: RelayServices = createRelayServices(config, clock, log),
  ) {
    this.limits = { maxMessageSize: config.maxMessageSize };
    this.advertisedPort = config.advertisedPort ?? config.sshPort;
  }

  newReplica(): SessionReplica {
    return new SessionReplica({ ...DEFAULT_LIMITS, scrollback: this.config.scrollback });
  }

  countProtocolError(code: string): void {
    this.protocolErrors.set(code, (this.protocolErrors.get(code) ?? 0) + 1);
  }

  get protocolErrorCounts(): ReadonlyMap<string, number> {
    return this.protocolErrors;
  }

  sshCommand(token: string): string {
    const port = this.advertisedPort === 22 ? '' : `-p ${this.advertisedPort} `;
    return `ssh ${port}${token}@${this.config.hostname}`;
  }

  /** The browser link for a token: `${webBaseUrl}/t/TOKEN` (read-only tokens give the read-only page). */
  webLink(token: string): string {
    return `${this.webBaseUrl.replace(/\/+$/, '')}/t/${token}`;
  }

  establish(host: HostPort, replica: SessionReplica, reconnectData: string | null): RelaySession | null {
    const resumed = reconnectData === null ? null : this.resume(host, replica, reconnectData);
    if (resumed === 'dismissed') return null;
    if (resumed) return resumed;
    const admission = admitHost(this.registry, this.services, this.config, host, replica.options);
    if (!admission.ok) return refuseHost(host, replica, admission.refusal, admission.reason, this.log);
    const { tokens } = admission;
    const notes = [...this.lostSessionNote(reconnectData), ...admission.notes];
    const session = this.createSession(this.registry.newSessionId(), tokens, replica, notes);
    session.attachHost(host, replica);
    this.greetHost(host, session, notes);
    this.log.info({ event: 'session-created', session: session.id, host: host.kind, ip: host.remoteAddress, rw: redactToken(tokens.rw), keyRestricted: replica.options.keyRestricted });
    return session;
  }

  /**
   * A host that comes back to a session that ended while it was away (its reconnection data is
   * genuine) gets a new one: it is told so first, since the links it printed no longer work.
   */
  private lostSessionNote(reconnectData: string | null): string[] {
    const claim = reconnectData === null ? null : this.signer.verify(reconnectData);
    const reason = claim === null ? undefined : this.registry.endReason(claim.sessionId);
    if (!reason) return [];
    return [`Your previous session ended while you were away (${endText(reason).replace(/^session ended: /, '')}); this is a new session with new links`];
  }

  /** Who may authenticate as a viewer of `token` with this key (null: no key offered). */
  authorizeViewer(token: string, key: OfferedKey | null): ViewerAuthDecision {
    const entry = this.registry.lookup(token);
    const options = entry?.session.replica.options;
    const serverKeys = this.services.viewerKeys;
    if (serverKeys && !(key && serverKeys.allows(key.type, key.base64))) return 'deny';
    if (options?.keyRestricted) return key && options.allowsKey(key.type, key.base64) ? 'allow' : 'deny';
    if (key === null && !this.config.allowKeyless) return 'deny';
    return 'allow';
  }

  /**
   * Attaches a viewer, or returns the line to print before closing. `key`: the SSH key the viewer
   * authenticated with (null: none, or a browser). The session's own key list is checked again
   * here: a viewer may have authenticated before the session existed, when any key was fine.
   */
  attachViewer(
    token: string,
    terminal: ViewerTerminal,
    identity: Omit<ViewerIdentity, 'readOnly'>,
    cols: number,
    rows: number,
    key: OfferedKey | null = null,
  ): ViewerLink | string {
    const entry = this.registry.lookup(token);
    if (!entry || entry.session.isEnded) return 'Invalid or expired session token';
    if (this.services.viewerKeys && identity.fingerprint === null) return 'This relay admits only viewers with a listed SSH key';
    const options = entry.session.replica.options;
    if (options.keyRestricted && !(key && options.allowsKey(key.type, key.base64))) return KEY_NOT_LISTED_TEXT;
    return entry.session.addViewer(terminal, { ...identity, readOnly: entry.readOnly || entry.session.replica.options.readOnlySession }, cols, rows);
  }

  endAll(reason: EndReason): void {
    for (const session of this.registry.all()) session.end(reason);
  }

  private resume(host: HostPort, replica: SessionReplica, data: string): RelaySession | 'dismissed' | null {
    const claim = this.signer.verify(data);
    if (!claim) {
      this.log.warn({ event: 'reconnect-refused', reason: 'bad signature', ip: host.remoteAddress });
      return null;
    }
    let session = this.registry.byIdLookup(claim.sessionId);
    if (!session) {
      const ended = this.registry.endReason(claim.sessionId);
      if (ended && endsHostSession(ended)) {
        dismissHost(host, replica, { id: claim.sessionId, reason: ended }, this.log);
        return 'dismissed';
      }
      if (this.registry.wasEnded(claim.sessionId)) return null;
      if (!this.registry.isFree(claim.rw) || !this.registry.isFree(claim.ro)) return null;
      // A relay that restarted does not know the session: it keeps the expiry it was given.
      const ttlLeftMs = claim.expiresAt === null ? null : claim.expiresAt - this.clock.now();
      if (ttlLeftMs !== null && ttlLeftMs <= 0) {
        dismissHost(host, replica, { id: claim.sessionId, reason: 'expired' }, this.log);
        return 'dismissed';
      }
      session = this.createSession(claim.sessionId, { rw: claim.rw, ro: claim.ro }, replica, [], ttlLeftMs, claim.started);
    }
    session.attachHost(host, replica);
    this.sendConnectionStrings(host, session);
    host.send({ type: 'notify', message: 'Reconnected' });
    host.send({ type: 'ready' });
    this.log.info({ event: 'host-reconnected', session: session.id, ip: host.remoteAddress });
    return session;
  }

  /**
   * `ttlLeftMs`, `started`: the time a resumed session had left, instead of a fresh TTL, and when
   * it was created and whether anyone had joined it (so "nobody joined" counts from its start).
   */
  private createSession(
    id: string,
    tokens: SessionTokens,
    replica: SessionReplica,
    notes: string[] = [],
    ttlLeftMs: number | null = null,
    started: ReconnectionClaim['started'] = null,
  ): RelaySession {
    const lifetime = lifetimeFor(this.config, replica.options, notes);
    if (ttlLeftMs !== null) lifetime.ttlMs = Math.min(ttlLeftMs, this.config.maxSessionTtlMs);
    if (started !== null) lifetime.resumed = started;
    const session = new RelaySession(id, tokens, replica, {
      clock: this.clock,
      log: this.log,
      reconnectGraceMs: this.config.reconnectGraceMs,
      lifetime,
      maxViewers: this.config.maxViewersPerSession,
      viewerLimits: { stallTimeoutMs: this.config.viewerStallTimeoutMs },
      metrics: this.services.metrics,
      onEnded: (ended) => this.registry.remove(ended),
      // The host's reconnection data says from now on that someone joined (a restarted relay
      // must not end the session as never joined).
      onFirstJoin: (joined) => this.sendConnectionStrings({ send: (message) => joined.sendToHost(message) }, joined),
    });
    this.registry.add(session);
    return session;
  }

  private greetHost(host: HostPort, session: RelaySession, notes: string[]): void {
    for (const note of notes) host.send({ type: 'notify', message: note });
    host.send({ type: 'notify', message: 'Note: clear your terminal before sharing readonly access' });
    // A session for listed keys only (`tmate -a`, `host --authorized-keys`) has no web links: a
    // browser has no SSH key to check, so the page would only refuse.
    const web = !session.replica.options.keyRestricted;
    if (web) host.send({ type: 'notify', message: `web session read only: ${this.webLink(session.tokens.ro)}` });
    host.send({ type: 'notify', message: `ssh session read only: ${this.sshCommand(session.tokens.ro)}` });
    // A read-only session (`tmate-relay host --read-only`) announces only its read-only lines: its
    // read-write token types nothing either, and a CI log should show one way in, not two.
    if (!session.replica.options.readOnlySession) {
      if (web) host.send({ type: 'notify', message: `web session: ${this.webLink(session.tokens.rw)}` });
      host.send({ type: 'notify', message: `ssh session: ${this.sshCommand(session.tokens.rw)}` });
    }
    this.sendConnectionStrings(host, session);
    host.send({ type: 'ready' });
  }

  /** Moves a session's expiry `ms` later; its host gets reconnection data that carries the new expiry. */
  extendSession(session: RelaySession, ms: number, by: string): void {
    session.extend(ms, by);
    if (!session.isEnded) this.sendConnectionStrings({ send: (message) => session.sendToHost(message) }, session);
  }

  private sendConnectionStrings(host: Pick<HostPort, 'send'>, session: RelaySession): void {
    const { rw, ro } = session.tokens;
    const web = !session.replica.options.keyRestricted;
    if (web) host.send({ type: 'set-env', name: 'tmate_web_ro', value: this.webLink(ro) });
    host.send({ type: 'set-env', name: 'tmate_ssh_ro', value: this.sshCommand(ro) });
    if (web) host.send({ type: 'set-env', name: 'tmate_web', value: this.webLink(rw) });
    host.send({ type: 'set-env', name: 'tmate_ssh', value: this.sshCommand(rw) });
    host.send({ type: 'set-env', name: 'tmate_num_clients', value: String(session.viewerCount) });
    // For `tmate-relay host` ("This session will stay alive for 30 minutes."); tmate ignores it.
    const secondsLeft = Math.max(0, Math.round((session.expiresAt - this.clock.now()) / 1000));
    host.send({ type: 'set-env', name: 'tmate_relay_ttl_seconds', value: String(secondsLeft) });
    const started = { createdAt: session.createdAt, joined: session.hasBeenJoined };
    const claim = { sessionId: session.id, rw, ro, expiresAt: session.expiresAt, started };
    host.send({ type: 'set-env', name: 'tmate_reconnection_data', value: this.signer.sign(claim) });
  }
}
