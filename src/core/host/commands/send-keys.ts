/**
 * send-keys [-lRM] [-t pane] key …: each argument is a key name (C-c, Enter, M-Up …) or, when it
 * is not one or with -l, text sent as it is. Keys go through the pane's copy mode when it runs.
 * -R (reset the terminal) is accepted and ignored; -M needs a mouse event, which never exists.
 * tmux 2.4 has no -X: it is a usage error.
 */
import type { CommandSpec } from './command-spec.js';
import { keyFromName } from '../../term/key-names.js';

export const sendKeys: CommandSpec = {
  name: 'send-keys',
  alias: 'send',
  flags: 'lRMt:',
  minArgs: 0,
  maxArgs: -1,
  target: 'pane',
  argsUsage: 'key ...',
  run(ctx, { flags, args, target }) {
    if (flags.has('M')) return 'no mouse target';
    for (const arg of args) {
      const key = flags.has('l') ? null : keyFromName(arg);
      if (key !== null) ctx.paneKey(target.pane, key);
      else ctx.paneText(target.pane, arg);
    }
    return null;
  },
};
