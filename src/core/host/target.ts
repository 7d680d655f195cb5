/**
 * Resolves a tmux `-t` target ("session:window.pane", "%3", "@1", ":=0", ":.+", "!", "{last}" …)
 * against the engine's one session, with tmux 2.4's cmd-find.c rules and error messages
 * ("can't find window 9", "can't find pane 7", "no mouse target" …).
 *
 * Invariants: never throws; an empty or missing target is the current window and its active
 * pane; for window-index targets (new-window -t) the index may be free (then `window` is the
 * current window and `index` the requested one, -1 meaning "first free").
 */
import { globMatch } from '../util/glob-match.js';
import type { HostPane } from './host-pane.js';
import type { HostSession } from './host-session.js';
import type { HostWindow } from './host-window.js';
import { findNeighbour, paneByPosition } from './pane-navigation.js';

export type FindType = 'session' | 'window' | 'pane';

export interface Found {
  window: HostWindow;
  pane: HostPane;
  index: number;
}

export type FindResult = { ok: true; found: Found } | { ok: false; error: string };

const WINDOW_WORDS: ReadonlyMap<string, string> = new Map([
  ['{start}', '^'], ['{last}', '!'], ['{end}', '$'], ['{next}', '+'], ['{previous}', '-'],
]);
const PANE_WORDS: ReadonlyMap<string, string> = new Map([
  ['{last}', '!'], ['{next}', '+'], ['{previous}', '-'], ['{top}', 'top'], ['{bottom}', 'bottom'],
  ['{left}', 'left'], ['{right}', 'right'], ['{top-left}', 'top-left'], ['{top-right}', 'top-right'],
  ['{bottom-left}', 'bottom-left'], ['{bottom-right}', 'bottom-right'],
]);
const NEIGHBOUR_WORDS: ReadonlyMap<string, 'up' | 'down' | 'left' | 'right'> = new Map([
  ['{up-of}', 'up'], ['{down-of}', 'down'], ['{left-of}', 'left'], ['{right-of}', 'right'],
]);

/** Exactly one element matching, else null (tmux treats several matches as a failure). */
function single<T>(list: T[], test: (item: T) => boolean): T | null {
  const found = list.filter(test);
  return found.length === 1 ? (found[0] as T) : null;
}

/** The number in "@3" / "%3" / "$0", or null. */
function idOf(text: string): number | null {
  return /^[@%$]\d{1,9}$/.test(text) ? Number(text.slice(1)) : null;
}

function parseIndex(text: string): number | null {
  return /^\d+$/.test(text) && Number(text) <= 0x7fffffff ? Number(text) : null;
}

class Finder {
  window: HostWindow;
  pane: HostPane;
  index: number;
  exactWindow = false;

  constructor(
    private readonly session: HostSession,
    current: HostWindow,
    private readonly windowIndex: boolean,
  ) {
    this.window = current;
    this.pane = current.active;
    this.index = session.indexOf(current);
  }

  private use(window: HostWindow | null | undefined): boolean {
    if (!window) return false;
    this.window = window;
    this.pane = window.active;
    this.index = this.session.indexOf(window);
    return true;
  }

  matchSession(name: string, exact: boolean): boolean {
    const s = this.session;
    if (name === `$${s.id}` || name === s.name) return true;
    if (name.startsWith('$') || exact) return false;
    return s.name.startsWith(name) || globMatch(name, s.name);
  }

  /** cmd_find_get_window_with_session. */
  windowInSession(text: string): boolean {
    const s = this.session;
    if (text.startsWith('@')) return this.use(s.windowById(idOf(text) ?? -1));
    const list = s.windows();
    if (!this.exactWindow && (text.startsWith('+') || text.startsWith('-'))) {
      const n = text.length > 1 ? parseIndex(text.slice(1)) : 1;
      if (n !== null && n > 0 && this.offsetWindow(text[0] === '+' ? n : -n)) return true;
    }
    if (!this.exactWindow) {
      if (text === '!') return this.use(s.lastWindow());
      if (text === '^') return this.use(list[0]?.window);
      if (text === '$') return this.use(list[list.length - 1]?.window);
    }
    const index = text.startsWith('+') || text.startsWith('-') ? null : parseIndex(text);
    if (index !== null) {
      if (this.windowIndex) return (this.index = index), true;
      if (this.use(s.windowAt(index))) return true;
    }
    const byName = (test: (name: string) => boolean): boolean => {
      const hit = single(list, (e) => test(e.window.name));
      return this.use(hit?.window);
    };
    if (list.some((e) => e.window.name === text)) return byName((name) => name === text);
    if (this.exactWindow) return false;
    if (list.some((e) => e.window.name.startsWith(text))) return byName((name) => name.startsWith(text));
    return byName((name) => globMatch(text, name));
  }

  private offsetWindow(n: number): boolean {
    const current = this.session.current;
    if (current === null) return false;
    const list = this.session.windows();
    const at = list.findIndex((e) => e.window === current);
    if (this.windowIndex) {
      const index = (list[at]?.index ?? 0) + n;
      return index >= 0 ? ((this.index = index), true) : false;
    }
    let pos = at;
    for (let k = 0; k < Math.abs(n); k++) pos = (pos + (n > 0 ? 1 : -1) + list.length) % list.length;
    return this.use(list[pos]?.window);
  }

  /** cmd_find_get_window: as a window of the session, else as the session itself. */
  windowAlone(text: string): boolean {
    if (text.startsWith('@')) return this.use(this.session.windowById(idOf(text) ?? -1));
    if (this.windowInSession(text)) return true;
    return this.matchSession(text, false) && this.use(this.session.current);
  }

  /** cmd_find_get_pane_with_window. */
  paneInWindow(text: string): boolean {
    const w = this.window;
    if (text.startsWith('%')) {
      const found = this.session.findPane(idOf(text) ?? -1);
      return this.usePane(found && found.window === w ? found.pane : null);
    }
    if (text === '!') return this.usePane(w.last);
    const neighbour = NEIGHBOUR_WORDS.get(text);
    if (neighbour) return this.usePane(findNeighbour(w, w.active, neighbour));
    if (text.startsWith('+') || text.startsWith('-')) {
      const n = text.length > 1 ? parseIndex(text.slice(1)) : 1;
      if (n !== null && n > 0) {
        const at = w.indexOf(w.active);
        const step = text[0] === '+' ? n : -n;
        const len = w.panes.length;
        if (this.usePane(w.panes[(((at + step) % len) + len) % len])) return true;
      }
    }
    const index = parseIndex(text);
    if (index !== null && this.usePane(w.panes[index])) return true;
    return this.usePane(paneByPosition(w, text));
  }

  private usePane(pane: HostPane | null | undefined): boolean {
    if (!pane) return false;
    this.pane = pane;
    return true;
  }

  /** cmd_find_get_pane: a pane id, a pane of the current window, or a window's active pane. */
  paneAlone(text: string): boolean {
    if (text.startsWith('%')) {
      const found = this.session.findPane(idOf(text) ?? -1);
      if (!found) return false;
      this.use(found.window);
      return this.usePane(found.pane);
    }
    if (this.paneInWindow(text)) return true;
    return this.windowAlone(text);
  }
}

interface Parts {
  session: string | null;
  window: string | null;
  pane: string | null;
}

function splitTarget(target: string, type: FindType): Parts {
  const colon = target.indexOf(':');
  const head = colon >= 0 ? target.slice(0, colon) : target;
  const rest = colon >= 0 ? target.slice(colon + 1) : null;
  const periodIn = rest ?? head;
  const period = periodIn.indexOf('.');
  const before = period >= 0 ? periodIn.slice(0, period) : periodIn;
  const after = period >= 0 ? periodIn.slice(period + 1) : null;
  if (rest !== null) return { session: head, window: before, pane: after };
  if (after !== null) return { session: null, window: before, pane: after };
  if (head.startsWith('$')) return { session: head, window: null, pane: null };
  if (head.startsWith('@')) return { session: null, window: head, pane: null };
  if (head.startsWith('%')) return { session: null, window: null, pane: head };
  return { session: type === 'session' ? head : null, window: type === 'window' ? head : null, pane: type === 'pane' ? head : null };
}

function orNull(text: string | null, table?: ReadonlyMap<string, string>): string | null {
  if (text === null || text === '') return null;
  return table?.get(text) ?? text;
}

/** Resolves `target` for a command whose target kind is `type`. */
export function findTarget(session: HostSession, target: string | undefined, type: FindType, windowIndex = false): FindResult {
  const current = session.current;
  if (current === null) return { ok: false, error: 'no current session' };
  const finder = new Finder(session, current, windowIndex);
  const done = (): FindResult => ({ ok: true, found: { window: finder.window, pane: finder.pane, index: finder.index } });
  if (target === undefined || target === '') {
    if (windowIndex) finder.index = -1;
    return done();
  }
  if (target === '=' || target === '{mouse}') return { ok: false, error: 'no mouse target' };
  if (target === '~' || target === '{marked}') return { ok: false, error: 'no marked target' };
  const parts = splitTarget(target, type);
  let exactSession = false;
  if (parts.session?.startsWith('=')) {
    parts.session = parts.session.slice(1);
    exactSession = true;
  }
  if (parts.window?.startsWith('=')) {
    parts.window = parts.window.slice(1);
    finder.exactWindow = true;
  }
  const sessionPart = orNull(parts.session);
  const windowPart = orNull(parts.window, WINDOW_WORDS);
  const panePart = orNull(parts.pane, PANE_WORDS);
  if (panePart !== null && windowIndex) return { ok: false, error: "can't specify pane here" };
  if (sessionPart !== null && !finder.matchSession(sessionPart, exactSession)) {
    return { ok: false, error: `can't find session ${sessionPart}` };
  }
  const noWindow: FindResult = { ok: false, error: `can't find window ${windowPart ?? ''}` };
  const noPane: FindResult = { ok: false, error: `can't find pane ${panePart ?? ''}` };
  if (windowPart !== null) {
    const ok = sessionPart !== null ? finder.windowInSession(windowPart) : finder.windowAlone(windowPart);
    if (!ok) return noWindow;
    if (panePart !== null && !finder.paneInWindow(panePart)) return noPane;
    return done();
  }
  if (panePart !== null) {
    if (sessionPart !== null) finder.window = current;
    const ok = sessionPart !== null ? finder.paneInWindow(panePart) : finder.paneAlone(panePart);
    return ok ? done() : noPane;
  }
  if (windowIndex) finder.index = -1; // only a session (or nothing) named: the first free index
  return done();
}
