/**
 * split-window [-bdhvP] [-c dir] [-F format] [-l size | -p percentage] [-t pane] [command]:
 * splits the target pane top/bottom (default) or left/right (-h); the new pane becomes active
 * unless -d. Errors read "create pane failed: …" as in tmux ("pane too small", "size invalid").
 */
import { parseNumber, type CommandSpec } from './command-spec.js';

const INT_MAX = 0x7fffffff;

export const splitWindow: CommandSpec = {
  name: 'split-window',
  alias: 'splitw',
  flags: 'bc:dF:l:hp:Pt:v',
  minArgs: 0,
  maxArgs: -1,
  target: 'pane',
  argsUsage: '[command]',
  run(ctx, { flags, args, target }) {
    const type = flags.has('h') ? 'leftright' : 'topbottom';
    let size = -1;
    const sizeText = flags.get('l');
    const percentText = flags.get('p');
    if (sizeText !== undefined) {
      const n = parseNumber(sizeText, 0, INT_MAX);
      if ('error' in n) return `create pane failed: size ${n.error}`;
      size = n.value;
    } else if (percentText !== undefined) {
      const n = parseNumber(percentText, 0, INT_MAX);
      if ('error' in n) return `create pane failed: percentage ${n.error}`;
      const whole = type === 'topbottom' ? target.pane.sy : target.pane.sx;
      size = Math.floor((whole * n.value) / 100);
    }
    return ctx.splitWindow({
      window: target.window,
      pane: target.pane,
      type,
      size,
      before: flags.has('b'),
      detached: flags.has('d'),
      command: args,
    });
  },
};
