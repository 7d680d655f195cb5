/**
 * `find-window` (tmux's `C-b f`) as tmux 2.4 runs it, over what a relay knows of a session: the
 * windows whose name, or a visible line of one of whose panes, matches `*TEXT*` (fnmatch), each
 * with what matched (`pane 0 line 3: "…"`). Pane titles are not sent by hosts, so `-T` alone
 * matches nothing. tmux puts the host's pane in a chooser that viewers cannot see; the relay
 * draws the chooser for the viewer instead (core/render/window-chooser.ts).
 *
 * Invariants: windows in the order given, at most one match each (the first pane and line that
 * match, the name before the content, as tmux checks them); never throws on any text; one search
 * takes at most SEARCH_STEPS matching steps, and says when it stopped there.
 */
import { parseArgs } from '../host/commands/command-args.js';
import { compileGlob, type MatchBudget } from '../util/glob-match.js';

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

/**
 * Most matching steps one search may take (a few tens of milliseconds): a pattern of many stars
 * over every visible cell of a large session costs pattern × cells, and the relay's event loop
 * serves every other session meanwhile.
 */
export const SEARCH_STEPS = 5_000_000;

export interface FindWindowResult {
  matches: WindowMatch[];
  /** The step budget ran out: windows after the last match may not have been searched. */
  incomplete: boolean;
  /** Matching steps spent. */
  steps: number;
}

/**
 * Searching allowed over time: SEARCH_STEPS a second, at most SEARCH_STEPS at once. One instance
 * serves a whole relay process, so that viewers pasting find-window commands by the thousand, in
 * one session or many, cannot take more than a small share of the event loop.
 */
export class SearchAllowance {
  private steps = SEARCH_STEPS;
  private at: number | null = null;

  /** Steps available at `now` (ms). */
  available(now: number): number {
    if (this.at !== null) this.steps = Math.min(SEARCH_STEPS, this.steps + Math.max(0, now - this.at) * (SEARCH_STEPS / 1000));
    this.at = now;
    return Math.floor(this.steps);
  }

  spend(steps: number): void {
    this.steps -= steps;
  }
}

export function findWindows(windows: readonly SearchableWindow[], query: FindWindowQuery, steps = SEARCH_STEPS): FindWindowResult {
  const match = compileGlob(`*${query.text}*`);
  const budget: MatchBudget = { steps };
  const matches: WindowMatch[] = [];
  for (const window of windows) {
    const found = matchWindow(window, (text) => match(text, budget), query);
    if (found !== null) matches.push(found);
    if (budget.steps < 0) break;
  }
  return { matches, incomplete: budget.steps < 0, steps: steps - Math.max(0, budget.steps) };
}

function matchWindow(window: SearchableWindow, matches: (text: string) => boolean, query: FindWindowQuery): WindowMatch | null {
  if (query.byName && window.panes.length > 0 && matches(window.name)) return { index: window.index, paneIndex: 0, context: '' };
  if (!query.byContent) return null;
  for (let p = 0; p < window.panes.length; p++) {
    const lines = window.panes[p]!;
    const line = lines.findIndex(matches);
    if (line >= 0) return { index: window.index, paneIndex: p, context: `pane ${p} line ${line + 1}: "${lines[line]}"` };
  }
  return null;
}
