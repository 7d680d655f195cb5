/**
 * How many colours a viewer's terminal shows, and how a cell's colour is brought down to that.
 *
 * tmux (and so the classic tmate server) draws each client for its own terminal: truecolor only
 * where the terminal says it has it, the 256-colour palette where TERM says 256 colours, and the
 * 16 or 8 ANSI colours below that (a bright foreground on an 8-colour terminal becomes bold). A
 * relay that sent 24-bit colour to every viewer would show wrong colours or stray attributes on
 * terminals without it (one that does not know `38;2;R;G;B` reads its numbers as other SGR
 * codes). The depth comes from the viewer's TERM and COLORTERM, as tmux's does from its terminfo
 * entry and COLORTERM.
 *
 * Invariants: reduceColour never raises a colour above the depth and leaves a colour that is
 * already within it unchanged; the default colour stays default; results of P16 at depth 8 are
 * 0–7 (brightness moved to `bold`).
 */
import { COLOR_MODE_MASK, COLOR_P16, COLOR_P256, COLOR_RGB, COLOR_VALUE_MASK } from './screen-grid.js';

export type ColourDepth = 'rgb' | '256' | '16' | '8';

/** TERM names of terminals that show 24-bit colour whatever their TERM says of colours. */
const RGB_TERMINALS = /^(xterm-kitty|xterm-ghostty|ghostty|alacritty|foot|foot-extra|wezterm|contour|rio|iterm2)(-|$)/;
/** Families whose plain entry (no -256color, -16color…) has 8 colours in terminfo. */
const EIGHT_COLOUR_FAMILIES = /^(xterm|xterm-color|screen|tmux|linux|rxvt|putty|cygwin|ansi|vt\d+|dumb|konsole|gnome|vte|st)$/;

/**
 * The depth for a viewer's terminal: 24-bit when COLORTERM says so (`truecolor`, `24bit`) or TERM
 * names a direct-colour entry or a terminal known to have it; 256 for `*-256color`; 16 for
 * `*-16color`; 8 for the plain entries of the classic families; 256 for anything else (a modern
 * terminal under a TERM we do not know), and for no TERM at all.
 */
export function colourDepthOf(term: string, colorterm: string | null = null): ColourDepth {
  const t = term.trim().toLowerCase();
  const ct = colorterm?.trim().toLowerCase() ?? '';
  if (ct === 'truecolor' || ct === '24bit') return 'rgb';
  if (/-direct(\d*|-.*)?$/.test(t) || RGB_TERMINALS.test(t)) return 'rgb';
  if (/-256colou?r/.test(t)) return '256';
  if (/-(16|88)colou?r/.test(t)) return '16';
  if (EIGHT_COLOUR_FAMILIES.test(t)) return '8';
  return '256';
}

/** The 16 ANSI colours as xterm shows them by default, as 0xRRGGBB. */
const ANSI_RGB: readonly number[] = [
  0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
  0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
];
/** Levels of each component in the 6×6×6 colour cube (palette 16–231). */
const CUBE_LEVELS: readonly number[] = [0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff];

/** A palette index as 0xRRGGBB (xterm's default palette). */
export function paletteRgb(index: number): number {
  if (index < 16) return ANSI_RGB[index] ?? 0;
  if (index < 232) {
    const i = index - 16;
    return (CUBE_LEVELS[Math.floor(i / 36)]! << 16) | (CUBE_LEVELS[Math.floor(i / 6) % 6]! << 8) | CUBE_LEVELS[i % 6]!;
  }
  const grey = 8 + (index - 232) * 10;
  return (grey << 16) | (grey << 8) | grey;
}

function distance(a: number, b: number): number {
  const dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
  const dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
  const db = (a & 0xff) - (b & 0xff);
  return dr * dr + dg * dg + db * db;
}

function nearestCubeLevel(component: number): number {
  let best = 0;
  for (let i = 1; i < CUBE_LEVELS.length; i++) {
    if (Math.abs(CUBE_LEVELS[i]! - component) < Math.abs(CUBE_LEVELS[best]! - component)) best = i;
  }
  return best;
}

/**
 * The palette index (16–255) nearest to a 24-bit colour: the nearest cube colour or the nearest
 * grey, whichever is closer. The first 16 are left out, as tmux does: terminals theme them.
 */
export function rgbTo256(rgb: number): number {
  const r = (rgb >> 16) & 0xff;
  const g = (rgb >> 8) & 0xff;
  const b = rgb & 0xff;
  const cube = 16 + 36 * nearestCubeLevel(r) + 6 * nearestCubeLevel(g) + nearestCubeLevel(b);
  const average = Math.round((r + g + b) / 3);
  const grey = 232 + Math.min(23, Math.max(0, Math.round((average - 8) / 10)));
  return distance(paletteRgb(grey), rgb) < distance(paletteRgb(cube), rgb) ? grey : cube;
}

/** Palette index → nearest of the 16 ANSI colours (0–15 map to themselves). */
const TO_16 = ((): Uint8Array => {
  const table = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    if (i < 16) {
      table[i] = i;
      continue;
    }
    const rgb = paletteRgb(i);
    let best = 0;
    for (let j = 1; j < 16; j++) if (distance(ANSI_RGB[j]!, rgb) < distance(ANSI_RGB[best]!, rgb)) best = j;
    table[i] = best;
  }
  return table;
})();

/**
 * A cell colour (screen-grid.ts encoding) brought down to `depth`. At depth 8 a bright colour
 * (ANSI 8–15) becomes its normal one; the caller adds bold for a foreground (`brightLost`).
 */
export function reduceColour(color: number, depth: ColourDepth): number {
  const mode = color & COLOR_MODE_MASK;
  if (depth === 'rgb' || mode === 0) return color;
  let value = color & COLOR_VALUE_MASK;
  if (mode === COLOR_RGB) value = rgbTo256(value);
  else if (mode === COLOR_P16) return depth === '8' && value >= 8 ? COLOR_P16 | (value - 8) : color;
  if (depth === '256') return COLOR_P256 | value;
  const ansi = TO_16[value] ?? 0;
  return COLOR_P16 | (depth === '8' && ansi >= 8 ? ansi - 8 : ansi);
}

/** Whether reduceColour(color, depth) dropped brightness that an 8-colour terminal shows as bold. */
export function brightLost(color: number, depth: ColourDepth): boolean {
  if (depth !== '8') return false;
  const mode = color & COLOR_MODE_MASK;
  if (mode === COLOR_P16) return (color & COLOR_VALUE_MASK) >= 8;
  if (mode === COLOR_P256) return (TO_16[color & COLOR_VALUE_MASK] ?? 0) >= 8;
  if (mode === COLOR_RGB) return (TO_16[rgbTo256(color & COLOR_VALUE_MASK)] ?? 0) >= 8;
  return false;
}
