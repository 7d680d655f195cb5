/**
 * Mouse reports between a viewer's terminal and a pane's program, as tmux passes them through
 * with its `mouse` option off: the viewer's terminal reports the mouse only while the active
 * pane's program asked for it, and each report reaches that program with the pane's own
 * coordinates, in the encoding it asked for.
 *
 * The relay always asks the viewer's terminal for SGR reports (`?1006h`: no coordinate limit, and
 * releases say which button), and re-encodes for the pane: SGR, the X10/normal bytes (coordinates
 * up to 95 here, see X10_MAX) or urxvt's. Tracking levels map one to one: X10 (`?9`), press and
 * release (`?1000`), with motion while pressed (`?1002`), all motion (`?1003`).
 *
 * Invariants: parsing never throws and refuses anything but a well-formed SGR or X10 report;
 * encoding returns null when the pane cannot take the report (outside it, not representable, or
 * not wanted at the pane's tracking level).
 */

/** xterm's names for what a program turned on (`term.modes.mouseTrackingMode`). */
export type MouseTracking = 'none' | 'x10' | 'vt200' | 'drag' | 'any';

/** One report: SGR button bits (modifiers 4/8/16, motion 32, wheel 64), 0-based cell, press or release. */
export interface MouseReport {
  button: number;
  x: number;
  y: number;
  release: boolean;
}

const MOTION = 32;
const WHEEL = 64;
/**
 * The largest coordinate (1-based) sent in the X10 encoding. The encoding itself goes to 223, but
 * a host takes keys, not bytes (tmate's PANE_KEY), and a key above 127 reaches the pane as UTF-8:
 * a report that would need such a byte is not sent rather than sent wrong.
 */
const X10_MAX = 127 - 32;

const DECSET: Record<Exclude<MouseTracking, 'none'>, string> = { x10: '9', vt200: '1000', drag: '1002', any: '1003' };

/** What to send a viewer's terminal to go from `from` to `to` tracking (SGR reports while on). */
export function trackingChange(from: MouseTracking, to: MouseTracking): string {
  if (from === to) return '';
  const off = from === 'none' ? '' : `\x1b[?${DECSET[from]}l`;
  if (to === 'none') return `${off}\x1b[?1006l`;
  return `${off}\x1b[?${DECSET[to]}h${from === 'none' ? '\x1b[?1006h' : ''}`;
}

/** A report as a viewer's terminal sent it (`ESC [ < b ; x ; y M|m`, or X10 `ESC [ M b x y`), or null. */
export function parseMouseReport(text: string): MouseReport | null {
  const sgr = /^\x1b\[<(\d{1,4});(\d{1,5});(\d{1,5})([Mm])$/.exec(text);
  if (sgr) {
    const [button, x, y] = [Number(sgr[1]), Number(sgr[2]), Number(sgr[3])];
    if (x < 1 || y < 1 || button > 255) return null;
    return { button, x: x - 1, y: y - 1, release: sgr[4] === 'm' };
  }
  if (text.length !== 6 || !text.startsWith('\x1b[M')) return null;
  const [b, x, y] = [text.charCodeAt(3) - 32, text.charCodeAt(4) - 33, text.charCodeAt(5) - 33];
  if (b < 0 || x < 0 || y < 0) return null;
  // X10 says "released" with button 3 and not which button.
  const release = (b & 3) === 3 && (b & (MOTION | WHEEL)) === 0;
  return { button: b, x, y, release };
}

/** Whether a program at `tracking` takes this report (tmux would not send it otherwise). */
function wanted(report: MouseReport, tracking: MouseTracking): boolean {
  const motion = (report.button & MOTION) !== 0;
  switch (tracking) {
    case 'none':
      return false;
    case 'x10':
      return !report.release && !motion;
    case 'vt200':
      return !motion;
    case 'drag':
      return !motion || (report.button & 3) !== 3; // motion only with a button held
    case 'any':
      return true;
  }
}

/**
 * The bytes for a pane at `tracking` in `encoding` (xterm's `activeEncoding`: DEFAULT, SGR, URXVT)
 * for a report at pane cell (`px`, `py`), or null when it is not to be sent.
 */
export function encodeForPane(report: MouseReport, tracking: MouseTracking, encoding: string, px: number, py: number): string | null {
  if (!wanted(report, tracking)) return null;
  const x = px + 1;
  const y = py + 1;
  // X10 mode reports no modifiers.
  const button = tracking === 'x10' ? report.button & ~28 : report.button;
  switch (encoding) {
    case 'SGR':
      return `\x1b[<${button};${x};${y}${report.release ? 'm' : 'M'}`;
    case 'URXVT':
      return `\x1b[${32 + releaseButton(report, button)};${x};${y}M`;
    case 'DEFAULT':
      if (x > X10_MAX || y > X10_MAX) return null;
      return `\x1b[M${String.fromCharCode(32 + releaseButton(report, button), 32 + x, 32 + y)}`;
    default:
      return null; // SGR_PIXELS and anything newer: no cell report to give
  }
}

/** The legacy encodings say "released" with button 3 (wheel events have no release). */
function releaseButton(report: MouseReport, button: number): number {
  return report.release && (button & WHEEL) === 0 ? (button & ~3) | 3 : button;
}
