/**
 * tmux's format language, as tmux 2.4 expands it for `display-message`, `list-windows -F` and the
 * other listing commands: `#{name}` is a variable's value, `#{?name,yes,no}` picks a branch by
 * whether the variable is set to something other than empty or `0`, `#{=N:name}` keeps the first
 * N characters (the last N for -N), `#{b:name}` and `#{d:name}` take a path's base and directory
 * names, `#{t:name}` shows a time in seconds as ctime(3) does, `##` is a `#`, and
 * `#D #F #I #P #S #T #W #H #h` are short for the common variables. Unknown variables expand to
 * nothing, as in tmux. `#(command)` runs nothing here: a shared session's viewers must not start
 * programs on the relay, so it expands to nothing.
 *
 * Invariants: never throws on any template (an unclosed brace ends the expansion, as in tmux);
 * nesting deeper than MAX_DEPTH expands to nothing; the result is at most MAX_FORMAT_LENGTH
 * UTF-16 units.
 */

import { ctime } from './message-log.js';

/** A variable's value, or undefined when the variable is not set. */
export type FormatLookup = (name: string) => string | undefined;

/** Longest expansion kept (a template may nest conditionals that repeat long values). */
export const MAX_FORMAT_LENGTH = 64 * 1024;
const MAX_DEPTH = 10;

const SHORT_NAMES: Readonly<Record<string, string>> = {
  D: 'pane_id',
  F: 'window_flags',
  H: 'host',
  h: 'host_short',
  I: 'window_index',
  P: 'pane_index',
  S: 'session_name',
  T: 'pane_title',
  W: 'window_name',
};

export function expandFormat(template: string, lookup: FormatLookup): string {
  const out = expand(template, lookup, 0);
  return out.length > MAX_FORMAT_LENGTH ? out.slice(0, MAX_FORMAT_LENGTH) : out;
}

function expand(template: string, lookup: FormatLookup, depth: number): string {
  if (depth > MAX_DEPTH) return '';
  let out = '';
  let i = 0;
  while (i < template.length && out.length <= MAX_FORMAT_LENGTH) {
    const hash = template.indexOf('#', i);
    if (hash < 0 || hash === template.length - 1) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, hash);
    const next = template[hash + 1] as string;
    if (next === '#') {
      out += '#';
      i = hash + 2;
    } else if (next === '{' || next === '(') {
      const close = matchingClose(template, hash + 1);
      if (close < 0) break;
      if (next === '{') out += replace(template.slice(hash + 2, close), lookup, depth);
      i = close + 1;
    } else if (SHORT_NAMES[next] !== undefined) {
      out += lookup(SHORT_NAMES[next]) ?? '';
      i = hash + 2;
    } else {
      out += '#';
      i = hash + 1;
    }
  }
  return out;
}

/** Index of the `}` or `)` that closes the brace at `open`, counting nested ones; -1 if none. */
function matchingClose(text: string, open: number): number {
  const opener = text[open];
  const closer = opener === '{' ? '}' : ')';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === opener) depth++;
    else if (c === closer && --depth === 0) return i;
  }
  return -1;
}

/** The body of one `#{…}`. */
function replace(body: string, lookup: FormatLookup, depth: number): string {
  if (body.startsWith('?')) return conditional(body.slice(1), lookup, depth);
  const modifier = /^(=(-?\d+)|b|d|t):/.exec(body);
  const name = modifier ? body.slice(modifier[0].length) : body;
  const value = lookup(name) ?? '';
  if (!modifier) return value;
  if (modifier[1] === 'b') return baseName(value);
  if (modifier[1] === 'd') return dirName(value);
  if (modifier[1] === 't') return /^\d+$/.test(value) ? ctime(Number(value) * 1000) : '';
  return trimTo(value, Number(modifier[2]));
}

/** `name,yes,no` (either branch may hold formats with commas of their own). */
function conditional(body: string, lookup: FormatLookup, depth: number): string {
  const first = topLevelComma(body, 0);
  if (first < 0) return '';
  const second = topLevelComma(body, first + 1);
  if (second < 0) return '';
  const value = lookup(body.slice(0, first)) ?? '';
  const chosen = value !== '' && value !== '0' ? body.slice(first + 1, second) : body.slice(second + 1);
  return expand(chosen, lookup, depth + 1);
}

function topLevelComma(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) return i;
  }
  return -1;
}

function trimTo(value: string, limit: number): string {
  const chars = [...value];
  if (limit >= 0) return chars.slice(0, limit).join('');
  return chars.slice(Math.max(0, chars.length + limit)).join('');
}

function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path === '' ? '.' : '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function dirName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : trimmed.slice(0, slash).replace(/\/+$/, '') || '/';
}
