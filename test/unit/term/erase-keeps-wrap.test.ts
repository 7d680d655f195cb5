// Erasing in a line keeps it joined to the row above (erase-keeps-wrap.ts), as tmux 2.4 does. The
// bytes below are what bash wrote in a stock tmate 2.4 pane (recorded with pipe-pane) while a
// viewer narrowed it from 80 to 30 columns and widened it to 50, with a long command typed but not
// run; the expected history, rows and cursor are what that tmate host reported afterwards
// (#{history_size}, capture-pane, #{cursor_x},#{cursor_y}).
import { describe, expect, it } from 'vitest';
import { createEmulator, parseSync } from '../../../src/core/term/emulator.js';

const COMMAND = `$ echo ${'abcdefghij'.repeat(15)}`;
const TYPED = `$ clear\r\n\x1b[?2004l\r\x1b[H\x1b[J\x1b[?2004h${COMMAND}`;
/** bash after SIGWINCH at 30 columns: it thought the line took 2 rows (at 80), so it clears 2 and redraws. */
const REDRAW_AT_30 = `\r\x1b[K\r\x1bM\x1b[K\r${COMMAND}`;
/** bash after SIGWINCH at 50 columns: the line took 6 rows at 30. */
const REDRAW_AT_50 = `\r\x1b[K${'\r\x1bM\x1b[K'.repeat(5)}\r${COMMAND}`;

function state(term: ReturnType<typeof createEmulator>): { history: string[]; screen: string[]; cursor: [number, number] } {
  const b = term.buffer.active;
  const text = (i: number): string => b.getLine(i)?.translateToString(true) ?? '';
  return {
    history: Array.from({ length: b.baseY }, (_, i) => text(i)),
    screen: Array.from({ length: 5 }, (_, y) => text(b.baseY + y)),
    cursor: [b.cursorX, b.cursorY],
  };
}

describe('erasing in a line', () => {
  it('keeps the rows bash redraws over joined to the rows above, so a later reflow matches tmux', () => {
    const term = createEmulator(80, 23, 2000);
    parseSync(term, TYPED);
    term.resize(30, 23);
    parseSync(term, REDRAW_AT_30);
    expect(state(term).history).toHaveLength(5);
    expect(state(term).cursor).toEqual([7, 5]);
    term.resize(50, 23);
    parseSync(term, REDRAW_AT_50);
    const abc = 'abcdefghij'.repeat(5);
    expect(state(term)).toEqual({
      history: ['$ clear'],
      screen: [`$ echo ${abc.slice(0, 43)}`, abc.slice(3, 50) + abc.slice(0, 3), abc.slice(3, 50) + abc.slice(0, 3), 'defghij', ''],
      cursor: [7, 3],
    });
  });
});
