/**
 * swap-pane [-dDU] [-s src-pane] [-t dst-pane]: exchanges two panes of one window (-D/-U: with
 * the next/previous pane). Across windows tmate refuses with its own message.
 */
import type { CommandSpec } from './command-spec.js';
import { findTarget } from '../target.js';

export const swapPane: CommandSpec = {
  name: 'swap-pane',
  alias: 'swapp',
  flags: 'dDs:t:U',
  minArgs: 0,
  maxArgs: 0,
  target: 'pane',
  run(ctx, { flags, target }) {
    const { window, pane: dst } = target;
    const at = window.indexOf(dst);
    const count = window.panes.length;
    let src = dst;
    let srcWindow = window;
    if (flags.has('D')) src = window.panes[(at + 1) % count] ?? dst;
    else if (flags.has('U')) src = window.panes[(at - 1 + count) % count] ?? dst;
    else {
      const found = findTarget(ctx.session, flags.get('s'), 'pane');
      if (!found.ok) return found.error;
      src = found.found.pane;
      srcWindow = found.found.window;
    }
    window.unzoom();
    srcWindow.unzoom();
    if (srcWindow !== window) return 'swap pane on different window is not supported with tmate';
    if (src === dst) return null;
    window.swapPanes(src, dst);
    if (!flags.has('d')) window.setActive(window.isVisible(dst) ? dst : src);
    else if (window.active === src) window.setActive(dst);
    else if (window.active === dst) window.setActive(src);
    return null;
  },
};
