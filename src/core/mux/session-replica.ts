/**
 * The relay's copy of one host session, rebuilt from the host's OUT messages: layout, one
 * emulator per pane fed from the first PTY_DATA, copy-mode state, status strings, key tables and
 * the tmate options the host replicated. It knows nothing of sockets or viewers.
 *
 * Invariants:
 * - A pane's emulator always has the size the latest layout gave it (a zoomed pane: the window).
 * - Panes that leave the layout are disposed; the replica never holds more than `maxPanes`.
 * - Every byte of PTY_DATA for a known pane reaches its emulator, in order, before anything reads
 *   that emulator (parsing is lazy: pane-replica.ts).
 * - Memory is bounded whatever the host sends: a layout must fit `maxPanes` panes and windows,
 *   `maxCols` × `maxRows` per pane and `maxLayoutCells` cells in all (each cell costs ~12 bytes
 *   of emulator screen); scrollback is `scrollback` lines per pane, lowered for every pane when the
 *   panes' widths add up past `scrollbackCells / scrollback`; stored texts (window names, output
 *   lines, prompts, status) are cut to MAX_TEXT characters. `check()` tells the relay a message is
 *   over a limit (it ends that host's session); `apply()` ignores such a message.
 */
import type { LayoutWindow, OutMessage, SnapshotPane, CopyModeState } from '../protocol/tmate/messages.js';
import { relayError, type RelayError } from '../errors.js';
import { PaneReplica } from './pane-replica.js';
import { KeyTables, parseFlags } from './key-table.js';
import { HostOptions } from './host-options.js';
import { snapshotToBytes } from './snapshot-restore.js';
import type { LayoutUse } from './size-budget.js';

export interface ReplicaLimits {
  scrollback: number;
  maxPanes: number;
  maxCols: number;
  maxRows: number;
  maxOutputLines: number;
  /** Most visible cells (Σ cols × rows over every pane of every window) one layout may have. */
  maxLayoutCells?: number;
  /** Scrollback cells for the whole session (Σ cols × scrollback lines over the panes). */
  scrollbackCells?: number;
}

export const DEFAULT_LIMITS: ReplicaLimits = {
  scrollback: 2000,
  maxPanes: 256,
  maxCols: 1000,
  maxRows: 1000,
  maxOutputLines: 1000,
  // 4 M cells ≈ 48 MB of emulator screens: four 1000×1000 windows, or forty 200×500 ones.
  maxLayoutCells: 4_000_000,
  // 8 M cells ≈ 100 MB when every pane's history is full: 2000 lines for panes 4000 columns wide in all.
  scrollbackCells: 8_000_000,
};

/** Longest window name, output-mode line, prompt or status text kept (a status line is ≤ 1000 cells). */
export const MAX_TEXT = 1000;

/** Why a layout is over the limits, or null when it fits. */
export function layoutViolation(limits: ReplicaLimits, cols: number, rows: number, windows: readonly LayoutWindow[]): string | null {
  const fits = (c: number, r: number): boolean => c >= 0 && r >= 0 && c <= limits.maxCols && r <= limits.maxRows;
  if (!fits(cols, rows)) return `session size ${cols}x${rows} exceeds ${limits.maxCols}x${limits.maxRows}`;
  if (windows.length > limits.maxPanes) return `${windows.length} windows exceed ${limits.maxPanes}`;
  let panes = 0;
  let cells = 0;
  for (const window of windows) {
    for (const pane of window.panes) {
      panes++;
      if (!fits(pane.cols, pane.rows)) return `pane ${pane.cols}x${pane.rows} exceeds ${limits.maxCols}x${limits.maxRows}`;
      if (!fits(pane.xoff, pane.yoff)) return `pane offset ${pane.xoff},${pane.yoff} exceeds ${limits.maxCols}x${limits.maxRows}`;
      cells += Math.max(1, pane.cols) * Math.max(1, pane.rows);
    }
  }
  if (panes > limits.maxPanes) return `${panes} panes exceed ${limits.maxPanes}`;
  const maxCells = limits.maxLayoutCells ?? Infinity;
  if (cells > maxCells) return `${cells} cells of panes exceed ${maxCells}`;
  return null;
}

function cut(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

/** What changed, so the relay knows whether to re-render or to act. */
export type ReplicaEvent =
  | { kind: 'screen'; bell?: boolean }
  | { kind: 'layout' }
  | { kind: 'status' }
  | { kind: 'failed-cmd'; clientId: number; cause: string }
  | { kind: 'ignored'; reason: string };

const BEL = 0x07;

export class SessionReplica {
  readonly keys = new KeyTables();
  readonly options = new HostOptions();
  cols = 0;
  rows = 0;
  windows: LayoutWindow[] = [];
  activeWindowIndex = -1;
  /**
   * Windows that were current before, most recent first: tmux's `lastw` stack, whose head is the
   * "last" window (`-`, `C-b l`). Kept as tmux keeps it, so that killing the current window leaves
   * the one before it marked: `remembered` pushes the window left, drops the one entered.
   */
  private lastWindows: number[] = [];
  statusLeft = '';
  statusRight = '';
  clientVersion = '';
  private readonly panes = new Map<number, PaneReplica>();
  /** Windows (by index) that rang a bell while not the active one: tmux's `!` flag. */
  private readonly bellWindows = new Set<number>();
  /** Scrollback lines each pane has now (lowered when the panes are many and wide). */
  private scrollbackLines: number;

  constructor(private readonly limits: ReplicaLimits = DEFAULT_LIMITS) {
    this.scrollbackLines = limits.scrollback;
  }

  /** A message this replica refuses because it is over a limit (the host is hostile or broken), or null. */
  check(message: OutMessage): RelayError | null {
    if (message.type !== 'sync-layout') return null;
    const why = layoutViolation(this.limits, message.cols, message.rows, message.windows);
    return why === null ? null : relayError('PROTOCOL_LIMIT', `layout: ${why}`);
  }

  /** Most visible cells a layout may have (Σ over every pane of every window). */
  get cellBudget(): number {
    return this.limits.maxLayoutCells ?? Infinity;
  }

  /** Most windows, and most panes over all windows, a layout may have. */
  get maxPanes(): number {
    return this.limits.maxPanes;
  }

  /** Windows, panes and cells of the current layout, for the relay's size budget (size-budget.ts). */
  layoutUse(): LayoutUse {
    let panes = 0;
    let cells = 0;
    for (const window of this.windows) {
      panes += window.panes.length;
      for (const pane of window.panes) cells += Math.max(1, pane.cols) * Math.max(1, pane.rows);
    }
    return { windows: this.windows.length, panes, cells, windowCells: Math.max(1, this.cols) * Math.max(1, this.rows) };
  }

  get hasLayout(): boolean {
    return this.windows.length > 0;
  }

  /** Whether the window rang a bell since it was last the active window (tmux's `!`). */
  rangBell(windowIndex: number): boolean {
    return this.bellWindows.has(windowIndex);
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
        this.statusLeft = cut(message.left);
        this.statusRight = cut(message.right);
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
    for (const pane of this.panes.values()) pane.dispose();
    this.panes.clear();
  }

  private applyLayout(cols: number, rows: number, windows: LayoutWindow[], active: number): ReplicaEvent {
    const violation = layoutViolation(this.limits, cols, rows, windows);
    if (violation !== null) return { kind: 'ignored', reason: `layout over the limits: ${violation}` };
    if (active !== this.activeWindowIndex && this.activeWindowIndex >= 0) this.rememberLeft(this.activeWindowIndex, active);
    this.cols = cols;
    this.rows = rows;
    this.windows = windows.map((w) => (w.name.length > MAX_TEXT ? { ...w, name: cut(w.name) } : w));
    this.activeWindowIndex = active;
    this.bellWindows.delete(active);
    for (const index of this.bellWindows) if (!this.windows.some((w) => w.index === index)) this.bellWindows.delete(index);
    this.scrollbackLines = this.scrollbackFor(windows);
    const seen = new Set<number>();
    for (const window of windows) {
      for (const geometry of window.panes) {
        seen.add(geometry.id);
        this.ensurePane(geometry.id, geometry.cols, geometry.rows);
      }
    }
    for (const [id, pane] of this.panes) {
      if (seen.has(id)) continue;
      pane.dispose();
      this.panes.delete(id);
    }
    this.lastWindows = this.lastWindows.filter((index) => windows.some((w) => w.index === index));
    return { kind: 'layout' };
  }

  /** The "last" window (`-` in the status line), or -1. */
  get lastWindowIndex(): number {
    return this.lastWindows[0] ?? -1;
  }

  /** The current window went from `left` to `entered` (tmux's session_set_current). */
  private rememberLeft(left: number, entered: number): void {
    this.lastWindows = [left, ...this.lastWindows.filter((index) => index !== left && index !== entered)];
  }

  /** Scrollback lines per pane so that all panes' history stays within `scrollbackCells`. */
  private scrollbackFor(windows: readonly LayoutWindow[]): number {
    const budget = this.limits.scrollbackCells ?? Infinity;
    let width = 0;
    for (const window of windows) for (const pane of window.panes) width += Math.max(1, pane.cols);
    return Math.min(this.limits.scrollback, Math.floor(budget / Math.max(1, width)));
  }

  private ensurePane(id: number, cols: number, rows: number): PaneReplica {
    const existing = this.panes.get(id);
    if (existing) {
      const term = existing.terminal;
      if (cols > 0 && rows > 0 && (term.cols !== cols || term.rows !== rows)) term.resize(cols, rows);
      if (term.options.scrollback !== this.scrollbackLines) term.options.scrollback = this.scrollbackLines;
      return existing;
    }
    const pane = new PaneReplica(id, cols, rows, this.scrollbackLines);
    this.panes.set(id, pane);
    return pane;
  }

  private applyPtyData(paneId: number, data: Uint8Array): ReplicaEvent {
    const pane = this.panes.get(paneId);
    if (!pane) return { kind: 'ignored', reason: 'data for an unknown pane' };
    pane.receive(data);
    // Only output with a BEL byte can ring; parsing it now also catches panes nobody looks at.
    if (!data.includes(BEL) || pane.takeBells() === 0) return { kind: 'screen' };
    const window = this.windows.find((w) => w.panes.some((p) => p.id === paneId));
    if (window !== undefined && window.index !== this.activeWindowIndex) this.bellWindows.add(window.index);
    return { kind: 'screen', bell: true };
  }

  private applyCopyMode(paneId: number, state: CopyModeState | null): ReplicaEvent {
    const pane = this.panes.get(paneId);
    if (!pane) return { kind: 'ignored', reason: 'copy mode for an unknown pane' };
    const prompt = state?.prompt;
    if (state && prompt && (prompt.prompt.length > MAX_TEXT || prompt.text.length > MAX_TEXT)) {
      state = { ...state, prompt: { ...prompt, prompt: cut(prompt.prompt), text: cut(prompt.text) } };
    }
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
    pane.outputLines.push(cut(line));
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
      pane.restart(this.scrollbackLines, snapshotToBytes(snapshot, pane.terminal.rows));
    }
    return { kind: 'screen' };
  }
}
