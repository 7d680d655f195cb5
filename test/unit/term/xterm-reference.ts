/**
 * An untouched copy of xterm for tests of the emulator's patches (shared-cell-maps.ts,
 * packed-lines.ts): a second load of the bundle, with its own BufferLine class and none of our
 * patches, and readers of every cell of a terminal's lines to compare the two with.
 */
import { createRequire } from 'node:module';
import type { Terminal } from '@xterm/headless';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { keepWrapOnErase } from '../../../src/core/term/erase-keeps-wrap.js';
import { clearIntoHistory } from '../../../src/core/term/clear-into-history.js';
import { resizeLikeTmux } from '../../../src/core/term/tmux-resize.js';

const require = createRequire(import.meta.url);
export const XTERM_PATH = require.resolve('@xterm/headless');

export interface InternalLine {
  length: number;
  isWrapped: boolean;
  _data: Uint32Array;
  _combined: Record<number, string>;
  _extendedAttrs: Record<number, { underlineStyle: number; underlineColor: number; urlId: number }>;
}

export interface InternalTerminal {
  _core: { buffer: { lines: { length: number; get(i: number): InternalLine } }; _writeBuffer: { writeSync(data: Uint8Array): void } };
}

/** A second, untouched copy of xterm's bundle: its own BufferLine class, none of our patches. */
const pristineXterm = ((): { Terminal: new (options: object) => Terminal } => {
  const cached = require.cache[XTERM_PATH];
  delete require.cache[XTERM_PATH];
  try {
    return require(XTERM_PATH) as { Terminal: new (options: object) => Terminal };
  } finally {
    if (cached !== undefined) require.cache[XTERM_PATH] = cached;
  }
})();

/**
 * A terminal of the untouched copy, with the same character widths as createEmulator's panes and
 * the same behaviour when the screen is cleared or resized, or a line erased (clear-into-history.ts,
 * tmux-resize.ts, erase-keeps-wrap.ts: behaviour, not patches).
 */
export function untouchedTerminal(cols: number, rows: number, scrollback: number): Terminal {
  const term = new pristineXterm.Terminal({ cols, rows, scrollback, allowProposedApi: true, logLevel: 'off', scrollOnEraseInDisplay: true, reflowCursorLine: true });
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  clearIntoHistory(term);
  keepWrapOnErase(term);
  resizeLikeTmux(term);
  return term;
}

export function lines(term: Terminal): InternalLine[] {
  const list = (term as unknown as InternalTerminal)._core.buffer.lines;
  return Array.from({ length: list.length }, (_, i) => list.get(i));
}

/**
 * Every cell of every line: its three words, its combined text and its extended attributes. A
 * line packed by the scrollback packer is unpacked first (any BufferLine method does it).
 */
export function cells(term: Terminal): string[] {
  return lines(term).map((line) => {
    (line as unknown as { getTrimmedLength(): number }).getTrimmedLength();
    let row = line.isWrapped ? 'wrapped ' : '';
    for (let x = 0; x < line.length; x++) {
      const ext = line._extendedAttrs[x];
      const extended = ext === undefined ? '' : `${ext.underlineStyle}/${ext.underlineColor}/${ext.urlId}`;
      row += `[${line._data[3 * x]},${line._data[3 * x + 1]},${line._data[3 * x + 2]}|${line._combined[x] ?? ''}|${extended}]`;
    }
    return row;
  });
}
