/** rename-window [-t window] new-name: fixes the name and turns automatic renaming off. */
import type { CommandSpec } from './command-spec.js';

export const renameWindow: CommandSpec = {
  name: 'rename-window',
  alias: 'renamew',
  flags: 't:',
  minArgs: 1,
  maxArgs: 1,
  target: 'window',
  argsUsage: 'new-name',
  run(_ctx, { args, target }) {
    target.window.rename(args[0] ?? '');
    return null;
  },
};
