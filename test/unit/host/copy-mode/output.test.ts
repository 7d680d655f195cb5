/**
 * outputAdded: when the pane prints while in copy mode, the view stays on the same content (oy
 * grows by the lines that scrolled into history, capped at the history size), below and at the
 * scrollback limit, and the selection anchor stays on its line.
 */
import { describe, expect, it } from 'vitest';
import { feedEmulator } from '../../../../src/core/term/emulator.js';
import { copyMode, lineAt, paneWith, press, seq, viewRow } from './helpers.js';

/** Absolute line of a selection anchor reported as lines-from-bottom. */
function anchorText(term: ReturnType<typeof paneWith>, lineFromBottom: number): string {
  return lineAt(term, term.buffer.normal.baseY + term.rows - 1 - lineFromBottom);
}

describe('output while in copy mode', () => {
  it('keeps the view on the same lines while history grows', () => {
    const term = paneWith(20, 10, seq(1, 50));
    const mode = copyMode(term, 'emacs');
    press(mode, 'PPage', 'C-Space', 'Up');
    const before = mode.state();
    expect(viewRow(term, before.oy, 0)).toBe('33');
    feedEmulator(term, '\r\n51\r\n52\r\n53');
    mode.outputAdded();
    const after = mode.state();
    expect(after.oy).toBe(before.oy + 3);
    expect(viewRow(term, after.oy, 0)).toBe('33');
    expect(after.cy).toBe(before.cy);
    expect(anchorText(term, after.selection!.lineFromBottom)).toBe('42');
    expect(anchorText(term, before.selection!.lineFromBottom)).not.toBe('42');
  });

  it('follows from the live bottom too (oy 0 grows by the lines scrolled)', () => {
    const term = paneWith(20, 10, seq(1, 50));
    const mode = copyMode(term, 'vi');
    feedEmulator(term, '\r\n51\r\n52');
    mode.outputAdded();
    expect(mode.state().oy).toBe(2);
    expect(viewRow(term, 2, 0)).toBe('41');
  });

  it('keeps the view on the same lines when the scrollback limit drops old lines', () => {
    const term = paneWith(20, 10, seq(1, 100), 50);
    expect(term.buffer.normal.baseY).toBe(50);
    const mode = copyMode(term, 'emacs');
    press(mode, 'PPage', 'PPage', 'C-Space');
    const before = mode.state();
    expect(viewRow(term, before.oy, 0)).toBe('75');
    expect(anchorText(term, before.selection!.lineFromBottom)).toBe('84');
    feedEmulator(term, '\r\n101\r\n102\r\n103\r\n104\r\n105');
    mode.outputAdded();
    const after = mode.state();
    expect(term.buffer.normal.baseY).toBe(50);
    expect(after.oy).toBe(before.oy + 5);
    expect(viewRow(term, after.oy, 0)).toBe('75');
    expect(anchorText(term, after.selection!.lineFromBottom)).toBe('84');
  });

  it('stops at the top of history when the lines shown were dropped', () => {
    const term = paneWith(20, 10, seq(1, 100), 50);
    const mode = copyMode(term, 'vi');
    press(mode, 'g');
    feedEmulator(term, '\r\n' + seq(101, 120).join('\r\n'));
    mode.outputAdded();
    expect(mode.state().oy).toBe(50);
    expect(viewRow(term, 50, 0)).toBe('61');
  });

  it('handles several outputs between keys and history being cleared', () => {
    const term = paneWith(20, 10, seq(1, 100), 50);
    const mode = copyMode(term, 'emacs');
    press(mode, 'PPage');
    for (let i = 0; i < 3; i++) {
      feedEmulator(term, `\r\nmore ${i}`);
      mode.outputAdded();
    }
    expect(viewRow(term, mode.state().oy, 0)).toBe('83');
    feedEmulator(term, '\x1b[3J');
    mode.outputAdded();
    expect(mode.state().oy).toBe(term.buffer.normal.baseY);
  });

  it('does not move while the alternate screen takes the output', () => {
    const term = paneWith(20, 10, seq(1, 50));
    feedEmulator(term, '\x1b[?1049h\x1b[Hvim');
    const mode = copyMode(term, 'vi');
    press(mode, 'C-b');
    feedEmulator(term, '\r\n'.repeat(30));
    mode.outputAdded();
    expect(mode.state().oy).toBe(8);
  });

  it('finds its place at the limit when the view is mostly blank lines', () => {
    const content = [...seq(1, 40), ...Array<string>(25).fill(''), ...seq(41, 80)];
    const term = paneWith(20, 10, content, 50);
    const mode = copyMode(term, 'emacs');
    press(mode, 'PPage', 'PPage', 'PPage', 'PPage', 'PPage');
    const view = (oy: number): string[] => Array.from({ length: 10 }, (_, r) => viewRow(term, oy, r));
    const before = view(mode.state().oy);
    expect(before.filter((l) => l === '').length).toBeGreaterThan(5);
    feedEmulator(term, '\r\n' + seq(81, 84).join('\r\n'));
    mode.outputAdded();
    expect(view(mode.state().oy)).toEqual(before);
  });

  it('only stays in bounds across a resize, then follows output again', () => {
    const term = paneWith(20, 10, seq(1, 100), 50);
    const mode = copyMode(term, 'vi');
    press(mode, 'C-b');
    term.resize(15, 10);
    feedEmulator(term, '\r\n101');
    mode.outputAdded();
    const oy = mode.state().oy;
    expect(oy).toBe(8);
    const top = viewRow(term, oy, 0);
    feedEmulator(term, '\r\n102\r\n103');
    mode.outputAdded();
    expect(mode.state().oy).toBe(10);
    expect(viewRow(term, 10, 0)).toBe(top);
  });
});
