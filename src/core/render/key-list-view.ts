/**
 * `list-keys` (tmux's `C-b ?`) for one viewer: the session's key bindings as tmux 2.4 lists them,
 * one `bind-key [-r] -T TABLE KEY COMMAND` line per binding with the table and key columns padded,
 * shown over the window like tmux's output mode and scrolled with copy-mode keys until `q`.
 * tmux shows it in the active pane of every client attached; a shared session's viewers each get
 * their own, so that one person's look at the keys does not take the pane from everyone else.
 *
 * The same view shows a viewer's `show-messages` log (core/mux/message-log.ts).
 *
 * Invariants: the view never changes the session; lines are built once, when it opens (bindings
 * bound meanwhile show the next time); oy stays within 0..(lines that do not fit).
 */
import type { Emulator } from '../term/emulator.js';
import { keyMap, keyToName } from '../term/key-names.js';
import { wrapText } from './pane-painter.js';
import type { PaneScene, WindowScene } from './scene.js';
import type { CommandArgv, KeyTables } from '../mux/key-table.js';

/** Lines of `list-keys` for `table` (all tables when undefined), in tmux 2.4's format. */
export function listKeyLines(tables: KeyTables, table?: string): string[] {
  const listed = tables.list(table).map((entry) => ({ ...entry, keyName: keyToName(entry.key) }));
  const tableWidth = Math.max(0, ...listed.map((entry) => [...entry.table].length));
  const keyWidth = Math.max(0, ...listed.map((entry) => [...entry.keyName].length));
  const anyRepeat = listed.some((entry) => entry.binding.repeat);
  return listed.map(({ table: name, keyName, binding }) => {
    const repeat = !anyRepeat ? '' : binding.repeat ? '-r ' : '   ';
    const commands = binding.commands.map(commandText).join(' ; ');
    return `bind-key ${repeat}-T ${padTo(name, tableWidth)} ${padTo(keyName, keyWidth)} ${commands}`;
  });
}

/** A command as tmux prints it: words joined by spaces, a word with a space in double quotes. */
function commandText(argv: CommandArgv): string {
  return argv.map((word) => (word.includes(' ') ? `"${word}"` : word)).join(' ');
}

function padTo(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

type Motion = 'up' | 'down' | 'page-up' | 'page-down' | 'half-up' | 'half-down' | 'top' | 'bottom' | 'leave';

/** Copy-mode keys of tmux's emacs and vi tables that move through output, and the keys that leave it. */
const MOTIONS = keyMap<Motion>([
  ['Up', 'up'], ['k', 'up'], ['C-p', 'up'], ['C-Up', 'up'], ['C-y', 'up'],
  ['Down', 'down'], ['j', 'down'], ['C-n', 'down'], ['C-Down', 'down'], ['C-e', 'down'], ['Enter', 'down'],
  ['PPage', 'page-up'], ['M-v', 'page-up'], ['b', 'page-up'],
  ['NPage', 'page-down'], ['C-v', 'page-down'], ['Space', 'page-down'], ['f', 'page-down'], ['C-f', 'page-down'],
  ['C-u', 'half-up'], ['M-Up', 'half-up'], ['C-d', 'half-down'], ['M-Down', 'half-down'],
  ['g', 'top'], ['Home', 'top'], ['M-<', 'top'], ['G', 'bottom'], ['End', 'bottom'], ['M->', 'bottom'],
  ['q', 'leave'], ['Escape', 'leave'], ['C-c', 'leave'],
]);

export class KeyListView {
  /** Lines scrolled up from the bottom (as tmux's oy). */
  private oy = 0;

  constructor(readonly lines: readonly string[]) {}

  /**
   * One key while the view shows over a window of `rows` rows; false when the key closes it.
   * Keys that are not motions are ignored, as tmux's copy mode ignores unbound keys.
   */
  handleKey(key: number, cols: number, rows: number): boolean {
    const motion = MOTIONS.get(key);
    if (motion === undefined) return true;
    if (motion === 'leave') return false;
    const page = Math.max(1, rows - 2);
    const steps: Record<Exclude<Motion, 'leave'>, number> = {
      up: 1, down: -1, 'page-up': page, 'page-down': -page, 'half-up': Math.ceil(rows / 2), 'half-down': -Math.ceil(rows / 2),
      top: Infinity, bottom: -Infinity,
    };
    this.oy = Math.min(Math.max(0, this.oy + steps[motion]), this.hidden(cols, rows));
    return true;
  }

  /** Screen lines above the last page once long lines wrap at `cols` (as pane-painter.ts wraps them). */
  private hidden(cols: number, rows: number): number {
    const screenLines: string[] = [];
    for (const line of this.lines) wrapText(line, Math.max(1, cols), screenLines);
    return Math.max(0, screenLines.length - rows);
  }

  /** The window with the list over its whole area as one pane in output mode (pane-painter.ts draws it). */
  window(window: WindowScene, terminal: Emulator): WindowScene {
    const pane: PaneScene = {
      id: -1,
      xoff: 0,
      yoff: 0,
      cols: window.cols,
      rows: window.rows,
      terminal,
      copyMode: { backing: 0, oy: Math.min(this.oy, this.hidden(window.cols, window.rows)), cx: 0, cy: 0, selection: null, prompt: null },
      outputLines: this.lines,
    };
    return { cols: window.cols, rows: window.rows, panes: [pane], activePaneId: -1 };
  }
}
