import { describe, expect, it } from 'vitest';
import { keyToBytes, type KeyModes, type KeyModesSource } from '../../../src/core/term/key-bytes.js';
import {
  KEYC_BSPACE,
  KEYC_CTRL,
  KEYC_ESCAPE,
  KEYC_FOCUS_IN,
  KEYC_FOCUS_OUT,
  KEYC_KP_ENTER,
  KEYC_MOUSE,
  KEYC_MOUSE_FIRST,
  KEYC_NONE,
  KEYC_SHIFT,
  KEYC_UNKNOWN,
  functionKey,
  withModifiers,
} from '../../../src/core/term/key-codes.js';
import { keyFromName } from '../../../src/core/term/key-names.js';
import { bytes, catVEcho, readTrace, type TraceEvent } from './term-helpers.js';

const NORMAL: KeyModes = { applicationCursor: false, applicationKeypad: false };
const CURSOR: KeyModes = { applicationCursor: true, applicationKeypad: false };
const KEYPAD: KeyModes = { applicationCursor: false, applicationKeypad: true };

function k(name: string): number {
  const key = keyFromName(name);
  if (key === null) throw new Error(`bad key name ${name}`);
  return key;
}

function str(key: number, modes: KeyModesSource = NORMAL): string | null {
  const out = keyToBytes(key, modes);
  return out === null ? null : String.fromCharCode(...out);
}

describe('keyToBytes reads the pane modes', () => {
  it('only for the keys that depend on them (a typed character waits for no parse of pending output)', () => {
    let reads = 0;
    const modes = (): KeyModes => {
      reads++;
      return CURSOR;
    };
    for (const name of ['a', 'Enter', 'BSpace', 'C-c', 'M-x', 'F5', 'Home', 'é']) expect(str(k(name), modes), name).toBe(str(k(name)));
    expect(reads).toBe(0);
    expect(str(k('Up'), modes)).toBe('\x1bOA');
    expect(str(k('KP5'), () => KEYPAD)).toBe('\x1bOu');
    expect(reads).toBe(1);
  });
});

describe('keyToBytes table (tmux 2.x input-keys, xterm-keys off)', () => {
  const cases: Array<[name: string, modes: KeyModes, expected: string | null]> = [
    ['a', NORMAL, 'a'],
    ['Enter', NORMAL, '\r'],
    ['Tab', NORMAL, '\t'],
    ['Escape', NORMAL, '\x1b'],
    ['C-a', NORMAL, '\x01'],
    ['C-Space', NORMAL, '\x00'],
    ['BSpace', NORMAL, '\x7f'],
    ['M-x', NORMAL, '\x1bx'],
    ['M-C-x', NORMAL, '\x1b\x18'],
    ['M-Enter', NORMAL, '\x1b\r'],
    ['M-BSpace', NORMAL, '\x1b\x7f'],
    ['F1', NORMAL, '\x1bOP'],
    ['F2', NORMAL, '\x1bOQ'],
    ['F3', NORMAL, '\x1bOR'],
    ['F4', NORMAL, '\x1bOS'],
    ['F5', NORMAL, '\x1b[15~'],
    ['F6', NORMAL, '\x1b[17~'],
    ['F7', NORMAL, '\x1b[18~'],
    ['F8', NORMAL, '\x1b[19~'],
    ['F9', NORMAL, '\x1b[20~'],
    ['F10', NORMAL, '\x1b[21~'],
    ['F11', NORMAL, '\x1b[23~'],
    ['F12', NORMAL, '\x1b[24~'],
    ['S-F1', NORMAL, '\x1b[25~'],
    ['S-F2', NORMAL, '\x1b[26~'],
    ['S-F3', NORMAL, '\x1b[28~'],
    ['S-F4', NORMAL, '\x1b[29~'],
    ['S-F5', NORMAL, '\x1b[31~'],
    ['S-F6', NORMAL, '\x1b[32~'],
    ['S-F7', NORMAL, '\x1b[33~'],
    ['S-F8', NORMAL, '\x1b[34~'],
    ['S-F9', NORMAL, null],
    ['C-F1', NORMAL, null],
    ['M-F5', NORMAL, '\x1b\x1b[15~'],
    ['IC', NORMAL, '\x1b[2~'],
    ['DC', NORMAL, '\x1b[3~'],
    ['Home', NORMAL, '\x1b[1~'],
    ['End', NORMAL, '\x1b[4~'],
    ['NPage', NORMAL, '\x1b[6~'],
    ['PPage', NORMAL, '\x1b[5~'],
    ['BTab', NORMAL, '\x1b[Z'],
    ['Home', CURSOR, '\x1b[1~'],
    ['Up', NORMAL, '\x1b[A'],
    ['Down', NORMAL, '\x1b[B'],
    ['Right', NORMAL, '\x1b[C'],
    ['Left', NORMAL, '\x1b[D'],
    ['Up', CURSOR, '\x1bOA'],
    ['Down', CURSOR, '\x1bOB'],
    ['Right', CURSOR, '\x1bOC'],
    ['Left', CURSOR, '\x1bOD'],
    ['C-Up', NORMAL, '\x1bOA'],
    ['C-Left', NORMAL, '\x1bOD'],
    ['C-Up', CURSOR, '\x1b[A'],
    ['C-Right', CURSOR, '\x1b[C'],
    ['M-Up', NORMAL, '\x1b\x1b[A'],
    ['M-Up', CURSOR, '\x1b\x1bOA'],
    ['C-M-Up', NORMAL, '\x1b\x1bOA'],
    ['S-Up', NORMAL, null],
    ['S-Up', CURSOR, null],
    ['C-S-Up', NORMAL, null],
    ['Up', KEYPAD, '\x1b[A'],
    ['C-?', NORMAL, null],
    ['C-0', NORMAL, null],
    ['S-a', NORMAL, null],
  ];
  it.each(cases)('%s %o → %j', (name, modes, expected) => {
    expect(str(k(name), modes)).toBe(expected);
  });

  const keypad = '/*-789+456123\n0.';
  const appKeypad = 'ojmwxyktuvqrsMpn';
  const kpNames = ['KP/', 'KP*', 'KP-', 'KP7', 'KP8', 'KP9', 'KP+', 'KP4', 'KP5', 'KP6', 'KP1', 'KP2', 'KP3', 'KPEnter', 'KP0', 'KP.'];
  it.each(kpNames.map((name, i) => [name, i] as const))('%s: character, or ESC O x in keypad mode', (name, i) => {
    expect(str(k(name), NORMAL)).toBe(keypad[i]);
    expect(str(k(name), CURSOR)).toBe(keypad[i]);
    expect(str(k(name), KEYPAD)).toBe(`\x1bO${appKeypad[i]}`);
    expect(str(withModifiers(k(name), KEYC_ESCAPE), KEYPAD)).toBe(`\x1b\x1bO${appKeypad[i]}`);
  });

  it('KPEnter writes a newline outside keypad mode (tmux 2.4 input-keys), not C-m', () => {
    expect(str(KEYC_KP_ENTER)).toBe('\n');
  });

  it('writes characters as UTF-8, META as an ESC prefix', () => {
    expect(keyToBytes(0xe9, NORMAL)).toEqual(Uint8Array.from([0xc3, 0xa9]));
    expect(keyToBytes(0x4e2d, NORMAL)).toEqual(Uint8Array.from([0xe4, 0xb8, 0xad]));
    expect(keyToBytes(0x1f600, NORMAL)).toEqual(Uint8Array.from([0xf0, 0x9f, 0x98, 0x80]));
    expect(keyToBytes(0x7ff, NORMAL)).toEqual(Uint8Array.from([0xdf, 0xbf]));
    expect(keyToBytes(withModifiers(0xe9, KEYC_ESCAPE), NORMAL)).toEqual(Uint8Array.from([0x1b, 0xc3, 0xa9]));
    expect(keyToBytes(127, NORMAL)).toEqual(Uint8Array.from([0x7f]));
  });

  it('writes nothing for mouse, focus, invalid and unknown keys', () => {
    const none = [
      KEYC_MOUSE, KEYC_MOUSE_FIRST, k('MouseDown1Pane'), k('WheelDownBorder'), KEYC_FOCUS_IN, KEYC_FOCUS_OUT,
      KEYC_NONE, KEYC_UNKNOWN, 0xd800, 0x110000, -1, 1.5, Number.NaN, 2 ** 53, withModifiers(0x61, KEYC_CTRL),
      withModifiers(functionKey(12), KEYC_SHIFT), withModifiers(KEYC_BSPACE, KEYC_CTRL), withModifiers(0x61, KEYC_SHIFT),
    ];
    for (const key of none) expect(keyToBytes(key, NORMAL), String(key)).toBeNull();
  });
});

interface KeyCase {
  label: string;
  key: number;
  events: TraceEvent[];
}

/** Trace 20 split at its "key NAME = CODE" marks. */
function trace20Cases(): KeyCase[] {
  const cases: KeyCase[] = [];
  for (const ev of readTrace('20-key-encoding.jsonl')) {
    const mark = ev.dir === 'mark' ? /^key (\S+) = (\d+)$/.exec(ev.note ?? '') : null;
    if (mark !== null) cases.push({ label: mark[1]!, key: Number(mark[2]), events: [] });
    else cases[cases.length - 1]?.events.push(ev);
  }
  return cases;
}

const paneKey = (ev: TraceEvent): number | undefined =>
  ev.dir === 's2c' && ev.name === 'PANE_KEY' ? (ev.msg?.[2] as number) : undefined;
const ptyData = (ev: TraceEvent): string | undefined =>
  ev.dir === 'c2s' && ev.name === 'PTY_DATA' ? (ev.msg?.[2] as string) : undefined;

describe('trace 20: PANE_KEY → bytes the host wrote (pane runs cat -v on a canonical tty)', () => {
  const cases = trace20Cases();

  it('has the recorded cases', () => {
    expect(cases.length).toBe(27);
  });

  it.each(cases.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const keys = c.events.map(paneKey).filter((key) => key !== undefined);
    expect(keys).toEqual([c.key, 13]);
    const written = keyToBytes(c.key, NORMAL) ?? new Uint8Array(0);
    // Everything the pane sent back: echo of the key, then Enter's echo and cat's copy of the line.
    const all = c.events.map(ptyData).filter((s) => s !== undefined).join('');
    expect(all).toBe(catVEcho([...written, 0x0d]));
    // The PTY_DATA right after the key (before Enter was sent) is the key's own echo.
    const enterAt = c.events.findIndex((ev) => paneKey(ev) === 13);
    const beforeEnter = c.events.slice(0, enterAt).map(ptyData).filter((s) => s !== undefined).join('');
    expect(beforeEnter).toBe(catVEcho(written));
  });
});

describe('trace 02: printable PANE_KEYs echo as their UTF-8 text', () => {
  it('pairs each character PANE_KEY with the next PTY_DATA', () => {
    const events = readTrace('02-typing-output.jsonl');
    let checked = 0;
    events.forEach((ev, i) => {
      const key = paneKey(ev);
      if (key === undefined || key < 0x20 || key === 0x7f || key >= 0x110000 || ev.msg?.[1] === 99) return;
      const next = events.slice(i + 1).find((e) => paneKey(e) !== undefined || ptyData(e) !== undefined);
      const echoed = next === undefined ? undefined : ptyData(next);
      if (echoed === undefined) return;
      expect(new TextDecoder().decode(keyToBytes(key, NORMAL) ?? undefined)).toBe(echoed);
      checked++;
    });
    expect(checked).toBeGreaterThanOrEqual(18);
  });

  it('Up recalls history the way ESC [ A does', () => {
    expect(keyToBytes(17592186044481, NORMAL)).toEqual(bytes('\x1b[A'));
    expect(withModifiers(k('Up'), KEYC_SHIFT)).toBe(158329674399809);
  });
});
