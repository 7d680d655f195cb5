/**
 * copy-mode [-eMu] [-t pane]: puts the pane in copy mode (SYNC_COPY_MODE follows); -u pages up
 * once. -e (exit at the bottom) is accepted; -M needs a mouse event, which never exists here.
 */
import type { CommandSpec } from './command-spec.js';

export const copyMode: CommandSpec = {
  name: 'copy-mode',
  flags: 'Met:u',
  minArgs: 0,
  maxArgs: 0,
  target: 'pane',
  run(ctx, { flags, target }) {
    if (flags.has('M')) return null;
    ctx.copyMode(target.pane, flags.has('u'));
    return null;
  },
};
