// Lines share one frozen empty map for combined characters and extended attributes until they
// write one (shared-cell-maps.ts). A pane with the shared maps must read exactly like a pane of an
// untouched copy of xterm, cell by cell with its combined text, underline styles and colours and
// hyperlinks, through output that writes the maps in every way xterm does (combining marks, wide
// characters, curly and coloured underlines, OSC 8 links, inserted and deleted characters, erases,
// a recycling scrollback, resizes that reflow wrapped lines), also in random mixes (fast-check,
// fixed seed); the shared map must stay empty; and
// no code of the xterm we ship may write a map outside the methods the module knows.
import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEmulator, feedEmulator } from '../../../src/core/term/emulator.js';
import { EMPTY_CELL_MAP, sharesEmptyCellMaps } from '../../../src/core/term/shared-cell-maps.js';
import { linesOfPieces } from './term-helpers.js';
import { cells, lines, untouchedTerminal, XTERM_PATH, type InternalLine, type InternalTerminal } from './xterm-reference.js';

/** Output that writes the maps every way xterm does, between plenty of plain lines. */
function mapHeavyOutput(count: number, seed: number): string {
  const pieces = [
    'plain words ',
    'e\u0301 a\u0308\u0323 ', // combining marks: addCodepointToCell
    '漢字 ',
    '\x1b[4:3mcurly\x1b[0m ',
    '\x1b[4;58;5;196mred underline\x1b[0m ',
    '\x1b]8;;https://example.com/\x07link\x1b]8;;\x07 ',
    '\x1b[3D\x1b[2@ins', // insert characters: shifts cells (and their map entries) right
    '\x1b[5D\x1b[2P', // delete characters
    '\x1b[4:3m\x1b[K\x1b[0m', // erase to the end of the line with an extended attribute
    '\x1b[2K', // erase the whole line
    'a long run of words that wraps around narrow panes and reflows when they widen ',
  ];
  return linesOfPieces(pieces, count, seed);
}

describe('shared empty cell maps', () => {
  it('are installed on the xterm version we ship', () => {
    expect(sharesEmptyCellMaps(createEmulator(20, 4, 10)), 'xterm changed BufferLine: re-check shared-cell-maps.ts').toBe(true);
  });

  it('leave a pane reading exactly like untouched xterm through output, recycling and reflowing resizes', () => {
    const sizes: Array<[number, number]> = [[30, 6], [13, 9], [57, 4], [30, 6]];
    const shared = createEmulator(30, 6, 40);
    const untouched = untouchedTerminal(30, 6, 40);
    expect(Object.getPrototypeOf(lines(untouched)[0]), 'the reference must use its own BufferLine class').not.toBe(Object.getPrototypeOf(lines(shared)[0]));
    for (let chunk = 0; chunk < 24; chunk++) {
      const output = new TextEncoder().encode(mapHeavyOutput(25, chunk + 1));
      feedEmulator(shared, output);
      (untouched as unknown as InternalTerminal)._core._writeBuffer.writeSync(output);
      expect(cells(shared), `after chunk ${chunk}`).toEqual(cells(untouched));
      if (chunk % 6 === 5) {
        const [cols, rows] = sizes[(chunk - 5) / 6]!;
        shared.resize(cols, rows);
        untouched.resize(cols, rows);
        expect(cells(shared), `after resize to ${cols}x${rows}`).toEqual(cells(untouched));
      }
    }
    const written = lines(shared);
    expect(written.some((line) => Object.keys(line._combined).length > 0), 'the output wrote combined characters').toBe(true);
    expect(written.some((line) => Object.keys(line._extendedAttrs).length > 0), 'the output wrote extended attributes').toBe(true);
    expect(Object.isFrozen(EMPTY_CELL_MAP) && Object.keys(EMPTY_CELL_MAP).length === 0).toBe(true);
  });

  it('reads like untouched xterm under random mixes of map writers, cursor moves, edits and resizes', () => {
    const piece = fc.constantFrom(
      'e\u0301', 'a\u0308\u0323', '漢', '👍🏽', '👩\u200d💻', '\u2764\ufe0f', 'word ', 'x'.repeat(30),
      '\x1b[4:3m', '\x1b[4:5m', '\x1b[58;5;196m', '\x1b[58:2::1:2:3m', '\x1b[4m', '\x1b[0m', '\x1b[41m',
      '\x1b]8;;https://example.com/a\x07', '\x1b]8;;\x07',
      '\x1b[2@', '\x1b[3P', '\x1b[2X', '\x1b[K', '\x1b[1K', '\x1b[2K', '\x1b[J', '\x1b[2L', '\x1b[M',
      '\x1b[4h', '\x1b[4l', '\x1b[3b', '\t', '\r\n', '\r\n', '\x1b[H', '\x1b[5;3H', '\x1b[3D', '\x1b[2C',
      '\x1b[2;5r', '\x1b[r', '\x1bM', '\x1b[?1049h', '\x1b[?1049l', '\x1b[S', '\x1b[T',
    );
    const step = fc.oneof(
      { weight: 6, arbitrary: fc.array(piece, { minLength: 1, maxLength: 30 }).map((parts) => ({ output: parts.join('') })) },
      { weight: 1, arbitrary: fc.record({ cols: fc.integer({ min: 2, max: 40 }), rows: fc.integer({ min: 1, max: 10 }) }) },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const shared = createEmulator(20, 5, 8);
        const untouched = untouchedTerminal(20, 5, 8);
        for (const s of steps) {
          if ('output' in s) {
            const bytes = new TextEncoder().encode(s.output);
            feedEmulator(shared, bytes);
            (untouched as unknown as InternalTerminal)._core._writeBuffer.writeSync(bytes);
          } else {
            shared.resize(s.cols, s.rows);
            untouched.resize(s.cols, s.rows);
          }
          expect(cells(shared)).toEqual(cells(untouched));
        }
        expect(Object.keys(EMPTY_CELL_MAP)).toEqual([]);
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });

  it('gives a sharing line its own map on each way of writing one', () => {
    const term = createEmulator(20, 3, 100);
    feedEmulator(term, new TextEncoder().encode('\x1b[4:3;58;5;9me\u0301\x1b[0m\r\n' + 'plain\r\n'.repeat(20)));
    const all = lines(term);
    const source = all[0]!;
    const sharing = (): InternalLine & Record<string, (...args: unknown[]) => void> => {
      const line = all.find((l) => l !== source && l._combined === EMPTY_CELL_MAP && l._extendedAttrs === EMPTY_CELL_MAP && !l.isWrapped);
      if (line === undefined) throw new Error('no line shares the empty maps');
      return line as InternalLine & Record<string, (...args: unknown[]) => void>;
    };
    const cell = (term as unknown as { _core: { buffer: { getNullCell(): object } } })._core.buffer.getNullCell();
    (source as unknown as { loadCell(x: number, cell: object): void }).loadCell(0, cell);
    const combinedAndUnderlined = sharing();
    combinedAndUnderlined.setCell(3, cell);
    expect(combinedAndUnderlined._combined[3]).toBe('e\u0301');
    expect(combinedAndUnderlined._extendedAttrs[3]?.underlineStyle).toBe(3);
    const copied = sharing();
    copied.copyCellsFrom(source, 0, 5, 2, false);
    expect([copied._combined[5], copied._extendedAttrs[5]?.underlineStyle]).toEqual(['e\u0301', 3]);
    const marked = sharing();
    marked.setCellFromCodepoint(1, 0x61, 1, cell);
    marked.addCodepointToCell(1, 0x308, 0);
    expect([marked._combined[1], marked._extendedAttrs[1]?.underlineStyle]).toEqual(['a\u0308', 3]);
    const legacy = sharing();
    legacy.set(2, [0, 'o\u0302', 1, 0x302]);
    expect(legacy._combined[2]).toBe('o\u0302');
    expect(Object.keys(EMPTY_CELL_MAP)).toEqual([]);
  });

  it('lets plain scrollback lines share the one empty map', () => {
    const term = createEmulator(80, 24, 1000);
    let out = '';
    for (let i = 0; i < 600; i++) out += `\x1b[32mINFO\x1b[0m line ${i} of a plain log\r\n`;
    feedEmulator(term, new TextEncoder().encode(out));
    const scrollback = lines(term).slice(0, 500);
    const sharing = scrollback.filter((line) => line._combined === EMPTY_CELL_MAP && line._extendedAttrs === EMPTY_CELL_MAP);
    expect(sharing.length).toBeGreaterThan(scrollback.length * 0.95);
  });

  it('knows every place in the shipped xterm that writes a cell map', () => {
    const mapWrite = /(_combined|_extendedAttrs)\[[^\]]*\](\+?=(?!=))|delete[^;,}]*(_combined|_extendedAttrs)/g;
    const pristine = Object.getPrototypeOf(lines(untouchedTerminal(10, 2, 0))[0]) as object;
    let inBufferLine = 0;
    for (const name of Object.getOwnPropertyNames(pristine)) {
      const value: unknown = Object.getOwnPropertyDescriptor(pristine, name)?.value;
      if (typeof value === 'function' && name !== 'constructor') inBufferLine += (Function.prototype.toString.call(value).match(mapWrite) ?? []).length;
    }
    // The constructor only creates the two maps (no indexed write), so the class's writes are its methods'.
    expect(inBufferLine).toBeGreaterThan(0);
    // Both bundles (the CommonJS one plain Node loads, the ESM one bundlers and vitest load).
    for (const file of [XTERM_PATH, XTERM_PATH.replace(/\.js$/, '.mjs')]) {
      const bundle = fs.readFileSync(file, 'utf8');
      expect((bundle.match(mapWrite) ?? []).length, `${file} writes cell maps outside BufferLine: re-check shared-cell-maps.ts`).toBe(inBufferLine);
    }
  });
});
