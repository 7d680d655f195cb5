/**
 * `find-window` (tmux's `C-b f`) as tmux 2.4 runs it, over what a relay knows of a session: the
 * windows whose name, or a visible line of one of whose panes, matches `*TEXT*` (fnmatch), each
 * with what matched (`pane 0 line 3: "…"`). Pane titles are not sent by hosts, so `-T` alone
 * matches nothing. tmux puts the host's pane in a chooser that viewers cannot see; the relay
 * draws the chooser for the viewer instead (core/render/window-chooser.ts).
 *
 * Invariants: windows in the order given, at most one match each (the first pane and line that
 * match, the name before the content, as tmux checks them); never throws on any text.
 */
import { parseArgs } from '../host/commands/command-args.js';
import { globMatch } from '../util/glob-match.js';

const FIND_WINDOW_FLAGS = 'CF:NTt:';
const FIND_WINDOW_USAGE = 'usage: find-window [-CNT] [-F format] [-t target-window] match-string';

export interface SearchableWindow {
  index: number;
  name: string;
  /** Each pane's visible lines, in pane-index order, trailing blanks trimmed. */
  panes: readonly (readonly string[])[];
}

export interface WindowMatch {
  index: number;
  /** The pane whose content matched (0 for a name match). */
  paneIndex: number;
  /** tmux's window_find_matches: '' for the name, `pane P line L: "text"` for content. */
  context: string;
}

export interface FindWindowQuery {
  text: string;
  byName: boolean;
  byContent: boolean;
}

/** `find-window [-CNT] [-F format] [-t window] match-string`'s query, or the error to show. */
export function findWindowArgs(argv: readonly string[]): FindWindowQuery | { error: string } {
  const args = parseArgs(FIND_WINDOW_FLAGS, argv.slice(1));
  const text = args?.args[0];
  if (args === null || text === undefined || args.args.length > 4) return { error: FIND_WINDOW_USAGE };
  const any = !args.flags.has('C') && !args.flags.has('N') && !args.flags.has('T');
  return { text, byName: any || args.flags.has('N'), byContent: any || args.flags.has('C') };
}

export function findWindows(windows: readonly SearchableWindow[], query: FindWindowQuery): WindowMatch[] {
  const pattern = `*${query.text}*`;
  const matches: WindowMatch[] = [];
  for (const window of windows) {
    const match = matchWindow(window, pattern, query);
    if (match !== null) matches.push(match);
  }
  return matches;
}

function matchWindow(window: SearchableWindow, pattern: string, query: FindWindowQuery): WindowMatch | null {
  if (query.byName && window.panes.length > 0 && globMatch(pattern, window.name)) return { index: window.index, paneIndex: 0, context: '' };
  if (!query.byContent) return null;
  for (let p = 0; p < window.panes.length; p++) {
    const lines = window.panes[p]!;
    const line = lines.findIndex((text) => globMatch(pattern, text));
    if (line >= 0) return { index: window.index, paneIndex: p, context: `pane ${p} line ${line + 1}: "${lines[line]}"` };
  }
  return null;
}
