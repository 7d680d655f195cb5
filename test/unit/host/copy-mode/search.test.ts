/**
 * Search and the other prompts: prompt state while typing, editing keys of the emacs and vi edit
 * tables, running the search (cursor on the match, view scrolled so it shows), n / N repeats,
 * wrap-around, case rules, goto-line.
 */
import { describe, expect, it } from 'vitest';
import { copyMode, cursorLine, paneWith, press, seq, typeText } from './helpers.js';

/** 20×10 pane after `seq 1 50`: 40 lines of history. */
function numbers() {
  return paneWith(20, 10, seq(1, 50));
}

describe('search prompt', () => {
  it('emacs C-r / C-s open Search Up / Search Down; typing, BSpace and C-u edit the text', () => {
    const mode = copyMode(numbers(), 'emacs');
    press(mode, 'C-r');
    expect(mode.state().prompt).toEqual({ type: 3, prompt: 'Search Up', text: '' });
    typeText(mode, '1x7');
    expect(mode.state().prompt?.text).toBe('1x7');
    press(mode, 'BSpace', 'BSpace', '7');
    expect(mode.state().prompt?.text).toBe('17');
    press(mode, 'C-u');
    expect(mode.state().prompt?.text).toBe('');
    press(mode, 'Escape');
    expect(mode.state().prompt).toBeNull();
    press(mode, 'C-s');
    expect(mode.state().prompt).toEqual({ type: 4, prompt: 'Search Down', text: '' });
    expect(press(mode, 'C-c')).toEqual({ exit: false, copied: null });
    expect(mode.state().prompt).toBeNull();
  });

  it('vi / and ? open Search Down / Search Up; Escape enters normal mode, C-c cancels', () => {
    const mode = copyMode(numbers(), 'vi');
    press(mode, '?');
    expect(mode.state().prompt).toEqual({ type: 3, prompt: 'Search Up', text: '' });
    typeText(mode, 'ab');
    press(mode, 'Escape', 'x', 'X');
    expect(mode.state().prompt).toEqual({ type: 3, prompt: 'Search Up', text: 'a' });
    press(mode, 'a', 'x');
    expect(mode.state().prompt?.text).toBe('ax');
    press(mode, 'C-c');
    expect(mode.state().prompt).toBeNull();
    press(mode, '/');
    expect(mode.state().prompt).toEqual({ type: 4, prompt: 'Search Down', text: 'ax' });
  });

  it('types only printable ASCII into the prompt', () => {
    const mode = copyMode(numbers(), 'emacs');
    press(mode, 'C-r', 'Tab', 'M-a', 'Up', 'F1', 0xe9, ' ', '~');
    expect(mode.state().prompt?.text).toBe(' ~');
  });
});

describe('running a search', () => {
  it('jumps to an earlier line, a quarter of the pane above the bottom of the view', () => {
    const term = numbers();
    const mode = copyMode(term, 'emacs');
    press(mode, 'C-r');
    typeText(mode, '17');
    expect(press(mode, 'Enter')).toEqual({ exit: false, copied: null });
    // Line "17" is absolute line 16; the view top becomes 16 + 10/4 - 10 = 8.
    expect(mode.state()).toEqual({ backing: 1, oy: 32, cx: 0, cy: 8, selection: null, prompt: null });
    expect(cursorLine(term, mode)).toBe('17');
  });

  it('repeats with n and reverses with N', () => {
    const term = numbers();
    const mode = copyMode(term, 'emacs');
    press(mode, 'C-r', '1', 'Enter');
    expect(cursorLine(term, mode)).toBe('41');
    expect(mode.state().cx).toBe(1);
    press(mode, 'n');
    expect(cursorLine(term, mode)).toBe('31');
    press(mode, 'n');
    expect(cursorLine(term, mode)).toBe('21');
    press(mode, 'N');
    expect(cursorLine(term, mode)).toBe('31');
  });

  it('searches down from the top with vi / and wraps around', () => {
    const term = numbers();
    const mode = copyMode(term, 'vi');
    press(mode, 'g', '/', '4', '9', 'Enter');
    expect(cursorLine(term, mode)).toBe('49');
    expect(mode.state()).toMatchObject({ oy: 0, cy: 8, cx: 0 });
    press(mode, '/', 'BSpace', 'BSpace', '5', 'Enter');
    expect(cursorLine(term, mode)).toBe('50');
    press(mode, 'n'); // nothing below: wraps to the top
    expect(cursorLine(term, mode)).toBe('5');
    expect(mode.state()).toMatchObject({ oy: 40, cy: 4 });
  });

  it('repeats a search with a numeric prefix', () => {
    const term = numbers();
    const mode = copyMode(term, 'vi');
    press(mode, '3', '?', '1', 'Enter');
    expect(cursorLine(term, mode)).toBe('21');
  });

  it('matches case-insensitively unless the text has capitals', () => {
    const term = paneWith(30, 6, ['Hello World', 'hello world', 'end']);
    const mode = copyMode(term, 'emacs');
    press(mode, 'C-r');
    typeText(mode, 'world');
    press(mode, 'Enter');
    expect(mode.state()).toMatchObject({ cx: 6, cy: 1 });
    press(mode, 'n');
    expect(mode.state()).toMatchObject({ cx: 6, cy: 0 });
    press(mode, 'M->', 'C-r', 'C-u');
    typeText(mode, 'World');
    press(mode, 'Enter');
    expect(mode.state()).toMatchObject({ cx: 6, cy: 0 });
    press(mode, 'M->', 'C-r', 'C-u');
    typeText(mode, 'WORLD');
    press(mode, 'Enter');
    expect(mode.state()).toMatchObject({ cx: 0, cy: 5 });
  });

  it('finds text after wide characters at their cell column', () => {
    const mode = copyMode(paneWith(20, 4, ['日本語 ok 語', 'x']), 'emacs');
    press(mode, 'C-r', 'o', 'k', 'Enter');
    expect(mode.state()).toMatchObject({ cx: 7, cy: 0 });
    press(mode, 'C-r', 'C-u');
    typeText(mode, '語');
    expect(mode.state().prompt?.text).toBe(''); // only ASCII can be typed, as in tmux
    press(mode, 'C-g', 'C-e', 'C-r', 'C-u', 'k', 'Enter');
    expect(mode.state()).toMatchObject({ cx: 8, cy: 0 });
  });

  it('leaves the cursor where it is when nothing matches, and n does nothing before a search', () => {
    const mode = copyMode(numbers(), 'vi');
    press(mode, 'n', 'N');
    expect(mode.state()).toMatchObject({ oy: 0, cx: 2, cy: 9 });
    press(mode, '?', 'x', 'y', 'Enter');
    expect(mode.state()).toMatchObject({ oy: 0, cx: 2, cy: 9, prompt: null });
  });
});

describe('goto line', () => {
  it('emacs g and vi : scroll the view to the line number typed', () => {
    const emacs = copyMode(numbers(), 'emacs');
    press(emacs, 'g');
    expect(emacs.state().prompt).toEqual({ type: 9, prompt: 'Goto Line', text: '' });
    press(emacs, '1', '2', 'Enter');
    expect(emacs.state()).toMatchObject({ oy: 12, prompt: null });
    const vi = copyMode(numbers(), 'vi');
    press(vi, ':', '9', '9', 'Enter'); // past the history: ignored
    expect(vi.state().oy).toBe(0);
    press(vi, ':', '4', '0', 'Enter');
    expect(vi.state().oy).toBe(40);
  });
});
