// Skipping bulk output that scrolls out unseen (src/core/term/scroll-skip.ts) must leave every
// emulator exactly as parsing everything would: every line of both buffers cell by cell (text,
// width, colours, attributes, wrap flag), the cursor, the scroll position, the title, the modes.
// Random streams mix long runs of plain and coloured lines with what must stop a skip (cursor
// moves, scroll regions, the alternate screen, an OSC string or a CSI with CR LF inside, CSIs that
// end in `m` but are no SGR, UTF-8, bare LF or CR),
// cut into random chunks; each is parsed both ways and compared. The skip must also happen: the
// tests count the bytes it left out, so a check that never skips fails.
import { describe, expect, it } from 'vitest';
import type { Terminal } from '@xterm/headless';
import { createEmulator, parseSync } from '../../../src/core/term/emulator.js';
import { feedSkippingScrolledOut, scrollsEveryLine } from '../../../src/core/term/scroll-skip.js';
import { prng } from './term-helpers.js';

const COLS = 30;
const ROWS = 6;
const SCROLLBACK = 40;
const encoder = new TextEncoder();

/** Everything a renderer, copy mode or a snapshot could read from the emulator. */
function state(term: Terminal): string {
  const out: string[] = [];
  const cell = term.buffer.normal.getNullCell();
  for (const buffer of [term.buffer.normal, term.buffer.alternate]) {
    out.push(`${buffer.type} length=${buffer.length} base=${buffer.baseY} viewport=${buffer.viewportY} cursor=${buffer.cursorX},${buffer.cursorY}`);
    for (let y = 0; y < buffer.length; y++) {
      const line = buffer.getLine(y)!;
      let row = line.isWrapped ? '~' : ' ';
      for (let x = 0; x < line.length; x++) {
        line.getCell(x, cell);
        const flags = [cell.isBold(), cell.isDim(), cell.isItalic(), cell.isUnderline(), cell.isBlink(), cell.isInverse(), cell.isInvisible(), cell.isStrikethrough(), cell.isOverline()];
        row += `${cell.getChars() || '.'}${cell.getWidth()}${cell.getFgColorMode()}${cell.getFgColor()}/${cell.getBgColorMode()}${cell.getBgColor()}${flags.map(Number).join('')};`;
      }
      out.push(row);
    }
  }
  out.push(`active=${term.buffer.active.type} modes=${JSON.stringify(term.modes)}`);
  return out.join('\n');
}

/** Colours and attributes, in the forms programs write them (a run of lines may hold these). */
const SGRS = ['\x1b[31m', '\x1b[1;44m', '\x1b[0m', '\x1b[m', '\x1b[38;5;123m', '\x1b[48:2::10:20:30m', '\x1b[4:3m', '\x1b[7;2;3;9m', '\x1b[22;27m', '\x1b[53m'];

function plainLines(random: () => number, count: number, eol: string, coloured: boolean): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const width = Math.floor(random() * 50); // some wrap at 30 columns
    let line = '';
    for (let k = 0; k < width; k++) {
      if (coloured && random() < 0.04) line += SGRS[Math.floor(random() * SGRS.length)];
      line += random() < 0.05 ? '\t' : String.fromCharCode(0x20 + Math.floor(random() * 95));
    }
    out += line + eol;
  }
  return out;
}

const INTERRUPTIONS = [
  '\x1b[31m', '\x1b[42;1m', '\x1b[0m', '\x1b[H', '\x1b[3;2H', '\x1b[2;5r', '\x1b[r', '\x1b[?1049h', '\x1b[?1049l',
  '\x1b]0;title\r\nwith lines\x07', '\x1b[3\r\n1m', 'é中\r\n', '\n', '\r', '\x1b[2J', '\x1b[?7l', '\x1b[?7h', '\x1b[5A', '\x1bM',
  '\x1b[>4;1m', '\x1b[?1m', '\x1b[1 q',
];

/** A stream of long plain runs and interruptions. */
function stream(seed: number): Uint8Array {
  const random = prng(seed);
  let text = '';
  for (let part = 0; part < 14; part++) {
    if (random() < 0.5) text += plainLines(random, Math.floor(random() * 160), random() < 0.9 ? '\r\n' : '\n', random() < 0.5);
    else text += INTERRUPTIONS[Math.floor(random() * INTERRUPTIONS.length)];
  }
  return encoder.encode(text);
}

function chunks(data: Uint8Array, random: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < data.length; ) {
    const size = random() < 0.3 ? data.length : 1 + Math.floor(random() * 3000);
    out.push(data.subarray(at, at + size));
    at += size;
  }
  return out;
}

/** Parses `parts` into a fresh emulator with the skip; returns it and how many bytes were left out. */
function withSkip(parts: readonly Uint8Array[]): { term: Terminal; skipped: number } {
  const term = createEmulator(COLS, ROWS, SCROLLBACK);
  let skipped = 0;
  for (const part of parts) {
    let fed = 0;
    feedSkippingScrolledOut(term, part, (bytes) => {
      fed += bytes.length;
      parseSync(term, bytes);
    });
    skipped += Math.max(0, part.length - fed);
  }
  return { term, skipped };
}

function parsedWhole(parts: readonly Uint8Array[]): Terminal {
  const term = createEmulator(COLS, ROWS, SCROLLBACK);
  for (const part of parts) parseSync(term, part);
  return term;
}

describe('skipping plain output that scrolls out unseen', () => {
  it('leaves the emulator exactly as parsing everything, over random streams and chunkings', () => {
    let skipped = 0;
    let streamsWithSkips = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const parts = chunks(stream(seed), prng(seed * 7919));
      const skipping = withSkip(parts);
      expect(state(skipping.term), `seed ${seed}`).toBe(state(parsedWhole(parts)));
      skipped += skipping.skipped;
      if (skipping.skipped > 0) streamsWithSkips++;
    }
    expect(streamsWithSkips).toBeGreaterThan(20);
    expect(skipped).toBeGreaterThan(100_000);
  });

  it('skips most of a long run of lines, keeping the last screen and scrollback', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`).join('\r\n') + '\r\n';
    const parts = [encoder.encode('first\r\n'.repeat(ROWS)), encoder.encode(lines)];
    const skipping = withSkip(parts);
    expect(skipping.skipped).toBeGreaterThan(encoder.encode(lines).length * 0.9);
    expect(state(skipping.term)).toBe(state(parsedWhole(parts)));
    const buffer = skipping.term.buffer.active;
    expect(buffer.getLine(buffer.length - 2)?.translateToString(true)).toBe('line 5000');
    expect(buffer.getLine(0)?.translateToString(true)).toBe(`line ${5000 - SCROLLBACK - ROWS + 2}`);
  });

  it('skips coloured lines too, replaying their colours', () => {
    const random = prng(99);
    // The skipped part ends in blue and bold, with no reset: the kept lines are drawn that way.
    const lines = plainLines(random, 3000, '\r\n', true) + '\x1b[0;44;1m' + plainLines(random, 200, '\r\n', false) + 'tail\r\n';
    const parts = [encoder.encode('first\r\n'.repeat(ROWS)), encoder.encode(lines)];
    const skipping = withSkip(parts);
    // What is fed in their place includes their SGRs (~a fifth of these bytes).
    expect(skipping.skipped).toBeGreaterThan(encoder.encode(lines).length * 0.7);
    expect(state(skipping.term)).toBe(state(parsedWhole(parts)));
    const buffer = skipping.term.buffer.active;
    const cell = buffer.getLine(buffer.length - 2)!.getCell(0)!;
    expect([cell.getChars(), cell.getBgColor(), cell.isBold() !== 0]).toEqual(['t', 4, true]);
  });

  it('skips nothing where a later line could still show a skipped one', () => {
    const lines = (text: string): Uint8Array => encoder.encode(text.repeat(3 * (SCROLLBACK + ROWS)));
    const cases: [string, string, Uint8Array][] = [
      ['the cursor is not on the last row', '\x1b[H', lines('y\r\n')],
      ['a scroll region is set', `${'x\r\n'.repeat(ROWS)}\x1b[2;4r\x1b[4;1H`, lines('y\r\n')],
      ['the alternate screen is on', '\x1b[?1049h\x1b[6;1H', lines('y\r\n')],
      ['an OSC string is open', `${'x\r\n'.repeat(ROWS)}\x1b]0;`, lines('y\r\n')],
      // Digits keep a CSI open; the CR LF inside it are executed as they come.
      ['a CSI is half parsed', `${'x\r\n'.repeat(ROWS)}\x1b[`, lines('1\r\n')],
    ];
    for (const [why, setup, run] of cases) {
      const term = createEmulator(COLS, ROWS, SCROLLBACK);
      parseSync(term, setup);
      let fed = 0;
      feedSkippingScrolledOut(term, run, (bytes) => {
        fed += bytes.length;
        parseSync(term, bytes);
      });
      expect(fed, why).toBe(run.length);
    }
  });

  it('knows when every further line feed scrolls', () => {
    const term = createEmulator(COLS, ROWS, SCROLLBACK);
    parseSync(term, 'a\r\n');
    expect(scrollsEveryLine(term)).toBe(false);
    parseSync(term, 'b\r\n'.repeat(ROWS));
    expect(scrollsEveryLine(term)).toBe(true);
    parseSync(term, 'half');
    expect(scrollsEveryLine(term)).toBe(false);
  });
});
