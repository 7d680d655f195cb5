/**
 * Copy-mode movement with tmux 2.x's default emacs and vi keys: entering, cursor keys, pages,
 * half pages, history top/bottom, line start/end, view rows, words and character jumps.
 */
import { describe, expect, it } from 'vitest';
import { copyMode, cursorLine, key, paneWith, press, seq } from './helpers.js';

/** 20×10 pane after `seq 1 50`: 40 lines of history, "50" on the last row, cursor after it. */
function numbers() {
  return paneWith(20, 10, seq(1, 50));
}

describe('entering copy mode', () => {
  it('starts at the pane cursor with oy 0, no selection and no prompt', () => {
    const mode = copyMode(numbers(), 'emacs');
    expect(mode.state()).toEqual({ backing: 1, oy: 0, cx: 2, cy: 9, selection: null, prompt: null });
  });

  it('copy-mode -u starts one page (rows - 2) up', () => {
    const mode = copyMode(numbers(), 'vi');
    mode.pageUp();
    expect(mode.state()).toMatchObject({ oy: 8, cy: 9 });
  });
});

describe('emacs movement', () => {
  it('moves with the arrows and C-p / C-n / C-b / C-f', () => {
    const term = numbers();
    const mode = copyMode(term, 'emacs');
    press(mode, 'Up');
    expect(mode.state()).toMatchObject({ cx: 2, cy: 8 });
    press(mode, 'C-p', 'C-p');
    expect(cursorLine(term, mode)).toBe('47');
    press(mode, 'C-n', 'Left', 'C-b');
    expect(mode.state()).toMatchObject({ cx: 0, cy: 7 });
    press(mode, 'Right', 'C-f');
    expect(mode.state()).toMatchObject({ cx: 2, cy: 7 });
    press(mode, 'C-f'); // past the end of the line: start of the next one
    expect(mode.state()).toMatchObject({ cx: 0, cy: 8 });
    press(mode, 'C-b'); // and back to the end of the previous one
    expect(mode.state()).toMatchObject({ cx: 2, cy: 7 });
    press(mode, 'Down');
    expect(cursorLine(term, mode)).toBe('49');
  });

  it('scrolls the view when the cursor leaves it, and stops at the top of history', () => {
    const term = numbers();
    const mode = copyMode(term, 'emacs');
    for (let i = 0; i < 9; i++) press(mode, 'Up');
    expect(mode.state()).toMatchObject({ oy: 0, cy: 0 });
    press(mode, 'Up', 'Up');
    expect(mode.state()).toMatchObject({ oy: 2, cy: 0 });
    expect(cursorLine(term, mode)).toBe('39');
    for (let i = 0; i < 100; i++) press(mode, 'C-p');
    expect(mode.state()).toMatchObject({ oy: 40, cy: 0 });
    expect(cursorLine(term, mode)).toBe('1');
    for (let i = 0; i < 100; i++) press(mode, 'C-n');
    expect(mode.state()).toMatchObject({ oy: 0, cy: 9 });
  });

  it('pages with PPage / NPage and M-v / C-v / Space, half pages with M-Up / M-Down', () => {
    const mode = copyMode(numbers(), 'emacs');
    press(mode, 'PPage');
    expect(mode.state().oy).toBe(8);
    press(mode, 'M-v', 'M-v', 'M-v', 'M-v', 'M-v');
    expect(mode.state().oy).toBe(40);
    press(mode, 'C-v');
    expect(mode.state().oy).toBe(32);
    press(mode, 'NPage', 'Space');
    expect(mode.state().oy).toBe(16);
    press(mode, 'M-Up');
    expect(mode.state().oy).toBe(21);
    press(mode, 'M-Down', 'M-Down', 'M-Down', 'M-Down', 'M-Down');
    expect(mode.state().oy).toBe(0);
  });

  it('goes to the top and bottom of history with M-< and M->', () => {
    const term = numbers();
    const mode = copyMode(term, 'emacs');
    press(mode, 'M-<');
    expect(mode.state()).toMatchObject({ oy: 40, cx: 0, cy: 0 });
    expect(cursorLine(term, mode)).toBe('1');
    press(mode, 'M->');
    expect(mode.state()).toMatchObject({ oy: 0, cx: 0, cy: 9 });
  });

  it('goes to line start and end with C-a / C-e (and Home / End)', () => {
    const term = paneWith(30, 5, ['   indented text', 'x']);
    const mode = copyMode(term, 'emacs');
    press(mode, 'Up', 'C-e');
    expect(mode.state()).toMatchObject({ cx: 16, cy: 0 });
    press(mode, 'C-a');
    expect(mode.state().cx).toBe(0);
    press(mode, 'M-m');
    expect(mode.state().cx).toBe(3);
    press(mode, 'End');
    expect(mode.state().cx).toBe(16);
    press(mode, 'Home');
    expect(mode.state().cx).toBe(0);
  });

  it('scrolls the view by one line with C-Up / C-Down, keeping the cursor row', () => {
    const term = numbers();
    const mode = copyMode(term, 'emacs');
    press(mode, 'C-Up', 'C-Up');
    expect(mode.state()).toMatchObject({ oy: 2, cy: 9 });
    expect(cursorLine(term, mode)).toBe('48');
    press(mode, 'C-Down');
    expect(mode.state()).toMatchObject({ oy: 1, cy: 9 });
  });

  it('moves by words with M-f / M-b', () => {
    const mode = copyMode(paneWith(30, 5, ['alpha beta-gamma delta']), 'emacs');
    press(mode, 'C-a');
    press(mode, 'M-f');
    expect(mode.state().cx).toBe(5);
    press(mode, 'M-f');
    expect(mode.state().cx).toBe(10);
    press(mode, 'M-b');
    expect(mode.state().cx).toBe(6);
    press(mode, 'M-b');
    expect(mode.state().cx).toBe(0);
  });
});

describe('vi movement', () => {
  it('moves with h j k l and the arrows', () => {
    const term = numbers();
    const mode = copyMode(term, 'vi');
    press(mode, 'k', 'k', 'h');
    expect(mode.state()).toMatchObject({ cx: 1, cy: 7 });
    press(mode, 'j', 'l');
    expect(mode.state()).toMatchObject({ cx: 2, cy: 8 });
    press(mode, 'Up');
    expect(cursorLine(term, mode)).toBe('48');
  });

  it('pages with C-b / C-f, half pages with C-u / C-d, g / G for history top and bottom', () => {
    const term = numbers();
    const mode = copyMode(term, 'vi');
    press(mode, 'C-b');
    expect(mode.state().oy).toBe(8);
    press(mode, 'C-u');
    expect(mode.state().oy).toBe(13);
    press(mode, 'C-d', 'C-f');
    expect(mode.state().oy).toBe(0);
    press(mode, 'g');
    expect(mode.state()).toMatchObject({ oy: 40, cx: 0, cy: 0 });
    expect(cursorLine(term, mode)).toBe('1');
    press(mode, 'G');
    expect(mode.state()).toMatchObject({ oy: 0, cx: 0, cy: 9 });
    expect(cursorLine(term, mode)).toBe('50');
  });

  it('goes to rows of the view with H / M / L and line start/end with 0 / $ / ^', () => {
    const mode = copyMode(paneWith(30, 5, ['  two spaces', 'b', 'c', 'd', 'e']), 'vi');
    press(mode, 'H');
    expect(mode.state()).toMatchObject({ cx: 0, cy: 0 });
    press(mode, '$');
    expect(mode.state().cx).toBe(12);
    press(mode, '0');
    expect(mode.state().cx).toBe(0);
    press(mode, '^');
    expect(mode.state().cx).toBe(2);
    press(mode, 'M');
    expect(mode.state()).toMatchObject({ cx: 0, cy: 2 });
    press(mode, 'L');
    expect(mode.state()).toMatchObject({ cx: 0, cy: 4 });
  });

  it('moves by words with w / b / e and by space-separated words with W / B / E', () => {
    const mode = copyMode(paneWith(30, 5, ['alpha beta-gamma delta', 'next line']), 'vi');
    press(mode, 'k', '0');
    const xs: number[] = [];
    for (const k of ['w', 'w', 'w', 'b', 'e', 'e']) {
      press(mode, k);
      xs.push(mode.state().cx);
    }
    expect(xs).toEqual([6, 11, 17, 11, 15, 21]);
    press(mode, '0', 'W');
    expect(mode.state().cx).toBe(6);
    press(mode, 'W');
    expect(mode.state().cx).toBe(17);
    press(mode, 'E');
    expect(mode.state().cx).toBe(21);
    press(mode, 'B', 'B');
    expect(mode.state().cx).toBe(6);
    press(mode, 'w', 'w', 'w'); // onto the next line
    expect(mode.state()).toMatchObject({ cx: 0, cy: 1 });
    press(mode, 'b');
    expect(mode.state()).toMatchObject({ cx: 17, cy: 0 });
  });

  it('repeats a motion with a numeric prefix', () => {
    const term = numbers();
    const mode = copyMode(term, 'vi');
    press(mode, '3', 'k');
    expect(mode.state().cy).toBe(6);
    press(mode, '1', '2', 'k');
    expect(mode.state()).toMatchObject({ oy: 6, cy: 0 });
    press(mode, 'k'); // the prefix is used once
    expect(mode.state()).toMatchObject({ oy: 7, cy: 0 });
    expect(mode.state().prompt).toBeNull();
  });

  it('jumps to characters with f / F / t / T and repeats with ; and ,', () => {
    const mode = copyMode(paneWith(40, 5, ['a.b.c.d.e']), 'vi');
    press(mode, '0', 'f');
    expect(mode.state().prompt).toEqual({ type: 5, prompt: 'Jump Forward', text: '' });
    press(mode, '.');
    expect(mode.state()).toMatchObject({ cx: 1, prompt: null });
    press(mode, ';');
    expect(mode.state().cx).toBe(3);
    press(mode, ',');
    expect(mode.state().cx).toBe(1);
    press(mode, '$', 'F', 'c');
    expect(mode.state().cx).toBe(4);
    press(mode, '0', 't', 'd');
    expect(mode.state().cx).toBe(5);
    press(mode, '$', 'T', 'b');
    expect(mode.state().cx).toBe(3);
  });
});
