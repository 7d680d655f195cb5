/**
 * Selection and copying: the anchor as lines-from-bottom, emacs (end excluded) and vi (end
 * included) copies across lines, select-line, rectangles, wrapped lines, and the exit keys.
 */
import { describe, expect, it } from 'vitest';
import { copyMode, paneWith, press, seq } from './helpers.js';

function numbers() {
  return paneWith(20, 10, seq(1, 50));
}

describe('selection', () => {
  it('stores the anchor line counted from the bottom and follows the cursor', () => {
    const mode = copyMode(numbers(), 'emacs');
    press(mode, 'Up', 'Up', 'C-a', 'C-Space');
    // Cursor on row 7 at oy 0: absolute line 47 ("48"); (40 + 10 - 1) - 47 = 2.
    expect(mode.state().selection).toEqual({ x: 0, lineFromBottom: 2, rect: false });
    press(mode, 'PPage');
    expect(mode.state().selection).toEqual({ x: 0, lineFromBottom: 2, rect: false });
  });

  it('emacs: C-Space … M-w copies up to the cursor, excluding its character, and exits', () => {
    const mode = copyMode(numbers(), 'emacs');
    press(mode, 'Up', 'Up', 'Up', 'Up', 'Up', 'C-a', 'C-Space', 'Down', 'Down', 'C-f');
    expect(press(mode, 'M-w')).toEqual({ exit: true, copied: '45\n46\n4' });
  });

  it('emacs: C-w copies too, and a backwards selection gives the same text', () => {
    const mode = copyMode(numbers(), 'emacs');
    press(mode, 'Up', 'Up', 'Up', 'C-a', 'C-f', 'C-Space', 'Up', 'Up', 'C-a');
    expect(press(mode, 'C-w')).toEqual({ exit: true, copied: '45\n46\n4' });
  });

  it('vi: Space … Enter copies including the character under the cursor', () => {
    const mode = copyMode(numbers(), 'vi');
    press(mode, 'k', 'k', 'k', 'k', 'k', '0', 'Space', 'j', 'j', 'l');
    expect(mode.state().selection).toEqual({ x: 0, lineFromBottom: 5, rect: false });
    expect(press(mode, 'Enter')).toEqual({ exit: true, copied: '45\n46\n47' });
  });

  it('vi: V selects whole lines, with the final newline', () => {
    const mode = copyMode(numbers(), 'vi');
    press(mode, 'k', 'k', 'V', 'j');
    expect(press(mode, 'Enter')).toEqual({ exit: true, copied: '48\n49\n' });
  });

  it('vi: D copies to the end of the line and exits', () => {
    const mode = copyMode(paneWith(30, 5, ['hello world', '']), 'vi');
    press(mode, 'k', '0', 'w');
    expect(press(mode, 'D')).toEqual({ exit: true, copied: 'world\n' });
  });

  it('copies a rectangle (vi v toggles it) with the same columns on every line', () => {
    const mode = copyMode(paneWith(30, 5, ['abcdef', 'ghijkl', 'mnopqr', '']), 'vi');
    press(mode, 'g', 'l', 'Space', 'v', 'j', 'j', 'l', 'l');
    expect(mode.state().selection).toEqual({ x: 1, lineFromBottom: 4, rect: true });
    expect(press(mode, 'Enter').copied).toBe('bcd\nhij\nnop');
  });

  it('joins a line wrapped at the pane edge without a newline', () => {
    const mode = copyMode(paneWith(10, 5, ['abcdefghijklmno', 'next']), 'emacs');
    press(mode, 'M-<', 'C-Space', 'Down', 'Down', 'C-e');
    expect(press(mode, 'M-w').copied).toBe('abcdefghijklmno\nnext');
  });

  it('copies wide characters once', () => {
    const mode = copyMode(paneWith(20, 5, ['日本語 ok', '']), 'vi');
    press(mode, 'k', '0', 'Space', '$');
    expect(press(mode, 'Enter').copied).toBe('日本語 ok\n');
  });

  it('swaps cursor and anchor with vi o', () => {
    const mode = copyMode(numbers(), 'vi');
    press(mode, 'k', '0', 'Space', 'k', 'k', 'l');
    expect(mode.state()).toMatchObject({ cx: 1, cy: 6, selection: { x: 0, lineFromBottom: 1 } });
    press(mode, 'o');
    expect(mode.state()).toMatchObject({ cx: 0, cy: 8, selection: { x: 1, lineFromBottom: 3 } });
  });

  it('clears the selection with emacs C-g and vi Escape, without leaving copy mode', () => {
    const emacs = copyMode(numbers(), 'emacs');
    press(emacs, 'C-Space', 'Up');
    expect(press(emacs, 'C-g')).toEqual({ exit: false, copied: null });
    expect(emacs.state().selection).toBeNull();
    const vi = copyMode(numbers(), 'vi');
    press(vi, 'Space', 'k');
    expect(press(vi, 'Escape')).toEqual({ exit: false, copied: null });
    expect(vi.state().selection).toBeNull();
  });

  it('copying without a selection exits with nothing copied', () => {
    expect(press(copyMode(numbers(), 'vi'), 'Enter')).toEqual({ exit: true, copied: null });
    expect(press(copyMode(numbers(), 'emacs'), 'M-w')).toEqual({ exit: true, copied: null });
  });
});

describe('leaving copy mode', () => {
  it.each([
    ['emacs', 'q'], ['emacs', 'Escape'], ['emacs', 'C-c'], ['vi', 'q'], ['vi', 'C-c'],
  ] as const)('%s %s exits without copying', (keys, name) => {
    const mode = copyMode(numbers(), keys);
    press(mode, keys === 'vi' ? 'Space' : 'C-Space', 'Up');
    expect(press(mode, name)).toEqual({ exit: true, copied: null });
  });

  it('ignores keys without a binding', () => {
    const mode = copyMode(numbers(), 'emacs');
    const before = mode.state();
    for (const name of ['x', 'z', 'F5', 'M-x', 'C-t', 'S-Up', 'IC', 'KP5']) {
      expect(press(mode, name)).toEqual({ exit: false, copied: null });
    }
    expect(mode.state()).toEqual(before);
  });
});
