/**
 * rotate-window [-DU] [-t target-window]: the panes move one place along the window (-U, the
 * default: up, the second pane into the first place; -D: down), the active place staying where it
 * is (HostWindow.rotate).
 */
import type { CommandSpec } from './command-spec.js';

export const rotateWindow: CommandSpec = {
  name: 'rotate-window',
  alias: 'rotatew',
  flags: 'Dt:U',
  minArgs: 0,
  maxArgs: 0,
  target: 'window',
  run(_ctx, { flags, target }) {
    target.window.rotate(flags.has('D'));
    return null;
  },
};
