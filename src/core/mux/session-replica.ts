/**
 * The relay's copy of one host session, rebuilt from the host's OUT messages: layout, one
 * emulator per pane fed from the first PTY_DATA, copy-mode state, status strings, key tables and
 * the tmate options the host replicated. It knows nothing of sockets or viewers.
 *
 * Invariants:
 * - A pane's emulator always has the size the latest layout gave it (a zoomed pane: the window).
 * - Panes that leave the layout are disposed; the replica never holds more than `maxPanes`.
 * - Every byte of PTY_DATA for a known pane reaches its emulator, in order.
 */
import type { LayoutWindow, OutMessage, SnapshotPane, CopyModeState } from '../protocol/tmate/messages.js';
import { createEmulator, feedEmulator, type Emulator } from '../term/emulator.js';
import { KeyTables, parseFlags } from './key-table.js';
import { HostOptions } from './host-options.js';
import { snapshotToBytes } from './snapshot-restore.js';

export interface PaneReplica {
  id: number;
  terminal: Emulator;
  copyMode: CopyModeState | null;
  outputLines: string[];
}

export interface ReplicaLimits {
  scrollback: number;
  maxPanes: number;
  maxCols: number;
  maxRows: number;
  maxOutputLines: number;
}

export const DEFAULT_LIMITS: ReplicaLimits = {
  scrollback: 2000,
  maxPanes: 256,
  maxCols: 1000,
  maxRows: 1000,
  maxOutputLines: 1000,
};

/** What changed, so the relay knows whether to re-render or to act. */
export type ReplicaEvent =
  | { kind: 'screen' }
  | { kind: 'layout' }
  | { kind: 'status' }
  | { kind: 'failed-cmd'; clientId: number; cause: string }
  | { kind: 'ignored'; reason: string };

export class SessionReplica {
  readonly keys = new KeyTables();
  readonly options = new HostOptions();
  cols = 0;
  rows = 0;
  windows: LayoutWindow[] = [];
  activeWindowIndex = -1;
  lastWindowIndex = -1;
  statusLeft = '';
  statusRight = '';
  clientVersion = '';
  private readonly panes = new Map<number, PaneReplica>();

  constructor(private readonly limits: ReplicaLimits = DEFAULT_LIMITS) {}

  get hasLayout(): boolean {
    return this.windows.length > 0;
  }

  pane(id: number): PaneReplica | undefined {
    return this.panes.get(id);
  }

  activeWindow(): LayoutWindow | undefined {
    return this.windows.find((w) => w.index === this.activeWindowIndex) ?? this.windows[0];
  }

  activePane(): PaneReplica | undefined {
    const window = this.activeWindow();
    return window ? this.panes.get(window.activePaneId) : undefined;
  }

  apply(message: OutMessage): ReplicaEvent {
    switch (message.type) {
      case 'sync-layout':
        return this.applyLayout(message.cols, message.rows, message.windows, message.activeWindowIndex);
      case 'pty-data':
        return this.applyPtyData(message.paneId, message.data);
      case 'sync-copy-mode':
        return this.applyCopyMode(message.paneId, message.state);
      case 'write-copy-mode':
        return this.applyCopyLine(message.paneId, message.line);
      case 'status':
        this.statusLeft = message.left;
        this.statusRight = message.right;
        return { kind: 'status' };
      case 'exec-cmd':
        return this.applyReplicatedCommand(message.argv);
      case 'snapshot':
        return this.applySnapshot(message.panes);
      case 'failed-cmd':
        return { kind: 'failed-cmd', clientId: message.clientId, cause: message.cause };
      case 'header':
        this.clientVersion = message.clientVersion;
        return { kind: 'status' };
      default:
        return { kind: 'ignored', reason: message.type };
    }
  }

  dispose(): void {
    for (const pane of this.panes.values()) pane.terminal.dispose();
    this.panes.clear();
  }

  private applyLayout(cols: number, rows: number, windows: LayoutWindow[], active: number): ReplicaEvent {
    const paneCount = windows.reduce((n, w) => n + w.panes.length, 0);
    if (paneCount > this.limits.maxPanes) return { kind: 'ignored', reason: `layout with ${paneCount} panes` };
    const tooBig = windows.some((w) => w.panes.some((p) => !this.fits(p.cols, p.rows)));
    if (tooBig || !this.fits(cols, rows)) return { kind: 'ignored', reason: 'layout larger than the size limit' };
    if (active !== this.activeWindowIndex && this.activeWindowIndex >= 0) this.lastWindowIndex = this.activeWindowIndex;
    this.cols = cols;
    this.rows = rows;
    this.windows = windows;
    this.activeWindowIndex = active;
    const seen = new Set<number>();
    for (const window of windows) {
      for (const geometry of window.panes) {
        seen.add(geometry.id);
        this.ensurePane(geometry.id, geometry.cols, geometry.rows);
      }
    }
    for (const [id, pane] of this.panes) {
      if (seen.has(id)) continue;
      pane.terminal.dispose();
      this.panes.delete(id);
    }
    if (!windows.some((w) => w.index === this.lastWindowIndex)) this.lastWindowIndex = -1;
    return { kind: 'layout' };
  }

  private fits(cols: number, rows: number): boolean {
    return cols >= 0 && rows >= 0 && cols <= this.limits.maxCols && rows <= this.limits.maxRows;
  }

  private ensurePane(id: number, cols: number, rows: number): PaneReplica {
    const existing = this.panes.get(id);
    if (existing) {
      const term = existing.terminal;
      if (cols > 0 && rows > 0 && (term.cols !== cols || term.rows !== rows)) term.resize(cols, rows);
      return existing;
    }
    const pane: PaneReplica = {
      id,
      terminal: createEmulator(cols, rows, this.limits.scrollback),
      copyMode: null,
      outputLines: [],
    };
    this.panes.set(id, pane);
    return pane;
  }

  private applyPtyData(paneId: number, data: Uint8Array): ReplicaEvent {
    const pane = this.panes.get(paneId);
    if (!pane) return { kind: 'ignored', reason: 'data for an unknown pane' };
    feedEmulator(pane.terminal, data);
    return { kind: 'screen' };
  }

  private applyCopyMode(paneId: number, state: CopyModeState | null): ReplicaEvent {
    const pane = this.panes.get(paneId);
    if (!pane) return { kind: 'ignored', reason: 'copy mode for an unknown pane' };
    pane.copyMode = state;
    if (state === null || state.backing !== 0) pane.outputLines = [];
    return { kind: 'screen' };
  }

  private applyCopyLine(paneId: number, line: string): ReplicaEvent {
    const pane = this.panes.get(paneId);
    if (!pane) return { kind: 'ignored', reason: 'copy line for an unknown pane' };
    if (pane.copyMode === null || pane.copyMode.backing !== 0) {
      pane.copyMode = { backing: 0, oy: 0, cx: 0, cy: 0, selection: null, prompt: null };
      pane.outputLines = [];
    }
    pane.outputLines.push(line);
    if (pane.outputLines.length > this.limits.maxOutputLines) pane.outputLines.shift();
    return { kind: 'screen' };
  }

  private applyReplicatedCommand(argv: string[]): ReplicaEvent {
    if (this.keys.apply(argv)) {
      if (argv[0] === 'set-option' || argv[0] === 'set') this.applyOption(argv.slice(1));
      return { kind: 'status' };
    }
    if (argv[0] === 'set-window-option' || argv[0] === 'setw') return { kind: 'status' };
    return { kind: 'ignored', reason: `replicated command ${argv[0] ?? ''}` };
  }

  private applyOption(args: string[]): void {
    const parsed = parseFlags(args, new Set(['t']));
    const [name, value] = parsed?.rest ?? [];
    if (name !== undefined) this.options.set(name, value ?? '');
  }

  private applySnapshot(panes: SnapshotPane[]): ReplicaEvent {
    for (const snapshot of panes) {
      const pane = this.panes.get(snapshot.id);
      if (!pane) continue;
      const { cols, rows } = pane.terminal;
      pane.terminal.dispose();
      pane.terminal = createEmulator(cols, rows, this.limits.scrollback);
      feedEmulator(pane.terminal, snapshotToBytes(snapshot, rows));
    }
    return { kind: 'screen' };
  }
}
