/**
 * The host engine's options and fixed values: what the CLI / relay-local sessions configure,
 * tmate's limits, and how sizes and signals are normalised.
 *
 * Invariant: every size the engine uses went through `clampSize` (1…MAX_SESSION_SIZE).
 */
import type { Clock } from '../util/clock.js';
import type { TmateCliOptions, Uname } from './connect-burst.js';
import type { PtyPort } from './pty-port.js';

export interface HostEngineOptions {
  pty: PtyPort;
  clock: Clock;
  /** Initial session size: the window area, without any status line. */
  cols: number;
  rows: number;
  /** What every new window/pane runs (null: the login shell). */
  command: string[] | null;
  env: Record<string, string>;
  scrollback: number;
  keyMode: 'emacs' | 'vi';
  clientVersion?: string;
  uname?: [string, string, string, string, string];
  tmateOptions?: TmateCliOptions;
  /** This relay's own host options, replicated as `set-option NAME VALUE` after tmate's. */
  relayOptions?: Record<string, string>;
}

/** tmate's TMATE_MAX_PTY_SIZE. */
export const MAX_PTY_DATA = 16 * 1024;
/** Largest session size accepted (the relay's replica refuses larger layouts anyway). */
export const MAX_SESSION_SIZE = 1000;
export const PREFIX_KEY = 2; // C-b
/** What closing a pane's pty sends, as tmux does when it kills a pane. */
export const KILL_SIGNAL = 'SIGHUP';
export const DEFAULT_UNAME: Uname = ['unknown', 'localhost', '', '', ''];
const SIGNALS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

export function clampSize(n: number): number {
  return Number.isFinite(n) ? Math.min(MAX_SESSION_SIZE, Math.max(1, Math.floor(n))) : 1;
}

/** The shell-style exit status of a process killed by `signal` (SIGTERM if unknown). */
export function signalStatus(signal: string): number {
  return 128 + (SIGNALS[signal] ?? 15);
}
