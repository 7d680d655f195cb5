import { describe, expect, it } from 'vitest';
import { CSI_MAX, InputParser, MAX_PENDING } from '../../../src/core/term/input-parser.js';
import {
  KEYC_BSPACE,
  KEYC_BTAB,
  KEYC_CTRL,
  KEYC_DC,
  KEYC_DOWN,
  KEYC_END,
  KEYC_ESCAPE,
  KEYC_FOCUS_IN,
  KEYC_FOCUS_OUT,
  KEYC_HOME,
  KEYC_IC,
  KEYC_KP_SLASH,
  KEYC_LEFT,
  KEYC_MOUSE,
  KEYC_NPAGE,
  KEYC_PPAGE,
  KEYC_RIGHT,
  KEYC_SHIFT,
  KEYC_UP,
  functionKey,
  withModifiers,
} from '../../../src/core/term/key-codes.js';
import { keyToName } from '../../../src/core/term/key-names.js';
import { bytes, prng, utf8 } from './term-helpers.js';

const C = (key: number): number => withModifiers(key, KEYC_CTRL);
const M = (key: number): number => withModifiers(key, KEYC_ESCAPE);
const S = (key: number): number => withModifiers(key, KEYC_SHIFT);
const F = functionKey;
const E = '\x1b';

function parseWhole(input: Uint8Array): { keys: number[]; flushed: number[] } {
  const p = new InputParser();
  const keys = p.feed(input);
  return { keys, flushed: p.flush() };
}

function parseSplit(input: Uint8Array, cuts: readonly number[]): number[] {
  const p = new InputParser();
  const keys: number[] = [];
  let at = 0;
  let maxPending = 0;
  for (const cut of [...cuts, input.length]) {
    keys.push(...p.feed(input.subarray(at, cut)));
    maxPending = Math.max(maxPending, p.pendingBytes);
    at = cut;
  }
  if (maxPending > MAX_PENDING) throw new Error(`pending grew to ${maxPending}`);
  return [...keys, ...p.flush()];
}

/** Complete inputs: they leave nothing pending. */
const CASES: Array<[label: string, input: Uint8Array, keys: number[]]> = [
  ['printable ASCII', bytes('az AZ~"%'), [0x61, 0x7a, 0x20, 0x41, 0x5a, 0x7e, 0x22, 0x25]],
  ['UTF-8', utf8('é中😀'), [0xe9, 0x4e2d, 0x1f600]],
  ['control characters are raw codes', bytes('\x00\x01\x02\x09\x0d\x0a\x1c\x1f'), [0, 1, 2, 9, 13, 10, 28, 31]],
  ['DEL is BSpace', bytes('\x7f'), [KEYC_BSPACE]],
  ['BS stays C-h', bytes('\x08'), [8]],
  ['CSI arrows', bytes(`${E}[A${E}[B${E}[C${E}[D`), [KEYC_UP, KEYC_DOWN, KEYC_RIGHT, KEYC_LEFT]],
  ['SS3 arrows', bytes(`${E}OA${E}OB${E}OC${E}OD`), [KEYC_UP, KEYC_DOWN, KEYC_RIGHT, KEYC_LEFT]],
  ['xterm modifiers 2..8', bytes([2, 3, 4, 5, 6, 7, 8].map((m) => `${E}[1;${m}A`).join('')),
    [S(KEYC_UP), M(KEYC_UP), S(M(KEYC_UP)), C(KEYC_UP), S(C(KEYC_UP)), M(C(KEYC_UP)), S(M(C(KEYC_UP)))]],
  ['xterm meta modifier 9', bytes(`${E}[1;9D`), [M(KEYC_LEFT)]],
  ['modified Home/End', bytes(`${E}[1;5H${E}[1;2F`), [C(KEYC_HOME), S(KEYC_END)]],
  ['Home/End, all forms', bytes(`${E}[H${E}[F${E}OH${E}OF${E}[1~${E}[4~${E}[7~${E}[8~`),
    [KEYC_HOME, KEYC_END, KEYC_HOME, KEYC_END, KEYC_HOME, KEYC_END, KEYC_HOME, KEYC_END]],
  ['Insert/Delete/PgUp/PgDn', bytes(`${E}[2~${E}[3~${E}[5~${E}[6~`), [KEYC_IC, KEYC_DC, KEYC_PPAGE, KEYC_NPAGE]],
  ['editing keys with modifiers', bytes(`${E}[2;2~${E}[3;5~${E}[5;3~${E}[6;6~`),
    [S(KEYC_IC), C(KEYC_DC), M(KEYC_PPAGE), S(C(KEYC_NPAGE))]],
  ['F1-F4 SS3', bytes(`${E}OP${E}OQ${E}OR${E}OS`), [F(1), F(2), F(3), F(4)]],
  ['F1-F12 vt220 tilde', bytes(['11', '12', '13', '14', '15', '17', '18', '19', '20', '21', '23', '24'].map((n) => `${E}[${n}~`).join('')),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(F)],
  ['F-keys with xterm modifiers', bytes(`${E}[1;5P${E}[1;2S${E}[15;5~${E}[24;3~${E}O5P${E}O1;2Q`),
    [C(F(1)), S(F(4)), C(F(5)), M(F(12)), C(F(1)), S(F(2))]],
  ['Linux console F1-F5', bytes(`${E}[[A${E}[[B${E}[[C${E}[[D${E}[[E`), [F(1), F(2), F(3), F(4), F(5)]],
  ['rxvt modifier finals', bytes(`${E}[2^${E}[3$${E}[5@${E}[11^${E}Oa${E}[b`),
    [C(KEYC_IC), S(KEYC_DC), C(S(KEYC_PPAGE)), C(F(1)), C(KEYC_UP), S(KEYC_DOWN)]],
  ['BTab', bytes(`${E}[Z`), [KEYC_BTAB]],
  ['application keypad', bytes(Array.from('ojmwxyktuvqrsMpn', (c) => `${E}O${c}`).join('')),
    Array.from({ length: 16 }, (_, i) => KEYC_KP_SLASH + i)],
  ['META via ESC prefix', bytes(`${E}a${E}A${E}1${E}\r${E}\x7f${E} `), [M(0x61), M(0x41), M(0x31), M(13), M(KEYC_BSPACE), M(32)]],
  ['META + UTF-8', utf8(`${E}é`), [M(0xe9)]],
  ['META + control char', bytes(`${E}\x02`), [M(2)]],
  ['META + cursor key', bytes(`${E}${E}[A${E}${E}OB${E}${E}[3~${E}${E}[1;5C`), [M(KEYC_UP), M(KEYC_DOWN), M(KEYC_DC), M(C(KEYC_RIGHT))]],
  ['ESC ESC + character is ESC then META', bytes(`${E}${E}x`), [27, M(0x78)]],
  ['focus in/out', bytes(`${E}[I${E}[O`), [KEYC_FOCUS_IN, KEYC_FOCUS_OUT]],
  ['X10 mouse', bytes(`${E}[M !!${E}[M\xff\xff\xff${E}[M\x1b\x1b\x1b`), [KEYC_MOUSE, KEYC_MOUSE, KEYC_MOUSE]],
  ['SGR mouse', bytes(`${E}[<0;10;5M${E}[<0;10;5m${E}[<64;300;200M`), [KEYC_MOUSE, KEYC_MOUSE, KEYC_MOUSE]],
  ['urxvt mouse', bytes(`${E}[32;10;5M`), [KEYC_MOUSE]],
  ['bracketed paste markers dropped, content kept', bytes(`${E}[200~hi\r${E}[A${E}[201~x`), [0x68, 0x69, 13, KEYC_UP, 0x78]],
  ['unknown CSI dropped whole', bytes(`${E}[99x${E}[?1;2c${E}[12;40R${E}[27;5;97~${E}[>0;1;2c${E}[1;5X${E}[5A${E}[!p${E}[E.`), [0x2e]],
  ['unknown SS3 dropped whole', bytes(`${E}OX${E}Ol${E}O5t${E}Oz.`), [0x2e]],
  ['malformed CSI: META-[ then the rest', bytes(`${E}[\r${E}[1\x01`), [M(0x5b), 13, M(0x5b), 0x31, 1]],
  ['malformed SS3: META-O then the rest', bytes(`${E}O\t`), [M(0x4f), 9]],
  ['invalid UTF-8 dropped', bytes('a\x80b\xc0\xafc\xe4\xb8d\xed\xa0\x80e\xf5f\xfeg'), [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67]],
  ['overlong CSI abandoned', bytes(`${E}[${'1;'.repeat(60)}Az`), [0x7a]],
  ['sequence after an abandoned CSI', bytes(`${E}[${'9'.repeat(CSI_MAX)}\x01${E}[A`), [1, KEYC_UP]],
];

describe('InputParser: sequences', () => {
  it.each(CASES)('%s', (_label, input, expected) => {
    const p = new InputParser();
    expect(p.feed(input).map(keyToName)).toEqual(expected.map(keyToName));
    expect(p.feed(input)).toEqual(expected);
    expect(p.hasPending()).toBe(false);
    expect(p.flush()).toEqual([]);
  });

  it.each(CASES)('%s: same keys when split at every byte', (_label, input, expected) => {
    const oneByOne = Array.from({ length: input.length - 1 }, (_, i) => i + 1);
    expect(parseSplit(input, oneByOne)).toEqual(expected);
    for (let cut = 1; cut < input.length; cut++) expect(parseSplit(input, [cut])).toEqual(expected);
  });

  it('all cases concatenated and split randomly give the concatenated keys', () => {
    const input = Uint8Array.from(CASES.flatMap(([, b]) => [...b]));
    const expected = CASES.flatMap(([, , keys]) => keys);
    const rnd = prng(7);
    for (let round = 0; round < 50; round++) {
      const cuts = [...new Set(Array.from({ length: 30 }, () => Math.floor(rnd() * input.length)))].sort((a, b) => a - b);
      expect(parseSplit(input, cuts)).toEqual(expected);
    }
  });
});

describe('InputParser: pending input and flush', () => {
  it('a lone ESC waits, then flushes as Escape', () => {
    const p = new InputParser();
    expect(p.feed(bytes(E))).toEqual([]);
    expect(p.hasPending()).toBe(true);
    expect(p.flush()).toEqual([27]);
    expect(p.hasPending()).toBe(false);
    expect(p.flush()).toEqual([]);
  });

  it('ESC followed later by a character is META + character', () => {
    const p = new InputParser();
    expect(p.feed(bytes(E))).toEqual([]);
    expect(p.feed(bytes('x'))).toEqual([M(0x78)]);
    expect(p.hasPending()).toBe(false);
  });

  it('ESC then flush then a character gives Escape and the plain character', () => {
    const p = new InputParser();
    p.feed(bytes(E));
    expect(p.flush()).toEqual([27]);
    expect(p.feed(bytes('x'))).toEqual([0x78]);
  });

  it.each([
    ['ESC [', `${E}[`, [M(0x5b)]],
    ['ESC O', `${E}O`, [M(0x4f)]],
    ['ESC ESC', `${E}${E}`, [27, 27]],
    ['ESC ESC [', `${E}${E}[`, [27, M(0x5b)]],
    ['unfinished CSI', `${E}[1;5`, [M(0x5b), 0x31, 0x3b, 0x35]],
    ['unfinished X10 mouse', `${E}[M a`, [M(0x5b), 0x4d, 0x20, 0x61]],
    ['unfinished SS3 with modifier', `${E}O5`, [M(0x4f), 0x35]],
    ['text then ESC', `ab${E}`, [0x61, 0x62, 27]],
  ])('%s flushes tmux-style', (_label, input, expected) => {
    const p = new InputParser();
    const early = p.feed(bytes(input));
    expect(p.hasPending()).toBe(true);
    expect([...early, ...p.flush()]).toEqual(expected);
    expect(p.hasPending()).toBe(false);
  });

  it('a UTF-8 character split across feeds waits; cut off, it is dropped on flush', () => {
    const p = new InputParser();
    const smile = utf8('😀');
    expect(p.feed(smile.subarray(0, 2))).toEqual([]);
    expect(p.hasPending()).toBe(true);
    expect(p.feed(smile.subarray(2))).toEqual([0x1f600]);
    expect(p.feed(smile.subarray(0, 3))).toEqual([]);
    expect(p.flush()).toEqual([]);
    expect(p.feed(bytes('a'))).toEqual([0x61]);
  });

  it('ESC + cut-off UTF-8 flushes as Escape alone', () => {
    const p = new InputParser();
    expect(p.feed(bytes(`${E}\xc3`))).toEqual([]);
    expect(p.flush()).toEqual([27]);
  });

  it('keeps skipping an abandoned CSI across feeds', () => {
    const p = new InputParser();
    expect(p.feed(bytes(`${E}[${'1'.repeat(CSI_MAX + 10)}`))).toEqual([]);
    expect(p.hasPending()).toBe(false);
    expect(p.feed(bytes('2;3;4~q'))).toEqual([0x71]);
  });
});

describe('InputParser: robustness', () => {
  /** Bytes biased towards escape-sequence material so the fuzz reaches the sequence parsers. */
  const ALPHABET = bytes(`${E}${E}${E}[[OM<;;0123456789~^$@ABCDHFPZIOamq\x7f\x00\r`);

  function randomInput(rnd: () => number, length: number): Uint8Array {
    return Uint8Array.from({ length }, () =>
      rnd() < 0.6 ? ALPHABET[Math.floor(rnd() * ALPHABET.length)]! : Math.floor(rnd() * 256),
    );
  }

  it('never throws, stays bounded and is independent of how the input is split', () => {
    const rnd = prng(20240611);
    const failures: string[] = [];
    for (let round = 0; round < 3000; round++) {
      const input = randomInput(rnd, 1 + Math.floor(rnd() * 200));
      const whole = parseWhole(input);
      const cuts = [...new Set(Array.from({ length: 8 }, () => Math.floor(rnd() * input.length)))].sort((a, b) => a - b);
      const split = parseSplit(input, cuts).join();
      const bad = [...whole.keys, ...whole.flushed].some((key) => !Number.isSafeInteger(key) || key < 0);
      if (bad || split !== [...whole.keys, ...whole.flushed].join()) failures.push(Buffer.from(input).toString('hex'));
    }
    expect(failures).toEqual([]);
  });

  it('holds at most MAX_PENDING bytes under a flood of sequence prefixes', () => {
    const p = new InputParser();
    const rnd = prng(99);
    for (let round = 0; round < 2000; round++) {
      p.feed(randomInput(rnd, 1 + Math.floor(rnd() * 8)));
      expect(p.pendingBytes).toBeLessThanOrEqual(MAX_PENDING);
    }
    for (let i = 0; i < 1000; i++) {
      p.feed(bytes(i % 2 === 0 ? `${E}${E}[` : '1;'));
      expect(p.pendingBytes).toBeLessThanOrEqual(MAX_PENDING);
    }
  });

  it('copes with huge runs of sequence bytes in one feed', () => {
    for (const junk of [`${E}[${'1'.repeat(200_000)}A.`, `${E}[1${' '.repeat(200_000)}~.`, `${E}O${'9'.repeat(200_000)}.`]) {
      const p = new InputParser();
      const keys = [...p.feed(bytes(junk)), ...p.flush()];
      expect(keys[keys.length - 1]).toBe(0x2e);
      expect(keys.length).toBeLessThanOrEqual(200_003);
    }
  });

  it('copes with a large paste in one feed', () => {
    const text = 'x'.repeat(100_000);
    expect(new InputParser().feed(bytes(text)).length).toBe(100_000);
  });
});
