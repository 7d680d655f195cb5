/** previous-window [-a] [-t session]: the window with the previous index, wrapping round. */
import type { CommandSpec } from './command-spec.js';

export const previousWindow: CommandSpec = {
  name: 'previous-window',
  alias: 'prev',
  flags: 'at:',
  minArgs: 0,
  maxArgs: 0,
  target: 'session',
  run: (ctx, { flags }) => (ctx.session.previous(flags.has('a')) === 0 ? null : 'no previous window'),
};
