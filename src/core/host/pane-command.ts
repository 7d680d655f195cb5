/**
 * What a new pane runs and what it is called, as tmux decides it: no command → the engine's
 * default (null: the login shell); one word-string → `$SHELL -c STRING`; several → that argv.
 * The name is tmux's window name for the command (program-name.ts); for the login shell, $SHELL.
 *
 * Invariant: pure functions of their arguments.
 */
import { programName } from './program-name.js';

function shellOf(env: Readonly<Record<string, string>>): string {
  return env['SHELL'] || '/bin/sh';
}

export function paneArgv(command: readonly string[], defaultCommand: readonly string[] | null, env: Readonly<Record<string, string>>): string[] | null {
  if (command.length === 0) return defaultCommand === null ? null : [...defaultCommand];
  if (command.length === 1) return [shellOf(env), '-c', command[0] as string];
  return [...command];
}

export function paneProgramName(command: readonly string[], defaultCommand: readonly string[] | null, env: Readonly<Record<string, string>>): string {
  if (command.length > 0) return programName(command.join(' '));
  if (defaultCommand !== null && defaultCommand.length > 0) return programName(defaultCommand.join(' '));
  return programName(shellOf(env));
}
