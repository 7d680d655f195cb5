/**
 * tmate protocol 6 message grammar, as typed values.
 *
 * OUT messages travel host → relay, IN messages relay → host (the names follow tmate's own
 * `tmate-protocol.h`, where "out" is from the daemon's point of view). Numbering and layouts are
 * in shared/tmate/PROTOCOL.md §3.
 *
 * Invariants:
 * - Text that carries terminal bytes (PTY_DATA, SNAPSHOT line text) stays `Uint8Array`: the host
 *   may split a UTF-8 sequence across messages. Other text fields are decoded as UTF-8 (lossy).
 * - Every integer that reaches the host is a safe integer (never a float on the wire).
 */

export const PROTOCOL_VERSION = 6;

export const OutType = {
  HEADER: 0,
  SYNC_LAYOUT: 1,
  PTY_DATA: 2,
  EXEC_CMD_STR: 3,
  FAILED_CMD: 4,
  STATUS: 5,
  SYNC_COPY_MODE: 6,
  WRITE_COPY_MODE: 7,
  FIN: 8,
  READY: 9,
  RECONNECT: 10,
  SNAPSHOT: 11,
  EXEC_CMD: 12,
  UNAME: 13,
} as const;

export const InType = {
  NOTIFY: 0,
  LEGACY_PANE_KEY: 1,
  RESIZE: 2,
  EXEC_CMD_STR: 3,
  SET_ENV: 4,
  READY: 5,
  PANE_KEY: 6,
  EXEC_CMD: 7,
} as const;

export interface LayoutPane {
  id: number;
  cols: number;
  rows: number;
  xoff: number;
  yoff: number;
}

export interface LayoutWindow {
  index: number;
  name: string;
  panes: LayoutPane[];
  activePaneId: number;
}

export interface CopySelection {
  x: number;
  /** Counted up from the last grid line: (history + height - 1) - absolute line. */
  lineFromBottom: number;
  rect: boolean;
}

export interface CopyPrompt {
  type: number;
  prompt: string;
  text: string;
}

export interface CopyModeState {
  /** 1: copy mode over the pane's own content; 0: "output" mode fed by WRITE_COPY_MODE. */
  backing: number;
  oy: number;
  cx: number;
  cy: number;
  selection: CopySelection | null;
  prompt: CopyPrompt | null;
}

/** One line of a SNAPSHOT grid: the joined text plus one attribute word per cell. */
export interface SnapshotLine {
  text: Uint8Array;
  cells: number[];
}

export interface SnapshotGrid {
  cx: number;
  cy: number;
  lines: SnapshotLine[];
}

export interface SnapshotPane {
  id: number;
  mode: number;
  grid: SnapshotGrid;
  saved: SnapshotGrid | null;
}

export type OutMessage =
  | { type: 'header'; protocol: number; clientVersion: string }
  | { type: 'sync-layout'; cols: number; rows: number; windows: LayoutWindow[]; activeWindowIndex: number }
  | { type: 'pty-data'; paneId: number; data: Uint8Array }
  | { type: 'exec-cmd-str'; command: string }
  | { type: 'failed-cmd'; clientId: number; cause: string }
  | { type: 'status'; left: string; right: string }
  | { type: 'sync-copy-mode'; paneId: number; state: CopyModeState | null }
  | { type: 'write-copy-mode'; paneId: number; line: string }
  | { type: 'fin' }
  | { type: 'ready' }
  | { type: 'reconnect'; data: string }
  | { type: 'snapshot'; panes: SnapshotPane[] }
  | { type: 'exec-cmd'; argv: string[] }
  | { type: 'uname'; sysname: string; nodename: string; release: string; version: string; machine: string }
  /** A well-formed array whose type number this relay does not know: skipped, like tmate does. */
  | { type: 'unknown'; id: number };

export type InMessage =
  | { type: 'notify'; message: string }
  | { type: 'legacy-pane-key'; key: number }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'exec-cmd-str'; clientId: number; command: string }
  | { type: 'set-env'; name: string; value: string }
  | { type: 'ready' }
  | { type: 'pane-key'; paneId: number; key: number }
  | { type: 'exec-cmd'; clientId: number; argv: string[] };
