/** last-window [-t session]: back to the previously current window. */
import type { CommandSpec } from './command-spec.js';

export const lastWindow: CommandSpec = {
  name: 'last-window',
  alias: 'last',
  flags: 't:',
  minArgs: 0,
  maxArgs: 0,
  target: 'session',
  run: (ctx) => (ctx.session.last() === 0 ? null : 'no last window'),
};
