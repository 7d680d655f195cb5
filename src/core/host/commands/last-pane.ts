/** last-pane [-de] [-t window]: back to the window's previously active pane. */
import type { CommandSpec } from './command-spec.js';
import type { HostWindow } from '../host-window.js';

/** Shared with select-pane -l. */
export function selectLastPane(window: HostWindow, flags: ReadonlyMap<string, string>): string | null {
  const last = window.last;
  if (last === null) return 'no last pane';
  if (flags.has('e') || flags.has('d')) return null;
  window.unzoom();
  window.setActive(last);
  return null;
}

export const lastPane: CommandSpec = {
  name: 'last-pane',
  alias: 'lastp',
  flags: 'det:',
  minArgs: 0,
  maxArgs: 0,
  target: 'window',
  run: (_ctx, { flags, target }) => selectLastPane(target.window, flags),
};
