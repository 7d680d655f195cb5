// A pane's emulator resizes like a tmux pane (tmux-resize.ts): growing pulls as many lines from the
// scrollback as it grows, wherever the cursor is, and moves the cursor down with them; shrinking
// deletes the rows below the cursor first. The stock tmate host's panes are tmux 2.4 panes, and the
// relay's replica must show the same rows as the host after a viewer leaves or a pane is unzoomed.
import type { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { createEmulator, parseSync } from '../../../src/core/term/emulator.js';

function screen(term: Terminal): string[] {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < term.rows; y++) lines.push(buffer.getLine(buffer.baseY + y)?.translateToString(true) ?? '');
  return lines;
}

function cursor(term: Terminal): [number, number] {
  return [term.buffer.active.cursorX, term.buffer.active.cursorY];
}

/** Ten lines scrolled through a 5-row pane, then a cleared screen with a prompt on its first row. */
function afterClear(): Terminal {
  const term = createEmulator(20, 5, 100);
  parseSync(term, Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\r\n') + '\r\n\x1b[H\x1b[2J$ ');
  return term;
}

describe('tmux-like resize', () => {
  it('pulls scrollback lines down when it grows, with the cursor above the last row', () => {
    const term = afterClear();
    expect(cursor(term)).toEqual([2, 0]);
    term.resize(20, 8);
    expect(screen(term)).toEqual(['line 8', 'line 9', 'line 10', '$ ', '', '', '', '']);
    expect(cursor(term)).toEqual([2, 3]);
    expect(term.buffer.active.baseY).toBe(7);
    parseSync(term, 'typed');
    expect(screen(term)[3]).toBe('$ typed');
  });

  it('pulls no more than the scrollback has, and adds blank rows for the rest', () => {
    const term = createEmulator(20, 3, 100);
    parseSync(term, 'a\r\nb\r\nc\r\nd\x1b[1;1H');
    expect(term.buffer.active.baseY).toBe(1);
    term.resize(20, 6);
    expect(screen(term)).toEqual(['a', 'b', 'c', 'd', '', '']);
    expect(cursor(term)).toEqual([0, 1]);
  });

  it('deletes the rows below the cursor first when it shrinks, then pushes rows into the scrollback', () => {
    const term = afterClear();
    term.resize(20, 8);
    term.resize(20, 5);
    expect(screen(term)).toEqual(['line 8', 'line 9', 'line 10', '$ ', '']);
    term.resize(20, 2);
    expect(screen(term)).toEqual(['line 10', '$ ']);
    expect(cursor(term)).toEqual([2, 1]);
  });

  it('leaves resizes in the alternate screen to xterm (no scrollback there)', () => {
    const term = afterClear();
    parseSync(term, '\x1b[?1049hfull screen');
    term.resize(20, 8);
    expect(screen(term)[0]).toBe('  full screen');
    parseSync(term, '\x1b[?1049l');
    expect(screen(term)[0]).toBe('$ ');
  });

  it('changes height and width in one call: height first, then xterm reflows the width', () => {
    const term = afterClear();
    term.resize(10, 8);
    expect(term.cols).toBe(10);
    expect(term.rows).toBe(8);
    expect(screen(term).slice(0, 4)).toEqual(['line 8', 'line 9', 'line 10', '$ ']);
  });
});

describe('tmux-like reflow of a narrower screen without scrollback', () => {
  it('pushes the lines that wrapping adds into the scrollback and keeps the blank rows below the cursor', () => {
    const term = createEmulator(20, 6, 100);
    parseSync(term, 'aaaaaaaaaaaaaaa\r\nbbbbbbbbbbbbbbb\r\n$ ');
    expect(term.buffer.active.baseY).toBe(0);
    term.resize(10, 6);
    // Eight rows at 10 columns (two lines wrap, the three blank rows stay): two go into the
    // scrollback and the prompt stays on its row, as in tmux.
    expect(screen(term)).toEqual(['bbbbbbbbbb', 'bbbbb', '$ ', '', '', '']);
    expect(cursor(term)).toEqual([2, 2]);
    expect(term.buffer.active.baseY).toBe(2);
  });
});
