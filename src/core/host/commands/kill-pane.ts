/** kill-pane [-a] [-t pane]: closes the pane (with -a: every other pane of its window). */
import type { CommandSpec } from './command-spec.js';

export const killPane: CommandSpec = {
  name: 'kill-pane',
  alias: 'killp',
  flags: 'at:',
  minArgs: 0,
  maxArgs: 0,
  target: 'pane',
  run(ctx, { flags, target }) {
    const { window, pane } = target;
    window.unzoom();
    if (window.panes.length === 1) {
      ctx.killWindow(window);
      return null;
    }
    if (!flags.has('a')) {
      ctx.killPane(window, pane);
      return null;
    }
    for (const other of [...window.panes]) if (other !== pane) ctx.killPane(window, other);
    return null;
  },
};
