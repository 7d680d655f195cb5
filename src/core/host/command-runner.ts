/**
 * Runs commands from the relay the way tmate's decoder does: EXEC_CMD is one argv (no `;`
 * splitting), EXEC_CMD_STR a command line that is parsed whole before anything runs. Each
 * command is looked up, its flags checked against its template (`usage: …` on failure), its
 * `-t` target resolved, then run; the first failing command stops the rest of the line.
 *
 * Invariants: never throws (a command that throws becomes an error message); returns the error
 * causes in order, each of which the engine sends as one FAILED_CMD.
 */
import { parseCommandLine, type EnvLookup } from './command-line.js';
import { parseArgs, usageOf } from './commands/command-args.js';
import type { CommandContext, CommandSpec, ParsedArgs } from './commands/command-spec.js';
import { resolveCommand } from './commands/registry.js';
import { findTarget, type FindResult } from './target.js';

interface Prepared {
  spec: CommandSpec;
  parsed: ParsedArgs;
}

/** cmd_parse: command name lookup and argument checks. */
function prepare(argv: readonly string[]): Prepared | string {
  const [word, ...rest] = argv;
  if (word === undefined) return 'no command';
  const resolved = resolveCommand(word);
  if (!resolved.ok) return resolved.error;
  const spec = resolved.spec;
  const parsed = parseArgs(spec.flags, rest);
  const count = parsed?.args.length ?? 0;
  if (parsed === null || count < spec.minArgs || (spec.maxArgs >= 0 && count > spec.maxArgs)) return usageOf(spec);
  return { spec, parsed };
}

function resolveTarget(ctx: CommandContext, prepared: Prepared): FindResult {
  const { spec, parsed } = prepared;
  const t = parsed.flags.get('t');
  switch (spec.target) {
    case 'pane':
    case 'window':
    case 'session':
      return findTarget(ctx.session, t, spec.target);
    case 'window-index':
      return findTarget(ctx.session, t, 'window', true);
    case 'none':
      return findTarget(ctx.session, undefined, 'session');
  }
}

function execute(ctx: CommandContext, prepared: Prepared): string | null {
  const target = resolveTarget(ctx, prepared);
  if (!target.ok) return target.error;
  try {
    return prepared.spec.run(ctx, { ...prepared.parsed, target: target.found });
  } catch (error) {
    return `${prepared.spec.name}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** EXEC_CMD: one command given as argv. */
export function runArgv(ctx: CommandContext, argv: readonly string[]): string[] {
  const prepared = prepare(argv);
  if (typeof prepared === 'string') return [prepared];
  const error = execute(ctx, prepared);
  return error === null ? [] : [error];
}

/** EXEC_CMD_STR: a command line; `env` answers $VAR and ~. */
export function runCommandLine(ctx: CommandContext, line: string, env: EnvLookup): string[] {
  const parsed = parseCommandLine(line, env);
  if (!parsed.ok) return [parsed.error];
  const list: Prepared[] = [];
  for (const argv of parsed.commands) {
    const prepared = prepare(argv);
    if (typeof prepared === 'string') return [prepared];
    list.push(prepared);
  }
  for (const prepared of list) {
    const error = execute(ctx, prepared);
    if (error !== null) return [error];
  }
  return [];
}
