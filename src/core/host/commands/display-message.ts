/**
 * display-message [-p] [-c client] [-F format] [-t pane] [message]: there is no client to show
 * or print to, so it is accepted and does nothing (tmate sends nothing back either).
 */
import type { CommandSpec } from './command-spec.js';

export const displayMessage: CommandSpec = {
  name: 'display-message',
  alias: 'display',
  flags: 'c:pt:F:',
  minArgs: 0,
  maxArgs: 1,
  target: 'pane',
  usage: '[-p] [-c target-client] [-F format] [-t target-pane] [message]',
  run: () => null,
};
