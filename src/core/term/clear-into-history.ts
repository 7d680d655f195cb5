/**
 * Clearing the screen keeps what was on it in the scrollback, as tmux does: `clear` (ESC [ H
 * ESC [ J with TERM=screen, as tmate's panes have, or ESC [ 2 J) and `reset` (ESC c) push the
 * screen's lines, up to the last one in use, into the history instead of erasing them, and a reset
 * keeps the history. A pane hosted by the stock tmate client is a tmux 2.4 pane: the host's copy
 * mode scrolls through that history, and the relay draws a viewer's copy mode from its own replica
 * at the offsets the host reports, so a replica that dropped those lines would show every line
 * above the clear a screenful off, or nothing at all above a reset.
 *
 * tmux 2.4's rules, followed here: erase-in-display 2 (all) always scrolls the screen into the
 * history; erase-in-display 0 (below) does so when the cursor is on the first row, whatever its
 * column (the screen is then cleared whole); anything else erases in place. A full reset (RIS)
 * clears the screen the same way and keeps the history. Only the normal screen has a history; the
 * alternate screen is erased as before.
 *
 * Invariants: xterm's own handlers do the work (its scrollOnEraseInDisplay option for ED 2, which
 * createEmulator turns on, and its full reset); the ED handler here only turns an ED 0 on the
 * first row into an ED 2 before passing it on. The RIS handler runs xterm's reset and puts the
 * lines it kept back in front of the new screen, as scrollback; when xterm's internals are not the
 * shape checked, xterm's reset runs alone (the history is lost, nothing else changes).
 */
import type { Terminal } from '@xterm/headless';
import { movableNormalBuffer, type MovableBuffer, type TrimmableLine } from './xterm-buffer-line.js';

/** xterm's parameter list as its core hands it to handlers (@xterm/headless 6.0.0). */
interface RawParams {
  length: number;
  params: Int32Array;
}

interface CoreInternals {
  registerCsiHandler?(id: { final: string }, callback: (params: RawParams) => boolean): unknown;
  registerEscHandler?(id: { final: string }, callback: () => boolean): unknown;
  _inputHandler?: { fullReset?: () => boolean };
}

/** Makes clearing and resetting the normal screen scroll it into the history, as tmux 2.4 does. */
export function clearIntoHistory(term: Terminal): void {
  const core = (term as unknown as { _core?: CoreInternals })._core;
  if (core === undefined) return;
  if (typeof core.registerCsiHandler === 'function') {
    core.registerCsiHandler({ final: 'J' }, (params) => {
      const below = params.length === 0 || params.params[0] === 0;
      const active = term.buffer.active;
      if (below && active.cursorY === 0 && active.type === 'normal') params.params[0] = 2;
      return false;
    });
  }
  if (typeof core.registerEscHandler === 'function') core.registerEscHandler({ final: 'c' }, () => resetKeepingHistory(term, core));
}

/** RIS through xterm's own reset, with the old history and used screen lines kept as scrollback. */
function resetKeepingHistory(term: Terminal, core: CoreInternals): boolean {
  const handler = core._inputHandler;
  const rows = term.rows;
  const old = movableNormalBuffer(term);
  if (typeof handler?.fullReset !== 'function' || old === null) return false;
  const kept = linesInUse(old, rows);
  handler.fullReset();
  const fresh = movableNormalBuffer(term);
  if (fresh === null || fresh === old || kept.length === 0) return true;
  const room = Math.max(0, fresh.lines.maxLength - rows);
  fresh.lines.splice(0, 0, ...kept.slice(Math.max(0, kept.length - room)));
  fresh.ybase = fresh.ydisp = Math.max(0, fresh.lines.length - rows);
  return true;
}

/** The scrollback's lines and the screen's up to the last one in use, oldest first. */
function linesInUse(buffer: MovableBuffer, rows: number): TrimmableLine[] {
  let used = 0;
  for (let y = 0; y < rows; y++) if ((buffer.lines.get(buffer.ybase + y)?.getTrimmedLength() ?? 0) > 0) used = y + 1;
  const lines: TrimmableLine[] = [];
  for (let i = 0; i < buffer.ybase + used; i++) {
    const line = buffer.lines.get(i);
    if (line !== undefined) lines.push(line);
  }
  return lines;
}
