/**
 * One SSH viewer's screen: paints a Scene into a cell grid the size of the viewer's terminal and
 * sends only what changed since the previous render.
 *
 * Layout (tmux with the status line at the bottom): rows 0..rows-2 are the window area, the last
 * row is the status line. Panes sit at their offsets with borders between them; a window smaller
 * than the area is surrounded by tmux's `·` filler (see border-painter.ts), a larger one is
 * clipped. With no window yet, `scene.waiting` is shown centred. The cursor follows the active
 * pane (its emulator cursor when live and not hidden, the copy cursor in copy mode) and is hidden
 * otherwise, including while a status message is shown (tmux does the same).
 *
 * The viewer's terminal mirrors the active pane's bracketed-paste mode (?2004h/l): sent when it
 * changes and again with every full redraw, turned off by leave(), so the viewer's terminal wraps pastes
 * exactly when the program in the pane asked for it.
 *
 * Invariants: `front` is what the viewer's terminal shows after the last render() output was
 * written; `back` is scratch for the next frame. After resize()/invalidate()/enter() the next
 * render() clears the viewer's screen and redraws everything.
 */
import type { Scene } from './scene.js';
import { BorderPainter, visiblePanes } from './border-painter.js';
import { FrameEncoder } from './frame-encoder.js';
import { type CursorPos, PanePainter } from './pane-painter.js';
import { ScreenGrid } from './screen-grid.js';
import { paintStatus } from './status-painter.js';
import { stringWidth } from './text-width.js';

const ESC = '\x1b[';

export class ViewerRenderer {
  private cols: number;
  private rows: number;
  private front: ScreenGrid;
  private back: ScreenGrid;
  private full = true;
  private readonly encoder = new FrameEncoder();
  private readonly panePainter = new PanePainter();
  private readonly borderPainter = new BorderPainter();
  private readonly cursor: CursorPos = { x: 0, y: 0, visible: false };
  /** Bracketed-paste mode as last sent to the viewer (terminals start with it off). */
  private pasteMode = false;

  constructor(cols: number, rows: number) {
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
    back.clear();
    this.paint(scene);
    const full = this.full;
    if (full) {
      this.front.clear();
      this.encoder.reset();
    }
    this.full = true; // stays set if encoding throws, so the next frame starts clean
    const out = this.encoder.encode(this.front, back, this.cursor, full, this.rows - 1);
    this.full = false;
    this.back = this.front;
    this.front = back;
    return this.pasteModeChange(scene, full) + out;
  }

  /** Restores the viewer's terminal: SGR reset, autowrap on, cursor visible, paste mode off if on, main screen. */
  leave(): string {
    const paste = this.pasteMode ? `${ESC}?2004l` : '';
    this.pasteMode = false;
    return `${ESC}0m${ESC}?7h${ESC}?25h${paste}${ESC}?1049l`;
  }

  /** `?2004h/l` when the active pane's bracketed-paste mode differs from the viewer's, or on a full redraw. */
  private pasteModeChange(scene: Scene, full: boolean): string {
    const win = scene.window;
    const active = win?.panes.find((p) => p.id === win.activePaneId);
    const wanted = active?.terminal.modes.bracketedPasteMode ?? false;
    if (!full && wanted === this.pasteMode) return '';
    this.pasteMode = wanted;
    return wanted ? `${ESC}?2004h` : `${ESC}?2004l`;
  }

  private paint(scene: Scene): void {
    const areaRows = Math.max(0, this.rows - 1);
    const cursor = this.cursor;
    cursor.visible = false;
    const win = scene.window;
    if (win === null) {
      paintWaiting(this.back, scene.waiting, areaRows);
    } else {
      const panes = visiblePanes(win);
      this.borderPainter.paint(this.back, win, panes, this.cols, areaRows);
      for (const pane of panes) this.panePainter.paint(this.back, pane, this.cols, areaRows);
      const active = panes.find((p) => p.id === win.activePaneId);
      if (active !== undefined && scene.status.message === null) {
        this.panePainter.cursor(active, cursor);
        if (cursor.x >= this.cols || cursor.y >= areaRows) cursor.visible = false;
      }
    }
    if (this.rows > 0) paintStatus(this.back, this.rows - 1, scene.status);
  }
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
