// Scrollback lines cut from per-pane slabs (line-arena.ts) must read exactly like xterm's own
// lines, also after the pane is resized (xterm's resize grows a line into its ArrayBuffer, which a
// slab line shares with its neighbours), and a slab must never hold two panes' lines.
import { describe, expect, it } from 'vitest';
import type { Terminal } from '@xterm/headless';
import { createEmulator, feedEmulator } from '../../../src/core/term/emulator.js';
import { linesOfPieces } from './term-helpers.js';

const HISTORY = 500;

/** Lines of varied width and style: combined characters, wide characters, colours, wrapping. */
function varied(lines: number, seed: number): string {
  const pieces = ['plain ', 'e\u0301', '漢字', '\x1b[4:3mcurly\x1b[0m', '\x1b[38;5;123mcol\x1b[0m', '\x1b[41mred bg\x1b[0m', 'a much longer run of words that wraps at narrow widths '];
  return linesOfPieces(pieces, lines, seed);
}

/** Every cell of every buffer line (scrollback and screen): text, width, colours, wrapping. */
function allCells(term: Terminal): string[] {
  const buffer = term.buffer.active;
  const cell = buffer.getNullCell();
  const out: string[] = [];
  for (let y = 0; y < buffer.length; y++) {
    const line = buffer.getLine(y)!;
    let row = line.isWrapped ? 'wrapped ' : '';
    for (let x = 0; x < line.length; x++) {
      line.getCell(x, cell);
      row += `[${cell.getChars()}|${cell.getWidth()}|${cell.getFgColor()}:${cell.getBgColor()}|${cell.isUnderline()}]`;
    }
    out.push(row);
  }
  return out;
}

/** xterm's parser entry without the arena: the reference every arena pane is compared with. */
function feedPlain(term: Terminal, data: string): void {
  (term as unknown as { _core: { _writeBuffer: { writeSync(d: Uint8Array): void } } })._core._writeBuffer.writeSync(new TextEncoder().encode(data));
}

/** The ArrayBuffers behind the buffer's lines (one per line for xterm's own lines). */
function lineBuffers(term: Terminal): ArrayBufferLike[] {
  const lines = (term as unknown as { _core: { buffer: { lines: { length: number; get(i: number): { _data: Uint32Array } } } } })._core.buffer.lines;
  const out: ArrayBufferLike[] = [];
  for (let i = 0; i < lines.length; i++) out.push(lines.get(i)._data.buffer);
  return out;
}

describe('line arena', () => {
  it('cuts new scrollback lines from shared slabs while a pane parses output', () => {
    const term = createEmulator(80, 24, HISTORY);
    feedEmulator(term, new TextEncoder().encode(varied(200, 1)));
    const buffers = lineBuffers(term);
    expect(new Set(buffers).size, 'xterm changed BufferLine.clone or resize: re-check line-arena.ts').toBeLessThan(buffers.length / 4);
  });

  it('reads like xterm’s own lines through output, resizes and more output', () => {
    const arena = createEmulator(40, 10, HISTORY);
    const plain = createEmulator(40, 10, HISTORY);
    const steps: [number, number][] = [[60, 10], [25, 8], [25, 12], [100, 6], [40, 10]];
    for (let round = 0; round < steps.length; round++) {
      const output = varied(120, round + 1);
      feedEmulator(arena, new TextEncoder().encode(output));
      feedPlain(plain, output);
      expect(allCells(arena), `after output ${round}`).toEqual(allCells(plain));
      const [cols, rows] = steps[round]!;
      arena.resize(cols, rows);
      plain.resize(cols, rows);
      expect(allCells(arena), `after resize to ${cols}x${rows}`).toEqual(allCells(plain));
    }
  });

  it('never puts two panes’ lines in one slab', () => {
    const a = createEmulator(80, 24, HISTORY);
    const b = createEmulator(80, 24, HISTORY);
    for (let chunk = 0; chunk < 40; chunk++) {
      feedEmulator(a, new TextEncoder().encode(varied(3, chunk)));
      feedEmulator(b, new TextEncoder().encode(varied(3, 100 + chunk)));
    }
    const ofA = new Set(lineBuffers(a));
    const shared = lineBuffers(b).filter((buffer) => ofA.has(buffer));
    expect(shared).toEqual([]);
    expect(ofA.size).toBeLessThan(lineBuffers(a).length / 2);
  });
});
