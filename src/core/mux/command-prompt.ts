/**
 * tmux's `command-prompt` as a viewer of a shared session sees it: a line in the viewer's status
 * line where it edits text (emacs keys, as tmux's status-keys default) and on Enter the template
 * gets the text (`rename-window '%%'`), or the text is the command line itself (`C-b :`).
 *
 * Follows tmux 2.4 (the tmux of tmate 2.4.0): `command-prompt [-I inputs] [-p prompts] [template]`;
 * the label is `-p`'s first prompt and a space, else `(the template up to a space or comma) `, else `:`; `-I`'s first
 * input is the starting text, format-expanded by the caller (#W, #S); `%%` (first one only) and
 * `%1` in the template are the text, `%%%` the text with `"`, `\`, `$` and `;` escaped. Only the
 * first prompt is asked (the default key table has no binding with more).
 *
 * Invariants: never throws on any key; the text holds printable characters only and at most
 * MAX_PROMPT_TEXT of them; 0 <= cursor <= text length (in characters, not UTF-16 units).
 */
import { keyMap } from '../term/key-names.js';
import { parseArgs } from '../host/commands/command-args.js';
import { isCodePoint } from '../term/key-codes.js';

/** Longest text kept; typing beyond it is ignored. */
export const MAX_PROMPT_TEXT = 1024;

type EditAction =
  | 'left' | 'right' | 'home' | 'end' | 'backspace' | 'delete' | 'clear' | 'kill-to-end' | 'delete-word'
  | 'enter' | 'cancel';

/** tmux 2.4's status prompt keys (status_prompt_key), emacs mode. */
const EDIT_KEYS: ReadonlyMap<number, EditAction> = keyMap<EditAction>([
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
    // tmux 2.4: `-p`'s prompt and a space; else the template up to its first space or comma, in brackets.
    this.label = label !== null ? `${label} ` : template === null ? ':' : `(${template.split(/[ ,]/)[0] ?? ''}) `;
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

/** tmux 2.4's `I:p:t:`, and the value-less flags and `-T` of tmux 3. */
const COMMAND_PROMPT_FLAGS = '1bikNWI:p:t:T:';

/**
 * `command-prompt`'s arguments, parsed as tmux does (getopt; the flags of later tmux versions are
 * accepted and ignored): -I and -p give the first input and prompt, the first argument after the
 * flags is the template and any further ones are ignored. Unparseable arguments give an empty prompt.
 */
export function commandPromptArgs(argv: readonly string[]): CommandPromptArgs {
  const parsed = parseArgs(COMMAND_PROMPT_FLAGS, argv.slice(1));
  const first = (flag: string): string | undefined => parsed?.flags.get(flag)?.split(',')[0];
  return { input: first('I') ?? '', prompt: first('p') ?? null, template: parsed?.args[0] ?? null };
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
