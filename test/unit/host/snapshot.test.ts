/**
 * SNAPSHOT: built from the pane emulators as tmate packs tmux grids, and checked by restoring it
 * with the relay's own snapshot-restore into a fresh emulator.
 */
import { describe, expect, it } from 'vitest';
import { createEmulator, feedEmulator, type Emulator } from '../../../src/core/term/emulator.js';
import { snapshotPane, rgbTo256, screenMode } from '../../../src/core/host/snapshot.js';
import { snapshotToBytes } from '../../../src/core/mux/snapshot-restore.js';
import { readTrace } from './helpers.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function screenText(term: Emulator): string[] {
  const buffer = term.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < buffer.length; y++) out.push(buffer.getLine(y)?.translateToString(true) ?? '');
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

function restore(term: Emulator): Emulator {
  const copy = createEmulator(term.cols, term.rows, 2000);
  feedEmulator(copy, snapshotToBytes(snapshotPane(0, term), term.rows));
  return copy;
}

describe('snapshotPane', () => {
  it('packs lines like tmate: trimmed text, one 2056 word per default cell, mode 1041 for a shell', () => {
    const term = createEmulator(100, 30, 2000);
    feedEmulator(term, '\x1b[?2004hroot@vm:/home/ci/repo# echo hi\r\nhi\r\nroot@vm:/home/ci/repo# ');
    const pane = snapshotPane(0, term);
    // Trace 06: the host's own snapshot of such a pane.
    const traced = readTrace('06-reconnect.jsonl').find((e) => e.name === 'SNAPSHOT')?.msg?.[1] as unknown[][];
    expect(pane.mode).toBe((traced[0] as unknown[])[1]);
    expect(pane.mode).toBe(1041);
    expect(pane.grid.lines).toHaveLength(30);
    expect(pane.grid.lines.slice(0, 3).map((l) => [text(l.text), l.cells.length, new Set(l.cells)])).toEqual([
      ['root@vm:/home/ci/repo# echo hi', 30, new Set([2056])],
      ['hi', 2, new Set([2056])],
      ['root@vm:/home/ci/repo# ', 23, new Set([2056])],
    ]);
    expect(pane.grid.lines[3]).toEqual({ text: new Uint8Array(0), cells: [] });
    expect([pane.grid.cx, pane.grid.cy, pane.saved]).toEqual([23, 2, null]);
  });

  it('encodes colours and attributes in the cell word and wide characters with a padding cell', () => {
    const term = createEmulator(20, 5, 100);
    feedEmulator(term, '\x1b[1;31ma\x1b[0;4;44mb\x1b[0;38;5;200mc\x1b[0;92md\x1b[0;38;2;255;0;0me\x1b[0m中x');
    const [line] = snapshotPane(0, term).grid.lines;
    expect(text(line?.text ?? new Uint8Array())).toBe('abcde中x');
    expect(line?.cells).toEqual([
      0x01_08_01, // bright, fg 1
      0x04_04_08, // underscore, bg 4
      0x01_00_08_c8, // fg256 200
      0x00_08_5c, // fg 92 (bright green, tmux's 90-97)
      0x01_00_08_00 + rgbTo256(0xff0000), // RGB → nearest 256 colour
      0x0808,
      0x04_00_08_08, // padding
      0x0808,
    ]);
    expect(rgbTo256(0xff0000)).toBe(196);
    expect(rgbTo256(0x808080)).toBe(244);
  });

  it('keeps the last 300 history lines plus the screen', () => {
    const term = createEmulator(10, 5, 2000);
    feedEmulator(term, Array.from({ length: 400 }, (_, i) => `l${i}`).join('\r\n'));
    const pane = snapshotPane(0, term);
    expect(pane.grid.lines).toHaveLength(305);
    expect(text(pane.grid.lines[0]?.text ?? new Uint8Array())).toBe('l95');
    expect(text(pane.grid.lines[304]?.text ?? new Uint8Array())).toBe('l399');
  });

  it('on the alternate screen sends the saved normal screen like tmux', () => {
    const term = createEmulator(20, 4, 100);
    feedEmulator(term, 'one\r\ntwo\x1b[?1049h\x1b[Hvim screen\x1b[2;3H');
    const pane = snapshotPane(0, term);
    expect(pane.grid.lines.map((l) => text(l.text))).toEqual(['vim screen', '', '', '']);
    expect([pane.grid.cx, pane.grid.cy]).toEqual([2, 1]);
    expect(pane.saved?.lines.map((l) => text(l.text))).toEqual(['one', 'two', '', '']);
    expect([pane.saved?.cx, pane.saved?.cy]).toEqual([3, 1]);
  });

  it('reports cursor visibility, keypad, cursor keys, mouse and focus modes as tmux bits', () => {
    const term = createEmulator(20, 4, 100);
    feedEmulator(term, '\x1b[?25l\x1b[?1h\x1b=\x1b[?1002h\x1b[?1006h\x1b[?1004h\x1b[4h');
    expect(screenMode(term)).toBe(0x2 | 0x4 | 0x8 | 0x10 | 0x40 | 0x200 | 0x800);
  });

  it('round-trips through snapshot-restore into a fresh emulator with the same text and cursor', () => {
    const term = createEmulator(40, 6, 2000);
    feedEmulator(term, Array.from({ length: 12 }, (_, i) => `\x1b[3${i % 8}mline ${i}\x1b[m`).join('\r\n') + '\r\n$ é中 ok');
    const copy = restore(term);
    expect(screenText(copy)).toEqual(screenText(term));
    expect([copy.buffer.active.cursorX, copy.buffer.active.cursorY]).toEqual([term.buffer.active.cursorX, term.buffer.active.cursorY]);
    const cell = copy.buffer.active.getLine(copy.buffer.active.baseY)?.getCell(0);
    expect(cell?.getFgColor()).toBe(term.buffer.active.getLine(term.buffer.active.baseY)?.getCell(0)?.getFgColor());
  });
});
