/**
 * The listing commands a viewer runs at the `C-b :` prompt (`list-windows`, `list-panes`,
 * `list-sessions`) and the format variables behind them and `display-message`, answered from what
 * the relay knows of the session. tmux prints their lines to the client that ran them; the host
 * has no such client for a viewer (a stock tmate host printed nothing anywhere), so the relay
 * builds them, in tmux 2.4's default templates (checked against tmate 2.4.0), for the viewer's
 * output view.
 *
 * Hosts do not send what tmux knows of a pane's process (title, command, path, pid) or the
 * host's name, so those variables are unset and expand to nothing. Window ids are not sent
 * either: `#{window_id}` is `@` and the window's index.
 *
 * Invariants: pure; never throws on any argv or template; errors are tmux's messages.
 */
import { parseArgs } from '../host/commands/command-args.js';
import { expandFormat, type FormatLookup } from './format.js';
import { layoutString } from './layout-string.js';

export interface ListedPane {
  id: number;
  cols: number;
  rows: number;
  xoff: number;
  yoff: number;
  historySize: number;
  historyLimit: number;
  /** Counted when a template asks for it (a walk of the pane's scrollback). */
  historyBytes: () => number;
  inMode: boolean;
  cursorX: number;
  cursorY: number;
  alternateOn: boolean;
}

export interface ListedWindow {
  index: number;
  name: string;
  /** tmux's #F: `*` active, `-` last, `Z` zoomed, `!` bell. */
  flags: string;
  active: boolean;
  last: boolean;
  zoomed: boolean;
  bell: boolean;
  activePaneId: number;
  /** In tmux's pane order (the pane index is the position here). */
  panes: ListedPane[];
}

export interface ListedSession {
  name: string;
  createdMs: number;
  /** Viewers attached. */
  attached: number;
  cols: number;
  rows: number;
  windows: ListedWindow[];
}

export interface ListedClient {
  cols: number;
  rows: number;
  readOnly: boolean;
}

const LIST_WINDOWS = {
  flags: 'aF:t:',
  usage: 'usage: list-windows [-a] [-F format] [-t target-session]',
  template:
    '#{window_index}: #{window_name}#{window_flags} (#{window_panes} panes) [#{window_width}x#{window_height}] ' +
    '[layout #{window_layout}] #{window_id}#{?window_active, (active),}',
  allTemplate: '#{session_name}:#{window_index}: #{window_name}#{window_flags} (#{window_panes} panes) [#{window_width}x#{window_height}] ',
};
const LIST_PANES = {
  flags: 'asF:t:',
  usage: 'usage: list-panes [-as] [-F format] [-t target-window]',
  template:
    '#{pane_index}: [#{pane_width}x#{pane_height}] [history #{history_size}/#{history_limit}, #{history_bytes} bytes] ' +
    '#{pane_id}#{?pane_active, (active),}#{?pane_dead, (dead),}',
};
const LIST_SESSIONS = {
  flags: 'F:',
  usage: 'usage: list-sessions [-F format]',
  template:
    '#{session_name}: #{session_windows} windows (created #{t:session_created}) [#{session_width}x#{session_height}]' +
    '#{?session_grouped, (group ,}#{session_group}#{?session_grouped,),}#{?session_attached, (attached),}',
};

/** The commands answered here, by their full tmux names. */
export const LISTING_COMMANDS: ReadonlySet<string> = new Set(['list-windows', 'list-panes', 'list-sessions']);

export type ListingResult = { lines: string[] } | { error: string };

/** Runs a listing command (`argv[0]` a full name from LISTING_COMMANDS). */
export function runListing(argv: readonly string[], session: ListedSession, client: ListedClient): ListingResult {
  const name = argv[0];
  if (name === 'list-sessions') {
    const args = parseArgs(LIST_SESSIONS.flags, argv.slice(1));
    if (args === null || args.args.length > 0) return { error: LIST_SESSIONS.usage };
    const template = args.flags.get('F') ?? LIST_SESSIONS.template;
    return { lines: [expandFormat(template, formatLookup(session, client))] };
  }
  if (name === 'list-windows') return listWindows(argv, session, client);
  if (name === 'list-panes') return listPanes(argv, session, client);
  return { error: `unknown command: ${name ?? ''}` };
}

function listWindows(argv: readonly string[], session: ListedSession, client: ListedClient): ListingResult {
  const args = parseArgs(LIST_WINDOWS.flags, argv.slice(1));
  if (args === null || args.args.length > 0) return { error: LIST_WINDOWS.usage };
  const target = args.flags.get('t');
  if (target !== undefined && !namesSession(target, session)) return { error: `can't find session ${target}` };
  const template = args.flags.get('F') ?? (args.flags.has('a') ? LIST_WINDOWS.allTemplate : LIST_WINDOWS.template);
  return { lines: session.windows.map((w) => expandFormat(template, formatLookup(session, client, w))) };
}

function listPanes(argv: readonly string[], session: ListedSession, client: ListedClient): ListingResult {
  const args = parseArgs(LIST_PANES.flags, argv.slice(1));
  if (args === null || args.args.length > 0) return { error: LIST_PANES.usage };
  const all = args.flags.has('a');
  const wholeSession = args.flags.has('s');
  let windows = session.windows;
  if (!all) {
    const found = findWindow(args.flags.get('t') ?? '', session, wholeSession);
    if ('error' in found) return found;
    windows = wholeSession ? session.windows : [found.window];
  }
  const prefix = all ? '#{session_name}:#{window_index}.' : wholeSession ? '#{window_index}.' : '';
  const template = args.flags.get('F') ?? prefix + LIST_PANES.template;
  const lines: string[] = [];
  for (const w of windows) {
    for (const p of w.panes) lines.push(expandFormat(template, formatLookup(session, client, w, p)));
  }
  return { lines };
}

/** `display-message` text: `template` expanded for the active pane, or the pane `target` names. */
export function displayText(template: string, target: string | undefined, session: ListedSession, client: ListedClient): ListingResult {
  const found = findPane(target ?? '', session);
  if ('error' in found) return found;
  return { lines: [expandFormat(template, formatLookup(session, client, found.window, found.pane))] };
}

function namesSession(target: string, session: ListedSession): boolean {
  const name = target.endsWith(':') ? target.slice(0, -1) : target;
  return name === '' || name === session.name || name === '$0';
}

type WindowFound = { window: ListedWindow } | { error: string };
type PaneFound = { window: ListedWindow; pane: ListedPane | undefined } | { error: string };

/** A window target (`N`, `NAME`, `S:N`, `@N`, `%N`, `:`), the active window when empty. */
function findWindow(target: string, session: ListedSession, sessionOnly = false): WindowFound {
  const byPane = /^%(\d+)$/.exec(target);
  if (byPane) {
    const id = Number(byPane[1]);
    const window = session.windows.find((w) => w.panes.some((p) => p.id === id));
    return window ? { window } : { error: `can't find pane ${target}` };
  }
  const colon = target.indexOf(':');
  if (colon >= 0 && !namesSession(target.slice(0, colon), session)) return { error: `can't find session ${target.slice(0, colon)}` };
  const spec = colon >= 0 ? target.slice(colon + 1) : target;
  const active = session.windows.find((w) => w.active) ?? session.windows[0];
  if (spec === '' || (sessionOnly && colon < 0 && namesSession(spec, session))) {
    return active ? { window: active } : { error: `can't find window ${target}` };
  }
  const index = /^@?(\d+)$/.exec(spec);
  const window = index
    ? session.windows.find((w) => w.index === Number(index[1]))
    : (session.windows.find((w) => w.name === spec) ?? uniquePrefix(session.windows, spec));
  return window ? { window } : { error: `can't find window ${spec}` };
}

function uniquePrefix(windows: readonly ListedWindow[], prefix: string): ListedWindow | undefined {
  const matches = windows.filter((w) => w.name.startsWith(prefix));
  return matches.length === 1 ? matches[0] : undefined;
}

/** A pane target (`%N`, `WINDOW.N`, `.N`, or a window's active pane). */
function findPane(target: string, session: ListedSession): PaneFound {
  const byId = /^%(\d+)$/.exec(target);
  const dot = target.lastIndexOf('.');
  const windowPart = byId || dot < 0 ? target : target.slice(0, dot);
  const found = findWindow(windowPart, session);
  if ('error' in found) return found;
  const window = found.window;
  if (byId) return { window, pane: window.panes.find((p) => p.id === Number(byId[1])) };
  const paneSpec = dot < 0 ? '' : target.slice(dot + 1);
  if (paneSpec === '') return { window, pane: window.panes.find((p) => p.id === window.activePaneId) };
  const pane = /^\d+$/.test(paneSpec) ? window.panes[Number(paneSpec)] : undefined;
  return pane ? { window, pane } : { error: `can't find pane ${paneSpec}` };
}

const flag = (on: boolean): string => (on ? '1' : '0');

/** The variables of `session` and, when given, one of its windows and one of that window's panes. */
export function formatLookup(session: ListedSession, client: ListedClient, window?: ListedWindow, pane?: ListedPane): FormatLookup {
  const values = new Map<string, string | (() => string)>([
    ['session_name', session.name],
    ['session_id', '$0'],
    ['session_windows', String(session.windows.length)],
    ['session_width', String(session.cols)],
    ['session_height', String(session.rows)],
    ['session_created', String(Math.floor(session.createdMs / 1000))],
    ['session_attached', String(session.attached)],
    ['session_many_attached', flag(session.attached > 1)],
    ['session_grouped', '0'],
    ['client_width', String(client.cols)],
    ['client_height', String(client.rows)],
    ['client_readonly', flag(client.readOnly)],
  ]);
  if (window) addWindow(values, session, window);
  if (window && pane) addPane(values, window, pane);
  return (name) => {
    const value = values.get(name);
    return typeof value === 'function' ? value() : value;
  };
}

function addWindow(values: Map<string, string | (() => string)>, session: ListedSession, window: ListedWindow): void {
  const others = window.panes.filter((p) => p.id !== window.activePaneId);
  // Zoomed: the layout is the one before the zoom, with the zoomed pane where the others left room.
  const layout = (): string | null =>
    window.zoomed ? layoutString(session.cols, session.rows, others, window.activePaneId) : layoutString(session.cols, session.rows, window.panes);
  const visible = (): string | null => {
    const active = window.panes.find((p) => p.id === window.activePaneId);
    return window.zoomed && active ? layoutString(session.cols, session.rows, [{ ...active, xoff: 0, yoff: 0 }]) : layout();
  };
  values.set('window_index', String(window.index));
  values.set('window_id', `@${window.index}`);
  values.set('window_name', window.name);
  values.set('window_flags', window.flags);
  values.set('window_active', flag(window.active));
  values.set('window_last_flag', flag(window.last));
  values.set('window_zoomed_flag', flag(window.zoomed));
  values.set('window_bell_flag', flag(window.bell));
  values.set('window_panes', String(window.panes.length));
  values.set('window_width', String(session.cols));
  values.set('window_height', String(session.rows));
  values.set('window_layout', () => layout() ?? visible() ?? '');
  values.set('window_visible_layout', () => visible() ?? '');
}

function addPane(values: Map<string, string | (() => string)>, window: ListedWindow, pane: ListedPane): void {
  values.set('pane_index', String(window.panes.indexOf(pane)));
  values.set('pane_id', `%${pane.id}`);
  values.set('pane_width', String(pane.cols));
  values.set('pane_height', String(pane.rows));
  values.set('pane_left', String(pane.xoff));
  values.set('pane_top', String(pane.yoff));
  values.set('pane_right', String(pane.xoff + pane.cols - 1));
  values.set('pane_bottom', String(pane.yoff + pane.rows - 1));
  values.set('pane_active', flag(pane.id === window.activePaneId));
  values.set('pane_dead', '0');
  values.set('pane_in_mode', flag(pane.inMode));
  values.set('history_size', String(pane.historySize));
  values.set('history_limit', String(pane.historyLimit));
  values.set('history_bytes', () => String(pane.historyBytes()));
  values.set('cursor_x', String(pane.cursorX));
  values.set('cursor_y', String(pane.cursorY));
  values.set('alternate_on', flag(pane.alternateOn));
}
