// Scrollback lines packed into strings (packed-lines.ts) and the sweeps that pack them
// (scrollback-packer.ts). A pane whose scrollback is packed must read exactly like a pane of an
// untouched copy of xterm, cell by cell, through output of every kind (colours, background
// erases, wide and combined characters, links), a recycling scrollback, reflowing resizes and
// random mixes (fast-check, fixed seed); a packed log line must hold about one code unit per
// printed character instead of twelve bytes per column; and no code of the xterm we ship may
// touch a line's cells outside the BufferLine methods that unpack it.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Terminal } from '@xterm/headless';
import { createEmulator, feedEmulator } from '../../../src/core/term/emulator.js';
import { isPacked, packLine, packsLines, PACKED_CELLS, unpackedLines, usedCells, UNWRAPPED } from '../../../src/core/term/packed-lines.js';
import { hasSpareCells } from '../../../src/core/term/line-arena.js';
import { KEEP_RECENT_LINES, packedEmulatorCount, packScrollback, sweepNow } from '../../../src/core/term/scrollback-packer.js';
import { linesOfPieces } from './term-helpers.js';
import { cells, lines, untouchedTerminal, XTERM_PATH, type InternalTerminal } from './xterm-reference.js';

const encoder = new TextEncoder();

/** Feeds the same bytes to a pane and to the untouched reference. */
function feedBoth(pane: Terminal, reference: Terminal, output: string): void {
  const bytes = encoder.encode(output);
  feedEmulator(pane, bytes);
  (reference as unknown as InternalTerminal)._core._writeBuffer.writeSync(bytes);
}

function packedCount(term: Terminal): number {
  return lines(term).filter((line) => isPacked(line)).length;
}

/** Log-like output with colours, background erases, wide and combined characters and links. */
function logOutput(count: number, seed: number): string {
  const pieces = [
    'plain words ', '\x1b[32mINFO\x1b[0m ', '\x1b[1;31mERROR\x1b[0m ', '\x1b[38;2;10;200;30mrgb\x1b[0m ',
    '\x1b[44m\x1b[K\x1b[0m', '\x1b[48;5;17mblue bg\x1b[0m ', '漢字 ', 'e\u0301 ', '\x1b]8;;https://example.com/\x07link\x1b]8;;\x07 ',
    '\x1b[4:3mcurly\x1b[0m ', 'a long run of words that wraps around narrow panes and reflows when they widen ',
    '\x1b[7minverse\x1b[27m ', '\t', 'ü ß ', '\x1b[3D\x1b[2P',
  ];
  return linesOfPieces(pieces, count, seed);
}

describe('packed scrollback lines', () => {
  it('are installed on the xterm version we ship', () => {
    expect(packsLines(createEmulator(20, 4, 10)), 'xterm changed BufferLine: re-check packed-lines.ts').toBe(true);
  });

  it('leave a pane reading exactly like untouched xterm through output, recycling and reflowing resizes', () => {
    const sizes: Array<[number, number]> = [[30, 6], [13, 9], [57, 4], [30, 6]];
    const pane = createEmulator(30, 6, 40);
    const reference = untouchedTerminal(30, 6, 40);
    let packed = 0;
    for (let chunk = 0; chunk < 24; chunk++) {
      feedBoth(pane, reference, logOutput(25, chunk + 1));
      packed += packScrollback(pane, 0);
      // Packed lines are recycled by the next chunk (copyFrom) and resized while packed.
      if (chunk % 6 === 5) {
        const [cols, rows] = sizes[(chunk - 5) / 6]!;
        pane.resize(cols, rows);
        reference.resize(cols, rows);
      }
      if (chunk % 2 === 1) expect(cells(pane), `after chunk ${chunk}`).toEqual(cells(reference));
    }
    expect(packed, 'lines were packed').toBeGreaterThan(300);
  });

  it('are unpacked before a resize brings them back onto the screen, where xterm prints without unpacking', () => {
    const pane = createEmulator(20, 5, 100);
    const reference = untouchedTerminal(20, 5, 100);
    feedBoth(pane, reference, logOutput(60, 7));
    expect(packScrollback(pane, 0)).toBeGreaterThan(40);
    pane.resize(20, 40);
    reference.resize(20, 40);
    // Overwrite the start of every row, the rows that came back from the scrollback included.
    let overwrite = '';
    for (let row = 1; row <= 40; row++) overwrite += `\x1b[${row};1H\x1b[33mrow ${row}\x1b[0m\x1b[K`;
    feedBoth(pane, reference, overwrite);
    expect(cells(pane)).toEqual(cells(reference));
    expect(pane.buffer.normal.getLine(pane.buffer.normal.baseY)?.translateToString(true)).toBe('row 1');
  });

  it('read like untouched xterm under random mixes of output, packing and resizes', () => {
    const piece = fc.constantFrom(
      'word ', 'x'.repeat(30), '漢', 'e\u0301', '👍', '\x1b[31m', '\x1b[44m', '\x1b[38;2;1;2;3m', '\x1b[0m', '\x1b[4:3m',
      '\x1b]8;;https://example.com/a\x07', '\x1b]8;;\x07', '\x1b[2@', '\x1b[3P', '\x1b[2X', '\x1b[K', '\x1b[1K', '\x1b[2K',
      '\x1b[J', '\x1b[2L', '\x1b[M', '\t', '\r\n', '\r\n', '\r\n', '\x1b[H', '\x1b[5;3H', '\x1b[3D', '\x1bM', '\x1b[S', '\x1b[T',
      '\x1b[?1049h', '\x1b[?1049l', '\x1b[3J', '\x1bc',
    );
    const step = fc.oneof(
      { weight: 6, arbitrary: fc.array(piece, { minLength: 1, maxLength: 30 }).map((parts) => ({ output: parts.join('') })) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }).map((keep) => ({ pack: keep })) },
      { weight: 1, arbitrary: fc.record({ cols: fc.integer({ min: 2, max: 40 }), rows: fc.integer({ min: 1, max: 10 }) }) },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => {
        const pane = createEmulator(20, 5, 8);
        const reference = untouchedTerminal(20, 5, 8);
        for (const s of steps) {
          if ('output' in s) feedBoth(pane, reference, s.output);
          else if ('pack' in s) packScrollback(pane, s.pack);
          else {
            pane.resize(s.cols, s.rows);
            reference.resize(s.cols, s.rows);
          }
          expect(pane.buffer.normal.getLine(0)?.translateToString()).toBe(reference.buffer.normal.getLine(0)?.translateToString());
        }
        expect(cells(pane)).toEqual(cells(reference));
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });

  it('keep a log line in about one code unit per printed character', () => {
    const pane = createEmulator(100, 10, 1000);
    feedEmulator(pane, encoder.encode(`\x1b[32mINFO\x1b[0m a plain log line of some length\r\n`.repeat(200)));
    const line = lines(pane)[0]!;
    const text = '\x1b[32mINFO\x1b[0m a plain log line of some length'.replace(/\x1b\[\d*m/g, '');
    const cellBytes = line._data.byteLength;
    expect(packLine(line)).toBe(true);
    expect(line._data).toBe(PACKED_CELLS);
    expect(cellBytes).toBe(100 * 12);
    // The line holds its packed form itself, in its (empty) map of combining marks (a process-wide
    // map of packed lines stalled the relay for tens of milliseconds whenever its table grew): a
    // run count, two colour runs (green, then default) and one code unit per printed character.
    const packedForm = (line as { _combined: unknown })._combined;
    expect(typeof packedForm).toBe('string');
    expect((packedForm as string).slice(-text.length)).toBe(text);
    expect(packedForm).toHaveLength(1 + 2 * 9 + text.length);
    // Reading the line (any BufferLine method) unpacks it, with the very same cells.
    const unpacked = unpackedLines();
    expect(pane.buffer.normal.getLine(0)?.translateToString(true)).toBe(text);
    expect(unpackedLines()).toBe(unpacked + 1);
    expect(isPacked(line)).toBe(false);
    expect(line._combined).toEqual({});
    const reference = untouchedTerminal(100, 10, 1000);
    (reference as unknown as InternalTerminal)._core._writeBuffer.writeSync(encoder.encode(`\x1b[32mINFO\x1b[0m a plain log line of some length\r\n`.repeat(200)));
    expect(cells(pane)).toEqual(cells(reference));
  });

  it('tell how many cells a line uses without being unpacked (what #{history_bytes} counts)', () => {
    const pane = createEmulator(40, 4, 100);
    feedEmulator(pane, encoder.encode('\x1b[32mINFO\x1b[0m short\r\n\x1b[44mblue to the end\x1b[K\x1b[0m\r\n\r\n'.repeat(3) + '\r\n'.repeat(4)));
    const scrollback = lines(pane).slice(0, 6);
    const before = scrollback.map((line) => (line as unknown as { getNoBgTrimmedLength(): number }).getNoBgTrimmedLength());
    expect(before.slice(0, 3)).toEqual([10, 40, 0]);
    for (const line of scrollback) packLine(line);
    expect(scrollback.every((line) => isPacked(line))).toBe(true);
    const unpacked = unpackedLines();
    expect(scrollback.map((line) => usedCells(line))).toEqual(before);
    expect(unpackedLines()).toBe(unpacked);
  });

  it('leave lines with wide or combined characters, underline styles or links unpacked', () => {
    const pane = createEmulator(40, 4, 100);
    const kinds = ['漢字 wide', 'e\u0301 combined', '\x1b[4:3mcurly\x1b[0m', '\x1b]8;;https://example.com/\x07link\x1b]8;;\x07', '👍 astral', 'plain'];
    feedEmulator(pane, encoder.encode(kinds.map((k) => `${k}\r\n`).join('') + '\r\n'.repeat(10)));
    const packed = lines(pane).slice(0, kinds.length).map((line) => packLine(line));
    expect(packed).toEqual([false, false, false, false, false, true]);
  });

  it('round-trip characters and colour bytes of every UTF-8 length, and refuse a surrogate code unit', () => {
    const pane = createEmulator(40, 4, 100);
    const reference = untouchedTerminal(40, 4, 100);
    const kinds = ['ascii text', 'Latin-1: ü ß é', '\x1b[38;2;200;129;255mRGB above 0x7f\x1b[0m', 'box ─┼─ € ｱ', '\x1b[48;5;208m\x1b[Korange erase\x1b[0m'];
    feedBoth(pane, reference, kinds.map((k) => `${k}\r\n`).join('') + '\r\n'.repeat(10));
    expect(lines(pane).slice(0, kinds.length).map((line) => packLine(line))).toEqual(kinds.map(() => true));
    expect(cells(pane)).toEqual(cells(reference));
    // xterm drops a UTF-8-encoded surrogate; a line holding one anyway (written directly) stays as it is.
    const line = lines(pane)[kinds.length]!;
    line._data[0] = (1 << 22) | 0xd83d;
    expect(packLine(line)).toBe(false);
    expect(line._data[0]).toBe((1 << 22) | 0xd83d);
  });

  it('are packed by sweeps, all but the newest lines of panes that got output, and repacked after a read', () => {
    const pane = createEmulator(80, 24, 2000);
    feedEmulator(pane, encoder.encode('a line of a build log\r\n'.repeat(600)));
    expect(packScrollback(pane, KEEP_RECENT_LINES, 10), 'a budget caps one call').toBe(10);
    // More than one turn's share (400 lines): the sweep comes back to the pane until it is done.
    sweepNow();
    const scrollback = 600 + 1 - 24;
    expect(packedCount(pane)).toBe(scrollback - KEEP_RECENT_LINES);
    // Copy mode reads an old line: unpacked, then packed again by the next sweep.
    expect(pane.buffer.normal.getLine(10)?.translateToString(true)).toBe('a line of a build log');
    expect(packedCount(pane)).toBe(scrollback - KEEP_RECENT_LINES - 1);
    sweepNow();
    expect(packedCount(pane)).toBe(scrollback - KEEP_RECENT_LINES);
    // A disposed pane is dropped at once, not at a later sweep (a synchronous run that creates and
    // disposes many emulators must not keep them until it ends).
    const before = packedEmulatorCount();
    pane.dispose();
    expect(packedEmulatorCount()).toBe(before - 1);
    sweepNow();
  });

  it('let a disposed pane go at once, even inside one long synchronous job', async () => {
    const script = fileURLToPath(new URL('./helpers/disposed-in-one-job.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', script, '2000'], { timeout: 60_000 });
    // 2000 such panes kept alive would hold well over 50 MB; released, a few MB of code and caches remain.
    expect(Number(stdout.trim())).toBeLessThan(16 * 1024 * 1024);
  });

  it('give their cells to the next lines of their pane, and an idle pane keeps none', () => {
    const pane = createEmulator(40, 5, 200);
    feedEmulator(pane, encoder.encode('a log line\r\n'.repeat(400)));
    const before = new Set(lines(pane).map((line) => line._data));
    sweepNow();
    expect(hasSpareCells(pane)).toBe(true);
    // The scrollback is full: each new line recycles a packed one and takes spare cells for it.
    feedEmulator(pane, encoder.encode('a new line\r\n'.repeat(20)));
    const newest = lines(pane).slice(-21, -1);
    expect(newest.every((line) => before.has(line._data)), 'new lines reuse given-back cells').toBe(true);
    expect(cells(pane).slice(-21, -1).every((row) => row === cells(pane).at(-2))).toBe(true);
    sweepNow(); // keeps as many as the pane used since the last sweep
    sweepNow(); // none used since: none kept
    expect(hasSpareCells(pane)).toBe(false);
  });

  it('come with sweeps that give back a parse buffer a burst of output grew', () => {
    const pane = createEmulator(80, 24, 2000);
    const parseBuffer = (): Uint32Array => (pane as unknown as { _core: { _inputHandler: { _parseBuffer: Uint32Array } } })._core._inputHandler._parseBuffer;
    const small = parseBuffer().length;
    feedEmulator(pane, encoder.encode('x'.repeat(60_000)));
    expect(parseBuffer().length).toBeGreaterThan(50_000);
    sweepNow();
    expect(parseBuffer().length).toBe(small);
    feedEmulator(pane, encoder.encode('\r\nafter the sweep'));
    expect(pane.buffer.normal.getLine(pane.buffer.normal.baseY + 23)?.translateToString(true)).toBe('after the sweep');
  });

  it('leave the print path to xterm only where xterm calls it on screen lines or while resizing', () => {
    // Call sites outside BufferLine, audited in @xterm/headless 6.0.0 (print, erase, REP, reflow,
    // the cached blank line; getWidth also counts CellData's own getWidth()). A new call site
    // fails this: check that it cannot reach a packed (scrollback) line, then update the count.
    const audited: Record<string, number> = { setCellFromCodepoint: 7, setCell: 2, getWidth: 9, hasWidth: 1, hasContent: 3, getString: 1, getFg: 1, getBg: 1 };
    expect([...UNWRAPPED].sort()).toEqual(Object.keys(audited).sort());
    for (const file of [XTERM_PATH, XTERM_PATH.replace(/\.js$/, '.mjs')]) {
      const bundle = fs.readFileSync(file, 'utf8');
      const [start, end] = bufferLineClass(bundle);
      for (const name of UNWRAPPED) {
        const calls = [...bundle.matchAll(new RegExp(`\\.${name}\\(`, 'g'))].filter((m) => m.index < start || m.index >= end);
        expect(calls.length, `${file}: calls of ${name} outside BufferLine`).toBe(audited[name]);
      }
    }
  });

  it('are only touched by BufferLine methods in the shipped xterm', () => {
    // Outside the BufferLine class, `_data` is only the DCS and OSC handlers' payload string.
    for (const file of [XTERM_PATH, XTERM_PATH.replace(/\.js$/, '.mjs')]) {
      const bundle = fs.readFileSync(file, 'utf8');
      const [start, end] = bufferLineClass(bundle);
      expect(start, `${file}: BufferLine class not found`).toBeGreaterThan(0);
      const inside = [...bundle.slice(start, end).matchAll(/_data\b/g)];
      expect(inside.length, 'the class found is the one holding the cells').toBeGreaterThan(40);
      const outside = [...bundle.matchAll(/[\w$]+\._data\b/g)].filter((m) => m.index < start || m.index >= end);
      expect(outside.length).toBeGreaterThan(0);
      for (const m of outside) {
        expect(m[0], `${file} at ${m.index}`).toBe('this._data');
        expect(bundle.slice(Math.max(0, m.index - 400), m.index + 400), `${file} at ${m.index}: re-check packed-lines.ts`).toContain('_hitLimit');
      }
    }
  });
});

/** Where xterm's BufferLine class starts and ends in a bundle (its constructor's opening, braces matched). */
function bufferLineClass(bundle: string): [number, number] {
  const start = bundle.search(/class [\w$]+\{constructor\([\w$]+,[\w$]+,[\w$]+=!1\)\{this\.isWrapped=/);
  if (start < 0) return [-1, -1];
  let depth = 0;
  for (let i = bundle.indexOf('{', start); i < bundle.length; i++) {
    if (bundle[i] === '{') depth++;
    else if (bundle[i] === '}' && --depth === 0) return [start, i + 1];
  }
  return [-1, -1];
}
