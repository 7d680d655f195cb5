/** kill-window [-a] [-t window]: closes the window (with -a: every other window). */
import type { CommandSpec } from './command-spec.js';

export const killWindow: CommandSpec = {
  name: 'kill-window',
  alias: 'killw',
  flags: 'at:',
  minArgs: 0,
  maxArgs: 0,
  target: 'window',
  run(ctx, { flags, target }) {
    if (!flags.has('a')) {
      ctx.killWindow(target.window);
      return null;
    }
    for (const { window } of ctx.session.windows()) if (window !== target.window) ctx.killWindow(window);
    return null;
  },
};
