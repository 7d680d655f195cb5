/** next-window [-a] [-t session]: the window with the next index, wrapping round. */
import type { CommandSpec } from './command-spec.js';

export const nextWindow: CommandSpec = {
  name: 'next-window',
  alias: 'next',
  flags: 'at:',
  minArgs: 0,
  maxArgs: 0,
  target: 'session',
  run: (ctx, { flags }) => (ctx.session.next(flags.has('a')) === 0 ? null : 'no next window'),
};
