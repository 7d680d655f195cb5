/**
 * tmux's `command-prompt` as a viewer of a shared session sees it: a line in the viewer's status
 * line where it edits text (emacs keys, as tmux's status-keys default) and on Enter the template
 * gets the text (`rename-window '%%'`), or the text is the command line itself (`C-b :`).
 *
 * Follows tmux 2.4 (the tmux of tmate 2.4.0): `command-prompt [-I inputs] [-p prompts] [template]`;
 * the label is `-p`'s first prompt, else `(first word of the template) `, else `:`; `-I`'s first
 * input is the starting text, format-expanded by the caller (#W, #S); `%%` (first one only) and
 * `%1` in the template are the text, `%%%` the text with `"`, `\`, `$` and `;` escaped. Only the
 * first prompt is asked (the default key table has no binding with more).
 *
 * Invariants: never throws on any key; the text holds printable characters only and at most
 * MAX_PROMPT_TEXT of them; 0 <= cursor <= text length (in characters, not UTF-16 units).
 */
import { keyFromName } from '../term/key-names.js';
import { isCodePoint } from '../term/key-codes.js';

/** Longest text kept; typing beyond it is ignored. */
export const MAX_PROMPT_TEXT = 1024;

type EditAction =
  | 'left' | 'right' | 'home' | 'end' | 'backspace' | 'delete' | 'clear' | 'kill-to-end' | 'delete-word'
  | 'enter' | 'cancel';

/** tmux 2.4's status prompt keys (status_prompt_key), emacs mode. */
const EDIT_KEYS: ReadonlyMap<number, EditAction> = compile([
  ['Left', 'left'], ['C-b', 'left'], ['Right', 'right'], ['C-f', 'right'],
  ['Home', 'home'], ['C-a', 'home'], ['End', 'end'], ['C-e', 'end'],
  ['BSpace', 'backspace'], ['C-h', 'backspace'], ['DC', 'delete'], ['C-d', 'delete'],
  ['C-u', 'clear'], ['C-k', 'kill-to-end'], ['C-w', 'delete-word'],
  ['Enter', 'enter'], ['C-j', 'enter'], ['Escape', 'cancel'], ['C-c', 'cancel'], ['C-g', 'cancel'],
]);

export type PromptKeyResult = { kind: 'editing' } | { kind: 'cancel' } | { kind: 'submit'; commandLine: string };

export interface CommandPromptArgs {
  /** First of `-I`'s comma-separated inputs, still to be format-expanded. */
  input: string;
  /** First of `-p`'s comma-separated prompts, or null. */
  prompt: string | null;
  template: string | null;
}

export class CommandPrompt {
  private chars: string[];
  private cursor: number;
  readonly label: string;

  constructor(private readonly template: string | null, label: string | null, initial: string) {
    this.label = label ?? (template === null ? ':' : `(${template.trim().split(/\s+/)[0] ?? ''}) `);
    this.chars = [...initial].filter(isPrintable).slice(0, MAX_PROMPT_TEXT);
    this.cursor = this.chars.length;
  }

  get text(): string {
    return this.chars.join('');
  }

  /** The status line (label and text) and the part of it before the cursor. */
  display(): { line: string; beforeCursor: string } {
    return { line: this.label + this.text, beforeCursor: this.label + this.chars.slice(0, this.cursor).join('') };
  }

  handleKey(key: number): PromptKeyResult {
    const action = EDIT_KEYS.get(key);
    if (action === undefined) {
      if (Number.isSafeInteger(key) && isCodePoint(key) && isPrintable(String.fromCodePoint(key)) && this.chars.length < MAX_PROMPT_TEXT) {
        this.chars.splice(this.cursor++, 0, String.fromCodePoint(key));
      }
      return EDITING;
    }
    if (action === 'enter') return { kind: 'submit', commandLine: fillTemplate(this.template, this.text) };
    if (action === 'cancel') return { kind: 'cancel' };
    this.edit(action);
    return EDITING;
  }

  private edit(action: Exclude<EditAction, 'enter' | 'cancel'>): void {
    const at = this.cursor;
    switch (action) {
      case 'left': this.cursor = Math.max(0, at - 1); break;
      case 'right': this.cursor = Math.min(this.chars.length, at + 1); break;
      case 'home': this.cursor = 0; break;
      case 'end': this.cursor = this.chars.length; break;
      case 'backspace':
        if (at > 0) this.chars.splice(--this.cursor, 1);
        break;
      case 'delete': this.chars.splice(at, 1); break;
      case 'clear':
        this.chars = [];
        this.cursor = 0;
        break;
      case 'kill-to-end': this.chars.length = at; break;
      case 'delete-word': {
        let start = at;
        while (start > 0 && this.chars[start - 1] === ' ') start--;
        while (start > 0 && this.chars[start - 1] !== ' ') start--;
        this.chars.splice(start, at - start);
        this.cursor = start;
        break;
      }
    }
  }
}

const EDITING: PromptKeyResult = Object.freeze({ kind: 'editing' });

/**
 * `command-prompt`'s arguments as tmux 2.4 reads them (getopt "I:p:t:"): -I and -p give the first
 * input and prompt, -t is dropped, other flags take no value; the first argument after the flags is
 * the template and any further ones are ignored.
 */
export function commandPromptArgs(argv: readonly string[]): CommandPromptArgs {
  let input = '';
  let prompt: string | null = null;
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.length < 2 || !arg.startsWith('-')) break;
    const flag = arg[1]!;
    if (!'Ipt'.includes(flag)) continue;
    const value = arg.length > 2 ? arg.slice(2) : argv[++i];
    if (value === undefined) break;
    if (flag === 'I') input = value.split(',')[0] ?? '';
    if (flag === 'p') prompt = value.split(',')[0] ?? '';
  }
  return { input, prompt, template: argv[i] ?? null };
}

/** The command line the text makes: the template with `%%`/`%1`/`%%%` filled in, or the text itself. */
export function fillTemplate(template: string | null, text: string): string {
  if (template === null) return text;
  let out = '';
  let replaced = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const next = template[i + 1];
    const isIndex = next === '1';
    if (!isIndex && (next !== '%' || replaced)) {
      out += ch;
      continue;
    }
    if (!isIndex) replaced = true;
    i++;
    const quoted = template[i + 1] === '%';
    if (quoted) i++;
    out += quoted ? text.replace(/["\\$;]/g, (c) => (c === ';' ? '\\\\;' : `\\${c}`)) : text;
  }
  return out;
}

function isPrintable(ch: string): boolean {
  return !/[\u0000-\u001f\u007f-\u009f]/u.test(ch);
}

function compile(bindings: readonly (readonly [string, EditAction])[]): ReadonlyMap<number, EditAction> {
  const map = new Map<number, EditAction>();
  for (const [name, action] of bindings) {
    const key = keyFromName(name);
    if (key !== null) map.set(key, action);
  }
  return map;
}
