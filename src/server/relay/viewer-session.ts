/**
 * What a viewer link needs from its session: the host's key table, a way to reach the host, the
 * status line, and the other viewers. RelaySession implements it; tests may fake it.
 */
import type { KeyTables, CommandArgv } from '../../core/mux/key-table.js';
import type { StatusScene } from '../../core/render/scene.js';
import type { ViewerLink } from './viewer-link.js';
import type { SearchableWindow } from '../../core/mux/find-window.js';
import type { ListedSession } from '../../core/mux/session-listings.js';

export interface ViewerSession {
  readonly keys: KeyTables;
  requestRender(): void;
  viewerResized(viewer: ViewerLink): void;
  statusFor(viewer: ViewerLink, message: string | null): StatusScene;
  detach(viewer: ViewerLink): void;
  /** A plain key for the host's active pane. */
  sendKey(key: number): void;
  /** A command for the host; failures come back to this viewer. */
  runOnHost(viewer: ViewerLink, argv: CommandArgv): void;
  /** Whether the active pane's program turned on bracketed paste (so paste markers reach it). */
  wantsBracketedPaste(): boolean;
  /** The viewer typed something (keeps an idle limit from ending the session). */
  noteActivity(): void;
  /** `[name] index:window`, the name as `viewer` may see it. */
  describe(viewer: ViewerLink): string;
  /** The connected clients as lines of a table (list-clients), `viewer` marked as "you". */
  clientLines(viewer: ViewerLink): string[];
  /** Expands tmux formats (core/mux/format.ts) for the active pane, with `viewer` as the client. */
  expandFormat(text: string, viewer: ViewerLink): string;
  // Optional so that test fakes need not implement them:
  /** The session's windows and panes as the listing commands and formats read them. */
  listedSession?(viewer: ViewerLink): ListedSession;
  /** Every window's name and its panes' visible lines (what find-window searches). */
  searchableWindows?(): SearchableWindow[];
  /** True while the host is not reading what it was sent; queued input waits for hostDrained(). */
  hostBusy?(): boolean;
  /** Ends and removes a viewer that cannot be served (a terminal that stopped reading). */
  dropViewer?(viewer: ViewerLink, reason: string): void;
  /** Input beyond the viewer's queue cap was dropped (for metrics and logs). */
  inputDropped?(viewer: ViewerLink, bytes: number): void;
}
