// A pane's emulator resizes like a tmux pane (tmux-resize.ts): growing pulls as many lines from the
// scrollback as it grows, wherever the cursor is, and moves the cursor down with them; shrinking
// deletes the rows below the cursor first. The stock tmate host's panes are tmux 2.4 panes, and the
// relay's replica must show the same rows as the host after a viewer leaves or a pane is unzoomed.
import type { Terminal } from '@xterm/headless';
import fc from 'fast-check';
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

describe('tmux-like reflow of the cursor\'s line', () => {
  it('rewraps the line the cursor is on as well, so the rows and the scrollback match the host\'s', () => {
    // A prompt with a half-typed command: xterm leaves the cursor's line unwrapped by default
    // (shells redraw it), which put a viewer's pane a row off a tmux host's, and copy mode with it.
    const term = createEmulator(20, 4, 100);
    parseSync(term, `one\r\ntwo\r\n$ ${'e'.repeat(13)}`);
    term.resize(10, 4);
    expect(screen(term)).toEqual(['two', '$ eeeeeeee', 'eeeee', '']);
    expect(term.buffer.active.baseY).toBe(1);
    // tmux 2.4 clamps the cursor's column to the new width and keeps its row (the shell redraws).
    expect(cursor(term)).toEqual([9, 2]);
    term.resize(20, 4);
    expect(screen(term)).toEqual(['one', 'two', `$ ${'e'.repeat(13)}`, '']);
    expect(term.buffer.active.baseY).toBe(0);
    expect(cursor(term)).toEqual([9, 2]);
  });
});

describe('resizes, clears and resets in any order', () => {
  /** xterm's own bookkeeping of the normal buffer, which the fix-ups move. */
  interface Internals {
    _core: { buffers: { normal: { ybase: number; ydisp: number; y: number; x: number; lines: { length: number; maxLength: number } } } };
  }

  it('keep the buffer consistent: exactly the scrollback and the screen rows, cursor on screen, scrollback within its limit', () => {
    const ops = fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('resize' as const), cols: fc.integer({ min: 2, max: 30 }), rows: fc.integer({ min: 1, max: 12 }) }),
        fc.record({
          kind: fc.constant('output' as const),
          text: fc.constantFrom('line\r\n', 'x'.repeat(45), '\x1b[H\x1b[J', '\x1b[2J', '\x1b[3J', '\x1bc', '\x1b[?1049h', '\x1b[?1049l', '\x1b[5;3H', '\x07', '\r\n\r\n\r\n', '\x1b[1;3r', '\x1b[r'),
        }),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(ops, (steps) => {
        const term = createEmulator(20, 6, 8);
        for (const step of steps) {
          if (step.kind === 'resize') term.resize(step.cols, step.rows);
          else parseSync(term, step.text);
          const normal = (term as unknown as Internals)._core.buffers.normal;
          expect(normal.lines.length).toBe(normal.ybase + term.rows);
          expect(normal.lines.length).toBeLessThanOrEqual(normal.lines.maxLength);
          expect(normal.ybase).toBeLessThanOrEqual(8);
          expect(normal.ydisp).toBe(normal.ybase);
          if (term.buffer.active.type === 'normal') {
            expect(normal.y).toBeGreaterThanOrEqual(0);
            expect(normal.y).toBeLessThan(term.rows);
          }
        }
        parseSync(term, '\r\nok');
        expect(screen(term).join('\n')).toContain('ok');
      }),
      { numRuns: 2000 },
    );
  });
});
