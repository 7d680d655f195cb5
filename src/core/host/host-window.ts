/**
 * One window of the host engine: its panes in tmux order, the tiling tree they live in, the
 * active and last panes, zoom, and its name (automatic from the active pane's program, or fixed
 * by rename-window / new-window -n), following tmux 2.4's window.c.
 *
 * Invariants:
 * - `panes` is never empty while the window is linked; `active` is one of them.
 * - Every pane in the current layout has the geometry that layout gives it; while zoomed only
 *   the zoomed pane is in the layout (full window at 0,0) and the others keep their old geometry,
 *   which is what tmate sends in SYNC_LAYOUT.
 * - A new pane goes right after the active pane in `panes` (window_add_pane).
 */
import type { HostPane } from './host-pane.js';
import { PaneLayout, PANE_MINIMUM, type SplitType } from './layout.js';
import { presetTree } from './layout-presets.js';

/** Hands out tmux's "active point" numbers: larger = more recently made active. */
export interface ActiveCounter {
  next(): number;
}

export const COPY_MODE_WINDOW_NAME = '[tmux]';

export class HostWindow {
  name: string;
  automaticRename: boolean;
  sx: number;
  sy: number;
  readonly panes: HostPane[];
  active: HostPane;
  last: HostPane | null = null;
  private layout: PaneLayout;
  private saved: PaneLayout | null = null;
  /** The preset layout applied last (next-layout goes on from it); -1 before any. */
  lastPreset = -1;

  constructor(
    readonly id: number,
    first: HostPane,
    sx: number,
    sy: number,
    name: string | null,
    private readonly counter: ActiveCounter,
  ) {
    this.sx = sx;
    this.sy = sy;
    this.panes = [first];
    this.active = first;
    first.activePoint = counter.next();
    this.layout = new PaneLayout(first.id, sx, sy);
    this.automaticRename = name === null;
    this.name = name ?? first.programName;
    this.fixPanes();
  }

  get zoomed(): boolean {
    return this.saved !== null;
  }

  /** The name automatic renaming would give the window now. */
  automaticName(): string {
    return this.active.copyMode !== null ? COPY_MODE_WINDOW_NAME : this.active.currentProgramName();
  }

  /** Applies automatic renaming; true when the name changed. */
  refreshName(): boolean {
    if (!this.automaticRename) return false;
    const name = this.automaticName();
    if (name === this.name) return false;
    this.name = name;
    return true;
  }

  rename(name: string): void {
    this.name = name;
    this.automaticRename = false;
  }

  /** window_pane_visible: in the current layout and entirely inside the window. */
  isVisible(pane: HostPane): boolean {
    if (!this.layout.has(pane.id)) return false;
    if (pane.xoff >= this.sx || pane.yoff >= this.sy) return false;
    return pane.xoff + pane.sx <= this.sx && pane.yoff + pane.sy <= this.sy;
  }

  indexOf(pane: HostPane): number {
    return this.panes.indexOf(pane);
  }

  canSplit(target: HostPane, type: SplitType): boolean {
    if (!this.layout.has(target.id)) return false;
    return (type === 'leftright' ? target.sx : target.sy) >= PANE_MINIMUM * 2 + 1;
  }

  /** Splits `target` to make room for `pane` (not zoomed: the caller unzooms first). */
  split(target: HostPane, pane: HostPane, type: SplitType, size: number, before: boolean): boolean {
    if (!this.layout.split(target.id, pane.id, type, size, before)) return false;
    this.panes.splice(this.panes.indexOf(this.active) + 1, 0, pane);
    this.fixPanes();
    return true;
  }

  /** Takes a pane out (window_lost_pane + layout_close_pane); the caller unzooms first. */
  removePane(pane: HostPane): void {
    const at = this.panes.indexOf(pane);
    if (at < 0) return;
    if (pane === this.active) {
      const next = this.last ?? this.panes[at - 1] ?? this.panes[at + 1];
      this.last = null;
      if (next !== undefined) this.active = next;
    } else if (pane === this.last) {
      this.last = null;
    }
    this.panes.splice(at, 1);
    if (this.panes.length > 0) this.layout.remove(pane.id);
    this.fixPanes();
  }

  /** window_set_active_pane; false when nothing changed. */
  setActive(pane: HostPane): boolean {
    if (pane === this.active) return false;
    this.last = this.active;
    this.active = pane;
    while (!this.isVisible(this.active)) {
      this.active = this.panes[this.panes.indexOf(this.active) - 1] ?? (this.panes[this.panes.length - 1] as HostPane);
      if (this.active === pane) return true;
    }
    this.active.activePoint = this.counter.next();
    return true;
  }

  zoom(pane: HostPane): boolean {
    if (this.zoomed || !this.isVisible(pane) || this.panes.length === 1) return false;
    if (this.active !== pane) this.setActive(pane);
    this.saved = this.layout;
    this.layout = new PaneLayout(pane.id, this.sx, this.sy);
    this.fixPanes();
    return true;
  }

  unzoom(): boolean {
    if (this.saved === null) return false;
    this.layout = this.saved;
    this.saved = null;
    this.fixPanes();
    return true;
  }

  /** The window's share of recalculate_sizes: relayout to the new size; false if unchanged. */
  resize(sx: number, sy: number): boolean {
    if (sx === this.sx && sy === this.sy) return false;
    const wasZoomed = this.unzoom();
    this.layout.resize(this.sx, this.sy, sx, sy);
    this.sx = sx;
    this.sy = sy;
    this.fixPanes();
    if (wasZoomed && this.isVisible(this.active)) this.zoom(this.active);
    const start = this.active;
    while (!this.isVisible(this.active)) {
      this.active = this.panes[this.panes.indexOf(this.active) - 1] ?? (this.panes[this.panes.length - 1] as HostPane);
      if (this.active === start) break;
    }
    return true;
  }

  resizePane(pane: HostPane, type: SplitType, change: number): void {
    this.layout.resizePane(pane.id, type, change);
    this.fixPanes();
  }

  resizePaneTo(pane: HostPane, type: SplitType, size: number): void {
    this.layout.resizePaneTo(pane.id, type, size);
    this.fixPanes();
  }

  /**
   * Arranges the panes in preset `index` (layout-presets.ts) and remembers it for next-layout;
   * false with fewer than two panes (nothing changes, as in tmux).
   */
  applyPreset(index: number): boolean {
    this.unzoom();
    const tree = presetTree(index, this.panes.map((p) => p.id), this.sx, this.sy);
    if (tree === null) return false;
    this.layout.rebuild(tree);
    this.lastPreset = index;
    this.fixPanes();
    return true;
  }

  /**
   * rotate-window: every pane moves one place along the window's pane order (`down`: the last one
   * to the front), taking the position and size of its neighbour; the active position stays, so
   * the pane that moved into it becomes active.
   */
  rotate(down: boolean): void {
    this.unzoom();
    const ids = this.layout.paneIds();
    const n = this.panes.length;
    if (n < 2) return;
    const activeAt = this.panes.indexOf(this.active);
    const moved = down ? [this.panes[n - 1]!, ...this.panes.slice(0, n - 1)] : [...this.panes.slice(1), this.panes[0]!];
    const byOldId = new Map(this.panes.map((pane, i) => [pane.id, moved[i]!.id]));
    this.layout.assign(ids.map((id) => byOldId.get(id) ?? id));
    this.panes.splice(0, n, ...moved);
    this.fixPanes();
    this.setActive(this.panes[activeAt]!);
  }

  /** Exchanges two panes of this window: list position, layout cell and geometry (swap-pane). */
  swapPanes(a: HostPane, b: HostPane): void {
    const ia = this.panes.indexOf(a);
    const ib = this.panes.indexOf(b);
    if (ia < 0 || ib < 0 || a === b) return;
    this.panes[ia] = b;
    this.panes[ib] = a;
    this.layout.swap(a.id, b.id);
    this.fixPanes();
  }

  private fixPanes(): void {
    const geometry = this.layout.geometry(this.sx, this.sy);
    for (const pane of this.panes) {
      const g = geometry.get(pane.id);
      if (g) pane.setGeometry(g.sx, g.sy, g.xoff, g.yoff);
    }
  }
}
