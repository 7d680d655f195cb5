/** kill-server: ends the session (FIN), as tmate does. */
import type { CommandSpec } from './command-spec.js';

export const killServer: CommandSpec = {
  name: 'kill-server',
  flags: '',
  minArgs: 0,
  maxArgs: 0,
  target: 'none',
  run(ctx) {
    ctx.endSession();
    return null;
  },
};
