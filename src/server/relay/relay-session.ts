/**
 * One shared session on the relay: its tokens, the replica of the host's state, the host port
 * (absent while the host reconnects) and the attached viewers. It turns host messages into
 * replica updates and renders, viewer actions into host messages, and applies the size rule.
 *
 * Invariants:
 * - Size: the smallest read-write viewer sets the session size (cols, rows − status line);
 *   read-only viewers never count; with none, RESIZE(-1,-1). RESIZE is sent only on change.
 * - Renders are coalesced: many host messages in one tick produce one frame per viewer.
 * - `end()` runs once; afterwards the session holds no viewers, host or timers.
 */
import type { OutMessage, InMessage } from '../../core/protocol/tmate/messages.js';
import type { Clock, TimerHandle } from '../../core/util/clock.js';
import { SessionReplica } from '../../core/mux/session-replica.js';
import type { CommandArgv, KeyTables } from '../../core/mux/key-table.js';
import type { StatusScene, WindowScene } from '../../core/render/scene.js';
import type { Logger } from '../observability/logger.js';
import type { HostPort, ViewerTerminal } from './ports.js';
import { ViewerLink, type ViewerIdentity } from './viewer-link.js';
import type { ViewerSession } from './viewer-session.js';

export type EndReason = 'exited' | 'host lost' | 'cancelled' | 'expired' | 'shutdown' | 'protocol error';

const END_TEXT: Record<EndReason, string> = {
  exited: 'session ended: every window exited',
  'host lost': 'session ended: the host disconnected and did not come back',
  cancelled: 'session cancelled',
  expired: 'session expired',
  shutdown: 'relay shutting down',
  'protocol error': 'session ended: the host sent a malformed message',
};

export interface SessionTokens {
  rw: string;
  ro: string;
}

export interface SessionDeps {
  clock: Clock;
  log: Logger;
  reconnectGraceMs: number;
  onEnded(session: RelaySession, reason: EndReason): void;
}

export class RelaySession implements ViewerSession {
  readonly createdAt: number;
  private host: HostPort | null = null;
  private readonly viewers = new Map<number, ViewerLink>();
  private nextClientId = 1;
  private lastResize: [number, number] | null = null;
  private renderScheduled = false;
  private graceTimer: TimerHandle | null = null;
  private ended = false;

  constructor(
    readonly id: string,
    readonly tokens: SessionTokens,
    public replica: SessionReplica,
    private readonly deps: SessionDeps,
  ) {
    this.createdAt = deps.clock.now();
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

  get viewerCount(): number {
    return this.viewers.size;
  }

  get name(): string {
    return this.replica.options.sessionName ?? 'tmate';
  }

  /** Binds a (re)connected host. The replica is the one its connection built during handshake. */
  attachHost(host: HostPort, replica: SessionReplica): void {
    this.graceTimer?.cancel();
    this.graceTimer = null;
    if (replica !== this.replica) {
      this.replica.dispose();
      this.replica = replica;
    }
    this.host = host;
    this.lastResize = null;
    this.sendResize();
    this.notifyViewers(this.viewers.size > 0 ? 'host reconnected' : null);
  }

  /** The host connection dropped without FIN: keep the tokens for the grace period. */
  hostLost(): void {
    if (this.ended) return;
    this.host = null;
    if (this.deps.reconnectGraceMs <= 0) return this.end('host lost');
    this.notifyViewers('host disconnected; waiting for it to reconnect');
    this.graceTimer = this.deps.clock.setTimeout(() => this.end('host lost'), this.deps.reconnectGraceMs);
  }

  handleHostMessage(message: OutMessage): void {
    if (this.ended) return;
    if (message.type === 'fin') return this.end('exited');
    const event = this.replica.apply(message);
    switch (event.kind) {
      case 'failed-cmd':
        return this.showFailure(event.clientId, event.cause);
      case 'ignored':
        return;
      default:
        this.requestRender();
    }
  }

  addViewer(terminal: ViewerTerminal, identity: ViewerIdentity, cols: number, rows: number): ViewerLink {
    const viewer = new ViewerLink(this.nextClientId++, identity, cols, rows, terminal, this, this.deps.clock);
    this.viewers.set(viewer.id, viewer);
    this.deps.log.info({ event: 'viewer-joined', session: this.id, client: viewer.id, ip: identity.ip, fingerprint: identity.fingerprint, readOnly: identity.readOnly });
    this.announce(`A mate has joined (${describeIdentity(identity)})`);
    this.sendResize();
    this.requestRender();
    return viewer;
  }

  removeViewer(viewer: ViewerLink): void {
    if (!this.viewers.delete(viewer.id)) return;
    this.deps.log.info({ event: 'viewer-left', session: this.id, client: viewer.id, ip: viewer.identity.ip });
    this.announce(`A mate has left (${describeIdentity(viewer.identity)})`);
    this.sendResize();
  }

  end(reason: EndReason): void {
    if (this.ended) return;
    this.ended = true;
    this.graceTimer?.cancel();
    for (const viewer of this.viewers.values()) viewer.end(END_TEXT[reason]);
    this.viewers.clear();
    if (this.host && reason !== 'exited') this.host.send({ type: 'notify', message: capitalize(END_TEXT[reason]) });
    this.host?.close();
    this.host = null;
    this.replica.dispose();
    this.deps.log.info({ event: 'session-ended', session: this.id, reason });
    this.deps.onEnded(this, reason);
  }

  // ---- ViewerSession: what viewers ask of the session ----

  requestRender(): void {
    if (this.renderScheduled || this.ended) return;
    this.renderScheduled = true;
    setImmediate(() => {
      this.renderScheduled = false;
      if (this.ended) return;
      const window = this.windowScene();
      const waiting = this.host ? 'Waiting for the host to draw its session…' : 'Waiting for the host to reconnect…';
      for (const viewer of this.viewers.values()) viewer.render(window, waiting);
    });
  }

  viewerResized(viewer: ViewerLink): void {
    if (!viewer.readOnly) this.sendResize();
    this.requestRender();
  }

  statusFor(viewer: ViewerLink, message: string | null): StatusScene {
    const replica = this.replica;
    const windows = replica.windows.map((w) => ({
      index: w.index,
      name: w.name,
      active: w.index === replica.activeWindowIndex,
      last: w.index === replica.lastWindowIndex,
    }));
    const who = `${this.viewers.size} connected`;
    const right = ` ${viewer.readOnly ? '[read-only] ' : ''}${this.host ? '' : '[host away] '}${who} `;
    return { left: `[${this.name}] `, windows, right, message };
  }

  detach(viewer: ViewerLink): void {
    viewer.end(`detached (from session ${this.name})`);
    this.removeViewer(viewer);
  }

  sendKey(key: number): void {
    this.sendToHost({ type: 'pane-key', paneId: -1, key });
  }

  runOnHost(viewer: ViewerLink, argv: CommandArgv): void {
    this.sendToHost({ type: 'exec-cmd', clientId: viewer.id, argv: [...argv] });
  }

  describe(): string {
    const window = this.replica.activeWindow();
    return `[${this.name}] ${window ? `${window.index}:${window.name}` : ''}`;
  }

  describeClients(): string {
    return [...this.viewers.values()].map((v) => `#${v.id} ${describeIdentity(v.identity)}${v.readOnly ? ' ro' : ''}`).join(' | ');
  }

  expandFormat(text: string): string {
    const window = this.replica.activeWindow();
    const paneIndex = window ? window.panes.findIndex((p) => p.id === window.activePaneId) : 0;
    return text.replace(/#W/g, window?.name ?? '').replace(/#P/g, String(Math.max(0, paneIndex))).replace(/#S/g, this.name);
  }

  /** Viewers as the API and logs describe them. */
  listViewers(): { id: number; identity: ViewerIdentity; since: number }[] {
    return [...this.viewers.values()].map((v) => ({ id: v.id, identity: v.identity, since: v.since }));
  }

  // ---- internals ----

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
    let cols = Infinity;
    let rows = Infinity;
    for (const viewer of this.viewers.values()) {
      if (viewer.readOnly) continue;
      cols = Math.min(cols, viewer.size.cols);
      rows = Math.min(rows, viewer.size.rows - 1);
    }
    const size: [number, number] = Number.isFinite(cols) ? [Math.max(1, cols), Math.max(1, rows)] : [-1, -1];
    // A host starts without a viewer limit, so "no viewers" needs no message until one joined.
    const previous = this.lastResize ?? [-1, -1];
    if (previous[0] === size[0] && previous[1] === size[1]) return;
    if (!this.host) return;
    this.lastResize = size;
    this.sendToHost({ type: 'resize', cols: size[0], rows: size[1] });
  }

  private sendToHost(message: InMessage): void {
    this.host?.send(message);
  }

  private showFailure(clientId: number, cause: string): void {
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

  private notifyViewers(text: string | null): void {
    for (const viewer of this.viewers.values()) {
      if (text) viewer.flash(text);
      else viewer.markDirty();
    }
  }
}

function describeIdentity(identity: ViewerIdentity): string {
  return identity.fingerprint ? `${identity.ip}, ${identity.fingerprint}` : `${identity.ip}, no key`;
}

function capitalize(text: string): string {
  return text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text;
}
