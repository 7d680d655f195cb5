/**
 * Scrollback lines packed into a string: a buffer line that has scrolled into the scrollback can
 * give up its cells (12 bytes per column in xterm's Uint32Array, 1.2 KB for a 100-column line)
 * for a string of its text and colour runs (~1 byte per printed character for a log line), and
 * gets its cells back, unchanged, the moment anything reads or writes it.
 *
 * A packed line keeps its BufferLine object, `length` and `isWrapped`; its `_data` points at the
 * shared PACKED_CELLS (no cells) and its packed form sits in its `_combined` field, the map of
 * combining marks, which a packed line has none of (so the line's own object holds it: one
 * WeakMap of every packed line in the process, ~200,000 at the scale benchmark's load, held the
 * event loop for 20–125 ms each time its table grew or was rehashed). Every method of xterm's
 * BufferLine (@xterm/headless 6.0.0) but those on the print path (UNWRAPPED) is wrapped to
 * unpack the line first, and the source line too for the two methods that read another line's
 * cells (copyFrom, copyCellsFrom): xterm touches `_data` nowhere else (checked: every `_data` of
 * the bundle outside the BufferLine class belongs to its DCS/OSC handlers). Recycling a packed
 * line (copyFrom overwrites every cell) skips the decoding.
 *
 * What is packed: lines whose cells are all single-width characters of the Basic Multilingual
 * Plane without combining marks, underline styles or links (logs, shells, build output); other
 * lines stay as they are. Format: one code unit with the number of colour runs, nine per run
 * (its first column, then the fg and bg words a byte per unit, so that a line of Latin-1 text
 * stays a one-byte string), then one per cell up to the last cell that is not a default blank
 * (trailing default blanks are implied).
 *
 * Invariants: packing and unpacking are lossless (unpack(pack(line)) has the very same words);
 * lines on the screen (normal buffer from ybase on) are never packed; a packed line is never read
 * or written by xterm or by our code before it is unpacked (the painters' raw path checks
 * `_data.length` and falls back to the API, which unpacks); installed once, all or nothing, only when the prototype holds exactly the methods this was checked against.
 */
import type { Terminal } from '@xterm/headless';
import { EMPTY_CELL_MAP, lineSharesEmptyMaps } from './shared-cell-maps.js';
import { bufferLinePrototype, normalBuffer, type BufferLineFields } from './xterm-buffer-line.js';

/** The `_data` of every packed line: no cells (a write to it would be lost, so none may happen). */
export const PACKED_CELLS = new Uint32Array(0);

/** xterm's cell content word of a default blank: code point 0, width 1. */
const BLANK_CONTENT = 1 << 22;
/** Content words this packs: width 1 (bit 22) and a code point below 0x10000, nothing else. */
const PACKABLE_CONTENT_MASK = ~0x40ffff;
/** Code units per colour run: its first column, then fg and bg a byte per unit (see the header). */
const RUN_UNITS = 9;

/** A line as packing sees it: while packed, `_combined` holds the packed form (see the header). */
type PackableLine = Omit<BufferLineFields, '_combined'> & {
  _combined: BufferLineFields['_combined'] | string;
  [PACKING_INSTALLED]?: true;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wrappers pass any method's own arguments on unchanged
type LineMethod = (this: PackableLine, ...args: any[]) => unknown;

const PACKING_INSTALLED = Symbol('packedLines');
/** First UTF-16 surrogate: no unit of a packed form is one (UTF-8 cannot carry it; see encode). */
const SURROGATES = 0xd800;
/** Decodes the packed forms built in `scratch` (BOM kept: a unit 0xFEFF is a character like any other). */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
let scratch = new Uint8Array(4096);
/** Lines read back so far (the packer rescans everything after some were, e.g. by copy mode). */
let unpackCount = 0;

/** Allocation of a line's cells on unpack: the line arena's, while a parse is running. */
let allocateCells: (words: number) => Uint32Array = (words) => new Uint32Array(words);

/** Where unpacked lines take their cells from (line-arena.ts hands out slab space during a parse). */
export function setCellAllocator(allocate: (words: number) => Uint32Array): void {
  allocateCells = allocate;
}

/** The BufferLine methods of xterm 6.0.0 (the prototype must hold exactly these). */
const KNOWN_METHODS = new Set([
  'get', 'set', 'getWidth', 'hasWidth', 'getFg', 'getBg', 'hasContent', 'getCodePoint', 'isCombined',
  'getString', 'isProtected', 'loadCell', 'setCell', 'setCellFromCodepoint', 'addCodepointToCell',
  'insertCells', 'deleteCells', 'replaceCells', 'resize', 'cleanupMemory', 'fill', 'copyFrom', 'clone',
  'getTrimmedLength', 'getNoBgTrimmedLength', 'copyCellsFrom', 'translateToString',
]);
/**
 * Left as xterm's own, for speed: the per-cell writers (setCellFromCodepoint once per printed
 * character, setCell once per erased cell) and the readers print calls once per run of text.
 * Outside BufferLine's own methods (which unpacked the line on entry), xterm calls these only on
 * screen lines (print, erase, REP), on its cached blank line (getFg/getBg, never in a buffer) and
 * while resizing (reflow); the unit tests count those call sites in both bundles. Screen lines
 * are never packed (the packer packs scrollback lines only), and a resize first unpacks every line
 * it touches (unpackForResize).
 */
export const UNWRAPPED = new Set(['setCellFromCodepoint', 'setCell', 'getWidth', 'hasWidth', 'hasContent', 'getString', 'getFg', 'getBg']);
/** Methods whose first argument is another line whose cells they read. */
const READS_OTHER_LINE = new Set(['copyFrom', 'copyCellsFrom']);

/** Methods with a wrapper of their own (the others unpack the line, and a source line if they read one). */
const WRAPPERS: Partial<Record<string, (original: LineMethod) => LineMethod>> = {
  copyFrom: wrapCopyFrom,
  cleanupMemory: wrapCleanupMemory,
};

/**
 * Installs packing on `term`'s BufferLine class (once) and makes `term` unpack the lines a resize
 * touches before it resizes (see UNWRAPPED); false when xterm is not the version checked.
 */
export function usePackedLines(term: Terminal): boolean {
  const proto = bufferLinePrototype<PackableLine>(term);
  if (proto === null) return false;
  if (!proto[PACKING_INSTALLED]) {
    if (!methodsAreKnown(proto)) return false;
    const methods = proto as unknown as Record<string, LineMethod>;
    for (const name of KNOWN_METHODS) {
      if (UNWRAPPED.has(name)) continue;
      const original = methods[name]!;
      methods[name] = WRAPPERS[name]?.(original) ?? (READS_OTHER_LINE.has(name) ? wrapWithSource(original) : wrapSelf(original));
    }
    proto[PACKING_INSTALLED] = true;
  }
  const resize = term.resize.bind(term);
  term.resize = (cols: number, rows: number): void => {
    unpackForResize(term, cols, rows);
    resize(cols, rows);
  };
  return true;
}

/**
 * Unpacks what a resize to `cols`×`rows` reads or brings onto the screen: every line when the
 * width changes (xterm resizes and reflows each line), else the lines that more rows pull up
 * from the scrollback.
 */
function unpackForResize(term: Terminal, cols: number, rows: number): void {
  const normal = normalBuffer(term);
  if (normal === null) return;
  const lines = normal.lines;
  const from = cols === term.cols ? normal.ybase - Math.max(0, rows - term.rows) : 0;
  for (let i = Math.max(0, from); i < lines.length; i++) {
    const line = lines.get(i) as PackableLine | undefined;
    if (line?._data === PACKED_CELLS) unpack(line, true);
  }
}

/** Whether `term`'s lines can be packed. */
export function packsLines(term: Terminal): boolean {
  return bufferLinePrototype<PackableLine>(term)?.[PACKING_INSTALLED] === true;
}

export function isPacked(line: object): boolean {
  return (line as PackableLine)._data === PACKED_CELLS;
}

/**
 * How many cells `line` uses, up to its last one that is not a default blank (a blank with a
 * colour counts, as in tmux's grid), read without unpacking a packed line (what a pane's history
 * size in bytes counts).
 */
export function usedCells(line: object): number {
  const target = line as PackableLine;
  const packed = target._combined;
  if (target._data === PACKED_CELLS && typeof packed === 'string') return Math.max(0, packed.length - 1 - RUN_UNITS * packed.charCodeAt(0));
  return (line as { getNoBgTrimmedLength?: () => number }).getNoBgTrimmedLength?.() ?? 0;
}

/** How many packed lines were read back (decoded) since the process started (never decreases). */
export function unpackedLines(): number {
  return unpackCount;
}

/**
 * Packs `line` when it qualifies (see the header); returns whether it is packed now. `line` must
 * be a line of a class with packing installed; `release` gets the cells it gave up.
 */
export function packLine(line: object, release?: (cells: Uint32Array) => void): boolean {
  const target = line as PackableLine;
  if (target._data === PACKED_CELLS) return true;
  if (target[PACKING_INSTALLED] !== true) return false;
  const marks = target._combined;
  if (typeof marks === 'string' || (marks !== EMPTY_CELL_MAP && hasEntries(marks))) return false;
  if (target._extendedAttrs !== EMPTY_CELL_MAP && hasEntries(target._extendedAttrs)) return false;
  const text = encode(target._data, target.length);
  if (text === null) return false;
  release?.(target._data);
  target._data = PACKED_CELLS;
  target._combined = text;
  return true;
}

/** The packed form of `cells` (`length` columns), or null when a cell does not qualify. */
function encode(cells: Uint32Array, length: number): string | null {
  if (cells.length < length * 3 || length >= SURROGATES) return null;
  let end = length;
  while (end > 0 && cells[3 * end - 3] === BLANK_CONTENT && cells[3 * end - 2] === 0 && cells[3 * end - 1] === 0) end--;
  let runs = 0;
  let fg = 0;
  let bg = 0;
  for (let x = 0; x < end; x++) {
    const content = cells[3 * x]!;
    if ((content & PACKABLE_CONTENT_MASK) !== 0 || (content & BLANK_CONTENT) === 0) return null;
    if ((content & 0xf800) === SURROGATES) return null;
    if (cells[3 * x + 1] === fg && cells[3 * x + 2] === bg) continue;
    fg = cells[3 * x + 1]!;
    bg = cells[3 * x + 2]!;
    runs++;
  }
  const out = scratchFor(3 * (1 + RUN_UNITS * runs + end));
  let at = putUnit(out, 0, runs);
  fg = 0;
  bg = 0;
  for (let x = 0; x < end; x++) {
    if (cells[3 * x + 1] === fg && cells[3 * x + 2] === bg) continue;
    fg = cells[3 * x + 1]!;
    bg = cells[3 * x + 2]!;
    at = putUnit(out, at, x);
    for (let shift = 0; shift < 32; shift += 8) at = putUnit(out, at, (fg >>> shift) & 0xff);
    for (let shift = 0; shift < 32; shift += 8) at = putUnit(out, at, (bg >>> shift) & 0xff);
  }
  for (let x = 0; x < end; x++) at = putUnit(out, at, cells[3 * x]! & 0xffff);
  return utf8.decode(out.subarray(0, at));
}

/**
 * A scratch buffer of at least `bytes` bytes. The packed string is made by decoding UTF-8 from it:
 * one allocation, the string itself (one byte per unit when every unit is below 0x100), where
 * building it from an array of code units left ~2 KB of garbage per line (more scavenges).
 */
function scratchFor(bytes: number): Uint8Array {
  if (scratch.length < bytes) scratch = new Uint8Array(Math.max(bytes, 2 * scratch.length));
  return scratch;
}

/** Writes UTF-16 code unit `unit` (never a surrogate: see encode) as UTF-8 at `at`; returns the next position. */
function putUnit(out: Uint8Array, at: number, unit: number): number {
  if (unit < 0x80) {
    out[at] = unit;
    return at + 1;
  }
  if (unit < 0x800) {
    out[at] = 0xc0 | (unit >> 6);
    out[at + 1] = 0x80 | (unit & 0x3f);
    return at + 2;
  }
  out[at] = 0xe0 | (unit >> 12);
  out[at + 1] = 0x80 | ((unit >> 6) & 0x3f);
  out[at + 2] = 0x80 | (unit & 0x3f);
  return at + 3;
}

/** Gives a packed line its cells back (decoded from its packed form), or fresh ones when `decode` is false. */
function unpack(line: PackableLine, decode: boolean): void {
  const text = line._combined;
  // An empty map, as before packing (a line with marks is never packed).
  line._combined = lineSharesEmptyMaps(line) ? EMPTY_CELL_MAP : {};
  // Recycling (no decoding) is routine; a line read back is what the packer must look for.
  if (decode) unpackCount++;
  const cells = allocateCells(line.length * 3);
  if (!decode || typeof text !== 'string') {
    line._data = cells;
    return;
  }
  const runs = text.charCodeAt(0);
  const contentStart = 1 + runs * RUN_UNITS;
  const end = Math.min(text.length - contentStart, line.length);
  let run = 0;
  let fg = 0;
  let bg = 0;
  for (let x = 0; x < line.length; x++) {
    if (x >= end) {
      cells[3 * x] = BLANK_CONTENT;
      cells[3 * x + 1] = 0;
      cells[3 * x + 2] = 0;
      continue;
    }
    const at = 1 + run * RUN_UNITS;
    if (run < runs && text.charCodeAt(at) === x) {
      fg = wordAt(text, at + 1);
      bg = wordAt(text, at + 5);
      run++;
    }
    cells[3 * x] = BLANK_CONTENT | text.charCodeAt(contentStart + x);
    cells[3 * x + 1] = fg;
    cells[3 * x + 2] = bg;
  }
  line._data = cells;
}

/*
 * The wrappers name five parameters and pass them on with call (xterm's methods take at most five
 * and none reads `arguments`; an absent one arrives as undefined either way): rest parameters and
 * apply would allocate on the print path, once per character.
 */
function wrapSelf(original: LineMethod): LineMethod {
  return function unpackingFirst(this: PackableLine, a: unknown, b: unknown, c: unknown, d: unknown, e: unknown): unknown {
    if (this._data === PACKED_CELLS) unpack(this, true);
    return original.call(this, a, b, c, d, e);
  };
}

function wrapWithSource(original: LineMethod): LineMethod {
  return function unpackingBoth(this: PackableLine, source: PackableLine, b: unknown, c: unknown, d: unknown, e: unknown): unknown {
    if (this._data === PACKED_CELLS) unpack(this, true);
    if (source._data === PACKED_CELLS) unpack(source, true);
    return original.call(this, source, b, c, d, e);
  };
}

/**
 * copyFrom overwrites every cell of the line (or replaces its cells by a copy when the lengths
 * differ): a packed line needs room, not its old cells.
 */
function wrapCopyFrom(original: LineMethod): LineMethod {
  return function copyFrom(this: PackableLine, source: PackableLine): unknown {
    if (source._data === PACKED_CELLS) unpack(source, true);
    if (this._data === PACKED_CELLS) unpack(this, false);
    return original.call(this, source);
  };
}

/** A packed line holds no spare cells: nothing to give back (unpacking it would defeat the call). */
function wrapCleanupMemory(original: LineMethod): LineMethod {
  return function cleanupMemory(this: PackableLine): unknown {
    return this._data === PACKED_CELLS ? 0 : original.call(this);
  };
}

/**
 * The prototype has exactly the methods checked (plain methods, no accessors), and `_data` of
 * another line appears only in the methods that read one (and in clone, of the copy it makes).
 */
function methodsAreKnown(proto: PackableLine): boolean {
  const names = Object.getOwnPropertyNames(proto).filter((name) => name !== 'constructor');
  if (names.length !== KNOWN_METHODS.size) return false;
  for (const name of names) {
    const property = Object.getOwnPropertyDescriptor(proto, name);
    if (!KNOWN_METHODS.has(name) || typeof property?.value !== 'function') return false;
    const text = Function.prototype.toString.call(property.value);
    const others = [...text.matchAll(/(?<![\w$.])([\w$]+)\s*\.\s*_data\b/g)].filter((m) => m[1] !== 'this');
    if (others.length > 0 && !READS_OTHER_LINE.has(name) && name !== 'clone') return false;
  }
  return true;
}

/** The 32-bit word stored a byte per code unit from `at` on, lowest byte first. */
function wordAt(text: string, at: number): number {
  return (text.charCodeAt(at) | (text.charCodeAt(at + 1) << 8) | (text.charCodeAt(at + 2) << 16) | (text.charCodeAt(at + 3) << 24)) >>> 0;
}

function hasEntries(map: object): boolean {
  for (const _key in map) return true;
  return false;
}
