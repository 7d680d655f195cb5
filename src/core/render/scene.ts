/**
 * What a viewer's renderer draws: a read-only description of the session at one instant.
 *
 * The relay builds a Scene from its session replica; the renderer never writes back. Pane content
 * is read straight from each pane's headless emulator (sized exactly cols×rows of the pane).
 *
 * Invariants: pane geometry is in cells inside the window (borders excluded, as SYNC_LAYOUT sends
 * it); `window.cols/rows` is the session size without the status line.
 */
import type { Terminal } from '@xterm/headless';
import type { CopyModeState } from '../protocol/tmate/messages.js';
import type { ScreenGrid } from './screen-grid.js';

export interface PaneScene {
  id: number;
  xoff: number;
  yoff: number;
  cols: number;
  rows: number;
  /** The pane's emulator; its normal buffer holds the scrollback copy mode scrolls through. */
  terminal: Terminal;
  /** Copy-mode state reported by the host, or null when the pane is live. */
  copyMode: CopyModeState | null;
  /** Lines of "output" copy mode (backing 0), oldest first; shown instead of the pane content. */
  outputLines: readonly string[];
}

export interface WindowScene {
  cols: number;
  rows: number;
  panes: PaneScene[];
  activePaneId: number;
}

export interface StatusWindow {
  index: number;
  name: string;
  active: boolean;
  /** The previously active window (tmux marks it with `-`). */
  last: boolean;
  /** How many panes it has (a window chooser lists it); absent means unknown. */
  panes?: number;
  /** Its active pane is zoomed (tmux marks it with `Z`); absent means not. */
  zoomed?: boolean;
  /** It rang a bell since it was last the active window (tmux marks it with `!`); absent means not. */
  bell?: boolean;
}

export interface StatusScene {
  /** Left part, e.g. `[tmate] `; plain text. */
  left: string;
  windows: StatusWindow[];
  /** Right part, e.g. ` [ro] 2 connected `; plain text. */
  right: string;
  /** A message that replaces the whole status line while set (display-message style). */
  message: string | null;
  /**
   * The message is a prompt waiting for an answer (confirm-before): the cursor goes after it, as
   * in tmux. Otherwise the cursor stays in the active pane while a message shows.
   */
  prompt?: boolean;
  /** Where in a prompt the cursor stands (cells from its start); its end when absent. */
  promptCursor?: number;
}

export interface Scene {
  /** Null until the host sent its first layout: the renderer shows `waiting` text instead. */
  window: WindowScene | null;
  status: StatusScene;
  waiting: string;
  /** Drawn over the window for this viewer alone (display-panes, a chooser); absent means none. */
  overlay?: WindowOverlay;
}

/** Something one viewer sees over the session's window: tmux draws these for one client. */
export interface WindowOverlay {
  /** Paints over the visible panes of `window` (already painted), nothing at or beyond clipCols×clipRows. */
  paint(grid: ScreenGrid, window: WindowScene, visible: readonly PaneScene[], clipCols: number, clipRows: number): void;
  /** The cursor stays hidden while the overlay shows. */
  readonly hidesCursor: boolean;
}
