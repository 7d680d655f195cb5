/**
 * Fuzz target `input-parser`: what a viewer's terminal sends (InputParser: bytes → tmux key codes).
 *
 * Inputs: byte strings assembled from real key input — the bytes of every key the viewers of the
 * recorded traces sent (PANE_KEY / LEGACY_PANE_KEY codes through keyToBytes, both cursor/keypad
 * modes), every special key with every modifier, terminal reports (X10/SGR/urxvt mouse, focus,
 * bracketed paste, DA/DSR replies, rxvt and Linux-console keys), over-long CSIs, invalid and
 * cut-off UTF-8 — interleaved with the bytes escape parsing hinges on and random bytes, then split
 * into chunks of random sizes.
 *
 * Property: feed/flush never throw; the keys do not depend on the chunking (all chunks then one
 * flush = the whole input then one flush); at most MAX_PENDING bytes are ever held between feeds
 * and none after flush; every key is a non-negative safe integer, and paste markers appear only
 * when the parser was asked to report them.
 */
import fc from 'fast-check';
import { keyToBytes } from '../../../src/core/term/key-bytes.js';
import { KEYC_BASE, KEYC_CTRL, KEYC_ESCAPE, KEYC_SHIFT } from '../../../src/core/term/key-codes.js';
import { InputParser, MAX_PENDING, isPasteMarker } from '../../../src/core/term/input-parser.js';
import { concat } from '../../unit/protocol/helpers.js';
import { check, checkSync, type FuzzTarget } from '../fuzz-target.js';
import { chunk, traceSeeds } from '../seeds.js';

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** Terminal reports and odd sequences a viewer's terminal (or a hostile client) can send. */
const SEQUENCES: readonly string[] = [
  '\x1b[M !!', '\x1b[M\xff\xff\xff', '\x1b[<0;10;5M', '\x1b[<0;10;5m', '\x1b[<64;300;200M', '\x1b[32;10;5M',
  '\x1b[I', '\x1b[O', '\x1b[200~', '\x1b[201~', '\x1b[200~pasted\rtext\x1b[201~',
  '\x1b[2$', '\x1b[3^', '\x1b[5@', '\x1b[7~', '\x1b[11^', '\x1b[[A', '\x1b[[E', '\x1b[[Z',
  '\x1b[?1;2c', '\x1b[>0;276;0c', '\x1b[12;40R', '\x1b[1;5A', '\x1b[1;9C', '\x1b[1;17D', '\x1b[3;5~', '\x1b[Z', '\x1b[1;2Z',
  '\x1bO5P', '\x1bO1;5P', '\x1bOa', '\x1bOM', '\x1bOo', '\x1bO', '\x1b[', '\x1b\x1b[A', '\x1b\x1bOB', '\x1b\x1b', '\x1b',
  `\x1b[${'1;'.repeat(40)}m`, `\x1b[${'9'.repeat(70)}~`, `\x1b[${' '.repeat(70)}q`, '\x1b[1 q',
  '\xc0\x80', '\xed\xa0\x80', '\xf4\x90\x80\x80', '\xe4\xb8', '\xf0\x9f\x98', '\xff', '\x80', '\x7f', '\x00',
  '\xc3\xa9', '\xe4\xb8\xad', '\xf0\x9f\x98\x80',
];

/** Bytes that decide how escape and UTF-8 parsing goes. */
const PIVOTS = [0x1b, 0x5b, 0x4f, 0x3b, 0x30, 0x31, 0x35, 0x39, 0x7e, 0x24, 0x5e, 0x40, 0x4d, 0x6d, 0x3c, 0x20, 0x41, 0xc3, 0xe4, 0xf0, 0x80, 0xbf, 0x7f, 0x0d, 0x02];

function keySeeds(): Uint8Array[] {
  const keys = new Set<number>();
  for (const m of traceSeeds().in) {
    if (m[0] === 6 && typeof m[2] === 'number') keys.add(m[2]);
    if (m[0] === 1 && typeof m[1] === 'number') keys.add(m[1]);
  }
  for (let n = 45; n <= 84; n++) {
    for (const mods of [0, KEYC_ESCAPE, KEYC_CTRL, KEYC_SHIFT, KEYC_CTRL + KEYC_SHIFT, KEYC_ESCAPE + KEYC_CTRL]) keys.add(KEYC_BASE + n + mods);
  }
  for (const k of [0, 1, 2, 3, 9, 13, 27, 32, 65, 97, 126, 0xe9, 0x4e2d, 0x1f600]) {
    keys.add(k);
    keys.add(k + KEYC_ESCAPE);
  }
  const out: Uint8Array[] = [];
  for (const key of keys) {
    for (const applicationCursor of [false, true]) {
      const bytes = keyToBytes(key, { applicationCursor, applicationKeypad: applicationCursor });
      if (bytes) out.push(bytes);
    }
  }
  return out;
}

interface Case {
  input: Uint8Array;
  chunks: number[];
  reportPaste: boolean;
}

function cases(): fc.Arbitrary<Case> {
  const fragments = [...keySeeds(), ...SEQUENCES.map(latin1)];
  const fragment = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...fragments) },
    { weight: 3, arbitrary: fc.constantFrom(...PIVOTS).map((b) => Uint8Array.of(b)) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }) },
    { weight: 1, arbitrary: fc.integer({ min: 60, max: 140 }).map((n) => latin1(`\x1b[${'1'.repeat(n)}`)) },
  );
  const input = fc.array(fragment, { maxLength: 24 }).map(concat);
  const chunks = fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 1, maxLength: 6 });
  return fc.record({ input, chunks, reportPaste: fc.boolean() });
}

function property(c: Case): void {
  const whole = new InputParser({ reportPaste: c.reportPaste });
  const expected = [...whole.feed(c.input), ...whole.flush()];

  const parser = new InputParser({ reportPaste: c.reportPaste });
  const keys: number[] = [];
  for (const piece of chunk(c.input, c.chunks)) {
    keys.push(...parser.feed(piece));
    check(parser.pendingBytes <= MAX_PENDING, `${parser.pendingBytes} bytes pending`);
    check(parser.hasPending() === parser.pendingBytes > 0, 'hasPending disagrees with pendingBytes');
  }
  keys.push(...parser.flush());
  check(parser.pendingBytes === 0, 'bytes pending after flush');
  check(
    keys.length === expected.length && keys.every((k, i) => k === expected[i]),
    () => `chunking changed the keys: ${JSON.stringify(expected)} vs ${JSON.stringify(keys)}`,
  );
  for (const k of keys) {
    check(Number.isSafeInteger(k) && k >= 0, `key ${k}`);
    check(c.reportPaste || !isPasteMarker(k), 'a paste marker leaked');
  }
}

export const inputParser: FuzzTarget = {
  name: 'input-parser',
  checks: 'feed/flush never throw; keys independent of chunking; pending ≤ MAX_PENDING; keys are safe non-negative ints',
  quickRuns: 600,
  async run(params) {
    return checkSync(this.name, fc.property(cases(), property), params);
  },
};
