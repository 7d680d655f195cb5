/**
 * Erasing in a line (EL, `ESC [ K`) keeps the line joined to the one above, as tmux 2.4 keeps it.
 * xterm marks a row as the continuation of the row above (`isWrapped`) and EL from the first
 * column, or EL 2, clears that mark; tmux keeps the mark on the row above (GRID_LINE_WRAPPED) and
 * no erase touches it. The difference shows at the next width change: bash redraws a long command
 * line after SIGWINCH with `CR ESC[K`, `RI ESC[K`… over its old rows, and tmux's reflow then joins
 * the rows left in the history to the redrawn line, where xterm's did not. A viewer's pane then
 * had one more history line than the host's, and its rows sat a row off.
 *
 * Invariants: only the wrap mark of the cursor's row is put back, and only around xterm's own EL;
 * when xterm's internals are not the shape checked, EL is xterm's alone.
 */
import type { Terminal } from '@xterm/headless';

interface EraseInternals {
  eraseInLine?: (params: unknown, respectProtect?: boolean) => boolean;
  _activeBuffer?: { ybase: number; y: number; lines: { get(index: number): { isWrapped: boolean } | undefined } };
}

/** Makes EL leave the cursor row's wrap mark as it was (installed once per emulator). */
export function keepWrapOnErase(term: Terminal): void {
  const handler = (term as unknown as { _core?: { _inputHandler?: EraseInternals } })._core?._inputHandler;
  const erase = handler?.eraseInLine;
  if (handler === undefined || typeof erase !== 'function') return;
  handler.eraseInLine = (params, respectProtect) => {
    const buffer = handler._activeBuffer;
    const line = buffer?.lines.get(buffer.ybase + buffer.y);
    const wrapped = line?.isWrapped;
    const result = erase.call(handler, params, respectProtect);
    if (line !== undefined && wrapped !== undefined) line.isWrapped = wrapped;
    return result;
  };
}
