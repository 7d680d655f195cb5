/**
 * The name tmux gives a window for the program it runs (names.c parse_window_name): skip a
 * leading "exec ", leading spaces and dashes (login shells are "-bash"), keep the first word,
 * drop trailing punctuation, and take the basename of an absolute path.
 *
 * Invariant: pure; returns "" only for an empty or all-punctuation command.
 */

export function programName(commandLine: string): string {
  let name = commandLine.startsWith('exec ') ? commandLine.slice(5) : commandLine;
  name = name.replace(/^[ -]+/, '');
  const space = name.indexOf(' ');
  if (space >= 0) name = name.slice(0, space);
  while (name.length > 1 && !/[A-Za-z0-9]$/.test(name)) name = name.slice(0, -1);
  if (name.startsWith('/')) name = basename(name);
  return name;
}

/** basename(3): the last path component, ignoring trailing slashes; "/" for the root. */
function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
