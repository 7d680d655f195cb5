/**
 * Helpers for the key-layer tests: reading the recorded traces in shared/tmate/traces, a seeded
 * PRNG, byte/string conversion, and a small model of the host pane used in trace 20 (a Linux
 * tty in canonical mode with echo running `cat -v`), so recorded PTY_DATA can be checked
 * against the bytes we would write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const tracesDir = path.resolve(repoRoot, '..', 'shared', 'tmate', 'traces');

export interface TraceEvent {
  dir: string;
  name?: string;
  note?: string;
  msg?: unknown[];
}

export function readTrace(file: string): TraceEvent[] {
  return fs
    .readFileSync(path.join(tracesDir, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TraceEvent);
}

/** mulberry32: deterministic floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` lines of terminal output, each `SEED.N ` followed by one to four of `pieces` picked by
 * prng(seed) and CR LF: the same output for the same seed.
 */
export function linesOfPieces(pieces: readonly string[], count: number, seed: number): string {
  const random = prng(seed);
  let out = '';
  for (let i = 0; i < count; i++) {
    let line = `${seed}.${i} `;
    for (let k = Math.floor(random() * 4); k >= 0; k--) line += pieces[Math.floor(random() * pieces.length)];
    out += `${line}\r\n`;
  }
  return out;
}

/** Bytes of a string whose characters are all < 0x100 (escape sequences written as JS strings). */
export function bytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => {
    const code = c.charCodeAt(0);
    if (code > 0xff) throw new Error(`not a byte string: ${JSON.stringify(s)}`);
    return code;
  });
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** `cat -v` notation of one byte. */
function caret(b: number): string {
  if (b >= 0x80) return `M-${caret(b - 0x80)}`;
  if (b === 0x7f) return '^?';
  if (b < 0x20) return `^${String.fromCharCode(b + 0x40)}`;
  return String.fromCharCode(b);
}

/** Input characters the model refuses (signals, kill, word-erase, lnext, …): not in trace 20. */
const UNMODELLED = new Set([0x03, 0x04, 0x11, 0x12, 0x13, 0x15, 0x16, 0x17, 0x1a, 0x1c]);

/**
 * What a Linux pty in canonical mode (ICRNL, ECHO, ECHOCTL, ECHOE, ONLCR) running `cat -v`
 * sends back when `input` is written to it: the echo, then cat's copy of each finished line.
 */
export function catVEcho(input: Iterable<number>): string {
  let out = '';
  let line: number[] = [];
  for (const raw of input) {
    const b = raw === 0x0d ? 0x0a : raw;
    if (UNMODELLED.has(b)) throw new Error(`tty model does not handle byte ${b}`);
    if (b === 0x0a) {
      out += '\r\n' + line.map((c) => (c === 0x09 ? '\t' : caret(c))).join('') + '\r\n';
      line = [];
    } else if (b === 0x7f) {
      const gone = line.pop();
      if (gone !== undefined) out += '\b \b'.repeat(gone < 0x20 ? 2 : 1);
    } else {
      line.push(b);
      out += b < 0x20 && b !== 0x09 ? caret(b) : String.fromCharCode(b);
    }
  }
  return out;
}

