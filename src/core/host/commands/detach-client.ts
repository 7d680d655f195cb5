/** detach-client [-aP] [-s session] [-t client]: no local clients exist; accepted, no effect. */
import type { CommandSpec } from './command-spec.js';

export const detachClient: CommandSpec = {
  name: 'detach-client',
  alias: 'detach',
  flags: 'as:t:P',
  minArgs: 0,
  maxArgs: 0,
  target: 'none',
  run: () => null,
};
