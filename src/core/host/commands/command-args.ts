/**
 * getopt-style argument parsing against a command's flag template (tmux's args_parse), and the
 * `usage: …` line tmux answers with when it fails.
 *
 * Invariants: parsing stops at the first argument that is not a flag cluster (a lone `-` is an
 * argument), `--` ends the flags and is dropped; an unknown letter or a missing value fails the
 * whole parse; a repeated flag keeps its last value. Never throws.
 */
import type { CommandSpec, ParsedArgs, TargetKind } from './command-spec.js';

function takesValue(template: string, letter: string): boolean | null {
  if (letter === ':') return null;
  const at = template.indexOf(letter);
  if (at < 0) return null;
  return template[at + 1] === ':';
}

export function parseArgs(template: string, argv: readonly string[]): ParsedArgs | null {
  const flags = new Map<string, string>();
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg.length < 2) break;
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] as string;
      const needsValue = takesValue(template, letter);
      if (needsValue === null) return null;
      if (!needsValue) {
        flags.set(letter, '');
        continue;
      }
      const glued = arg.slice(j + 1);
      const value = glued.length > 0 ? glued : argv[++i];
      if (value === undefined) return null;
      flags.set(letter, value);
      break;
    }
  }
  return { flags, args: argv.slice(i) };
}

const TARGET_NAMES: Record<TargetKind, string> = {
  pane: 'target-pane',
  window: 'target-window',
  'window-index': 'target-window',
  session: 'target-session',
  none: 'target',
};

const VALUE_NAMES: Readonly<Record<string, string>> = {
  c: 'start-directory',
  F: 'format',
  n: 'window-name',
  l: 'size',
  p: 'percentage',
  x: 'width',
  y: 'height',
  s: 'src-pane',
  P: 'style',
};

/** Alphabetical ignoring case, the capital first (tmux's usual order: "-DdegLl"). */
function byLetter(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "usage: NAME [-abc] [-x value] … ARGS", built from the spec. */
export function usageOf(spec: CommandSpec): string {
  if (spec.usage !== undefined) return `usage: ${spec.name} ${spec.usage}`;
  const plain: string[] = [];
  const valued: string[] = [];
  for (let i = 0; i < spec.flags.length; i++) {
    const letter = spec.flags[i] as string;
    if (letter === ':') continue;
    if (spec.flags[i + 1] === ':') {
      valued.push(`[-${letter} ${letter === 't' ? TARGET_NAMES[spec.target] : (VALUE_NAMES[letter] ?? 'value')}]`);
    } else {
      plain.push(letter);
    }
  }
  const parts = [spec.name];
  if (plain.length > 0) parts.push(`[-${plain.sort(byLetter).join('')}]`);
  parts.push(...valued);
  if (spec.argsUsage) parts.push(spec.argsUsage);
  return `usage: ${parts.join(' ')}`;
}
