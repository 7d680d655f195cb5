/**
 * What a host-engine command is: a small declarative spec (name, alias, getopt flag template,
 * argument counts, target kind) plus a `run` that acts through the `CommandContext` the engine
 * provides. Errors are returned as tmux's message text, never thrown.
 *
 * Invariants: `flags` uses getopt syntax (a letter followed by `:` takes a value); `run` is only
 * called with arguments that passed the template and counts, and with the `-t` target resolved
 * to the kind the spec declares.
 */
import type { HostPane } from '../host-pane.js';
import type { HostSession } from '../host-session.js';
import type { HostWindow } from '../host-window.js';
import type { SplitType } from '../layout.js';
import type { Found } from '../target.js';
import type { PasteBuffers } from '../paste-buffers.js';

/** What `-t` names: tmux's CMD_PANE / CMD_WINDOW / CMD_SESSION / CMD_WINDOW_INDEX, or nothing. */
export type TargetKind = 'pane' | 'window' | 'session' | 'window-index' | 'none';

export interface ParsedArgs {
  flags: ReadonlyMap<string, string>;
  args: readonly string[];
}

export interface CommandInput extends ParsedArgs {
  target: Found;
}

export interface NewWindowRequest {
  /** Window index, or -1 for the first free one. */
  index: number;
  name: string | null;
  detached: boolean;
  /** The command to run; empty for the engine's default command. */
  command: readonly string[];
}

export interface SplitRequest {
  window: HostWindow;
  pane: HostPane;
  type: SplitType;
  /** Size of the new pane in cells, -1 for half. */
  size: number;
  before: boolean;
  detached: boolean;
  command: readonly string[];
}

/** The engine operations commands may use; the session model is changed directly. */
export interface CommandContext {
  readonly session: HostSession;
  newWindow(request: NewWindowRequest): string | null;
  splitWindow(request: SplitRequest): string | null;
  killPane(window: HostWindow, pane: HostPane): void;
  killWindow(window: HostWindow): void;
  /** Puts the pane in copy mode (no-op if it is already); `pageUp` scrolls one page. */
  copyMode(pane: HostPane, pageUp: boolean): void;
  /** A key for the pane, as tmux's window_pane_key (copy mode gets it while running). */
  paneKey(pane: HostPane, key: number): void;
  /** Text for the pane, byte for byte (send-keys -l). */
  paneText(pane: HostPane, text: string): void;
  /** Text copied in copy mode, newest first (paste-buffer). */
  readonly buffers: PasteBuffers;
  /** kill-session / kill-server: every pane goes, FIN is sent. */
  endSession(): void;
  /** The session's prefix key (send-prefix). */
  readonly prefixKey: number;
}

export interface CommandSpec {
  readonly name: string;
  readonly alias?: string;
  readonly flags: string;
  readonly minArgs: number;
  /** -1: no limit. */
  readonly maxArgs: number;
  readonly target: TargetKind;
  /** Positional part of the usage line, e.g. "[command]". */
  readonly argsUsage?: string;
  /** tmux's whole usage line after the name, where the flags do not give it (value names, order). */
  readonly usage?: string;
  run(ctx: CommandContext, input: CommandInput): string | null;
}

/** tmux's strtonum messages for an integer argument in [min, max]. */
export function parseNumber(text: string, min: number, max: number): { value: number } | { error: string } {
  if (!/^[+-]?\d+$/.test(text.trim())) return { error: 'invalid' };
  const value = Number(text);
  if (value < min) return { error: 'too small' };
  if (value > max) return { error: 'too large' };
  return { value };
}

/** A refusal tmate has compiled in: the command parses, resolves its target, then fails. */
export function refusal(
  name: string,
  alias: string | undefined,
  flags: string,
  target: TargetKind,
  message: string,
): CommandSpec {
  return { name, alias, flags, minArgs: 0, maxArgs: 0, target, run: () => message };
}
