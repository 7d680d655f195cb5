/**
 * Clearing the screen keeps what was on it in the scrollback, as tmux does: `clear` (ESC [ H
 * ESC [ J with TERM=screen, as tmate's panes have, or ESC [ 2 J) pushes the screen's lines, up to
 * the last one in use, into the history instead of erasing them. A pane hosted by the stock tmate
 * client is a tmux 2.4 pane: the host's copy mode scrolls through that history, and the relay
 * draws a viewer's copy mode from its own replica at the offsets the host reports, so a replica
 * that erased the screen would show every line above the clear a screenful off.
 *
 * tmux 2.4's rules, followed here: erase-in-display 2 (all) always scrolls the screen into the
 * history; erase-in-display 0 (below) does so when the cursor is on the first row, whatever its
 * column (the screen is then cleared whole); anything else erases in place. Only the normal
 * screen has a history; the alternate screen is erased as before.
 *
 * Invariants: xterm's own handler does the work (its scrollOnEraseInDisplay option for ED 2,
 * which createEmulator turns on); the handler here only turns an ED 0 on the first row into an
 * ED 2 before passing it on, and never handles a sequence itself.
 */
import type { Terminal } from '@xterm/headless';

/** xterm's parameter list as its core hands it to handlers (@xterm/headless 6.0.0). */
interface RawParams {
  length: number;
  params: Int32Array;
}

interface CoreWithCsiHandlers {
  registerCsiHandler?(id: { final: string }, callback: (params: RawParams) => boolean): unknown;
}

/** Makes ED 0 on the first row of the normal screen scroll it into the history (ED 2 does already). */
export function clearIntoHistory(term: Terminal): void {
  const core = (term as unknown as { _core?: CoreWithCsiHandlers })._core;
  if (typeof core?.registerCsiHandler !== 'function') return;
  core.registerCsiHandler({ final: 'J' }, (params) => {
    const below = params.length === 0 || params.params[0] === 0;
    const active = term.buffer.active;
    if (below && active.cursorY === 0 && active.type === 'normal') params.params[0] = 2;
    return false;
  });
}
