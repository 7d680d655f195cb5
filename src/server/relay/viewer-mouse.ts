/**
 * A viewer's mouse report on its way to the active pane's program (mouse-reports.ts): the cell the
 * viewer clicked is turned into the pane's own coordinates and re-encoded as the program asked,
 * and the result is the keys to send the host (each byte a key, as the pane's pty reads them).
 *
 * Invariants: nothing is sent for a click outside the active pane (another pane, a border, the
 * status line), for a pane in copy mode, or for a pane whose program did not ask for the mouse.
 * The encoding is read from xterm's internals; if they are not the shape expected, SGR is assumed
 * (what every program that turns on mouse reports today asks for).
 */
import type { Terminal } from '@xterm/headless';
import type { WindowScene } from '../../core/render/scene.js';
import { encodeForPane, parseMouseReport } from '../../core/term/mouse-reports.js';

/** The keys that carry `reportBytes` to the active pane of `window`, or null when none should. */
export function mouseKeysForPane(reportBytes: string | undefined, window: WindowScene | null): number[] | null {
  if (reportBytes === undefined || window === null) return null;
  const report = parseMouseReport(reportBytes);
  const pane = window.panes.find((p) => p.id === window.activePaneId);
  if (report === null || pane === undefined || pane.copyMode !== null) return null;
  const px = report.x - pane.xoff;
  const py = report.y - pane.yoff;
  if (px < 0 || py < 0 || px >= pane.cols || py >= pane.rows) return null;
  const bytes = encodeForPane(report, pane.terminal.modes.mouseTrackingMode, mouseEncoding(pane.terminal), px, py);
  return bytes === null ? null : Array.from(bytes, (c) => c.charCodeAt(0));
}

/** xterm's name for the report encoding the pane's program chose (DEFAULT, SGR, URXVT…). */
function mouseEncoding(terminal: Terminal): string {
  const core = (terminal as unknown as { _core?: { coreMouseService?: { activeEncoding?: unknown } } })._core;
  const encoding = core?.coreMouseService?.activeEncoding;
  return typeof encoding === 'string' ? encoding : 'SGR';
}
