/**
 * resize-pane [-DLMRUZ] [-x width] [-y height] [-t pane] [adjustment]: -Z toggles zoom; -L/-R/-U/-D
 * move the pane's border by `adjustment` cells (1 by default); -x/-y set a size. -M (mouse
 * drag) has no mouse here and does nothing.
 */
import { parseNumber, type CommandSpec } from './command-spec.js';
import { PANE_MINIMUM } from '../layout.js';

const INT_MAX = 0x7fffffff;

export const resizePane: CommandSpec = {
  name: 'resize-pane',
  alias: 'resizep',
  flags: 'DLMRt:Ux:y:Z',
  minArgs: 0,
  maxArgs: 1,
  target: 'pane',
  argsUsage: '[adjustment]',
  run(_ctx, { flags, args, target }) {
    const { window, pane } = target;
    if (flags.has('M')) return null;
    if (flags.has('Z')) {
      if (!window.unzoom()) window.zoom(pane);
      return null;
    }
    window.unzoom();
    let adjust = 1;
    if (args[0] !== undefined) {
      const n = parseNumber(args[0], 1, INT_MAX);
      if ('error' in n) return `adjustment ${n.error}`;
      adjust = n.value;
    }
    for (const [letter, type, what] of [['x', 'leftright', 'width'], ['y', 'topbottom', 'height']] as const) {
      const text = flags.get(letter);
      if (text === undefined) continue;
      const n = parseNumber(text, PANE_MINIMUM, INT_MAX);
      if ('error' in n) return `${what} ${n.error}`;
      window.resizePaneTo(pane, type, n.value);
    }
    if (flags.has('L')) window.resizePane(pane, 'leftright', -adjust);
    else if (flags.has('R')) window.resizePane(pane, 'leftright', adjust);
    else if (flags.has('U')) window.resizePane(pane, 'topbottom', -adjust);
    else if (flags.has('D')) window.resizePane(pane, 'topbottom', adjust);
    return null;
  },
};
