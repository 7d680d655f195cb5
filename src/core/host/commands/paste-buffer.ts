/**
 * paste-buffer [-dpr] [-s separator] [-b name] [-t pane]: writes the newest paste buffer into the
 * pane, line feeds replaced by the separator (CR by default, -r keeps them), wrapped in bracketed
 * paste markers with -p when the pane asked for them; -d deletes the buffer afterwards.
 */
import type { CommandSpec } from './command-spec.js';

export const pasteBuffer: CommandSpec = {
  name: 'paste-buffer',
  alias: 'pasteb',
  flags: 'db:prs:t:',
  minArgs: 0,
  maxArgs: 0,
  target: 'pane',
  run(ctx, { flags, target }) {
    const text = ctx.buffers.top();
    if (text === null) return 'no buffers';
    const separator = flags.get('s') ?? '\r';
    const body = flags.has('r') ? text : text.replace(/\n/g, separator);
    const bracketed = flags.has('p') && target.pane.terminal.modes.bracketedPasteMode;
    ctx.paneText(target.pane, bracketed ? `\x1b[200~${body}\x1b[201~` : body);
    if (flags.has('d')) ctx.buffers.deleteTop();
    return null;
  },
};
