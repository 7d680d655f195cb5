/**
 * What each copy-mode command does, as a table from command name to handler. Handlers act on the
 * cursor through a CommandContext that CopyMode provides (prompts, jumps, search repeats and
 * copying live there because they need CopyMode's own state).
 *
 * Invariants: a handler never throws for any cursor state; it returns a CopyModeResult when the
 * key ends copy mode, KEEP_PREFIX when the numeric prefix must survive to the next key (prompts
 * and jumps use it later), or nothing.
 */
import type { CopyCommand } from './copy-keys.js';
import type { CopyCursor } from './copy-cursor.js';
import {
  SPACE_SEPARATORS, WORD_SEPARATORS, nextWord, nextWordEnd, previousWord, type JumpKind,
} from './copy-words.js';

export interface CopyModeResult {
  exit: boolean;
  copied: string | null;
}

/** The prompts copy mode can open. */
export type PromptKind = 'search-up' | 'search-down' | 'goto-line' | 'named-buffer';

export interface CommandContext {
  readonly cur: CopyCursor;
  readonly vi: boolean;
  /** Repeat count from a numeric prefix; at least 1. */
  readonly np: number;
  /** The key that ran the command (start-number-prefix reads its digit). */
  readonly key: number;
  openPrompt(kind: PromptKind): void;
  startJump(kind: JumpKind): void;
  repeatJump(reverse: boolean): void;
  repeatSearch(reverse: boolean): void;
  startPrefix(): void;
  /** Copies the selection and leaves copy mode. */
  copy(): CopyModeResult;
}

export const KEEP_PREFIX = 'keep-prefix';
export type Outcome = CopyModeResult | typeof KEEP_PREFIX | void;
type Handler = (c: CommandContext) => Outcome;

export const EXIT: CopyModeResult = Object.freeze({ exit: true, copied: null });

function times(n: number, step: () => void): void {
  for (let i = 0; i < n; i++) step();
}

function selectLine(c: CommandContext): void {
  const cur = c.cur;
  cur.lineSel = 'left-right';
  cur.rect = false;
  cur.startOfLine();
  cur.startSelection();
  times(c.np - 1, () => cur.down(false));
  cur.endOfLine();
}

function copyEndOfLine(c: CommandContext): CopyModeResult {
  c.cur.startSelection();
  times(c.np - 1, () => c.cur.down(false));
  c.cur.endOfLine();
  return c.copy();
}

function prompt(kind: PromptKind): Handler {
  return (c) => {
    c.openPrompt(kind);
    return KEEP_PREFIX;
  };
}

function jumpPrompt(kind: JumpKind): Handler {
  return (c) => {
    c.startJump(kind);
    return KEEP_PREFIX;
  };
}

export const COMMANDS: Readonly<Record<CopyCommand, Handler>> = {
  'append-selection': (c) => c.copy(),
  'back-to-indentation': (c) => c.cur.backToIndentation(),
  'begin-selection': (c) => {
    c.cur.lineSel = 'none';
    c.cur.startSelection();
  },
  'bottom-line': (c) => c.cur.toRow('bottom'),
  cancel: () => EXIT,
  'clear-selection': (c) => c.cur.clearSelection(),
  'copy-end-of-line': copyEndOfLine,
  'copy-selection': (c) => c.copy(),
  'cursor-down': (c) => times(c.np, () => c.cur.down(false)),
  'cursor-left': (c) => times(c.np, () => c.cur.left()),
  'cursor-right': (c) => times(c.np, () => c.cur.right()),
  'cursor-up': (c) => times(c.np, () => c.cur.up(false)),
  'end-of-line': (c) => c.cur.endOfLine(),
  'goto-line': prompt('goto-line'),
  'halfpage-down': (c) => times(c.np, () => c.cur.halfPage(false)),
  'halfpage-up': (c) => times(c.np, () => c.cur.halfPage(true)),
  'history-bottom': (c) => c.cur.historyBottom(),
  'history-top': (c) => c.cur.historyTop(),
  'jump-again': (c) => c.repeatJump(false),
  'jump-backward': jumpPrompt('backward'),
  'jump-forward': jumpPrompt('forward'),
  'jump-reverse': (c) => c.repeatJump(true),
  'jump-to-backward': jumpPrompt('to-backward'),
  'jump-to-forward': jumpPrompt('to-forward'),
  'middle-line': (c) => c.cur.toRow('middle'),
  'next-space': (c) => times(c.np, () => nextWord(c.cur, SPACE_SEPARATORS)),
  'next-space-end': (c) => times(c.np, () => nextWordEnd(c.cur, SPACE_SEPARATORS, c.vi)),
  'next-word': (c) => times(c.np, () => nextWord(c.cur, WORD_SEPARATORS)),
  'next-word-end': (c) => times(c.np, () => nextWordEnd(c.cur, WORD_SEPARATORS, c.vi)),
  'other-end': (c) => {
    if (c.np % 2 === 1) c.cur.otherEnd();
  },
  'page-down': (c) => times(c.np, () => c.cur.page(false)),
  'page-up': (c) => times(c.np, () => c.cur.page(true)),
  'previous-space': (c) => times(c.np, () => previousWord(c.cur, SPACE_SEPARATORS)),
  'previous-word': (c) => times(c.np, () => previousWord(c.cur, WORD_SEPARATORS)),
  'rectangle-toggle': (c) => c.cur.toggleRectangle(),
  'scroll-down': (c) => times(c.np, () => c.cur.down(true)),
  'scroll-up': (c) => times(c.np, () => c.cur.up(true)),
  'search-again': (c) => c.repeatSearch(false),
  'search-backward': prompt('search-up'),
  'search-forward': prompt('search-down'),
  'search-reverse': (c) => c.repeatSearch(true),
  'select-line': selectLine,
  'start-named-buffer': prompt('named-buffer'),
  'start-number-prefix': (c) => {
    c.startPrefix();
    return KEEP_PREFIX;
  },
  'start-of-line': (c) => c.cur.startOfLine(),
  'top-line': (c) => c.cur.toRow('top'),
};
