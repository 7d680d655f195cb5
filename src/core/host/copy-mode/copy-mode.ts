/**
 * Copy mode of one pane for the TypeScript host engine: tmux 2.x copy mode (as the tmux inside
 * tmate 2.4.0 runs it) over the pane's own emulator, reported in SYNC_COPY_MODE form so a relay
 * draws the same picture from its own emulator of the pane (PROTOCOL.md §3.1, §6.3).
 *
 * Invariants:
 * - The emulator is only read: never written to, resized or subscribed to.
 * - handleKey never throws and ignores anything that is not a key code (non-integers, negatives,
 *   values past 2^53) and keys without a binding.
 * - state() always reports 0 <= oy <= history, 0 <= cy < rows, 0 <= cx <= cols, and a selection
 *   line counted from the bottom ((history + rows - 1) - absolute line, never negative).
 * - Prompt text is printable ASCII only (as tmux types it), at most MAX_INPUT characters.
 */
import type { CopyModeState, CopyPrompt } from '../../protocol/tmate/messages.js';
import type { Emulator } from '../../term/emulator.js';
import { KEYC_BASE, baseKey, isCodePoint, keyModifiers } from '../../term/key-codes.js';
import {
  COMMANDS, EXIT, KEEP_PREFIX, type CommandContext, type CopyModeResult, type Outcome, type PromptKind,
} from './copy-commands.js';
import { captureAnchor, contentMoveSince, type Anchor } from './copy-anchor.js';
import { CopyCursor } from './copy-cursor.js';
import { CopyGrid } from './copy-grid.js';
import { copyCommandFor, editCommandFor, type CopyKeyMode, type EditTable } from './copy-keys.js';
import { searchDown, searchUp } from './copy-search.js';
import { selectionText } from './copy-selection.js';
import { jump, reverseJump, type JumpKind } from './copy-words.js';

export type { CopyKeyMode } from './copy-keys.js';
export type { CopyModeResult } from './copy-commands.js';

/** Longest prompt text kept; further typing is ignored. */
export const MAX_INPUT = 1024;

const NONE: CopyModeResult = Object.freeze({ exit: false, copied: null });

/** SYNC_COPY_MODE input types and texts (PROTOCOL.md §3.1), and whether opening clears the text. */
const PROMPTS: Readonly<Record<PromptKind, { type: number; prompt: string; clear: boolean }>> = {
  'named-buffer': { type: 1, prompt: 'Buffer', clear: true },
  'search-up': { type: 3, prompt: 'Search Up', clear: false },
  'search-down': { type: 4, prompt: 'Search Down', clear: false },
  'goto-line': { type: 9, prompt: 'Goto Line', clear: true },
};

const JUMP_PROMPTS: Readonly<Record<JumpKind, { type: number; prompt: string }>> = {
  forward: { type: 5, prompt: 'Jump Forward' },
  backward: { type: 6, prompt: 'Jump Back' },
  'to-forward': { type: 7, prompt: 'Jump To' },
  'to-backward': { type: 8, prompt: 'Jump To Back' },
};

export class CopyMode {
  private readonly grid: CopyGrid;
  private readonly cur: CopyCursor;
  private readonly vi: boolean;
  /** The open prompt, if any; its text is `inputText`. */
  private prompt: PromptKind | null = null;
  /** tmux keeps the search text between prompts: reopening a search prompt shows it again. */
  private inputText = '';
  /** vi prompts are modal: Escape switches to normal mode, i/a/… back to insert mode. */
  private viNormal = false;
  private pendingJump: JumpKind | null = null;
  private lastJump: JumpKind | null = null;
  private jumpChar = '';
  private lastSearch: { up: boolean; text: string } | null = null;
  /** Numeric prefix being typed (-1: none) and whether digits still add to it. */
  private numPrefix = -1;
  private typingPrefix = false;
  /** Taken after every step, so outputAdded can tell how far the content moved. */
  private anchor: Anchor;

  constructor(terminal: Emulator, private readonly keyMode: CopyKeyMode) {
    this.grid = new CopyGrid(terminal);
    this.cur = new CopyCursor(this.grid);
    this.vi = keyMode === 'vi';
    this.anchor = captureAnchor(this.grid, 0);
  }

  /** One tmux key code while the pane is in copy mode. */
  handleKey(key: number): CopyModeResult {
    if (!Number.isSafeInteger(key) || key < 0) return NONE;
    this.cur.sync();
    const result = this.dispatch(key);
    this.cur.sync();
    this.captureAnchor();
    return result;
  }

  /**
   * Puts the view and the cursor where a host reported them (a state without selection or
   * prompt); out-of-range values are clamped as after a resize.
   */
  moveTo(oy: number, cx: number, cy: number): void {
    this.cur.oy = oy;
    this.cur.cx = cx;
    this.cur.cy = cy;
    this.cur.sync();
    this.captureAnchor();
  }

  /** `copy-mode -u`: one page up. */
  pageUp(): void {
    this.cur.sync();
    this.cur.page(true);
    this.cur.sync();
    this.captureAnchor();
  }

  /** SYNC_COPY_MODE state: backing 1 (the pane's own content). */
  state(): CopyModeState {
    const cur = this.cur;
    cur.sync();
    const selection = cur.selecting
      ? { x: cur.selx, lineFromBottom: this.grid.history + this.grid.rows - 1 - cur.sely, rect: cur.rect }
      : null;
    return { backing: 1, oy: cur.oy, cx: cur.cx, cy: cur.cy, selection, prompt: this.promptState() };
  }

  /**
   * The pane printed while in copy mode: the view follows its content, i.e. oy grows by the
   * number of lines that scrolled into history, capped at the history size (see copy-anchor.ts
   * for how that number is found). After a resize the view only stays within bounds.
   */
  outputAdded(): void {
    const move = contentMoveSince(this.grid, this.anchor);
    if (move !== null) this.cur.followOutput(move.scrolled, move.trimmed);
    this.cur.sync();
    this.captureAnchor();
  }

  // --- keys -----------------------------------------------------------------------------------

  private dispatch(key: number): CopyModeResult {
    if (this.pendingJump !== null) return this.finishJump(key);
    if (this.typingPrefix) {
      if (this.addPrefixDigit(key)) return NONE;
      this.typingPrefix = false;
    }
    if (this.prompt !== null) return this.editKey(key);
    const command = copyCommandFor(this.keyMode, key);
    const outcome: Outcome = command === null ? undefined : COMMANDS[command](this.context(key));
    if (outcome === KEEP_PREFIX) return NONE;
    this.numPrefix = -1;
    return outcome ?? NONE;
  }

  private context(key: number): CommandContext {
    return {
      cur: this.cur,
      vi: this.vi,
      np: this.numPrefix > 0 ? this.numPrefix : 1,
      key,
      openPrompt: (kind) => this.openPrompt(kind),
      startJump: (kind) => this.startJump(kind),
      repeatJump: (reverse) => this.repeatJump(reverse),
      repeatSearch: (reverse) => this.repeatSearch(reverse),
      startPrefix: () => this.startPrefix(key),
      copy: () => this.copy(),
    };
  }

  private copy(): CopyModeResult {
    const copied = selectionText(this.cur, this.vi);
    return copied === null ? EXIT : { exit: true, copied };
  }

  private repeatCount(): number {
    return this.numPrefix > 0 ? this.numPrefix : 1;
  }

  // --- numeric prefix -------------------------------------------------------------------------

  private startPrefix(key: number): void {
    this.numPrefix = 0;
    this.typingPrefix = this.addPrefixDigit(key);
    if (!this.typingPrefix) this.numPrefix = -1;
  }

  /** Adds a digit key (modifiers ignored, at most three digits); false for any other key. */
  private addPrefixDigit(key: number): boolean {
    const digit = baseKey(key) - 0x30;
    if (digit < 0 || digit > 9) return false;
    if (this.numPrefix < 100) this.numPrefix = this.numPrefix * 10 + digit;
    return true;
  }

  // --- jumps ----------------------------------------------------------------------------------

  private startJump(kind: JumpKind): void {
    this.pendingJump = kind;
  }

  /** The key after f/F/t/T: a plain character is the target; the jump kind is kept for ;/, */
  private finishJump(key: number): CopyModeResult {
    const kind = this.pendingJump!;
    this.pendingJump = null;
    if (keyModifiers(key) === 0 && key < KEYC_BASE && isCodePoint(key)) {
      this.jumpChar = String.fromCodePoint(key);
      const n = this.repeatCount();
      for (let i = 0; i < n; i++) jump(this.cur, kind, this.jumpChar, false);
    }
    this.lastJump = kind;
    this.numPrefix = -1;
    return NONE;
  }

  private repeatJump(reverse: boolean): void {
    if (this.lastJump === null || this.jumpChar === '') return;
    const kind = reverse ? reverseJump(this.lastJump) : this.lastJump;
    const n = this.repeatCount();
    for (let i = 0; i < n; i++) jump(this.cur, kind, this.jumpChar, true);
  }

  // --- search ---------------------------------------------------------------------------------

  private search(up: boolean, text: string): void {
    const from = { x: this.cur.cx, y: this.cur.abs() };
    const hit = up ? searchUp(this.grid, from, text) : searchDown(this.grid, from, text);
    if (hit !== null) this.cur.scrollTo(hit.x, hit.y);
  }

  /** n / N: the last search again, in its direction or the other one. */
  private repeatSearch(reverse: boolean): void {
    const last = this.lastSearch;
    if (last === null) return;
    const n = this.repeatCount();
    for (let i = 0; i < n; i++) this.search(last.up !== reverse, last.text);
  }

  // --- prompts --------------------------------------------------------------------------------

  private openPrompt(kind: PromptKind): void {
    this.prompt = kind;
    this.viNormal = false;
    if (PROMPTS[kind].clear) this.inputText = '';
  }

  private closePrompt(): void {
    this.prompt = null;
    this.viNormal = false;
  }

  private promptState(): CopyPrompt | null {
    if (this.pendingJump !== null) return { ...JUMP_PROMPTS[this.pendingJump], text: '' };
    if (this.prompt === null) return null;
    const { type, prompt } = PROMPTS[this.prompt];
    return { type, prompt, text: this.inputText };
  }

  /** A key while a prompt is open, looked up in the emacs or vi edit table. */
  private editKey(key: number): CopyModeResult {
    const table: EditTable = this.vi ? (this.viNormal ? 'viNormal' : 'viInsert') : 'emacs';
    switch (editCommandFor(table, key)) {
      case 'cancel':
        this.numPrefix = -1;
        this.closePrompt();
        return NONE;
      case 'backspace':
        this.inputText = this.inputText.slice(0, -1);
        return NONE;
      case 'delete-line':
        this.inputText = '';
        return NONE;
      case 'switch-mode':
        this.viNormal = !this.viNormal;
        return NONE;
      case 'enter':
        return this.submitPrompt(this.prompt!);
      case 'other':
        if (key >= 0x20 && key <= 0x7e && this.inputText.length < MAX_INPUT) {
          this.inputText += String.fromCharCode(key);
        }
        return NONE;
      default: // 'paste' (no paste buffers on this side) and unbound keys in vi normal mode
        return NONE;
    }
  }

  private submitPrompt(kind: PromptKind): CopyModeResult {
    const n = this.repeatCount();
    const text = this.inputText;
    let result = NONE;
    if (kind === 'search-up' || kind === 'search-down') {
      const up = kind === 'search-up';
      for (let i = 0; i < n; i++) this.search(up, text);
      this.lastSearch = { up, text };
    } else if (kind === 'goto-line') {
      this.gotoLine(text);
      this.inputText = '';
    } else {
      result = this.copy(); // named buffer: the engine decides where copied text goes
      this.inputText = '';
    }
    this.numPrefix = -1;
    this.closePrompt();
    return result;
  }

  /** Goto Line: the view's offset becomes the number typed, if it is within history. */
  private gotoLine(text: string): void {
    if (!/^\s*\+?\d+$/.test(text)) return;
    const line = Number(text.trim());
    if (line <= this.grid.history) this.cur.oy = line;
  }

  private captureAnchor(): void {
    this.anchor = captureAnchor(this.grid, this.cur.oy);
  }
}
