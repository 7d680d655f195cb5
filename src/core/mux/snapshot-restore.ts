/**
 * Turns a host's reconnect SNAPSHOT pane (PROTOCOL.md §3.1) into terminal bytes that rebuild the
 * pane in a fresh emulator: history and visible lines with their colours, the alternate screen
 * when the host was in it, the cursor position and the pane modes.
 *
 * Invariants: never throws on odd input (short cell arrays, invalid UTF-8 — decoded lossily);
 * output is bounded by the snapshot's own size.
 */
import type { SnapshotGrid, SnapshotPane } from '../protocol/tmate/messages.js';

const FLAG_FG256 = 0x1;
const FLAG_BG256 = 0x2;
const FLAG_PADDING = 0x4;

const ATTR_SGR: ReadonlyArray<[number, number]> = [
  [0x1, 1],
  [0x2, 2],
  [0x4, 4],
  [0x8, 5],
  [0x10, 7],
  [0x20, 8],
  [0x40, 3],
];

const MODE_SEQUENCES: ReadonlyArray<[number, string, string]> = [
  [0x1, '\x1b[?25h', '\x1b[?25l'],
  [0x2, '\x1b[4h', ''],
  [0x4, '\x1b[?1h', ''],
  [0x8, '\x1b=', ''],
  [0x10, '', '\x1b[?7l'],
  [0x400, '\x1b[?2004h', ''],
  [0x800, '\x1b[?1004h', ''],
];

const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

export function snapshotToBytes(pane: SnapshotPane, rows: number): Uint8Array {
  let out = '\x1b[H\x1b[2J';
  const alternate = pane.saved !== null;
  const normal = alternate && pane.saved ? pane.saved : pane.grid;
  out += gridToText(normal, rows);
  if (alternate) out += '\x1b[?1049h\x1b[H\x1b[2J' + gridToText(pane.grid, rows);
  out += `\x1b[${pane.grid.cy + 1};${pane.grid.cx + 1}H`;
  for (const [bit, on, off] of MODE_SEQUENCES) out += pane.mode & bit ? on : off;
  return encoder.encode(out);
}

function gridToText(grid: SnapshotGrid, rows: number): string {
  const lines = grid.lines.map((line) => lineToText(decoder.decode(line.text), line.cells));
  // Push history lines into scrollback so the last `rows` lines end up on screen.
  const pad = Math.max(0, rows - lines.length);
  return lines.join('\r\n') + '\r\n'.repeat(pad) + `\x1b[${rows};1H` + '\x1b[m';
}

function lineToText(text: string, cells: readonly number[]): string {
  const chars = Array.from(text);
  let out = '';
  let last = -1;
  let charIndex = 0;
  for (const word of cells) {
    const flags = Math.floor(word / 0x1000000) & 0xff;
    if (flags & FLAG_PADDING) continue;
    const style = word & 0xffffff;
    if (style !== last) {
      out += sgrFor(flags, style);
      last = style;
    }
    out += chars[charIndex++] ?? ' ';
  }
  if (charIndex < chars.length) out += chars.slice(charIndex).join('');
  return out + '\x1b[m\x1b[K';
}

function sgrFor(flags: number, style: number): string {
  const attr = (style >> 16) & 0xff;
  const bg = (style >> 8) & 0xff;
  const fg = style & 0xff;
  const codes = [0];
  for (const [bit, code] of ATTR_SGR) if (attr & bit) codes.push(code);
  codes.push(...colourCodes(fg, flags & FLAG_FG256, 30));
  codes.push(...colourCodes(bg, flags & FLAG_BG256, 40));
  return `\x1b[${codes.join(';')}m`;
}

function colourCodes(colour: number, is256: number, base: number): number[] {
  if (is256) return [base + 8, 5, colour];
  if (colour < 8) return [base + colour];
  if (colour >= 90 && colour <= 97) return [base + 60 + (colour - 90)];
  return [];
}
