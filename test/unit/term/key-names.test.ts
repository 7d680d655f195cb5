import { describe, expect, it } from 'vitest';
import {
  KEYC_BASE,
  KEYC_BSPACE,
  KEYC_BTAB,
  KEYC_CTRL,
  KEYC_DC,
  KEYC_DOWN,
  KEYC_END,
  KEYC_ESCAPE,
  KEYC_F1,
  KEYC_F12,
  KEYC_FOCUS_IN,
  KEYC_HOME,
  KEYC_IC,
  KEYC_KP_ENTER,
  KEYC_KP_PERIOD,
  KEYC_KP_SLASH,
  KEYC_KP_STAR,
  KEYC_LEFT,
  KEYC_MOUSE,
  KEYC_MOUSE_FIRST,
  KEYC_MOUSE_LAST,
  KEYC_NONE,
  KEYC_NPAGE,
  KEYC_PPAGE,
  KEYC_RIGHT,
  KEYC_SHIFT,
  KEYC_UNKNOWN,
  KEYC_UP,
  baseKey,
  isMouseKey,
  withModifiers,
} from '../../../src/core/term/key-codes.js';
import { keyFromName, keyToName } from '../../../src/core/term/key-names.js';
import { readTrace } from './term-helpers.js';

const C = (key: number): number => withModifiers(key, KEYC_CTRL);
const M = (key: number): number => withModifiers(key, KEYC_ESCAPE);
const S = (key: number): number => withModifiers(key, KEYC_SHIFT);

describe('keyFromName', () => {
  const cases: Array<[string, number | null]> = [
    ['a', 97], ['Z', 90], ['"', 34], ['%', 37], ['&', 38], ['#', 35], ["'", 39], [',', 44], [';', 59],
    ['~', 126], ['0', 48], ['9', 57], ['-', 45], ['^', 94], ['[', 91], ['{', 123],
    ['C-b', 2], ['C-B', 2], ['c-b', 2], ['^b', 2], ['^B', 2], ['C-a', 1], ['C-z', 26], ['C-Space', 0], ['C-@', 0],
    ['C-[', 27], ['C-\\', 28], ['C-]', 29], ['C-^', 30], ['C-_', 31], ['^^', 30],
    ['C-?', C(63)], ['C-0', C(48)], ['C-1', C(49)], ['C-Enter', C(13)], ['C-Tab', C(9)], ['C--', C(45)],
    ['C-Escape', null], ['C-"', null], ['C-~', null],
    ['M-x', M(120)], ['m-x', M(120)], ['M-1', M(49)], ['M-C-x', M(24)], ['C-M-x', M(24)], ['M--', M(45)],
    ['M-Up', M(KEYC_UP)], ['C-Up', C(KEYC_UP)], ['S-Up', S(KEYC_UP)], ['C-M-S-Up', C(M(S(KEYC_UP)))],
    ['S-a', S(97)], ['M-Space', M(32)], ['M-BSpace', M(KEYC_BSPACE)],
    ['Up', KEYC_UP], ['up', KEYC_UP], ['UP', KEYC_UP], ['Down', KEYC_DOWN], ['Left', KEYC_LEFT], ['Right', KEYC_RIGHT],
    ['F1', KEYC_F1], ['f1', KEYC_F1], ['F12', KEYC_F12], ['F13', null],
    ['IC', KEYC_IC], ['Insert', KEYC_IC], ['DC', KEYC_DC], ['Delete', KEYC_DC], ['Home', KEYC_HOME], ['End', KEYC_END],
    ['NPage', KEYC_NPAGE], ['PageDown', KEYC_NPAGE], ['PgDn', KEYC_NPAGE],
    ['PPage', KEYC_PPAGE], ['PageUp', KEYC_PPAGE], ['PgUp', KEYC_PPAGE],
    ['BTab', KEYC_BTAB], ['BSpace', KEYC_BSPACE], ['Enter', 13], ['Escape', 27], ['Space', 32], ['Tab', 9],
    ['KP/', KEYC_KP_SLASH], ['KP*', KEYC_KP_STAR], ['KPEnter', KEYC_KP_ENTER], ['kpenter', KEYC_KP_ENTER], ['KP.', KEYC_KP_PERIOD],
    ['MouseDown1Pane', KEYC_MOUSE_FIRST], ['MouseDown1Status', KEYC_MOUSE_FIRST + 1], ['MouseDown1Border', KEYC_MOUSE_FIRST + 2],
    ['MouseDown2Pane', KEYC_MOUSE_FIRST + 3], ['WheelDownBorder', KEYC_MOUSE_LAST], ['MouseDragEnd1Pane', KEYC_BASE + 30],
    ['é', 233], ['中', 20013], ['M-é', M(233)], ['C-é', C(233)], ['😀', 0x1f600],
    ['0x41', 0x41], ['0x7f', 0x7f], ['0xffff', 0xffff], ['0x12345', null], ['0x', null], ['0xg', null],
    ['None', null], ['none', null], ['', null], ['C-', null], ['Nope', null], ['ab', null], ['éa', null],
    ['\t', null], ['\x7f', null], ['X-a', 97], ['\ud800', null],
  ];
  it.each(cases)('%j → %s', (name, expected) => {
    expect(keyFromName(name)).toBe(expected);
  });

  it('gives mouse names a value in the mouse range', () => {
    for (const name of ['MouseDown1Pane', 'MouseUp3Status', 'MouseDrag2Border', 'WheelUpPane', 'WheelDownStatus']) {
      expect(isMouseKey(keyFromName(name) ?? 0), name).toBe(true);
    }
  });
});

describe('keyToName', () => {
  const cases: Array<[number, string]> = [
    [2, 'C-b'], [0, 'C-Space'], [1, 'C-a'], [8, 'C-h'], [9, 'Tab'], [13, 'Enter'], [27, 'Escape'], [28, 'C-\\'],
    [31, 'C-_'], [32, 'Space'], [34, '"'], [126, '~'], [233, 'é'], [20013, '中'],
    [M(120), 'M-x'], [M(24), 'M-C-x'], [C(KEYC_UP), 'C-Up'], [C(M(S(KEYC_UP))), 'C-M-S-Up'], [M(0), 'C-M-Space'],
    [C(0), 'C-Space'], [KEYC_NPAGE, 'NPage'], [KEYC_PPAGE, 'PPage'], [KEYC_IC, 'IC'], [KEYC_DC, 'DC'], [KEYC_BSPACE, 'BSpace'],
    [KEYC_KP_ENTER, 'KPEnter'], [KEYC_MOUSE_FIRST, 'MouseDown1Pane'], [KEYC_MOUSE, 'Mouse'], [KEYC_NONE, 'None'],
    [KEYC_UNKNOWN, 'Unknown'], [KEYC_FOCUS_IN, 'FocusIn'], [127, 'Invalid#7f'], [0xd800, 'Invalid#d800'],
    [KEYC_BASE + 85, 'Invalid#100000000055'], [M(KEYC_MOUSE), 'Invalid#100000000002'], [M(233), 'M-é'], [-1, 'Invalid'], [Number.NaN, 'Invalid'],
  ];
  it.each(cases)('%s → %j', (key, expected) => {
    expect(keyToName(key)).toBe(expected);
  });
});

/** Key names of every bind-key the host replicated in the recorded traces. */
function tracedBindKeyNames(): Set<string> {
  const names = new Set<string>();
  for (const file of ['01-connect-ready.jsonl', '03-new-window.jsonl', '13-reference-server-host.jsonl']) {
    for (const ev of readTrace(file)) {
      const argv = ev.msg;
      if (ev.dir !== 'c2s' || argv?.[0] !== 12 || argv[1] !== 'bind-key') continue;
      const args = argv.slice(2) as string[];
      let i = 0;
      while (args[i] === '-n' || args[i] === '-r' || args[i] === '-T') i += args[i] === '-T' ? 2 : 1;
      names.add(args[i]!);
    }
  }
  return names;
}

describe('round trips', () => {
  it('every bind-key name in the traces parses and prints back unchanged', () => {
    const names = tracedBindKeyNames();
    expect(names.size).toBe(83);
    for (const name of names) {
      const key = keyFromName(name);
      expect(key, name).not.toBeNull();
      expect(keyToName(key!), name).toBe(name);
    }
  });

  it('keyFromName(keyToName(k)) === k for characters, controls and every special key with modifiers', () => {
    const keys: number[] = [];
    for (let c = 0; c < 0x800; c++) if (c !== 0x7f) keys.push(c);
    for (let n = 0; n <= 84; n++) keys.push(KEYC_BASE + n);
    const modified = keys.flatMap((key) => [key, M(key), S(key), M(S(key))]);
    const ctrlSpecial = keys.filter((key) => key >= KEYC_BASE).flatMap((key) => [C(key), C(M(S(key)))]);
    const failures = [...modified, ...ctrlSpecial, 0x4e2d, 0x1f600, C(63), C(48), C(13)]
      .filter((key) => baseKey(key) !== KEYC_MOUSE) // "Mouse" is display-only in tmux
      .filter((key) => keyFromName(keyToName(key)) !== key)
      .map((key) => `${key} ${keyToName(key)}`);
    expect(failures).toEqual([]);
  });

  it('every name keyFromName accepts prints to a name that parses to the same key', () => {
    for (const name of ['C-B', '^b', 'PgUp', 'PageDown', 'Insert', 'Delete', 'm-c-X', 's-up', 'kp/', 'C-@']) {
      const key = keyFromName(name)!;
      expect(keyFromName(keyToName(key)), name).toBe(key);
    }
  });
});
