/**
 * Copy-mode key bindings as data: the default emacs and vi tables of the tmux inside tmate 2.4.0
 * (its mode-key.c "emacs-copy"/"vi-copy" and "emacs-edit"/"vi-edit" tables), written with tmux
 * key names and compiled to key-code maps once at load.
 *
 * Invariants:
 * - Every name in these tables resolves with keyFromName (a unit test checks it); a name that did
 *   not would simply be left out of the compiled map, never throw.
 * - Mouse drags are not bound here: a key code carries no mouse position.
 * - EXTRA_* entries are not in tmate 2.4.0's defaults; later tmux binds them the same way, and they
 *   can be dropped without touching anything else.
 * - Edit tables list only the commands copy mode acts on while a prompt is open; any other key
 *   types itself when it is printable ASCII (emacs, vi insert mode) or is ignored (vi normal mode).
 */
import { keyMap } from '../../term/key-names.js';

export type CopyKeyMode = 'emacs' | 'vi';

/** Copy-mode commands, named as tmux 2.x names them. */
export type CopyCommand =
  | 'append-selection' | 'back-to-indentation' | 'begin-selection' | 'bottom-line' | 'cancel'
  | 'clear-selection' | 'copy-end-of-line' | 'copy-selection' | 'cursor-down' | 'cursor-left'
  | 'cursor-right' | 'cursor-up' | 'end-of-line' | 'goto-line' | 'halfpage-down' | 'halfpage-up'
  | 'history-bottom' | 'history-top' | 'jump-again' | 'jump-backward' | 'jump-forward'
  | 'jump-reverse' | 'jump-to-backward' | 'jump-to-forward' | 'middle-line' | 'next-space'
  | 'next-space-end' | 'next-word' | 'next-word-end' | 'other-end' | 'page-down' | 'page-up'
  | 'previous-space' | 'previous-word' | 'rectangle-toggle' | 'scroll-down' | 'scroll-up'
  | 'search-again' | 'search-backward' | 'search-forward' | 'search-reverse' | 'select-line'
  | 'start-named-buffer' | 'start-number-prefix' | 'start-of-line' | 'top-line';

/** What a key does while a prompt is open. `switch-mode` toggles vi's insert/normal mode. */
export type EditCommand = 'cancel' | 'backspace' | 'delete-line' | 'enter' | 'paste' | 'switch-mode';

type Binding<C> = readonly [keyName: string, command: C];

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

const EMACS_COPY: readonly Binding<CopyCommand>[] = [
  ['Space', 'page-down'], [',', 'jump-reverse'], [';', 'jump-again'],
  ...DIGITS.map((d): Binding<CopyCommand> => [`M-${d}`, 'start-number-prefix']),
  ['M-<', 'history-top'], ['M->', 'history-bottom'], ['F', 'jump-backward'],
  ['N', 'search-reverse'], ['M-R', 'top-line'], ['R', 'rectangle-toggle'], ['T', 'jump-to-backward'],
  ['C-Space', 'begin-selection'], ['C-a', 'start-of-line'], ['C-b', 'cursor-left'],
  ['C-c', 'cancel'], ['C-e', 'end-of-line'], ['C-f', 'cursor-right'], ['C-g', 'clear-selection'],
  ['C-k', 'copy-end-of-line'], ['C-n', 'cursor-down'], ['C-p', 'cursor-up'],
  ['C-r', 'search-backward'], ['C-s', 'search-forward'], ['C-v', 'page-down'],
  ['C-w', 'copy-selection'], ['Escape', 'cancel'], ['M-b', 'previous-word'], ['f', 'jump-forward'],
  ['M-f', 'next-word-end'], ['g', 'goto-line'], ['M-m', 'back-to-indentation'],
  ['n', 'search-again'], ['q', 'cancel'], ['M-r', 'middle-line'], ['t', 'jump-to-forward'],
  ['M-v', 'page-up'], ['M-w', 'copy-selection'], ['C-Down', 'scroll-down'],
  ['M-Down', 'halfpage-down'], ['Down', 'cursor-down'], ['Left', 'cursor-left'],
  ['NPage', 'page-down'], ['PPage', 'page-up'], ['Right', 'cursor-right'], ['C-Up', 'scroll-up'],
  ['M-Up', 'halfpage-up'], ['Up', 'cursor-up'], ['WheelUpPane', 'scroll-up'],
  ['WheelDownPane', 'scroll-down'],
];

const VI_COPY: readonly Binding<CopyCommand>[] = [
  ['Space', 'begin-selection'], ['"', 'start-named-buffer'], ['$', 'end-of-line'],
  [',', 'jump-reverse'], [';', 'jump-again'], ['/', 'search-forward'], ['0', 'start-of-line'],
  ...DIGITS.map((d): Binding<CopyCommand> => [d, 'start-number-prefix']),
  [':', 'goto-line'], ['?', 'search-backward'], ['A', 'append-selection'], ['B', 'previous-space'],
  ['D', 'copy-end-of-line'], ['E', 'next-space-end'], ['F', 'jump-backward'],
  ['G', 'history-bottom'], ['H', 'top-line'], ['J', 'scroll-down'], ['K', 'scroll-up'],
  ['L', 'bottom-line'], ['M', 'middle-line'], ['N', 'search-reverse'], ['T', 'jump-to-backward'],
  ['V', 'select-line'], ['W', 'next-space'], ['C-b', 'page-up'], ['C-c', 'cancel'],
  ['C-d', 'halfpage-down'], ['C-e', 'scroll-down'], ['C-f', 'page-down'], ['C-h', 'cursor-left'],
  ['C-u', 'halfpage-up'], ['C-y', 'scroll-up'], ['Escape', 'clear-selection'],
  ['C-j', 'copy-selection'], ['Enter', 'copy-selection'], ['^', 'back-to-indentation'],
  ['b', 'previous-word'], ['e', 'next-word-end'], ['f', 'jump-forward'], ['g', 'history-top'],
  ['h', 'cursor-left'], ['j', 'cursor-down'], ['k', 'cursor-up'], ['l', 'cursor-right'],
  ['n', 'search-again'], ['o', 'other-end'], ['t', 'jump-to-forward'], ['q', 'cancel'],
  ['v', 'rectangle-toggle'], ['w', 'next-word'], ['BSpace', 'cursor-left'],
  ['C-Down', 'scroll-down'], ['Down', 'cursor-down'], ['Left', 'cursor-left'],
  ['NPage', 'page-down'], ['PPage', 'page-up'], ['Right', 'cursor-right'], ['C-Up', 'scroll-up'],
  ['Up', 'cursor-up'], ['WheelUpPane', 'scroll-up'], ['WheelDownPane', 'scroll-down'],
];

/** Not in tmate 2.4.0's defaults; later tmux has them in both copy tables. */
const EXTRA_COPY: readonly Binding<CopyCommand>[] = [['Home', 'start-of-line'], ['End', 'end-of-line']];

const EMACS_EDIT: readonly Binding<EditCommand>[] = [
  ['C-c', 'cancel'], ['Escape', 'cancel'], ['C-h', 'backspace'], ['BSpace', 'backspace'],
  ['C-u', 'delete-line'], ['C-y', 'paste'], ['C-j', 'enter'], ['Enter', 'enter'],
];

/** Not in tmate 2.4.0's emacs-edit table; later tmux cancels its prompts with C-g too. */
const EXTRA_EMACS_EDIT: readonly Binding<EditCommand>[] = [['C-g', 'cancel']];

const VI_EDIT_INSERT: readonly Binding<EditCommand>[] = [
  ['C-c', 'cancel'], ['C-h', 'backspace'], ['BSpace', 'backspace'], ['C-u', 'delete-line'],
  ['Escape', 'switch-mode'], ['C-j', 'enter'], ['Enter', 'enter'],
];

const VI_EDIT_NORMAL: readonly Binding<EditCommand>[] = [
  ['C-c', 'cancel'], ['C-h', 'backspace'], ['BSpace', 'backspace'], ['X', 'backspace'],
  ['d', 'delete-line'], ['p', 'paste'], ['C-j', 'enter'], ['Enter', 'enter'],
  ...['A', 'C', 'I', 'S', 'a', 'i', 's'].map((k): Binding<EditCommand> => [k, 'switch-mode']),
];

/** The raw tables, for tests and documentation. */
export const COPY_BINDINGS: Readonly<Record<CopyKeyMode, readonly Binding<CopyCommand>[]>> = {
  emacs: [...EMACS_COPY, ...EXTRA_COPY],
  vi: [...VI_COPY, ...EXTRA_COPY],
};

export const EDIT_BINDINGS = {
  emacs: [...EMACS_EDIT, ...EXTRA_EMACS_EDIT],
  viInsert: VI_EDIT_INSERT,
  viNormal: VI_EDIT_NORMAL,
} as const satisfies Record<string, readonly Binding<EditCommand>[]>;

const COPY_MAPS: Record<CopyKeyMode, ReadonlyMap<number, CopyCommand>> = {
  emacs: keyMap(COPY_BINDINGS.emacs),
  vi: keyMap(COPY_BINDINGS.vi),
};

const EDIT_MAPS = {
  emacs: keyMap(EDIT_BINDINGS.emacs),
  viInsert: keyMap(EDIT_BINDINGS.viInsert),
  viNormal: keyMap(EDIT_BINDINGS.viNormal),
};

/** The copy-mode command bound to `key`, or null. */
export function copyCommandFor(mode: CopyKeyMode, key: number): CopyCommand | null {
  return COPY_MAPS[mode].get(key) ?? null;
}

/** Which edit table applies: emacs, or vi in insert (mode 0) or normal (mode 1) mode. */
export type EditTable = keyof typeof EDIT_MAPS;

/**
 * The edit command bound to `key` in a prompt; 'other' for an unbound key where typing is allowed,
 * null for an unbound key in vi normal mode (ignored).
 */
export function editCommandFor(table: EditTable, key: number): EditCommand | 'other' | null {
  const command = EDIT_MAPS[table].get(key);
  if (command !== undefined) return command;
  return table === 'viNormal' ? null : 'other';
}
