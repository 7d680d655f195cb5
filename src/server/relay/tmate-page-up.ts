/**
 * tmate 2.4.0 reports `copy-mode -u` (tmux's `C-b PgUp`) only in part: it sends SYNC_COPY_MODE as
 * the pane enters copy mode, with the view still at the bottom (oy 0), then pages up without
 * reporting it (its cmd-copy-mode.c calls window_copy_pageup after the synced init). Viewers
 * would see the bottom page until their next key. The relay pages its copy of that state up
 * itself, with the host engine's copy mode (the same tmux 2.4 rules) over the relay's emulator of
 * the pane.
 *
 * A pane already in copy mode pages up without any report at all (tmux's command skips the init,
 * and with it tmate's sync): the relay pages its copy up as it sends `copy-mode -u`
 * (pagedUpView), and the host's next SYNC_COPY_MODE (the next key, or our engine's own report of
 * the page-up) replaces it.
 *
 * Invariants: only the first SYNC_COPY_MODE for the pane within PAGE_UP_WINDOW_MS of a
 * `copy-mode -u` the relay sent is changed, and only when it enters copy mode at oy 0 with no
 * selection or prompt and the cursor where the relay's emulator has it. A host that reports the
 * page-up itself (our engine: oy > 0) is left alone, and any later SYNC_COPY_MODE replaces the
 * result. A view already in copy mode is paged up only without selection or prompt (whose state
 * the relay does not hold whole). Never throws on odd input.
 */
import { parseArgs } from '../../core/host/commands/command-args.js';
import { copyMode } from '../../core/host/commands/copy-mode.js';
import { CopyMode } from '../../core/host/copy-mode/copy-mode.js';
import type { CopyModeState } from '../../core/protocol/tmate/messages.js';
import type { Emulator } from '../../core/term/emulator.js';

/** How long after sending `copy-mode -u` the host's answer is expected. */
export const PAGE_UP_WINDOW_MS = 2000;

/** `copy-mode -u` on the active pane (no -t, not a mouse drag). */
export function isCopyModePageUp(argv: readonly string[]): boolean {
  if (argv[0] !== 'copy-mode') return false;
  const parsed = parseArgs(copyMode.flags, argv.slice(1));
  return parsed !== null && parsed.flags.has('u') && !parsed.flags.has('t') && !parsed.flags.has('M');
}

/** The state one page up from `entered`, or null when `entered` is not a plain entry at the bottom. */
export function pagedUpEntry(entered: CopyModeState | null, terminal: Emulator): CopyModeState | null {
  if (entered === null || entered.backing !== 1 || entered.oy !== 0) return null;
  if (entered.selection !== null || entered.prompt !== null) return null;
  const cursor = terminal.buffer.normal;
  if (terminal.buffer.active !== cursor || entered.cx !== cursor.cursorX || entered.cy !== cursor.cursorY) return null;
  return pagedUpView(entered, terminal);
}

/** The state one page up from `view` (backing 1, no selection or prompt), or null for any other. */
export function pagedUpView(view: CopyModeState | null, terminal: Emulator): CopyModeState | null {
  if (view === null || view.backing !== 1 || view.selection !== null || view.prompt !== null) return null;
  const mode = new CopyMode(terminal, 'emacs');
  mode.moveTo(view.oy, view.cx, view.cy);
  mode.pageUp();
  return mode.state();
}

/** The pane a `copy-mode -u` went to, until the host's answer or the window ends. */
export class PendingPageUp {
  private paneId: number | null = null;
  private sentAt = 0;

  sent(paneId: number, now: number): void {
    this.paneId = paneId;
    this.sentAt = now;
  }

  /** Whether this SYNC_COPY_MODE for `paneId` answers the pending `copy-mode -u` (consumes it). */
  answeredBy(paneId: number, now: number): boolean {
    if (this.paneId !== paneId) return false;
    this.paneId = null;
    return now - this.sentAt <= PAGE_UP_WINDOW_MS;
  }
}
