/**
 * Buffer lines share one frozen empty map for combined characters and extended attributes until
 * they need a map of their own (copy on first write).
 *
 * Every xterm BufferLine carries two side maps (cell index → combined characters such as `e` +
 * U+0301, cell index → extended attributes such as curly underlines and hyperlinks), and almost
 * every line leaves both empty. Each empty map is a 56-byte heap object, 112 of the ~280 heap
 * bytes of a line: a scrollback of 2000 lines holds 224 KB of empty maps, and while 100 streaming
 * panes fill their scrollbacks the maps were half of the objects every scavenge had to copy.
 *
 * Here, a line whose map would be empty points at EMPTY_CELL_MAP instead (when it is cloned or
 * recycled: clone in line-arena.ts, copyFrom below), and each BufferLine method that writes into a
 * map first gives the line its own map when the write is about to happen.
 *
 * Invariants: EMPTY_CELL_MAP is frozen and never written, so a write path missed here throws
 * instead of leaking one line's (one session's) characters into another. Installed once, all or
 * nothing, only when every method of the prototype that writes a map is one of those handled here
 * and reads as the xterm version this was written against (@xterm/headless 6.0.0, either of its
 * bundles: source text checked, minified names aside); otherwise xterm's lines keep their own maps.
 */
import type { Terminal } from '@xterm/headless';
import { bufferLinePrototype, sourceText, type BufferLineFields } from './xterm-buffer-line.js';

/** Cell content flag: the cell's text lives in `_combined` (xterm's Content.IS_COMBINED_MASK). */
const IS_COMBINED = 0x200000;
/** Background flag: the cell has an entry in `_extendedAttrs` (xterm's BgFlags.HAS_EXTENDED). */
const HAS_EXTENDED = 0x10000000;

/** The map every line without combined characters or extended attributes points at. */
export const EMPTY_CELL_MAP: Readonly<Record<number, never>> = Object.freeze({});

/** The cell fields xterm's setCell reads (its CellData). */
interface CellLike {
  content: number;
  bg: number;
}

/** The parts of xterm's BufferLine that the methods here touch. */
interface MapOwningLine extends BufferLineFields {
  copyFrom(line: MapOwningLine): void;
  set(index: number, value: unknown): void;
  setCell(index: number, cell: CellLike): void;
  setCellFromCodepoint(index: number, codePoint: number, width: number, attrs: CellLike): void;
  addCodepointToCell(index: number, codePoint: number, width: number): void;
  copyCellsFrom(source: MapOwningLine, sourceCol: number, destCol: number, length: number, reverse: boolean): void;
  [SHARES_EMPTY_MAPS]?: true;
}

const SHARES_EMPTY_MAPS = Symbol('sharesEmptyCellMaps');

type MethodName = 'set' | 'setCell' | 'setCellFromCodepoint' | 'addCodepointToCell' | 'copyCellsFrom';
/**
 * A BufferLine method as the wrappers see it. `any[]`: each wrapper names its own parameters and
 * passes them on with Function.prototype.call, which V8 inlines (Reflect.apply with an array would
 * allocate on the print path, once per character).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LineMethod = (this: MapOwningLine, ...args: any[]) => void;

/**
 * The map writers of xterm 6.0.0's BufferLine (besides the constructor, fill, clone and copyFrom,
 * which write only into maps they have just created), each with the pieces of its source text
 * that show the writes (whatever the minifier named things), and the wrapper that gives the line its own map first.
 */
const WRITERS: Record<MethodName, { shows: RegExp[]; wrap(original: LineMethod): LineMethod }> = {
  set: {
    shows: [/this\._combined\[\w+\]=/],
    wrap: (original) =>
      function set(this: MapOwningLine, index: number, value: unknown): void {
        ownCombined(this);
        original.call(this, index, value);
      },
  },
  setCell: {
    shows: [/this\._combined\[\w+\]=\w+\.combinedData/, /this\._extendedAttrs\[\w+\]=\w+\.extended/],
    wrap: (original) =>
      function setCell(this: MapOwningLine, index: number, cell: CellLike): void {
        if ((cell.content & IS_COMBINED) !== 0) ownCombined(this);
        if ((cell.bg & HAS_EXTENDED) !== 0) ownExtended(this);
        original.call(this, index, cell);
      },
  },
  setCellFromCodepoint: {
    shows: [/this\._extendedAttrs\[\w+\]=\w+\.extended/],
    wrap: (original) =>
      function setCellFromCodepoint(this: MapOwningLine, index: number, codePoint: number, width: number, attrs: CellLike): void {
        if ((attrs.bg & HAS_EXTENDED) !== 0) ownExtended(this);
        original.call(this, index, codePoint, width, attrs);
      },
  },
  addCodepointToCell: {
    shows: [/this\._combined\[\w+\]\+=/],
    wrap: (original) =>
      function addCodepointToCell(this: MapOwningLine, index: number, codePoint: number, width: number): void {
        ownCombined(this);
        original.call(this, index, codePoint, width);
      },
  },
  copyCellsFrom: {
    // It copies entries only from the source's maps (a flagged cell always has its entry).
    shows: [/this\._extendedAttrs\[[^\]]+\]=\w+\._extendedAttrs\[/, /this\._combined\[[^\]]+\]=\w+\._combined\[/],
    wrap: (original) =>
      function copyCellsFrom(this: MapOwningLine, source: MapOwningLine, sourceCol: number, destCol: number, length: number, reverse: boolean): void {
        if (!isEmptyCellMap(source._combined)) ownCombined(this);
        if (!isEmptyCellMap(source._extendedAttrs)) ownExtended(this);
        original.call(this, source, sourceCol, destCol, length, reverse);
      },
  },
};

/**
 * Methods safe as they are: they assign fresh maps before writing into them (the constructor too),
 * or write cells only through the wrapped setCell (fill when it spares protected cells); copyFrom
 * is replaced below.
 */
const ALLOCATORS = ['fill', 'clone', 'copyFrom'];

/**
 * Methods that only delete entries they find (resize drops those beyond the new width), which
 * the shared map, having none, never meets.
 */
const DELETERS = ['resize'];

/** An assignment into a cell map: `_combined[…] =` or `+=`. */
const MAP_ASSIGN = /(_combined|_extendedAttrs)\[[^\]]*\]\+?=(?!=)/;
/** A deletion from a cell map. */
const MAP_DELETE = /delete[^;,}]*(_combined|_extendedAttrs)/;

/** Installs the shared empty maps on `term`'s BufferLine class (once); false when it could not. */
export function useSharedCellMaps(term: Terminal): boolean {
  const proto = bufferLinePrototype<MapOwningLine>(term);
  if (proto === null) return false;
  if (proto[SHARES_EMPTY_MAPS]) return true;
  if (!isXtermCopyFrom(proto.copyFrom) || !writersAreKnown(proto)) return false;
  for (const name of Object.keys(WRITERS) as MethodName[]) {
    const methods = proto as unknown as Record<MethodName, LineMethod>;
    methods[name] = WRITERS[name].wrap(methods[name]);
  }
  proto.copyFrom = copyFrom;
  proto[SHARES_EMPTY_MAPS] = true;
  return true;
}

/** Whether `term`'s lines share EMPTY_CELL_MAP (false after an xterm change turned it off). */
export function sharesEmptyCellMaps(term: Terminal): boolean {
  return bufferLinePrototype<MapOwningLine>(term)?.[SHARES_EMPTY_MAPS] === true;
}

/** Whether `line`'s class has the shared maps installed (clones may then point at EMPTY_CELL_MAP). */
export function lineSharesEmptyMaps(line: object): boolean {
  return (line as MapOwningLine)[SHARES_EMPTY_MAPS] === true;
}

/** `source`'s entries in a map for a line of a class that shares empty maps. */
export function cellMapCopy<T>(source: Record<number, T>): Record<number, T> {
  if (isEmptyCellMap(source)) return EMPTY_CELL_MAP;
  const copy: Record<number, T> = {};
  for (const key in source) copy[key] = source[key]!;
  return copy;
}

/** Recycling a scrollback line: the same copy as xterm's, with no map allocated for an empty one. */
function copyFrom(this: MapOwningLine, source: MapOwningLine): void {
  if (this.length !== source.length) this._data = new Uint32Array(source._data);
  else this._data.set(source._data);
  this.length = source.length;
  this._combined = cellMapCopy(source._combined);
  this._extendedAttrs = cellMapCopy(source._extendedAttrs);
  this.isWrapped = source.isWrapped;
}

function ownCombined(line: MapOwningLine): void {
  if (line._combined === EMPTY_CELL_MAP) line._combined = {};
}

function ownExtended(line: MapOwningLine): void {
  if (line._extendedAttrs === EMPTY_CELL_MAP) line._extendedAttrs = {};
}

function isEmptyCellMap(map: object): boolean {
  if (map === EMPTY_CELL_MAP) return true;
  for (const _key in map) return false;
  return true;
}

/** xterm 6.0.0's BufferLine.copyFrom: fresh maps, copied key by key. */
function isXtermCopyFrom(method: unknown): boolean {
  const text = sourceText(method);
  return text.includes('this._combined={}') && text.includes('this._extendedAttrs={}') && text.includes('this.isWrapped=');
}

/** Every method that writes a map is a known writer reading as expected, or a known allocator. */
function writersAreKnown(proto: MapOwningLine): boolean {
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor') continue; // its text is the whole class; it creates fresh maps
    const property = Object.getOwnPropertyDescriptor(proto, name);
    const text = sourceText(property?.value) + sourceText(property?.get) + sourceText(property?.set);
    const writer = (WRITERS as Partial<Record<string, { shows: RegExp[] }>>)[name];
    if (writer !== undefined) {
      if (!writer.shows.every((write) => write.test(text))) return false;
    } else if (ALLOCATORS.includes(name)) {
      continue;
    } else if (MAP_ASSIGN.test(text) || (!DELETERS.includes(name) && MAP_DELETE.test(text))) {
      return false;
    }
  }
  return true;
}
