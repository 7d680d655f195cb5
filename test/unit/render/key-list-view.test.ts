// list-keys for one viewer: tmux 2.4's line format (repeat column only when some binding repeats,
// table and key columns padded to the widest, tables then keys in tmux's order, a word with a
// space quoted) and the view's scrolling (clamped to the wrapped lines; q leaves).
import { describe, expect, it } from 'vitest';
import { KeyTables } from '../../../src/core/mux/key-table.js';
import { KeyListView, listKeyLines } from '../../../src/core/render/key-list-view.js';
import { keyFromName } from '../../../src/core/term/key-names.js';
import { createEmulator } from '../../../src/core/term/emulator.js';

function tables(...binds: string[][]): KeyTables {
  const keys = new KeyTables();
  for (const argv of binds) expect(keys.apply(['bind-key', ...argv])).toBe(true);
  return keys;
}

const key = (name: string): number => keyFromName(name)!;

describe('list-keys lines', () => {
  it('lists tables by name and keys by code, padded, repeat column only when needed', () => {
    const keys = tables(['c', 'new-window'], ['-n', 'F12', 'next-window'], ['C-b', 'send-prefix'], ['-r', 'Up', 'select-pane', '-U']);
    expect(listKeyLines(keys)).toEqual([
      'bind-key    -T prefix C-b send-prefix',
      'bind-key    -T prefix c   new-window',
      'bind-key -r -T prefix Up  select-pane -U',
      'bind-key    -T root   F12 next-window',
    ]);
    expect(listKeyLines(tables(['c', 'new-window']))).toEqual(['bind-key -T prefix c new-window']);
  });

  it('lists one table, and prints command lists and words with spaces as tmux does', () => {
    const keys = tables(['-n', 'F1', 'next-window'], ['x', 'confirm-before', '-p', 'kill #W? (y/n)', 'kill-pane', ';', 'display', 'bye']);
    expect(listKeyLines(keys, 'prefix')).toEqual(['bind-key -T prefix x confirm-before -p "kill #W? (y/n)" kill-pane ; display bye']);
    expect(listKeyLines(keys, 'nope')).toEqual([]);
  });
});

describe('the key list view', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
  const window = { cols: 40, rows: 10, panes: [], activePaneId: 0 };
  const oy = (view: KeyListView): number => view.window(window, createEmulator(40, 10, 0)).panes[0]!.copyMode!.oy;

  it('opens at the end and scrolls by line, page and to either end, within bounds', () => {
    const view = new KeyListView(lines);
    expect(oy(view)).toBe(0);
    const steps: [string, number][] = [['Up', 1], ['PPage', 9], ['g', 20], ['k', 20], ['C-d', 15], ['G', 0], ['Down', 0]];
    for (const [name, expected] of steps) {
      view.handleKey(key(name), 40, 10);
      expect(oy(view), `after ${name}`).toBe(expected);
    }
  });

  it('counts wrapped lines, ignores other keys and closes on q, Escape or C-c', () => {
    const view = new KeyListView(['x'.repeat(100), ...lines.slice(0, 9)]);
    view.handleKey(key('g'), 40, 10);
    expect(oy(view)).toBe(2); // 3 + 9 screen lines on 10 rows
    expect(view.handleKey(key('z'), 40, 10)).toBe(true);
    for (const name of ['q', 'Escape', 'C-c']) expect(view.handleKey(key(name), 40, 10)).toBe(false);
  });

  it('covers the window with one pane in output mode', () => {
    const scene = new KeyListView(lines).window(window, createEmulator(40, 10, 0));
    expect(scene.panes).toHaveLength(1);
    expect(scene.panes[0]).toMatchObject({ xoff: 0, yoff: 0, cols: 40, rows: 10, outputLines: lines, copyMode: { backing: 0 } });
  });
});
