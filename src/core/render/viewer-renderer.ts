/**
 * One SSH viewer's screen: paints a Scene into a cell grid the size of the viewer's terminal and
 * sends only what changed since the previous render.
 *
 * Layout (tmux with the status line at the bottom): rows 0..rows-2 are the window area, the last
 * row is the status line. Panes sit at their offsets with borders between them; a window smaller
 * than the area is surrounded by tmux's `·` filler (see border-painter.ts), a larger one is
 * clipped. With no window yet, `scene.waiting` is shown centred. The cursor follows the active
 * pane (its emulator cursor when live and not hidden, the copy cursor in copy mode), also while a
 * status message shows, and is hidden otherwise; while a prompt waits for an answer it stands after
 * the prompt (both as in tmux).
 *
 * The viewer's terminal mirrors the active pane's bracketed-paste mode (?2004h/l): sent when it
 * changes and again with every full redraw, turned off by leave(), so the viewer's terminal wraps pastes
 * exactly when the program in the pane asked for it. Mouse tracking is mirrored the same way for
 * read-write viewers (mouse-reports.ts).
 *
 * A frame with the same layout as the previous one (same window and pane rectangles, no copy
 * mode) starts as a copy of the previous frame and repaints only the status line and the pane rows
 * whose emulators changed since (pane-damage.ts): a keystroke's echo paints one row, not the
 * screen. Any other frame is painted whole; both give the same grid. A viewer's own overlay
 * (display-panes' numbers, a chooser) is painted over the panes when the scene has one.
 *
 * Invariants: `front` is what the viewer's terminal shows after the last render() output was
 * written; `back` is scratch for the next frame. After resize()/invalidate()/enter() the next
 * render() clears the viewer's screen and redraws everything.
 */
import type { PaneScene, Scene, WindowScene } from './scene.js';
import { paneDamage, type PaneDamage } from '../term/pane-damage.js';
import { BorderPainter, visiblePanes } from './border-painter.js';
import type { ColourDepth } from './colour-depth.js';
import { FrameEncoder } from './frame-encoder.js';
import { type CursorPos, PanePainter } from './pane-painter.js';
import { ScreenGrid } from './screen-grid.js';
import { paintStatus } from './status-painter.js';
import { stringWidth } from './text-width.js';
import { trackingChange, type MouseTracking } from '../term/mouse-reports.js';

const ESC = '\x1b[';
/** Clusters a grid may carry over from frame to frame before a frame starts from a clear grid. */
const MAX_KEPT_CLUSTERS = 1024;

/** A pane as a frame painted it: its emulator's damage tracker and the version painted. */
interface PaintedPane {
  damage: PaneDamage;
  version: number;
}

export class ViewerRenderer {
  private cols: number;
  private rows: number;
  private front: ScreenGrid;
  private back: ScreenGrid;
  private full = true;
  private readonly encoder: FrameEncoder;
  private readonly panePainter = new PanePainter();
  private readonly borderPainter = new BorderPainter();
  private readonly cursor: CursorPos = { x: 0, y: 0, visible: false };
  /** Bracketed-paste mode as last sent to the viewer (terminals start with it off). */
  private pasteMode = false;
  /** Whether this viewer's mouse may reach the panes (read-write viewers): see mouse-reports.ts. */
  mouseAllowed = false;
  /** Mouse tracking as last sent to the viewer (terminals start with it off). */
  private mouseTracking: MouseTracking = 'none';
  /** Layout of the last frame (see readLayout) when its panes may be repainted row by row. */
  private lastLayout: number[] = [];
  private lastLayoutValid = false;
  /** The last frame had an overlay (scene.overlay). */
  private lastOverlay = false;
  /** Scratch for this frame's layout, swapped with lastLayout (no garbage per frame). */
  private layout: number[] = [];
  /** The visible panes of the last frame, in order: whose damage, seen up to which version. */
  private readonly lastPanes: PaintedPane[] = [];
  /** Rows a repainted frame changed (the encoder compares only those). */
  private changedRows = new Uint8Array(0);

  /** `depth`: the colours the viewer's terminal shows (colour-depth.ts). */
  constructor(cols: number, rows: number, depth: ColourDepth = 'rgb') {
    this.encoder = new FrameEncoder(depth);
    this.cols = Math.max(0, Math.floor(cols));
    this.rows = Math.max(0, Math.floor(rows));
    this.front = new ScreenGrid(this.cols, this.rows);
    this.back = new ScreenGrid(this.cols, this.rows);
  }

  /**
   * The viewer's terminal changed size; the next render() is a full redraw. The grids are
   * reallocated by that render, so a storm of resizes between two frames costs one allocation.
   */
  resize(cols: number, rows: number): void {
    this.cols = Math.max(0, Math.floor(cols));
    this.rows = Math.max(0, Math.floor(rows));
    this.invalidate();
  }

  /** The viewer's screen may no longer match `front`; the next render() is a full redraw. */
  invalidate(): void {
    this.full = true;
  }

  /** Sent once on attach: alternate screen, autowrap off (the bottom-right cell never scrolls), clear. */
  enter(): string {
    this.invalidate();
    return `${ESC}?1049h${ESC}?7l${ESC}0m${ESC}H${ESC}2J`;
  }

  /** What to send now to show `scene`; '' when nothing changed since the last render. */
  render(scene: Scene): string {
    if (this.front.cols !== this.cols || this.front.rows !== this.rows) {
      this.front = new ScreenGrid(this.cols, this.rows);
      this.back = new ScreenGrid(this.cols, this.rows);
    }
    const back = this.back;
    const win = scene.window;
    const panes = win === null ? NO_PANES : visiblePanes(win);
    const layout = readLayout(win, panes, this.cols, this.rows, this.layout);
    // A frame with an overlay is painted whole, and so is the frame after it (which removes it).
    const overlay = scene.overlay !== undefined || this.lastOverlay;
    this.lastOverlay = scene.overlay !== undefined;
    const repainted = !overlay && this.repaintChanged(scene, panes, layout);
    if (!repainted) {
      back.clear();
      this.paint(scene, panes);
    }
    this.placeCursor(scene, panes);
    this.remember(panes, layout);
    const full = this.full;
    if (full) {
      this.front.clear();
      this.encoder.reset();
    }
    this.full = true; // stays set if encoding throws, so the next frame starts clean
    const out = this.encoder.encode(this.front, back, this.cursor, full, this.rows - 1, repainted ? this.changedRows : null);
    this.full = false;
    this.back = this.front;
    this.front = back;
    // xterm builds a new object for every read of `modes`: once per frame.
    const modes = activePaneOf(scene)?.terminal.modes;
    return this.pasteModeChange(modes?.bracketedPasteMode ?? false, full) + this.mouseTrackingChange(scene, modes?.mouseTrackingMode ?? 'none', full) + out;
  }

  /**
   * Restores the viewer's terminal: SGR reset, the session's screen cleared (as tmux does: a
   * terminal without a separate alternate screen, or one resized meanwhile, would keep its lines),
   * autowrap on, cursor visible, paste mode off if on, main screen.
   */
  leave(): string {
    const paste = this.pasteMode ? `${ESC}?2004l` : '';
    this.pasteMode = false;
    const mouse = trackingChange(this.mouseTracking, 'none');
    this.mouseTracking = 'none';
    return `${ESC}0m${ESC}H${ESC}2J${ESC}?7h${ESC}?25h${paste}${mouse}${ESC}?1049l`;
  }

  /**
   * The viewer's terminal reports the mouse as the active pane's program asked (tmux with `mouse`
   * off): only for read-write viewers, and not while copy mode or an overlay covers the pane.
   * Sent when it changes, and again with every full redraw.
   */
  private mouseTrackingChange(scene: Scene, paneTracking: MouseTracking, full: boolean): string {
    const copyMode = activePaneOf(scene)?.copyMode ?? null;
    const live = this.mouseAllowed && copyMode === null && scene.overlay === undefined;
    const wanted: MouseTracking = live ? paneTracking : 'none';
    const before = this.mouseTracking;
    this.mouseTracking = wanted;
    if (!full) return trackingChange(before, wanted);
    return (before !== wanted ? trackingChange(before, 'none') : '') + trackingChange('none', wanted);
  }

  /** `?2004h/l` when the active pane's bracketed-paste mode differs from the viewer's, or on a full redraw. */
  private pasteModeChange(wanted: boolean, full: boolean): string {
    if (!full && wanted === this.pasteMode) return '';
    this.pasteMode = wanted;
    return wanted ? `${ESC}?2004h` : `${ESC}?2004l`;
  }

  private paint(scene: Scene, panes: readonly PaneScene[]): void {
    const areaRows = Math.max(0, this.rows - 1);
    const win = scene.window;
    if (win === null) {
      paintWaiting(this.back, scene.waiting, areaRows);
    } else {
      this.borderPainter.paint(this.back, win, panes, this.cols, areaRows);
      for (const pane of panes) this.panePainter.paint(this.back, pane, this.cols, areaRows);
      scene.overlay?.paint(this.back, win, panes, this.cols, areaRows);
    }
    if (this.rows > 0) paintStatus(this.back, this.rows - 1, scene.status);
  }

  /**
   * Paints into `back` only what may differ from the last frame (`front`): the rows of live panes
   * that their emulators changed since, and the status line; false when the whole scene must be
   * painted instead (first frame, a redraw, another layout, copy mode, a pane without damage
   * tracking, or clusters piling up in the grid). The result is the same grid either way.
   */
  private repaintChanged(scene: Scene, panes: readonly PaneScene[], layout: boolean): boolean {
    if (this.full || !layout || !this.lastLayoutValid || this.rows === 0 || !sameNumbers(this.layout, this.lastLayout)) return false;
    if (this.front.clusterCount > MAX_KEPT_CLUSTERS || panes.length !== this.lastPanes.length) return false;
    for (let i = 0; i < panes.length; i++) {
      if (paneDamage(panes[i]!.terminal) !== this.lastPanes[i]!.damage) return false;
    }
    const back = this.back;
    back.copyFrom(this.front);
    if (this.changedRows.length !== this.rows) this.changedRows = new Uint8Array(this.rows);
    this.changedRows.fill(0);
    const areaRows = Math.max(0, this.rows - 1);
    for (let i = 0; i < panes.length; i++) this.repaintPane(panes[i]!, this.lastPanes[i]!, areaRows);
    back.clearSpan(this.rows - 1, 0, this.cols);
    paintStatus(back, this.rows - 1, scene.status);
    this.changedRows[this.rows - 1] = 1;
    return true;
  }

  private repaintPane(pane: PaneScene, seen: PaintedPane, areaRows: number): void {
    const rows = Math.min(pane.rows, areaRows - pane.yoff);
    const xEnd = Math.min(pane.xoff + pane.cols, this.cols);
    for (let r = 0; r < rows; r++) {
      if (!seen.damage.rowChangedSince(r, seen.version)) continue;
      const y = pane.yoff + r;
      if (y < 0) continue;
      this.back.clearSpan(y, pane.xoff, xEnd);
      this.panePainter.paintLiveRow(this.back, pane, r, this.cols);
      this.changedRows[y] = 1;
    }
  }

  /** Notes what this frame painted, so the next one can repaint only what changed since. */
  private remember(panes: readonly PaneScene[], layout: boolean): void {
    const previous = this.lastLayout;
    this.lastLayout = this.layout;
    this.layout = previous;
    this.lastLayoutValid = layout;
    const seen = this.lastPanes;
    if (!layout) {
      seen.length = 0;
      return;
    }
    for (let i = 0; i < panes.length; i++) {
      const damage = paneDamage(panes[i]!.terminal);
      if (damage === null) {
        this.lastLayoutValid = false;
        seen.length = 0;
        return;
      }
      const entry = seen[i];
      if (entry === undefined) seen.push({ damage, version: damage.version });
      else {
        entry.damage = damage;
        entry.version = damage.version;
      }
    }
    seen.length = panes.length;
  }

  /** The viewer's cursor: the active pane's, unless a status message is shown. */
  private placeCursor(scene: Scene, panes: readonly PaneScene[]): void {
    const cursor = this.cursor;
    cursor.visible = false;
    const win = scene.window;
    const { message, prompt, promptCursor } = scene.status;
    if (message !== null && prompt === true && this.rows > 0) {
      cursor.x = Math.min(promptCursor ?? stringWidth(message), Math.max(0, this.cols - 1));
      cursor.y = this.rows - 1;
      cursor.visible = true;
      return;
    }
    if (win === null || scene.overlay?.hidesCursor === true) return;
    const active = panes.find((p) => p.id === win.activePaneId);
    if (active === undefined) return;
    this.panePainter.cursor(active, cursor);
    if (cursor.x >= this.cols || cursor.y >= Math.max(0, this.rows - 1)) cursor.visible = false;
  }
}

const NO_PANES: readonly PaneScene[] = [];

/**
 * Writes into `out` what the borders and the pane areas of a frame depend on (viewer and window
 * size, active pane, each visible pane's id and rectangle), so two frames with equal numbers have
 * the same borders and pane rectangles; false when a frame must be painted whole (no window, or a
 * pane in copy mode, whose view moves without its emulator changing).
 */
function readLayout(win: WindowScene | null, panes: readonly PaneScene[], cols: number, rows: number, out: number[]): boolean {
  out.length = 0;
  if (win === null) return false;
  out.push(cols, rows, win.cols, win.rows, win.activePaneId, win.panes.length);
  for (const p of panes) {
    if (p.copyMode !== null) return false;
    out.push(p.id, p.xoff, p.yoff, p.cols, p.rows);
  }
  return true;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The waiting text, each line centred in the window area. */
function paintWaiting(grid: ScreenGrid, text: string, areaRows: number): void {
  const lines = text.split('\n');
  const top = Math.max(0, Math.floor((areaRows - lines.length) / 2));
  for (let i = 0; i < lines.length && top + i < areaRows; i++) {
    const line = lines[i]!;
    const x = Math.max(0, Math.floor((grid.cols - stringWidth(line)) / 2));
    grid.putText(x, top + i, line, grid.cols, 0, 0, 0);
  }
}

/** The window's active pane, if a window is shown. */
function activePaneOf(scene: Scene): PaneScene | undefined {
  const win = scene.window;
  return win?.panes.find((p) => p.id === win.activePaneId);
}
