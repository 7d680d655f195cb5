/**
 * Test helpers for the renderer: real headless emulators for pane content, scene builders, and a
 * "viewer" emulator that replays what the renderer sent so tests assert on the resulting screen.
 */
import xterm from '@xterm/headless';
import type { IBufferCell, Terminal } from '@xterm/headless';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import type { CopyModeState } from '../../../src/core/protocol/tmate/messages.js';
import type { PaneScene, Scene, StatusScene, WindowScene } from '../../../src/core/render/scene.js';

export function makeTerm(cols: number, rows: number, scrollback = 1000): Terminal {
  const term = new xterm.Terminal({ cols, rows, scrollback, allowProposedApi: true });
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  return term;
}

export function write(term: Terminal, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

/** A fresh viewer terminal of the given size with `chunks` written into it in order. */
export async function replay(cols: number, rows: number, ...chunks: string[]): Promise<Terminal> {
  const term = makeTerm(cols, rows, 0);
  for (const c of chunks) await write(term, c);
  return term;
}

/** Feeds more output into an existing viewer terminal. */
export async function feed(viewer: Terminal, ...chunks: string[]): Promise<Terminal> {
  for (const c of chunks) await write(viewer, c);
  return viewer;
}

/** The visible screen as one string per row (not trimmed). */
export function screen(term: Terminal): string[] {
  const buf = term.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < term.rows; y++) out.push(buf.getLine(buf.baseY + y)!.translateToString(false));
  return out;
}

export function cellAt(term: Terminal, x: number, y: number): IBufferCell {
  const buf = term.buffer.active;
  return buf.getLine(buf.baseY + y)!.getCell(x)!;
}

export function pane(
  id: number, terminal: Terminal, geom: { xoff: number; yoff: number; cols: number; rows: number },
  copyMode: CopyModeState | null = null, outputLines: string[] = [],
): PaneScene {
  return { id, terminal, copyMode, outputLines, ...geom };
}

export function status(over: Partial<StatusScene> = {}): StatusScene {
  return {
    left: '[tmate] ',
    windows: [{ index: 0, name: 'bash', active: true, last: false }],
    right: '',
    message: null,
    ...over,
  };
}

export function scene(window: WindowScene | null, st: StatusScene = status(), waiting = 'waiting for the host'): Scene {
  return { window, status: st, waiting };
}

/** A window with one pane filling it. */
export function singlePaneWindow(term: Terminal): WindowScene {
  return {
    cols: term.cols,
    rows: term.rows,
    activePaneId: 1,
    panes: [pane(1, term, { xoff: 0, yoff: 0, cols: term.cols, rows: term.rows })],
  };
}

/** Palette colour of a viewer cell: -1 for default. */
export function fgOf(c: IBufferCell): number {
  return c.isFgDefault() ? -1 : c.getFgColor();
}

export function bgOf(c: IBufferCell): number {
  return c.isBgDefault() ? -1 : c.getBgColor();
}

/** A cell as comparable text: chars, width, colours and attributes. */
export function describeCell(c: IBufferCell): string {
  const flags = [
    c.isBold(), c.isDim(), c.isItalic(), c.isUnderline(), c.isBlink(), c.isInverse(), c.isInvisible(),
    c.isStrikethrough(), c.isOverline(),
  ].map((f) => (f ? 1 : 0)).join('');
  const chars = c.getChars() === '' ? ' ' : c.getChars();
  return `${chars}/${c.getWidth()}/${c.getFgColorMode()}:${c.getFgColor()}/${c.getBgColorMode()}:${c.getBgColor()}/${flags}`;
}

/**
 * Differences between a region of `a` (from ax,ay) and of `b` (from bx,by), cols×rows cells.
 * Empty when every cell looks the same.
 */
export function diffRegion(
  a: Terminal, ax: number, ay: number, b: Terminal, bx: number, by: number, cols: number, rows: number,
): string[] {
  const out: string[] = [];
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const ca = describeCell(cellAt(a, ax + x, ay + y));
      const cb = describeCell(cellAt(b, bx + x, by + y));
      if (ca !== cb) out.push(`(${x},${y}) ${ca} != ${cb}`);
    }
  }
  return out;
}
