/**
 * The host engine's one session (tmate allows no other): windows linked at indexes, the current
 * window and the last-window stack, and the session size, with tmux 2.4's session.c rules for
 * next/previous/last and for picking a new current window when the current one goes away.
 *
 * Invariants:
 * - Indexes are unique; `current` is linked whenever any window is.
 * - The last-window stack never holds the current window nor an unlinked one.
 * - `layoutMessage()` is exactly tmate's SYNC_LAYOUT: windows in index order, panes in window
 *   order, the session's current window index.
 */
import type { LayoutWindow, OutMessage } from '../protocol/tmate/messages.js';
import type { HostPane } from './host-pane.js';
import type { ActiveCounter, HostWindow } from './host-window.js';

/** 0: changed, 1: already so, -1: nothing to change to (tmux's convention). */
export type SelectResult = 0 | 1 | -1;

export const SESSION_NAME = '0';

export class HostSession {
  readonly name = SESSION_NAME;
  readonly id = 0;
  current: HostWindow | null = null;
  private readonly links = new Map<number, HostWindow>();
  private lastStack: HostWindow[] = [];
  private activePoints = 0;
  readonly counter: ActiveCounter = { next: () => ++this.activePoints };

  constructor(
    public sx: number,
    public sy: number,
  ) {}

  get isEmpty(): boolean {
    return this.links.size === 0;
  }

  /** Linked windows in index order. */
  windows(): { index: number; window: HostWindow }[] {
    return [...this.links.entries()].sort((a, b) => a[0] - b[0]).map(([index, window]) => ({ index, window }));
  }

  indexOf(window: HostWindow): number {
    for (const [index, w] of this.links) if (w === window) return index;
    return -1;
  }

  windowAt(index: number): HostWindow | undefined {
    return this.links.get(index);
  }

  windowById(id: number): HostWindow | undefined {
    return [...this.links.values()].find((w) => w.id === id);
  }

  findPane(id: number): { window: HostWindow; pane: HostPane } | null {
    for (const { window } of this.windows()) {
      const pane = window.panes.find((p) => p.id === id);
      if (pane) return { window, pane };
    }
    return null;
  }

  /** The last-window stack's top (target "!"), if any. */
  lastWindow(): HostWindow | null {
    return this.lastStack[0] ?? null;
  }

  firstFreeIndex(from = 0): number {
    let index = from;
    while (this.links.has(index)) index++;
    return index;
  }

  /** Links a window at `index`; false when the index is taken. */
  link(window: HostWindow, index: number): boolean {
    if (this.links.has(index)) return false;
    this.links.set(index, window);
    if (this.current === null) this.current = window;
    return true;
  }

  setCurrent(window: HostWindow | undefined): SelectResult {
    if (window === undefined) return -1;
    if (window === this.current) return 1;
    this.lastStack = this.lastStack.filter((w) => w !== window);
    if (this.current !== null) this.lastStack.unshift(this.current);
    this.current = window;
    return 0;
  }

  select(index: number): SelectResult {
    return this.setCurrent(this.links.get(index));
  }

  /** session_next: the next index, wrapping to the first; `alert` windows only (none here). */
  next(alert = false): SelectResult {
    if (this.current === null || alert) return -1;
    const list = this.windows();
    const at = list.findIndex((entry) => entry.window === this.current);
    return this.setCurrent((list[at + 1] ?? list[0])?.window);
  }

  previous(alert = false): SelectResult {
    if (this.current === null || alert) return -1;
    const list = this.windows();
    const at = list.findIndex((entry) => entry.window === this.current);
    return this.setCurrent((list[at - 1] ?? list[list.length - 1])?.window);
  }

  last(): SelectResult {
    const top = this.lastStack[0];
    if (top === undefined) return -1;
    return this.setCurrent(top);
  }

  /** Unlinks a window (session_detach); true when the session has no windows left. */
  detach(window: HostWindow): boolean {
    const index = this.indexOf(window);
    if (index < 0) return this.isEmpty;
    if (this.current === window && this.last() !== 0 && this.previous() !== 0) this.next();
    this.lastStack = this.lastStack.filter((w) => w !== window);
    this.links.delete(index);
    if (this.current === window) this.current = this.windows()[0]?.window ?? null;
    return this.isEmpty;
  }

  /** Unlinks everything at once (the session is over). */
  clear(): void {
    this.links.clear();
    this.lastStack = [];
    this.current = null;
  }

  layoutMessage(): OutMessage & { type: 'sync-layout' } {
    const list = this.windows();
    const windows: LayoutWindow[] = list.map(({ index, window }) => ({
      index,
      name: window.name,
      panes: window.panes.map((p) => ({ id: p.id, cols: p.sx, rows: p.sy, xoff: p.xoff, yoff: p.yoff })),
      activePaneId: window.active.id,
    }));
    const current = this.current === null ? -1 : this.indexOf(this.current);
    const activeWindowIndex = current >= 0 ? current : (list[0]?.index ?? -1);
    return { type: 'sync-layout', cols: this.sx, rows: this.sy, windows, activeWindowIndex };
  }
}
