/**
 * select-pane [-DdegLlMmRU] [-P style] [-t pane]: makes the target pane (or its neighbour with
 * -L/-R/-U/-D, or the last pane with -l) the active pane of its window. Marks (-m/-M), styles
 * (-P/-g) and input on/off (-e/-d) have no effect here; they are accepted.
 */
import type { CommandInput, CommandSpec } from './command-spec.js';
import { findNeighbour, type Direction } from '../pane-navigation.js';
import { selectLastPane } from './last-pane.js';

const DIRECTIONS: ReadonlyArray<[string, Direction]> = [['L', 'left'], ['R', 'right'], ['U', 'up'], ['D', 'down']];

function run(input: CommandInput): string | null {
  const { flags, target } = input;
  const window = target.window;
  if (flags.has('l')) return selectLastPane(window, flags);
  if (flags.has('m') || flags.has('M') || flags.has('P') || flags.has('g')) return null;
  let pane = target.pane;
  const direction = DIRECTIONS.find(([letter]) => flags.has(letter));
  if (direction) {
    window.unzoom();
    const next = findNeighbour(window, pane, direction[1]);
    if (next === null) return null;
    pane = next;
  }
  if (flags.has('e') || flags.has('d') || pane === window.active) return null;
  window.unzoom();
  if (!window.isVisible(pane)) return 'pane not visible';
  window.setActive(pane);
  return null;
}

export const selectPane: CommandSpec = {
  name: 'select-pane',
  alias: 'selectp',
  flags: 'DdegLlMmP:Rt:U',
  minArgs: 0,
  maxArgs: 0,
  target: 'pane',
  run: (_ctx, input) => run(input),
};
