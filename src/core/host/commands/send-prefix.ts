/** send-prefix [-2] [-t pane]: the prefix key (C-b) as a key for the pane; there is no prefix2. */
import type { CommandSpec } from './command-spec.js';

export const sendPrefix: CommandSpec = {
  name: 'send-prefix',
  flags: '2t:',
  minArgs: 0,
  maxArgs: 0,
  target: 'pane',
  run(ctx, { flags, target }) {
    if (!flags.has('2')) ctx.paneKey(target.pane, ctx.prefixKey);
    return null;
  },
};
