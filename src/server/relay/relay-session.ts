/**
 * One shared session on the relay: its tokens, the replica of the host's state, the host port
 * (absent while the host reconnects), the attached viewers and its lifetime (TTL, idle and
 * "nobody joined" limits). It turns host messages into replica updates and renders, viewer actions
 * into host messages, and applies the size rule.
 *
 * Invariants:
 * - Size: the smallest read-write viewer sets the session size (cols, rows − status line);
 *   read-only viewers never count; with none, RESIZE(-1,-1). RESIZE is sent only on change, and
 *   at most once per RESIZE_INTERVAL_MS (a resize storm reaches the host as its final size).
 * - Renders are coalesced: many host messages in one tick produce one frame per viewer. They run
 *   through the render scheduler, ahead of other sessions while a viewer typed in the last
 *   INTERACTIVE_MS.
 * - `end()` runs once; afterwards the session holds no viewers or lifetime timers. When the relay
 *   ends a session on purpose (expired, idle, nobody joined, cancelled) the host is told to end
 *   its own session too (EXEC_CMD kill-session, so its shells stop); its connection is closed once
 *   it answered with FIN, or after HOST_KILL_GRACE_MS.
 * - Everyone (viewers and host) is told why the session ends, and gets the TTL warnings.
 */
import type { CopyModeState, OutMessage, InMessage } from '../../core/protocol/tmate/messages.js';
import type { Clock, TimerHandle } from '../../core/util/clock.js';
import { renderScheduler, type RenderScheduler, type RenderTarget } from './render-scheduler.js';
import { SessionReplica } from '../../core/mux/session-replica.js';
import { budgetedSize, noRoomFor } from '../../core/mux/size-budget.js';
import type { CommandArgv, KeyTables } from '../../core/mux/key-table.js';
import type { StatusScene, WindowScene } from '../../core/render/scene.js';
import { formatDuration } from '../../core/util/duration.js';
import type { Logger } from '../observability/logger.js';
import type { RelayMetrics } from '../observability/metrics.js';
import { DEFAULT_WARNINGS_MS, SessionLifetime, formatRemaining, formatTimeLeft, type ExpiryCause, type LifetimeRules } from '../lifecycle/session-lifetime.js';
import { clientTable, describeIdentity } from '../lifecycle/client-list.js';
import type { HostPort, ViewerTerminal } from './ports.js';
import { ViewerLink, type ViewerIdentity, type ViewerLimits } from './viewer-link.js';
import { isCopyModePageUp, pagedUpEntry, pagedUpView, PendingPageUp } from './tmate-page-up.js';
import type { ViewerSession } from './viewer-session.js';
import type { SearchableWindow } from '../../core/mux/find-window.js';
import { displayText, type ListedSession } from '../../core/mux/session-listings.js';
import { listedSession, statusWindows } from './session-facts.js';
import type { Emulator } from '../../core/term/emulator.js';
import { skippedOperations } from '../../core/term/work-budget.js';

export type EndReason = 'exited' | 'host lost' | 'cancelled' | 'expired' | 'idle' | 'unjoined' | 'shutdown' | 'protocol error';

const END_TEXT: Record<EndReason, string> = {
  exited: 'session ended: every window exited',
  'host lost': 'session ended: the host disconnected and did not come back',
  cancelled: 'session cancelled',
  expired: 'session expired',
  idle: 'session ended: idle for too long',
  unjoined: 'session ended: nobody joined in time',
  shutdown: 'relay shutting down',
  'protocol error': 'session ended: the host sent a malformed message',
};

/** Reasons for which the host is told to end its own session (kill-session), not just dropped. */
const ENDS_HOST_SESSION: ReadonlySet<EndReason> = new Set(['cancelled', 'expired', 'idle', 'unjoined']);

/** True when the relay ended the session on purpose: its host must not get it (or a new one) back. */
export function endsHostSession(reason: EndReason): boolean {
  return ENDS_HOST_SESSION.has(reason);
}

/** What viewers see (and, capitalized, the host) when a session ends. */
export function endText(reason: EndReason): string {
  return END_TEXT[reason];
}

/** How long a host told to kill its session gets to answer FIN before the relay hangs up. */
export const HOST_KILL_GRACE_MS = 5000;

export const DEFAULT_SESSION_TTL_MS = 30 * 60_000;

/** Least time between two RESIZE messages to the host (each costs the host a full redraw). */
export const RESIZE_INTERVAL_MS = 100;

/** A session a viewer typed into this recently renders ahead of the others (its frames are echoes). */
export const INTERACTIVE_MS = 1000;

export interface SessionTokens {
  rw: string;
  ro: string;
}

export interface SessionDeps {
  clock: Clock;
  log: Logger;
  reconnectGraceMs: number;
  /** TTL, idle and unjoined limits; default: a 30-minute TTL, no other limit. */
  lifetime?: Partial<LifetimeRules>;
  /** Most viewers attached at once; 0 or absent: no limit. */
  maxViewers?: number;
  /** Per-viewer limits (stalled terminals). */
  viewerLimits?: ViewerLimits;
  metrics?: RelayMetrics;
  /** Where renders are queued; default: the process's scheduler. */
  renders?: RenderScheduler;
  onEnded(session: RelaySession, reason: EndReason): void;
  /** The first viewer joined (never called for a resumed session someone had joined before). */
  onFirstJoin?(session: RelaySession): void;
}

export interface ViewerInfo {
  id: number;
  identity: ViewerIdentity;
  since: number;
}

export interface HostInfo {
  kind: string;
  address: string;
  clientVersion: string;
}

export class RelaySession implements ViewerSession, RenderTarget {
  readonly lifetime: SessionLifetime;
  private host: HostPort | null = null;
  private lastHost: HostInfo | null = null;
  private readonly viewers = new Map<number, ViewerLink>();
  private nextClientId = 1;
  private lastResize: [number, number] | null = null;
  private lastResizeAt = -Infinity;
  private resizeTimer: TimerHandle | null = null;
  /** When a viewer last typed (clock ms); recent input makes this session's renders urgent. */
  private lastInputAt = -Infinity;
  private graceTimer: TimerHandle | null = null;
  /** A `copy-mode -u` whose page-up tmate 2.4.0 will not report (tmate-page-up.ts). */
  private readonly pendingPageUp = new PendingPageUp();
  private ended = false;
  /** A pane rang a bell since the last frame: the next one rings every viewer first. */
  private bellPending = false;
  /** Whether the log already says that this session's output ran over its work budget. */
  private workSkipLogged = false;
  private endReason: EndReason | null = null;

  constructor(
    readonly id: string,
    readonly tokens: SessionTokens,
    public replica: SessionReplica,
    private readonly deps: SessionDeps,
  ) {
    const rules: LifetimeRules = {
      ttlMs: DEFAULT_SESSION_TTL_MS,
      idleMs: 0,
      unjoinedMs: 0,
      warningsMs: DEFAULT_WARNINGS_MS,
      ...deps.lifetime,
    };
    this.lifetime = new SessionLifetime(deps.clock, rules, {
      warn: (remainingMs) => this.warnEveryone(`Session expires in ${formatRemaining(remainingMs)}`),
      expire: (cause: ExpiryCause) => this.end(cause),
      tick: () => this.notifyViewers(null),
    });
  }

  get keys(): KeyTables {
    return this.replica.keys;
  }

  get hostConnected(): boolean {
    return this.host !== null;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Why the session ended, once it has. */
  get endedBecause(): EndReason | null {
    return this.endReason;
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** The session's name as the host set it (`tmate -n`): a named session's read-write token. */
  get name(): string {
    return this.replica.options.sessionName ?? 'tmate';
  }

  /**
   * The name a viewer is shown: a named session's name is its read-write token, so read-only
   * viewers see the read-only name (`tmate -r`) or tmux's default instead.
   */
  nameFor(readOnly: boolean): string {
    return readOnly ? (this.replica.options.sessionNameRo ?? 'tmate') : this.name;
  }

  /** One clock reading with the expiry computed from it, so expires_at − created_at is the TTL exactly. */
  get createdAt(): number {
    return this.lifetime.createdAt;
  }

  get expiresAt(): number {
    return this.lifetime.expiresAt;
  }

  /** The connected host, or the last one while it is away; null before any host attached. */
  get hostInfo(): HostInfo | null {
    return this.lastHost;
  }

  /**
   * Binds a (re)connected host. The replica is the one its connection built during handshake. A
   * host that comes back before its old connection was seen to drop (a half-open TCP connection
   * after a network change) replaces it: the old one is closed, and its drop no longer counts.
   */
  attachHost(host: HostPort, replica: SessionReplica): void {
    this.graceTimer?.cancel();
    this.graceTimer = null;
    if (replica !== this.replica) {
      this.replica.dispose();
      this.replica = replica;
    }
    const superseded = this.host;
    this.host = host;
    if (superseded && superseded !== host) superseded.close();
    this.lastHost = { kind: host.kind, address: host.remoteAddress, clientVersion: replica.clientVersion };
    host.onDrain?.(() => {
      if (this.host !== host) return;
      for (const viewer of this.viewers.values()) viewer.hostDrained();
    });
    this.lastResize = null;
    this.lastResizeAt = -Infinity;
    this.resizeTimer?.cancel();
    this.resizeTimer = null;
    this.sendResize();
    this.notifyViewers(this.viewers.size > 0 ? 'host reconnected' : null);
  }

  /** The host connection dropped without FIN: keep the tokens for the grace period. */
  hostLost(host: HostPort): void {
    if (this.ended || host !== this.host) return; // a superseded connection (attachHost)
    this.host = null;
    if (this.deps.reconnectGraceMs <= 0) return this.end('host lost');
    this.notifyViewers('host disconnected; waiting for it to reconnect');
    this.graceTimer = this.deps.clock.setTimeout(() => this.end('host lost'), this.deps.reconnectGraceMs);
  }

  handleHostMessage(message: OutMessage): void {
    if (this.ended) return;
    if (message.type === 'fin') return this.end('exited');
    if (message.type === 'pty-data') this.lifetime.activity();
    if (message.type === 'sync-copy-mode') message = this.withReportedPageUp(message);
    const windowsBefore = this.replica.windows.length;
    const event = this.replica.apply(message);
    switch (event.kind) {
      case 'failed-cmd':
        return this.showFailure(event.clientId, event.cause);
      case 'ignored':
        return;
      case 'screen':
        // Rung with the next frame: a flood of bells rings at most once a frame, as tmux's alerts.
        if (event.bell === true) this.bellPending = true;
        return this.requestRender();
      case 'layout':
        if (this.deps.log.isLevelEnabled('debug')) this.deps.log.debug({ event: 'host-layout', session: this.id, ...this.layoutSummary() });
        // More windows leave less room for each (size-budget.ts): ask for a smaller size if needed.
        if (this.replica.windows.length !== windowsBefore) this.sendResize();
        return this.requestRender();
      default:
        this.requestRender();
    }
  }

  /** Attaches a viewer, or returns the line to print when the session is full. */
  addViewer(terminal: ViewerTerminal, identity: ViewerIdentity, cols: number, rows: number): ViewerLink | string {
    const max = this.deps.maxViewers ?? 0;
    if (max > 0 && this.viewers.size >= max) {
      this.deps.metrics?.limitRefusal('viewers_per_session');
      this.deps.log.info({ event: 'viewer-refused', reason: 'session full', session: this.id, ip: identity.ip, fingerprint: identity.fingerprint });
      return `Session is full (${max} viewers); try again later`;
    }
    const viewer = new ViewerLink(this.nextClientId++, identity, cols, rows, terminal, this, this.deps.clock, this.deps.viewerLimits);
    this.viewers.set(viewer.id, viewer);
    const first = !this.lifetime.hasBeenJoined;
    this.lifetime.joined();
    this.deps.log.info({ event: 'viewer-joined', session: this.id, client: viewer.id, ip: identity.ip, fingerprint: identity.fingerprint, readOnly: identity.readOnly });
    this.announce(`A mate has joined (${describeIdentity(identity)})`);
    this.sendResize();
    this.requestRender();
    if (first) this.deps.onFirstJoin?.(this);
    return viewer;
  }

  /** Whether anyone has ever joined the session. */
  get hasBeenJoined(): boolean {
    return this.lifetime.hasBeenJoined;
  }

  removeViewer(viewer: ViewerLink): void {
    if (!this.viewers.delete(viewer.id)) return;
    viewer.dispose();
    this.deps.log.info({ event: 'viewer-left', session: this.id, client: viewer.id, ip: viewer.identity.ip, fingerprint: viewer.identity.fingerprint });
    this.announce(`A mate has left (${describeIdentity(viewer.identity)})`);
    this.sendResize();
  }

  /** Disconnects one viewer on the operator's request; false when there is no such viewer. */
  kick(clientId: number, by: string): boolean {
    const viewer = this.viewers.get(clientId);
    if (!viewer || this.ended) return false;
    this.deps.log.info({ event: 'viewer-kicked', session: this.id, client: clientId, ip: viewer.identity.ip, fingerprint: viewer.identity.fingerprint, by });
    viewer.end('removed from the session by the relay operator', 1);
    this.removeViewer(viewer);
    return true;
  }

  /** Ends a viewer the relay cannot serve (its terminal stopped reading) and removes it. */
  dropViewer(viewer: ViewerLink, reason: string): void {
    if (!this.viewers.has(viewer.id) || this.ended) return;
    this.deps.metrics?.limitRefusal('viewer_stalled');
    this.deps.log.info({ event: 'viewer-dropped', reason, session: this.id, client: viewer.id, ip: viewer.identity.ip, fingerprint: viewer.identity.fingerprint });
    viewer.end(reason, 1);
    this.removeViewer(viewer);
  }

  inputDropped(viewer: ViewerLink, bytes: number): void {
    this.deps.metrics?.limitRefusal('viewer_input');
    this.deps.log.debug({ event: 'viewer-input-dropped', session: this.id, client: viewer.id, bytes });
  }

  hostBusy(): boolean {
    return this.host?.congested ?? false;
  }

  /** Moves the expiry `ms` later and tells everyone. */
  extend(ms: number, by: string): void {
    if (this.ended) return;
    this.lifetime.extend(ms);
    this.deps.log.info({ event: 'session-extended', session: this.id, byMs: ms, expiresAt: new Date(this.expiresAt).toISOString(), by });
    this.warnEveryone(`Session extended by ${formatDuration(ms)}; it now expires in ${formatRemaining(this.lifetime.remainingMs())}`);
  }

  /** `text`: what viewers and the host are told, when more precise than the reason's own text. */
  end(reason: EndReason, text: string = END_TEXT[reason]): void {
    if (this.ended) return;
    this.ended = true;
    this.endReason = reason;
    this.graceTimer?.cancel();
    this.resizeTimer?.cancel();
    (this.deps.renders ?? renderScheduler).cancel(this);
    this.lifetime.dispose();
    for (const viewer of this.viewers.values()) viewer.end(text);
    this.viewers.clear();
    this.releaseHost(reason, text);
    this.replica.dispose();
    const lifetimeMs = this.deps.clock.now() - this.createdAt;
    this.deps.log.info({ event: 'session-ended', session: this.id, reason, lifetimeMs });
    this.deps.metrics?.sessionEnded(reason, lifetimeMs);
    this.deps.onEnded(this, reason);
  }

  // ---- ViewerSession: what viewers ask of the session ----

  requestRender(): void {
    if (this.ended) return;
    const interactive = this.deps.clock.now() - this.lastInputAt < INTERACTIVE_MS;
    (this.deps.renders ?? renderScheduler).request(this, interactive);
  }

  renderNow(): void {
    if (this.ended) return;
    try {
      const window = this.windowScene();
      const waiting = this.host ? 'Waiting for the host to draw its session…' : 'Waiting for the host to reconnect…';
      const bell = this.bellPending;
      this.bellPending = false;
      for (const viewer of this.viewers.values()) {
        if (bell) viewer.bell();
        viewer.render(window, waiting);
      }
      if (!this.workSkipLogged && window) this.logSkippedWork(window);
    } catch (err) {
      this.deps.log.error({ event: 'render-failed', session: this.id, error: String(err) });
    }
  }

  viewerResized(viewer: ViewerLink): void {
    if (!viewer.readOnly) this.sendResize();
    this.requestRender();
  }

  statusFor(viewer: ViewerLink, message: string | null): StatusScene {
    const windows = statusWindows(this.replica);
    const who = `${this.viewers.size} connected`;
    const left = formatTimeLeft(this.lifetime.remainingMs());
    const right = ` ${viewer.readOnly ? '[read-only] ' : ''}${this.host ? '' : '[host away] '}${who}, ${left} `;
    return { left: `[${this.nameFor(viewer.readOnly)}] `, windows, right, message };
  }

  detach(viewer: ViewerLink): void {
    viewer.end(`detached (from session ${this.nameFor(viewer.readOnly)})`);
    this.removeViewer(viewer);
  }

  sendKey(key: number): void {
    this.sendToHost({ type: 'pane-key', paneId: -1, key });
  }

  wantsBracketedPaste(): boolean {
    return this.replica.activePane()?.terminal.modes.bracketedPasteMode ?? false;
  }

  runOnHost(viewer: ViewerLink, argv: CommandArgv): void {
    const adds = argv[0] === 'new-window' ? 'window' : argv[0] === 'split-window' ? 'pane' : null;
    const refusal = adds && noRoomFor(adds, this.replica.layoutUse(), this.replica.maxPanes, this.replica.cellBudget);
    if (refusal) return viewer.flash(capitalize(refusal));
    const pane = this.replica.activePane();
    if (pane && isCopyModePageUp(argv)) {
      if (pane.copyMode === null) this.pendingPageUp.sent(pane.id, this.deps.clock.now());
      else this.showPagedUp(pane.id, pagedUpView(pane.copyMode, pane.terminal));
    }
    // The command name only: the rest may be text a viewer typed at a prompt.
    this.deps.log.debug({ event: 'host-command', session: this.id, client: viewer.id, command: argv[0] ?? '' });
    this.sendToHost({ type: 'exec-cmd', clientId: viewer.id, argv: [...argv] });
  }

  /** A pane already in copy mode, paged up as the host does without reporting it (tmate-page-up.ts). */
  private showPagedUp(paneId: number, paged: CopyModeState | null): void {
    if (paged === null) return;
    if (this.replica.apply({ type: 'sync-copy-mode', paneId, state: paged }).kind !== 'ignored') this.requestRender();
  }

  /** A pane entering copy mode after our `copy-mode -u`, paged up as the host did (tmate-page-up.ts). */
  private withReportedPageUp(message: Extract<OutMessage, { type: 'sync-copy-mode' }>): OutMessage {
    const pane = this.replica.pane(message.paneId);
    if (!pane || !this.pendingPageUp.answeredBy(message.paneId, this.deps.clock.now()) || pane.copyMode !== null) return message;
    const paged = pagedUpEntry(message.state, pane.terminal);
    return paged === null ? message : { ...message, state: paged };
  }

  noteActivity(): void {
    this.lastInputAt = this.deps.clock.now();
    this.lifetime.activity();
  }

  describe(viewer: ViewerLink): string {
    const window = this.replica.activeWindow();
    return `[${this.nameFor(viewer.readOnly)}] ${window ? `${window.index}:${window.name}` : ''}`;
  }

  clientLines(viewer: ViewerLink): string[] {
    return clientTable([...this.viewers.values()], viewer, this.nameFor(viewer.readOnly), this.deps.clock.now());
  }

  searchableWindows(): SearchableWindow[] {
    return this.replica.windows.map((w) => ({
      index: w.index,
      name: w.name,
      panes: w.panes.map((geometry) => visibleLines(this.replica.pane(geometry.id)?.terminal)),
    }));
  }

  expandFormat(text: string, viewer: ViewerLink): string {
    const client = { cols: viewer.size.cols, rows: viewer.size.rows, readOnly: viewer.readOnly };
    const result = displayText(text, undefined, this.listedSession(viewer), client);
    return 'lines' in result ? (result.lines[0] ?? '') : '';
  }

  listedSession(viewer: ViewerLink): ListedSession {
    return listedSession(this.replica, this.nameFor(viewer.readOnly), this.createdAt, this.viewers.size);
  }

  /** Viewers as the API and logs describe them. */
  listViewers(): ViewerInfo[] {
    return [...this.viewers.values()].map((v) => ({ id: v.id, identity: v.identity, since: v.since }));
  }

  // ---- internals ----

  /** Tells the host why the session ends, asks it to end its own session when the relay ended it, and hangs up. */
  private releaseHost(reason: EndReason, text: string): void {
    const host = this.host;
    this.host = null;
    if (!host) return;
    if (reason !== 'exited') host.send({ type: 'notify', message: capitalize(text) });
    if (!ENDS_HOST_SESSION.has(reason)) return host.close();
    host.send({ type: 'exec-cmd', clientId: -1, argv: ['kill-session'] });
    // The host answers with FIN and closes; hang up ourselves if it does not.
    this.deps.clock.setTimeout(() => host.close(), HOST_KILL_GRACE_MS);
  }

  /** Says once that expensive control sequences of this session's output were skipped (work-budget.ts). */
  private logSkippedWork(window: WindowScene): void {
    const skipped = window.panes.reduce((sum, pane) => sum + skippedOperations(pane.terminal), 0);
    if (skipped === 0) return;
    this.workSkipLogged = true;
    this.deps.log.warn({ event: 'host-output-over-budget', session: this.id, skippedOperations: skipped });
  }

  private windowScene(): WindowScene | null {
    const replica = this.replica;
    const window = replica.activeWindow();
    if (!window) return null;
    const panes = [];
    for (const geometry of window.panes) {
      const pane = replica.pane(geometry.id);
      if (!pane) continue;
      panes.push({ ...geometry, terminal: pane.terminal, copyMode: pane.copyMode, outputLines: pane.outputLines });
    }
    return { cols: replica.cols, rows: replica.rows, panes, activePaneId: window.activePaneId };
  }

  private sendResize(): void {
    if (this.resizeTimer) return; // the scheduled send computes the size when it runs
    const wait = this.lastResizeAt + RESIZE_INTERVAL_MS - this.deps.clock.now();
    if (wait > 0 && this.host) {
      this.resizeTimer = this.deps.clock.setTimeout(() => {
        this.resizeTimer = null;
        this.sendResizeNow();
      }, wait);
      return;
    }
    this.sendResizeNow();
  }

  private sendResizeNow(): void {
    let cols = Infinity;
    let rows = Infinity;
    for (const viewer of this.viewers.values()) {
      if (viewer.readOnly) continue;
      cols = Math.min(cols, viewer.size.cols);
      rows = Math.min(rows, viewer.size.rows - 1);
    }
    const size: [number, number] = Number.isFinite(cols)
      ? budgetedSize(Math.max(1, cols), Math.max(1, rows), this.replica.windows.length, this.replica.cellBudget)
      : [-1, -1];
    // A host starts without a viewer limit, so "no viewers" needs no message until one joined.
    const previous = this.lastResize ?? [-1, -1];
    if (previous[0] === size[0] && previous[1] === size[1]) return;
    if (!this.host) return;
    this.lastResize = size;
    this.lastResizeAt = this.deps.clock.now();
    this.sendToHost({ type: 'resize', cols: size[0], rows: size[1] });
  }

  /** Sends to the host if one is attached (dropped otherwise: a reconnecting host is told again). */
  sendToHost(message: InMessage): void {
    this.host?.send(message);
  }

  /** The layout in a few words for the debug log: size, windows, and the active window's panes. */
  private layoutSummary(): { size: string; windows: string; panes: string } {
    const replica = this.replica;
    const window = replica.activeWindow();
    const pane = (p: { id: number; xoff: number; yoff: number; cols: number; rows: number }): string =>
      `${p.id === window?.activePaneId ? '*' : ''}%${p.id} ${p.cols}x${p.rows}@${p.xoff},${p.yoff}`;
    return {
      size: `${replica.cols}x${replica.rows}`,
      windows: replica.windows.map((w) => `${w.index}${w === window ? '*' : ''}`).join(' '),
      panes: window ? window.panes.map(pane).join(' ') : '',
    };
  }

  private showFailure(clientId: number, cause: string): void {
    // tmux's errors read "what: detail", the detail often text a viewer typed: only the first part.
    this.deps.log.debug({ event: 'host-command-failed', session: this.id, client: clientId, cause: cause.split(':')[0]?.slice(0, 80) ?? '' });
    const viewer = this.viewers.get(clientId);
    const text = capitalize(cause);
    if (viewer) viewer.flash(text);
    else for (const v of this.viewers.values()) if (!v.readOnly) v.flash(text);
  }

  private announce(text: string): void {
    const count = this.viewers.size;
    const full = `${text} -- ${count} client${count === 1 ? '' : 's'} currently connected`;
    this.sendToHost({ type: 'notify', message: full });
    this.sendToHost({ type: 'set-env', name: 'tmate_num_clients', value: String(count) });
    this.notifyViewers(text);
  }

  /** A message for every viewer's status line and the host's. */
  private warnEveryone(text: string): void {
    this.sendToHost({ type: 'notify', message: text });
    this.notifyViewers(text);
  }

  private notifyViewers(text: string | null): void {
    for (const viewer of this.viewers.values()) {
      if (text) viewer.flash(text);
      else viewer.markDirty();
    }
  }
}

function capitalize(text: string): string {
  return text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/** The visible screen of a pane's emulator, a string a row, trailing blanks trimmed. */
function visibleLines(terminal: Emulator | undefined): string[] {
  if (terminal === undefined) return [];
  const buffer = terminal.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < terminal.rows; y++) lines.push(buffer.getLine(buffer.baseY + y)?.translateToString(true) ?? '');
  return lines;
}
