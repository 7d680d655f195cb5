/**
 * The relay: creates sessions for hosts that finish their handshake (fresh, named, or resumed
 * from reconnection data), decides which viewers may join which session, and attaches them.
 * Transport-neutral: SSH and other transports call in through these methods.
 *
 * Invariants:
 * - Tokens are handed out only after the host's READY, so its `-a/-n/-r` options are known.
 * - Connection strings are the exact lines users paste: `ssh -p PORT TOKEN@HOST` (no -p for 22).
 * - Full tokens never reach a log line.
 */
import { DEFAULT_LIMITS, SessionReplica } from '../../core/mux/session-replica.js';
import type { Clock } from '../../core/util/clock.js';
import type { RelayConfig } from '../config/load-config.js';
import { redactToken, type Logger } from '../observability/logger.js';
import { SessionRegistry } from '../registry/session-registry.js';
import { isValidSessionName } from '../registry/tokens.js';
import type { HostPort, ViewerTerminal } from './ports.js';
import { ReconnectionSigner } from './reconnection-data.js';
import { RelaySession, type EndReason, type SessionTokens } from './relay-session.js';
import type { SessionFactory } from './session-factory.js';
import type { ViewerIdentity, ViewerLink } from './viewer-link.js';

export type ViewerAuthDecision = 'allow' | 'deny';

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

  establish(host: HostPort, replica: SessionReplica, reconnectData: string | null): RelaySession | null {
    const resumed = reconnectData === null ? null : this.resume(host, replica, reconnectData);
    if (resumed) return resumed;
    const notes: string[] = [];
    const tokens = this.chooseTokens(replica, notes);
    const session = this.createSession(this.registry.newSessionId(), tokens, replica);
    session.attachHost(host, replica);
    this.greetHost(host, session, notes);
    this.log.info({ event: 'session-created', session: session.id, host: host.kind, ip: host.remoteAddress, rw: redactToken(tokens.rw), keyRestricted: replica.options.keyRestricted });
    return session;
  }

  /** Who may authenticate as a viewer of `token` with this key (null: no key offered). */
  authorizeViewer(token: string, key: OfferedKey | null): ViewerAuthDecision {
    const entry = this.registry.lookup(token);
    const options = entry?.session.replica.options;
    if (options?.keyRestricted) return key && options.allowsKey(key.type, key.base64) ? 'allow' : 'deny';
    if (key === null && !this.config.allowKeyless) return 'deny';
    return 'allow';
  }

  /** Attaches a viewer, or returns the line to print before closing. */
  attachViewer(token: string, terminal: ViewerTerminal, identity: Omit<ViewerIdentity, 'readOnly'>, cols: number, rows: number): ViewerLink | string {
    const entry = this.registry.lookup(token);
    if (!entry || entry.session.isEnded) return 'Invalid or expired session token';
    return entry.session.addViewer(terminal, { ...identity, readOnly: entry.readOnly }, cols, rows);
  }

  endAll(reason: EndReason): void {
    for (const session of this.registry.all()) session.end(reason);
  }

  private resume(host: HostPort, replica: SessionReplica, data: string): RelaySession | null {
    const claim = this.signer.verify(data);
    if (!claim) {
      this.log.warn({ event: 'reconnect-refused', reason: 'bad signature', ip: host.remoteAddress });
      return null;
    }
    let session = this.registry.byIdLookup(claim.sessionId);
    if (!session) {
      if (this.registry.wasEnded(claim.sessionId)) return null;
      if (!this.registry.isFree(claim.rw) || !this.registry.isFree(claim.ro)) return null;
      session = this.createSession(claim.sessionId, { rw: claim.rw, ro: claim.ro }, replica);
    }
    session.attachHost(host, replica);
    this.sendConnectionStrings(host, session);
    host.send({ type: 'notify', message: 'Reconnected' });
    host.send({ type: 'ready' });
    this.log.info({ event: 'host-reconnected', session: session.id, ip: host.remoteAddress });
    return session;
  }

  private createSession(id: string, tokens: SessionTokens, replica: SessionReplica): RelaySession {
    const session = new RelaySession(id, tokens, replica, {
      clock: this.clock,
      log: this.log,
      reconnectGraceMs: this.config.reconnectGraceMs,
      onEnded: (ended) => this.registry.remove(ended),
    });
    this.registry.add(session);
    return session;
  }

  private chooseTokens(replica: SessionReplica, notes: string[]): SessionTokens {
    const tokens = this.registry.freshTokens();
    const { sessionName, sessionNameRo } = replica.options;
    const rw = this.acceptName(sessionName, notes);
    const ro = this.acceptName(sessionNameRo, notes);
    if (rw && ro && rw === ro) {
      notes.push('The read-only session name must differ from the session name; using a random one');
      return { rw, ro: tokens.ro };
    }
    return { rw: rw ?? tokens.rw, ro: ro ?? tokens.ro };
  }

  private acceptName(name: string | null, notes: string[]): string | null {
    if (name === null) return null;
    if (!isValidSessionName(name)) {
      notes.push(`Invalid session name "${name}" (letters, digits and single dashes, at most 50); using a random token`);
      return null;
    }
    if (!this.registry.isFree(name)) {
      notes.push(`Session name "${name}" is already in use; using a random token`);
      return null;
    }
    return name;
  }

  private greetHost(host: HostPort, session: RelaySession, notes: string[]): void {
    for (const note of notes) host.send({ type: 'notify', message: note });
    host.send({ type: 'notify', message: 'Note: clear your terminal before sharing readonly access' });
    host.send({ type: 'notify', message: `ssh session read only: ${this.sshCommand(session.tokens.ro)}` });
    host.send({ type: 'notify', message: `ssh session: ${this.sshCommand(session.tokens.rw)}` });
    this.sendConnectionStrings(host, session);
    host.send({ type: 'ready' });
  }

  private sendConnectionStrings(host: HostPort, session: RelaySession): void {
    const { rw, ro } = session.tokens;
    // The web viewer does not exist yet: the web variables are set, but empty, never a dead link.
    host.send({ type: 'set-env', name: 'tmate_web_ro', value: '' });
    host.send({ type: 'set-env', name: 'tmate_ssh_ro', value: this.sshCommand(ro) });
    host.send({ type: 'set-env', name: 'tmate_web', value: '' });
    host.send({ type: 'set-env', name: 'tmate_ssh', value: this.sshCommand(rw) });
    host.send({ type: 'set-env', name: 'tmate_num_clients', value: String(session.viewerCount) });
    host.send({ type: 'set-env', name: 'tmate_reconnection_data', value: this.signer.sign({ sessionId: session.id, rw, ro }) });
  }
}
