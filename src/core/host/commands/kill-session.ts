/** kill-session [-aC] [-t session]: ends the session (FIN); -a (other sessions) and -C do nothing. */
import type { CommandSpec } from './command-spec.js';

export const killSession: CommandSpec = {
  name: 'kill-session',
  flags: 'aCt:',
  minArgs: 0,
  maxArgs: 0,
  target: 'session',
  run(ctx, { flags }) {
    if (!flags.has('a') && !flags.has('C')) ctx.endSession();
    return null;
  },
};
