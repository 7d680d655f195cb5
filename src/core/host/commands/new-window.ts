/**
 * new-window [-adkP] [-c dir] [-F format] [-n name] [-t index] [command]: a window at the given
 * index (the first free one by default), made current unless -d. -P/-F print nowhere (there is no
 * client), so they are accepted and ignored; -k and -c are accepted and not supported; -a takes
 * the first free index after the target (tmux shifts the later windows up instead).
 */
import type { CommandSpec } from './command-spec.js';

export const newWindow: CommandSpec = {
  name: 'new-window',
  alias: 'neww',
  flags: 'ac:dF:kn:Pt:',
  minArgs: 0,
  maxArgs: -1,
  target: 'window-index',
  argsUsage: '[command]',
  run(ctx, { flags, args, target }) {
    let index = target.index;
    if (flags.has('a')) {
      index = ctx.session.firstFreeIndex(ctx.session.indexOf(target.window) + 1);
    }
    return ctx.newWindow({ index, name: flags.get('n') ?? null, detached: flags.has('d'), command: args });
  },
};
