/**
 * Finds the program of a window's command the way execvp(3) will (a name with a slash as a path,
 * else the first executable file of that name in PATH), so that a command that cannot start is
 * refused with a message before a session is registered for it: without the check, a typo made a
 * session that ended within milliseconds (the API still answered 201 with its tokens, and
 * `tmate-relay host` exited 1 without a word).
 *
 * Invariant: findProgram never throws (assertCommandStarts throws ProgramLookupError, by design);
 * a race (the file removed after the check) only means the window exits at once, as before.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** When PATH is unset: what execvp searches (glibc's default path). */
const DEFAULT_PATH = '/bin:/usr/bin';

export type ProgramLookup = { ok: true; path: string } | { ok: false; reason: 'not-found' | 'not-executable'; message: string };

/** A command whose program cannot be started (the message says which and why). */
export class ProgramLookupError extends Error {
  constructor(readonly lookup: Extract<ProgramLookup, { ok: false }>) {
    super(lookup.message);
    this.name = 'ProgramLookupError';
  }
}

export function findProgram(program: string, searchPath: string | undefined, cwd: string = process.cwd()): ProgramLookup {
  if (program.includes('/')) {
    const path = isAbsolute(program) ? program : resolve(cwd, program);
    const kind = fileKind(path);
    if (kind === 'executable') return { ok: true, path };
    return kind === 'missing' ? notFound(program) : notExecutable(program);
  }
  let foundButNotExecutable = false;
  if (program !== '') {
    for (const dir of (searchPath ?? DEFAULT_PATH).split(delimiter)) {
      const path = resolve(cwd, join(dir === '' ? '.' : dir, program));
      const kind = fileKind(path);
      if (kind === 'executable') return { ok: true, path };
      if (kind === 'not-executable') foundButNotExecutable = true;
    }
  }
  return foundButNotExecutable ? notExecutable(program) : notFound(program);
}

/** Throws ProgramLookupError unless `command`'s program can be started (null: the login shell). */
export function assertCommandStarts(command: readonly string[] | null, searchPath: string | undefined): void {
  if (command === null || command.length === 0) return;
  const lookup = findProgram(command[0]!, searchPath);
  if (!lookup.ok) throw new ProgramLookupError(lookup);
}

function fileKind(path: string): 'executable' | 'not-executable' | 'missing' {
  try {
    if (!statSync(path).isFile()) return 'not-executable';
  } catch {
    return 'missing';
  }
  try {
    accessSync(path, constants.X_OK);
    return 'executable';
  } catch {
    return 'not-executable';
  }
}

function notFound(program: string): ProgramLookup {
  return { ok: false, reason: 'not-found', message: `command not found: ${JSON.stringify(program)}` };
}

function notExecutable(program: string): ProgramLookup {
  return { ok: false, reason: 'not-executable', message: `command not executable: ${JSON.stringify(program)}` };
}
