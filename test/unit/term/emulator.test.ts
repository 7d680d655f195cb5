// The emulator façade replaces xterm's BufferLine.copyFrom (recycling scrollback lines without
// allocating empty maps: shared-cell-maps.ts). This checks that the replacement is installed with
// the xterm version we ship (an upgrade that changes the method turns it off, and this test says
// to re-check), and that a pane whose scrollback recycles constantly reads exactly like one that
// never recycles.
import { describe, expect, it } from 'vitest';
import type { Terminal } from '@xterm/headless';
import { createEmulator, feedEmulator } from '../../../src/core/term/emulator.js';
import { sharesEmptyCellMaps } from '../../../src/core/term/shared-cell-maps.js';
import { prng } from './term-helpers.js';

const COLS = 20;
const ROWS = 4;
const SHORT_HISTORY = 3;

/** Output with what lives in a line's maps (combined characters, curly underlines) and without. */
function varied(lines: number, seed: number): string {
  const random = prng(seed);
  const pieces = ['plain ', 'e\u0301', '漢字', '\x1b[4:3mcurly\x1b[0m', '\x1b[38;5;123mcol\x1b[0m', '\x1b[1;7mbold\x1b[0m', 'a much longer run of words that wraps '];
  let out = '';
  for (let i = 0; i < lines; i++) {
    let line = `${i} `;
    for (let k = Math.floor(random() * 4); k >= 0; k--) line += pieces[Math.floor(random() * pieces.length)];
    out += `${line}\r\n`;
  }
  return out;
}

/** Every cell of the newest `count` buffer lines: text, width and style, as the renderer reads them. */
function lastLines(term: Terminal, count: number): string[] {
  const buffer = term.buffer.active;
  const cell = buffer.getNullCell();
  const out: string[] = [];
  for (let y = buffer.length - count; y < buffer.length; y++) {
    const line = buffer.getLine(y)!;
    let row = `${line.isWrapped ? 'wrapped ' : ''}`;
    for (let x = 0; x < line.length; x++) {
      line.getCell(x, cell);
      row += `[${cell.getChars()}|${cell.getWidth()}|${cell.getFgColorMode()}:${cell.getFgColor()}|${cell.isBold()}${cell.isInverse()}${cell.isUnderline()}]`;
    }
    out.push(row);
  }
  return out;
}

describe('emulator', () => {
  it('recycles scrollback lines with its own copyFrom on this xterm version', () => {
    expect(sharesEmptyCellMaps(createEmulator(COLS, ROWS, SHORT_HISTORY)), 'xterm changed BufferLine: re-check shared-cell-maps.ts').toBe(true);
  });

  it('reads a constantly recycled scrollback exactly like one that never recycles', () => {
    const recycled = createEmulator(COLS, ROWS, SHORT_HISTORY);
    const reference = createEmulator(COLS, ROWS, 10_000);
    for (let chunk = 0; chunk < 20; chunk++) {
      const output = varied(30, chunk + 1);
      feedEmulator(recycled, output);
      feedEmulator(reference, output);
      expect(lastLines(recycled, ROWS + SHORT_HISTORY), `after chunk ${chunk}`).toEqual(lastLines(reference, ROWS + SHORT_HISTORY));
    }
    expect(recycled.buffer.active.length).toBe(ROWS + SHORT_HISTORY);
    expect(lastLines(recycled, ROWS + SHORT_HISTORY).join('\n')).toContain('[e\u0301|1|');
  });
});
