/**
 * The emacs and vi key tables: every name resolves to a key code, no key is bound twice, and the
 * tmux 2.x defaults that differ between the two modes are what tmate 2.4.0's tmux has.
 */
import { describe, expect, it } from 'vitest';
import {
  COPY_BINDINGS, EDIT_BINDINGS, copyCommandFor, editCommandFor,
} from '../../../../src/core/host/copy-mode/copy-keys.js';
import { keyFromName } from '../../../../src/core/term/key-names.js';
import { key } from './helpers.js';

describe('copy-mode key tables', () => {
  it('resolve every key name, each key once per table', () => {
    const tables = [...Object.values(COPY_BINDINGS), ...Object.values(EDIT_BINDINGS)];
    for (const table of tables) {
      const codes = table.map(([name]) => keyFromName(name));
      expect(codes.filter((c) => c === null)).toEqual([]);
      expect(new Set(codes).size).toBe(codes.length);
    }
  });

  it.each([
    ['C-Space', 'begin-selection', null],
    ['Space', 'page-down', 'begin-selection'],
    ['Escape', 'cancel', 'clear-selection'],
    ['Enter', null, 'copy-selection'],
    ['M-w', 'copy-selection', null],
    ['C-w', 'copy-selection', null],
    ['C-r', 'search-backward', null],
    ['C-s', 'search-forward', null],
    ['?', null, 'search-backward'],
    ['/', null, 'search-forward'],
    ['g', 'goto-line', 'history-top'],
    ['G', null, 'history-bottom'],
    ['M-<', 'history-top', null],
    ['v', null, 'rectangle-toggle'],
    ['R', 'rectangle-toggle', null],
    ['q', 'cancel', 'cancel'],
    ['C-c', 'cancel', 'cancel'],
    ['PPage', 'page-up', 'page-up'],
    ['C-b', 'cursor-left', 'page-up'],
    ['C-f', 'cursor-right', 'page-down'],
    ['C-v', 'page-down', null],
    ['M-v', 'page-up', null],
    ['C-u', null, 'halfpage-up'],
    ['C-d', null, 'halfpage-down'],
    ['WheelUpPane', 'scroll-up', 'scroll-up'],
  ])('%s is %s in emacs and %s in vi', (name, emacs, vi) => {
    expect(copyCommandFor('emacs', key(name))).toBe(emacs);
    expect(copyCommandFor('vi', key(name))).toBe(vi);
  });

  it('edit tables: emacs types unbound keys, vi normal mode ignores them', () => {
    expect(editCommandFor('emacs', key('Escape'))).toBe('cancel');
    expect(editCommandFor('emacs', key('a'))).toBe('other');
    expect(editCommandFor('viInsert', key('Escape'))).toBe('switch-mode');
    expect(editCommandFor('viInsert', key('a'))).toBe('other');
    expect(editCommandFor('viNormal', key('a'))).toBe('switch-mode');
    expect(editCommandFor('viNormal', key('z'))).toBeNull();
  });
});
