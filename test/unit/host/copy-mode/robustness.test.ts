/**
 * Hostile and random input: no key code, key sequence, pane size, resize or output makes copy
 * mode throw, and state() always stays within the pane and the history.
 */
import { describe, expect, it } from 'vitest';
import { CopyMode, type CopyKeyMode } from '../../../../src/core/host/copy-mode/copy-mode.js';
import { COPY_BINDINGS, EDIT_BINDINGS } from '../../../../src/core/host/copy-mode/copy-keys.js';
import {
  KEYC_BASE, KEYC_CTRL, KEYC_ESCAPE, KEYC_NONE, KEYC_SHIFT, KEYC_UNKNOWN,
} from '../../../../src/core/term/key-codes.js';
import { createEmulator, feedEmulator, type Emulator } from '../../../../src/core/term/emulator.js';
import { key, paneWith, seq } from './helpers.js';

/** Broken invariants of state(), as readable strings (empty when all hold). */
function violations(term: Emulator, mode: CopyMode): string[] {
  const s = mode.state();
  const history = term.buffer.normal.baseY;
  const bad: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) bad.push(`${what}: ${JSON.stringify(s)} history ${history} size ${term.cols}x${term.rows}`);
  };
  check(s.backing === 1, 'backing');
  check([s.oy, s.cx, s.cy].every(Number.isInteger), 'integers');
  check(s.oy >= 0 && s.oy <= history, 'oy');
  check(s.cy >= 0 && s.cy < term.rows, 'cy');
  check(s.cx >= 0 && s.cx <= term.cols, 'cx');
  if (s.selection) {
    const { x, lineFromBottom } = s.selection;
    check(lineFromBottom >= 0 && lineFromBottom <= history + term.rows - 1, 'selection line');
    check(Number.isInteger(x) && x >= 0, 'selection x');
  }
  if (s.prompt) check(/^[\x20-\x7e]*$/.test(s.prompt.text), 'prompt text');
  return bad;
}

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = [
  Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, -0, 0.5, 1.5, 2 ** 53,
  2 ** 64, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, KEYC_NONE,
  KEYC_UNKNOWN, 0xffffffff, 0x110000, 0xd800, 0x7f, KEYC_BASE, KEYC_BASE + 200,
  KEYC_CTRL + KEYC_ESCAPE + KEYC_SHIFT + 0x61, 2 ** 52 + 7,
];

function keyPool(mode: CopyKeyMode): number[] {
  const names = [
    ...COPY_BINDINGS[mode].map(([n]) => n),
    ...Object.values(EDIT_BINDINGS).flatMap((t) => t.map(([n]) => n)),
    '0', '5', '9', 'x', '.', 'a', 'Enter', 'Escape',
  ];
  return names.map(key).concat(HOSTILE);
}

function panes(): Emulator[] {
  const tiny = createEmulator(1, 1, 20);
  feedEmulator(tiny, 'abc\r\ndef\r\n');
  const wide = paneWith(7, 3, ['日本語テキスト', 'a😀b c-d', '  x  ', '', 'end']);
  const wrapped = paneWith(5, 4, ['a'.repeat(23), 'b c d e f g h', 'tail']);
  const full = paneWith(12, 6, seq(1, 300), 40);
  const alt = paneWith(10, 5, seq(1, 30));
  feedEmulator(alt, '\x1b[?1049h\x1b[2;3Hfull screen app');
  return [tiny, wide, wrapped, full, alt, createEmulator(80, 24, 2000)];
}

describe('robustness', () => {
  it.each(['emacs', 'vi'] as const)('%s: hostile key codes never throw', (keys) => {
    for (const term of panes()) {
      const mode = new CopyMode(term, keys);
      for (const k of HOSTILE) {
        expect(mode.handleKey(k)).toEqual({ exit: false, copied: null });
        expect(violations(term, mode)).toEqual([]);
      }
    }
  });

  it.each(['emacs', 'vi'] as const)('%s: random keys, output and resizes keep the invariants', (keys) => {
    const pool = keyPool(keys);
    const next = rng(keys === 'vi' ? 7 : 11);
    for (const term of panes()) {
      let mode = new CopyMode(term, keys);
      const bad: string[] = [];
      for (let i = 0; i < 1500; i++) {
        const r = next();
        if (r < 0.02) {
          feedEmulator(term, `\r\nout ${i} ${'x'.repeat(Math.floor(next() * 30))}`);
          mode.outputAdded();
        } else if (r < 0.025) {
          term.resize(1 + Math.floor(next() * 30), 1 + Math.floor(next() * 12));
        } else if (r < 0.03) {
          mode.pageUp();
        } else {
          const result = mode.handleKey(pool[Math.floor(next() * pool.length)]!);
          if (result.exit) mode = new CopyMode(term, keys);
        }
        bad.push(...violations(term, mode));
      }
      expect(bad.slice(0, 5)).toEqual([]);
    }
  });

  it('keeps a long prompt bounded', () => {
    const mode = new CopyMode(paneWith(20, 5, ['x']), 'emacs');
    mode.handleKey(key('C-s'));
    for (let i = 0; i < 5000; i++) mode.handleKey(0x61);
    expect(mode.state().prompt!.text.length).toBe(1024);
  });
});
