/**
 * `choose-window` (tmux's `C-b w`) and `choose-tree` (`C-b s`) for one viewer: the session's
 * windows as a list over the active pane (choose-tree: under a line for the session), as tmux
 * 2.4's choose mode draws it, one line per window
 * (`(0)  0: bash* (1 panes) [100x29]`), the selected one in mode-style (black on yellow) and
 * windows that rang a bell in bold. Up/Down (and k/j, C-p/C-n) move, wrapping round as tmux's do;
 * PgUp/PgDn a page; Home/End the ends; Enter or an item's label key (`0`–`9`) chooses; q, Escape
 * or C-c leave. tmux puts the pane in a mode that every client of the pane sees; a shared
 * session's viewers each get their own, so one person's look does not take the pane from others.
 *
 * Invariants: 0 <= selected < items.length (the list is never empty: a session has a window);
 * `top` keeps the selected line on screen; nothing is drawn outside the pane rectangle or at or
 * beyond (clipCols, clipRows).
 */
import { keyMap } from '../term/key-names.js';
import type { PaneScene, StatusWindow, WindowOverlay, WindowScene } from './scene.js';
import { ATTR_BOLD, BLACK, type ScreenGrid, YELLOW } from './screen-grid.js';
import { windowFlags } from './status-painter.js';
import { parseArgs } from '../host/commands/command-args.js';
import type { SearchableWindow, WindowMatch } from '../mux/find-window.js';

/** tmux 2.4's choose-window: `-F format` and `-t target-window` (ignored), the template run for the window chosen. */
const CHOOSE_WINDOW_FLAGS = 'F:t:';
const CHOOSE_WINDOW_USAGE = 'usage: choose-window [-F format] [-t target-window] [template]';
/** tmux 2.4's choose-tree: `-c` is the window template; the rest (formats, session template, -suw) are ignored. */
const CHOOSE_TREE_FLAGS = 'S:W:swub:c:t:';
const CHOOSE_TREE_USAGE = 'usage: choose-tree [-suw] [-b session-template] [-c window template] [-S format] [-W format] [-t target-window]';
const DEFAULT_TEMPLATE = "select-window -t '%%'";

export interface ChooserItem {
  /** The line shown, without its `(0)` label. */
  text: string;
  /** Shown bold (the window rang a bell). */
  alert: boolean;
  /** What the template's `%%` becomes when the item is chosen (a target such as `:1`); null: nothing to run. */
  target: string | null;
}

export type ChooserResult = { kind: 'stay' } | { kind: 'leave' } | { kind: 'choose'; item: ChooserItem };

type Move = 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom' | 'choose' | 'leave';

const MOVES = keyMap<Move>([
  ['Up', 'up'], ['k', 'up'], ['C-p', 'up'], ['Down', 'down'], ['j', 'down'], ['C-n', 'down'],
  ['PPage', 'page-up'], ['NPage', 'page-down'],
  ['Home', 'top'], ['End', 'bottom'], ['Enter', 'choose'], ['q', 'leave'], ['Escape', 'leave'], ['C-c', 'leave'],
]);

/** Keys that choose the item at their position, as tmux labels the first ten. */
const LABEL_KEYS = '0123456789';

/** `choose-window [-F format] [-t window] [template]`'s template, or the error to show. */
export function chooseWindowArgs(argv: readonly string[]): { template: string } | { error: string } {
  const args = parseArgs(CHOOSE_WINDOW_FLAGS, argv.slice(1));
  if (args === null || args.args.length > 1) return { error: CHOOSE_WINDOW_USAGE };
  return { template: args.args[0] ?? DEFAULT_TEMPLATE };
}

/** `choose-tree [-c window-template] …`'s window template, or the error to show. */
export function chooseTreeArgs(argv: readonly string[]): { template: string } | { error: string } {
  const args = parseArgs(CHOOSE_TREE_FLAGS, argv.slice(1));
  if (args === null || args.args.length > 0) return { error: CHOOSE_TREE_USAGE };
  return { template: args.flags.get('c') ?? DEFAULT_TEMPLATE };
}

/**
 * choose-tree's list: the session (`tmate: 2 windows (attached)`, as tmux 2.4's session template;
 * choosing it runs nothing, a viewer has no other session to switch to) and its windows under it.
 */
export function sessionTreeItems(session: string, windows: readonly StatusWindow[], cols: number, rows: number): ChooserItem[] {
  const header: ChooserItem = { text: `${session}: ${windows.length} windows (attached)`, alert: false, target: null };
  const last = windows.length - 1;
  const branches = windowChooserItems(windows, cols, rows).map((item, i) => ({ ...item, text: `${i === last ? '└─>' : '├─>'} ${item.text}` }));
  return [header, ...branches];
}

/**
 * find-window's list: each matching window as tmux 2.4's find-window template shows it,
 * `#I: #W [WxH] (N panes) MATCHES` (`1: logs [80x23] (2 panes) pane 1 line 4: "error: …"`).
 */
export function foundWindowItems(
  matches: readonly WindowMatch[], searched: readonly SearchableWindow[], windows: readonly StatusWindow[], cols: number, rows: number,
): ChooserItem[] {
  return matches.map((match) => {
    const window = searched.find((w) => w.index === match.index);
    const status = windows.find((w) => w.index === match.index);
    const text = `${match.index}: ${window?.name ?? ''} [${cols}x${rows}] (${window?.panes.length ?? 1} panes) ${match.context}`;
    return { text, alert: status?.bell === true, target: `:${match.index}` };
  });
}

/** The windows as choose-window lists them: tmux's `#I: #W#F (N panes) [WxH]`. */
export function windowChooserItems(windows: readonly StatusWindow[], cols: number, rows: number): ChooserItem[] {
  return windows.map((w) => {
    return { text: `${w.index}: ${w.name}${windowFlags(w)} (${w.panes ?? 1} panes) [${cols}x${rows}]`, alert: w.bell === true, target: `:${w.index}` };
  });
}

export class WindowChooser implements WindowOverlay {
  readonly hidesCursor = true;
  private top = 0;
  /** Rows of the pane the list was last drawn in (what a page is). */
  private rows = 1;

  constructor(readonly items: readonly ChooserItem[], private selected = 0) {
    this.selected = Math.min(Math.max(0, selected), Math.max(0, items.length - 1));
  }

  handleKey(key: number): ChooserResult {
    const n = this.items.length;
    const labelled = LABEL_KEYS.indexOf(String.fromCharCode(key));
    if (key < 0x80 && labelled >= 0 && labelled < n) return { kind: 'choose', item: this.items[labelled]! };
    const move = MOVES.get(key);
    if (move === undefined || n === 0) return { kind: 'stay' };
    if (move === 'leave') return { kind: 'leave' };
    if (move === 'choose') return { kind: 'choose', item: this.items[this.selected]! };
    const page = Math.max(1, this.rows);
    const to: Record<Exclude<Move, 'choose' | 'leave'>, number> = {
      up: this.selected === 0 ? n - 1 : this.selected - 1,
      down: this.selected === n - 1 ? 0 : this.selected + 1,
      'page-up': Math.max(0, this.selected - page),
      'page-down': Math.min(n - 1, this.selected + page),
      top: 0,
      bottom: n - 1,
    };
    this.selected = to[move];
    return { kind: 'stay' };
  }

  paint(grid: ScreenGrid, window: WindowScene, visible: readonly PaneScene[], clipCols: number, clipRows: number): void {
    const pane = visible.find((p) => p.id === window.activePaneId) ?? { xoff: 0, yoff: 0, cols: window.cols, rows: window.rows };
    const x1 = Math.min(pane.xoff + pane.cols, clipCols);
    const rows = Math.max(1, Math.min(pane.rows, clipRows - pane.yoff));
    this.rows = rows;
    if (this.selected < this.top) this.top = this.selected;
    if (this.selected >= this.top + rows) this.top = this.selected - rows + 1;
    const labelWidth = String(this.items.length).length + 2;
    for (let r = 0; r < rows; r++) {
      const y = pane.yoff + r;
      grid.clearSpan(y, pane.xoff, x1);
      const index = this.top + r;
      const item = this.items[index];
      if (item === undefined) continue;
      const key = index < LABEL_KEYS.length ? LABEL_KEYS[index]! : String(index);
      const line = `${`(${key})`.padStart(labelWidth)}  ${item.text}`;
      const chosen = index === this.selected;
      const fg = chosen ? BLACK : 0;
      const bg = chosen ? YELLOW : 0;
      const attrs = item.alert ? ATTR_BOLD : 0;
      // tmux pads the selected line in mode-style up to the pane's last column, which it leaves.
      if (chosen) grid.fill(pane.xoff, x1 - 1, y, 0x20, fg, bg, attrs);
      grid.putText(pane.xoff, y, line, Math.max(pane.xoff, x1 - 1), fg, bg, attrs);
    }
  }
}
