/**
 * tmux 2.4's command-line syntax (cmd-string.c + cmd-list.c), for EXEC_CMD_STR: words split on
 * spaces and tabs, '…' literal, "…" with \e \r \n \t escapes and $VAR, $VAR / ${VAR} outside
 * quotes, `#` comments, a leading `~` for $HOME, leading NAME=value words dropped, and an
 * argument ending in an unescaped `;` ends a command (`\;` keeps a literal `;`). One tmux 2.4 bug
 * is not reproduced: a lone `~` glued the blank after it and the next word onto $HOME.
 *
 * Invariants: never throws; a syntax error gives tmate's exact cause
 * `invalid or unknown command: <the whole line>`; a line with no words gives no commands; an
 * empty command between two `;` is kept (as []) so the caller reports "no command" like tmux.
 */

export type EnvLookup = (name: string) => string | undefined;

export type CommandLineResult = { ok: true; commands: string[][] } | { ok: false; error: string };

const NAME_FIRST = /[A-Za-z_]/;
const NAME_OTHER = /[A-Za-z0-9_]/;

class Scanner {
  at = 0;

  constructor(
    readonly text: string,
    private readonly env: EnvLookup,
  ) {}

  next(): string | null {
    return this.at < this.text.length ? (this.text[this.at++] as string) : null;
  }

  /** A quoted string after its opening quote; null on a missing closing quote. */
  quoted(end: string, escapes: boolean): string | null {
    let out = '';
    for (;;) {
      let c = this.next();
      if (c === null) return null;
      if (c === end) return out;
      if (escapes && c === '\\') {
        c = this.next();
        if (c === null) return null;
        out += c === 'e' ? '\x1b' : c === 'r' ? '\r' : c === 'n' ? '\n' : c === 't' ? '\t' : c;
      } else if (escapes && c === '$') {
        const value = this.variable();
        if (value === null) return null;
        out += value;
      } else {
        out += c;
      }
    }
  }

  /** A variable after its `$`; null on a syntax error. */
  variable(): string | null {
    let c = this.next();
    if (c === null) return null;
    const braced = c === '{';
    if (braced) {
      c = this.next();
      if (c === null || !NAME_FIRST.test(c)) return null;
    } else if (!NAME_FIRST.test(c)) {
      return `$${c}`;
    }
    let name = c;
    for (;;) {
      c = this.next();
      if (c === null || !NAME_OTHER.test(c)) break;
      name += c;
    }
    if (braced && c !== '}') return null;
    if (c !== null && !braced) this.at--;
    return this.env(name) ?? '';
  }

  /** `~` at the start of a word: $HOME (followed by the `/` that ended it, if one did). */
  tilde(): string | null {
    const c = this.next();
    if (c !== null && c !== '/' && c !== ' ' && c !== '\t') return null; // ~user: no user database
    const home = this.env('HOME');
    if (home === undefined || home === '') return null;
    if (c === '/') return `${home}/`;
    if (c !== null) this.at--; // the blank still ends the word
    return home;
  }
}

/** Splits a line into words; null on a syntax error. */
function words(line: string, env: EnvLookup): string[] | null {
  const s = new Scanner(line, env);
  const out: string[] = [];
  let word: string | null = null;
  for (;;) {
    const c = s.next();
    let piece: string | null = null;
    if (c === "'" || c === '"') piece = s.quoted(c, c === '"');
    else if (c === '$') piece = s.variable();
    else if (c === '~' && word === null) piece = s.tilde();
    else if (c === null || c === ' ' || c === '\t' || c === '#') {
      if (word !== null) out.push(word);
      word = null;
      if (c === null || c === '#') return out;
      continue;
    } else piece = c;
    if (piece === null) return null;
    word = (word ?? '') + piece;
  }
}

/** Splits argv into commands at arguments ending in an unescaped `;` (cmd_list_parse). */
export function splitCommands(argv: readonly string[]): string[][] {
  const commands: string[][] = [];
  let current: string[] = [];
  for (const arg of argv) {
    if (!arg.endsWith(';')) {
      current.push(arg);
    } else if (arg.endsWith('\\;')) {
      current.push(`${arg.slice(0, -2)};`);
    } else {
      if (arg.length > 1) current.push(arg.slice(0, -1));
      commands.push(current);
      current = [];
    }
  }
  if (current.length > 0) commands.push(current);
  return commands;
}

/** Parses one EXEC_CMD_STR line into commands (argv lists). */
export function parseCommandLine(line: string, env: EnvLookup = () => undefined): CommandLineResult {
  const argv = words(line, env);
  if (argv === null) return { ok: false, error: `invalid or unknown command: ${line}` };
  let start = 0;
  while (start < argv.length && isAssignment(argv[start] as string)) start++;
  return { ok: true, commands: splitCommands(argv.slice(start)) };
}

/** NAME=value with the `=` before any whitespace (tmux puts these in its environment). */
function isAssignment(word: string): boolean {
  const eq = word.indexOf('=');
  const space = word.search(/[ \t]/);
  return eq >= 0 && (space < 0 || eq < space);
}
