// Repeat counts that xterm carries out one step at a time are capped (count-clamp.ts): a pane
// printing `CSI 2147483647 b` or `CSI 3000000 S` must cost the relay what a screenful costs, and
// show what the capped count shows. Counts within the cap behave exactly as in plain xterm. (Were
// a cap missing, the huge counts below would run for seconds to minutes and the test time out.)
import xterm from '@xterm/headless';
import type { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { createEmulator, parseSync } from '../../../src/core/term/emulator.js';

const COLS = 20;
const ROWS = 6;
/** Lines on screen and in the scrollback, so that scrolled-out lines count too. */
function everything(term: Terminal): string[] {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
  return [...lines, `cursor ${buffer.cursorX},${buffer.cursorY}`];
}

function after(term: Terminal, output: string): string[] {
  parseSync(term, output);
  return everything(term);
}

const SETUP = '1\r\n2\r\n3\r\n4\r\n5\r\n6\x1b[3;1H\tab';
const HUGE = 2_147_483_647;

describe('repeat counts', () => {
  it.each([
    ['@', COLS],
    ['I', COLS],
    ['Z', COLS],
    ['L', ROWS],
    ['M', ROWS],
    ['S', ROWS],
    ['T', ROWS],
    ['b', COLS * ROWS],
  ])('CSI n %s acts as its cap (%i) beyond it', (final, cap) => {
    const huge = after(createEmulator(COLS, ROWS, 100), `${SETUP}\x1b[${HUGE}${final}`);
    const capped = after(createEmulator(COLS, ROWS, 100), `${SETUP}\x1b[${cap}${final}`);
    expect(huge).toEqual(capped);
    // Twenty in one chunk, as a hostile host would send them, still take a screenful's work each.
    const many = after(createEmulator(COLS, ROWS, 100), `${SETUP}\x1b[${HUGE}${final}`.repeat(20));
    expect(many).toEqual(after(createEmulator(COLS, ROWS, 100), `${SETUP}\x1b[${cap}${final}`.repeat(20)));
  });

  it('leaves counts within the caps as plain xterm carries them out', () => {
    const output = `${SETUP}\x1b[2@\x1b[2I\x1b[1Z\x1b[2L\x1b[1M\x1b[2S\x1b[1T\x1b[7b`;
    const plain = new xterm.Terminal({ cols: COLS, rows: ROWS, scrollback: 100, allowProposedApi: true });
    expect(after(createEmulator(COLS, ROWS, 100), output)).toEqual(after(plain, output));
  });
});
