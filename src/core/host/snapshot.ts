/**
 * The reconnect SNAPSHOT of one pane, read from its emulator the way tmate 2.4.0 packs a tmux
 * grid (PROTOCOL.md §3.1): the last 300 history lines plus the visible lines, each as its text
 * and one word per cell (flags<<24 | attr<<16 | bg<<8 | fg), the cursor, tmux's MODE_* bits, and
 * on the alternate screen the saved normal screen (visible lines only, as tmux saves it).
 *
 * Invariants:
 * - A line stops after its last written or coloured cell (tmux's cellsize); unwritten cells
 *   before that are spaces. The second half of a wide character is a padding cell (flag 0x4)
 *   with no text.
 * - Colours: 8 = default, 0–7 and 90–97 (bright) as tmux stores SGR colours, otherwise the
 *   256-colour flag; RGB colours are approximated by the nearest 256-colour entry (lossy, as the
 *   8-bit field allows nothing better). Words are non-negative safe integers.
 */
import type { SnapshotGrid, SnapshotLine, SnapshotPane } from '../protocol/tmate/messages.js';
import type { Emulator } from '../term/emulator.js';

export const SNAPSHOT_HISTORY_LINES = 300;

type Buffer = Emulator['buffer']['normal'];
type Line = NonNullable<ReturnType<Buffer['getLine']>>;
type Cell = NonNullable<ReturnType<Line['getCell']>>;

const FLAG_FG256 = 0x1;
const FLAG_BG256 = 0x2;
const FLAG_PADDING = 0x4;
const DEFAULT_COLOUR = 8;
/** xterm's colour mode bits (getFgColorMode). */
const CM_P16 = 0x1000000;
const CM_P256 = 0x2000000;
const CM_RGB = 0x3000000;

const encoder = new TextEncoder();

/** Nearest xterm-256 colour to an RGB value (cube or grey ramp). */
export function rgbTo256(rgb: number): number {
  const r = (rgb >> 16) & 0xff;
  const g = (rgb >> 8) & 0xff;
  const b = rgb & 0xff;
  const level = (v: number): number => (v < 48 ? 0 : v < 115 ? 1 : Math.floor((v - 35) / 40));
  const value = (l: number): number => (l === 0 ? 0 : 55 + l * 40);
  const [lr, lg, lb] = [level(r), level(g), level(b)];
  const cube = 16 + 36 * lr + 6 * lg + lb;
  const cubeDist = (value(lr) - r) ** 2 + (value(lg) - g) ** 2 + (value(lb) - b) ** 2;
  const grey = Math.min(23, Math.max(0, Math.round(((r + g + b) / 3 - 8) / 10)));
  const greyValue = 8 + grey * 10;
  const greyDist = (greyValue - r) ** 2 + (greyValue - g) ** 2 + (greyValue - b) ** 2;
  return greyDist < cubeDist ? 232 + grey : cube;
}

/** tmux colour byte and whether it needs the 256 flag. */
function colour(mode: number, value: number): [number, boolean] {
  if (mode === CM_P16) return value < 8 ? [value, false] : [90 + (value - 8), false];
  if (mode === CM_P256) return [value & 0xff, true];
  if (mode === CM_RGB) return [rgbTo256(value), true];
  return [DEFAULT_COLOUR, false];
}

function attributes(cell: Cell): number {
  let attr = 0;
  if (cell.isBold()) attr |= 0x1;
  if (cell.isDim()) attr |= 0x2;
  if (cell.isUnderline()) attr |= 0x4;
  if (cell.isBlink()) attr |= 0x8;
  if (cell.isInverse()) attr |= 0x10;
  if (cell.isInvisible()) attr |= 0x20;
  if (cell.isItalic()) attr |= 0x40;
  return attr;
}

/** The cell word without the padding flag. */
function cellWord(cell: Cell): number {
  const [fg, fg256] = colour(cell.getFgColorMode(), cell.getFgColor());
  const [bg, bg256] = colour(cell.getBgColorMode(), cell.getBgColor());
  const flags = (fg256 ? FLAG_FG256 : 0) | (bg256 ? FLAG_BG256 : 0);
  return flags * 0x1000000 + attributes(cell) * 0x10000 + bg * 0x100 + fg;
}

const PLAIN_WORD = DEFAULT_COLOUR * 0x100 + DEFAULT_COLOUR;

function lineToSnapshot(line: Line | undefined, cols: number, scratch: Cell): SnapshotLine {
  if (line === undefined) return { text: new Uint8Array(0), cells: [] };
  const parts: string[] = [];
  const cells: number[] = [];
  let used = 0;
  let usedParts = 0;
  for (let x = 0; x < Math.min(cols, line.length); x++) {
    const cell = line.getCell(x, scratch);
    if (cell === undefined) break;
    if (cell.getWidth() === 0) {
      const afterUsed = used === cells.length;
      cells.push(FLAG_PADDING * 0x1000000 + PLAIN_WORD);
      if (afterUsed) used = cells.length;
      continue;
    }
    const word = cellWord(cell);
    const chars = cell.getChars();
    parts.push(chars === '' ? ' ' : chars);
    cells.push(word);
    if (chars !== '' || word !== PLAIN_WORD) {
      used = cells.length;
      usedParts = parts.length;
    }
  }
  cells.length = used;
  return { text: encoder.encode(parts.slice(0, usedParts).join('')), cells };
}

function gridOf(buffer: Buffer, rows: number, cols: number, history: number, scratch: Cell): SnapshotGrid {
  const first = Math.max(0, buffer.baseY - history);
  const lines: SnapshotLine[] = [];
  for (let y = first; y < buffer.baseY + rows; y++) lines.push(lineToSnapshot(buffer.getLine(y), cols, scratch));
  return { cx: Math.min(buffer.cursorX, cols - 1), cy: buffer.cursorY, lines };
}

interface CoreInternals {
  _core?: {
    coreService?: { isCursorHidden?: boolean };
    coreMouseService?: { activeEncoding?: string };
  };
}

/** tmux MODE_* bits from the emulator's modes. */
export function screenMode(term: Emulator): number {
  const modes = term.modes;
  const core = (term as unknown as CoreInternals)._core;
  let mode = core?.coreService?.isCursorHidden === true ? 0 : 0x1;
  if (modes.insertMode) mode |= 0x2;
  if (modes.applicationCursorKeysMode) mode |= 0x4;
  if (modes.applicationKeypadMode) mode |= 0x8;
  if (modes.wraparoundMode) mode |= 0x10;
  if (modes.mouseTrackingMode === 'x10' || modes.mouseTrackingMode === 'vt200') mode |= 0x20;
  if (modes.mouseTrackingMode === 'drag' || modes.mouseTrackingMode === 'any') mode |= 0x40;
  if (modes.mouseTrackingMode !== 'none' && core?.coreMouseService?.activeEncoding === 'SGR') mode |= 0x200;
  if (modes.bracketedPasteMode) mode |= 0x400;
  if (modes.sendFocusMode) mode |= 0x800;
  return mode;
}

/** One pane's SNAPSHOT entry. */
export function snapshotPane(id: number, term: Emulator, history = SNAPSHOT_HISTORY_LINES): SnapshotPane {
  const scratch = term.buffer.normal.getNullCell();
  const { rows, cols } = term;
  const normal = term.buffer.normal;
  if (term.buffer.active.type !== 'alternate') {
    return { id, mode: screenMode(term), grid: gridOf(normal, rows, cols, history, scratch), saved: null };
  }
  const alternate = term.buffer.alternate;
  const lines = [
    ...gridOf(normal, 0, cols, history, scratch).lines,
    ...gridOf(alternate, rows, cols, 0, scratch).lines,
  ];
  const grid: SnapshotGrid = { cx: Math.min(alternate.cursorX, cols - 1), cy: alternate.cursorY, lines };
  return { id, mode: screenMode(term), grid, saved: gridOf(normal, rows, cols, 0, scratch) };
}
