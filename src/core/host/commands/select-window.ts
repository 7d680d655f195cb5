/**
 * select-window [-lnpT] [-t window]: makes the target window current; -n/-p/-l act like
 * next-window / previous-window / last-window; -T on the current window goes to the last one.
 */
import type { CommandSpec } from './command-spec.js';

export const selectWindow: CommandSpec = {
  name: 'select-window',
  alias: 'selectw',
  flags: 'lnpTt:',
  minArgs: 0,
  maxArgs: 0,
  target: 'window',
  run(ctx, { flags, target }) {
    const session = ctx.session;
    if (flags.has('n')) return session.next() === 0 ? null : 'no next window';
    if (flags.has('p')) return session.previous() === 0 ? null : 'no previous window';
    if (flags.has('l')) return session.last() === 0 ? null : 'no last window';
    if (flags.has('T') && target.window === session.current) {
      return session.last() === 0 ? null : 'no last window';
    }
    session.setCurrent(target.window);
    return null;
  },
};
