// Clearing the screen keeps it in the scrollback, as tmux 2.4 (the stock tmate host) does
// (clear-into-history.ts): the relay draws a viewer's copy mode from its replica at the offsets the
// host reports, so the replica's history must hold exactly the host's lines.
import type { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { createEmulator, parseSync } from '../../../src/core/term/emulator.js';

const COLS = 20;
const ROWS = 5;

function scrollback(term: Terminal): string[] {
  const buffer = term.buffer.normal;
  const lines: string[] = [];
  for (let y = 0; y < buffer.baseY; y++) lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
  return lines;
}

function screen(term: Terminal): string[] {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < term.rows; y++) lines.push(buffer.getLine(buffer.baseY + y)?.translateToString(true) ?? '');
  return lines;
}

function emulatorAfter(output: string): Terminal {
  const term = createEmulator(COLS, ROWS, 100);
  parseSync(term, output);
  return term;
}

/** Three lines in use and the cursor on the fourth, after a line already in the scrollback. */
const THREE_LINES = 'old\r\none\r\ntwo\r\nthree\r\n\x1b[2;1H';
const AFTER_SCROLL = '1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7';

describe('a cleared screen kept in the scrollback', () => {
  it('moves the lines in use into the scrollback on ESC [ H ESC [ J (clear with TERM=screen)', () => {
    const term = emulatorAfter(`${AFTER_SCROLL}\x1b[H\x1b[J`);
    expect(scrollback(term)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(screen(term)).toEqual(['', '', '', '', '']);
    expect([term.buffer.active.cursorX, term.buffer.active.cursorY]).toEqual([0, 0]);
  });

  it('moves only the lines up to the last one in use (ESC [ 2 J, anywhere)', () => {
    const term = emulatorAfter(`${THREE_LINES}\x1b[2J`);
    expect(scrollback(term)).toEqual(['old', 'one', 'two', 'three']);
    expect(screen(term)).toEqual(['', '', '', '', '']);
  });

  it('clears the whole screen into the scrollback for ED 0 on the first row, even mid-line, as tmux 2.4 does', () => {
    const term = emulatorAfter(`${THREE_LINES}\x1b[1;3H\x1b[0J`);
    expect(scrollback(term)).toEqual(['old', 'one', 'two', 'three']);
    expect(screen(term)).toEqual(['', '', '', '', '']);
  });

  it('erases in place below a cursor that is not on the first row, and in the alternate screen', () => {
    const below = emulatorAfter(`${THREE_LINES}\x1b[3;2H\x1b[J`);
    expect(scrollback(below)).toEqual([]);
    expect(screen(below)).toEqual(['old', 'one', 't', '', '']);
    const alternate = emulatorAfter(`${THREE_LINES}\x1b[?1049hfull\r\nscreen\x1b[H\x1b[J\x1b[2J`);
    expect(screen(alternate)).toEqual(['', '', '', '', '']);
    parseSync(alternate, '\x1b[?1049l');
    expect(scrollback(alternate)).toEqual([]);
    expect(screen(alternate)).toEqual(['old', 'one', 'two', 'three', '']);
  });

  it('still clears the scrollback on ESC [ 3 J (clear with an E3 capability)', () => {
    const term = emulatorAfter(`${AFTER_SCROLL}\x1b[H\x1b[2J\x1b[3J`);
    expect(scrollback(term)).toEqual([]);
  });
});

describe('a reset (ESC c) keeping the history', () => {
  it('keeps the scrollback and the used screen lines as scrollback, and resets the rest', () => {
    const term = emulatorAfter(`${AFTER_SCROLL}\x1b[1;31m\x1b[3;4r\x1b[2;2H\x1bcX`);
    expect(scrollback(term)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(screen(term)).toEqual(['X', '', '', '', '']);
    const cell = term.buffer.active.getLine(term.buffer.active.baseY)?.getCell(0);
    expect([cell?.isBold(), cell?.isFgDefault()]).toEqual([0, true]);
    // The scroll region is the whole screen again: five more lines scroll the top one out.
    parseSync(term, '\r\n1\r\n2\r\n3\r\n4\r\n5');
    expect(scrollback(term).at(-1)).toBe('X');
  });

  it('keeps the normal screen when reset from the alternate screen, and leaves it', () => {
    const term = emulatorAfter(`${THREE_LINES}\x1b[?1049hfull screen\x1bc`);
    expect(term.buffer.active.type).toBe('normal');
    expect(scrollback(term)).toEqual(['old', 'one', 'two', 'three']);
    expect(screen(term)).toEqual(['', '', '', '', '']);
  });

  it('keeps no more than the scrollback holds', () => {
    const term = createEmulator(COLS, ROWS, 3);
    parseSync(term, `${AFTER_SCROLL}\x1bc`);
    expect(scrollback(term)).toEqual(['5', '6', '7']);
  });
});
