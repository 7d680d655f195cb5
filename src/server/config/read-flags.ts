/**
 * Reads command-line flags against an option table, collecting every problem instead of stopping
 * at the first (node's strict parseArgs throws on the first unknown flag and loses all the others).
 *
 * Accepted forms: `--flag VALUE`, `--flag=VALUE` (a value may start with `-`: `--scrollback -1` is
 * read and then refused by validation with the range); booleans as `--flag`, `--no-flag` or
 * `--flag=true|false` (so a flag can turn off what an environment variable turned on). A repeated
 * flag keeps its last value, unless the table lets it be given several times.
 *
 * Invariant: never throws; `values` only holds flags of the table.
 */
import { parseArgs } from 'node:util';

export interface FlagSpec {
  flag: string;
  kind: string;
  /** May be given several times; all values are kept, in order. */
  multiple?: boolean;
}

export interface FlagReading {
  /** Texts per flag, in the order given (booleans as 'true' / 'false'). */
  values: Map<string, string[]>;
  positionals: string[];
  problems: string[];
}

export function readFlags(argv: readonly string[], specs: readonly FlagSpec[]): FlagReading {
  const byFlag = new Map(specs.map((spec) => [spec.flag, spec]));
  const problems: string[] = [];
  // `--ssh-port --http-port 80`: parseArgs would take the next flag as the value. Such a flag is
  // reported here and left out, so that the next one is read as the flag it is.
  const args = argv.filter((arg, i) => {
    const spec = /^--[^=]+$/.test(arg) ? byFlag.get(arg.slice(2)) : undefined;
    const next = argv[i + 1];
    if (!spec || spec.kind === 'boolean' || (next !== undefined && !next.startsWith('--'))) return true;
    problems.push(`${arg}: needs a value (${arg} VALUE or ${arg}=VALUE)`);
    return false;
  });
  const { tokens } = parseArgs({
    args,
    options: Object.fromEntries(specs.map((spec) => [spec.flag, { type: spec.kind === 'boolean' ? 'boolean' : 'string' } as const])),
    strict: false,
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
  });
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = byFlag.get(token.name);
    const negated = token.rawName.startsWith('--no-') && token.rawName !== `--${token.name}`;
    if (!spec || !token.rawName.startsWith('--') || (negated && spec.kind !== 'boolean')) {
      problems.push(`unknown option '${token.rawName}'`);
      continue;
    }
    const text = flagText(spec, negated, token.value);
    if (text === null) {
      problems.push(`${token.rawName}: needs a value (${token.rawName} VALUE or ${token.rawName}=VALUE)`);
      continue;
    }
    const kept = spec.multiple ? (values.get(spec.flag) ?? []) : [];
    values.set(spec.flag, [...kept, text]);
  }
  return { values, positionals, problems };
}

/** The text a flag gave, or null when a value is missing. */
function flagText(spec: FlagSpec, negated: boolean, value: string | undefined): string | null {
  if (spec.kind === 'boolean') return negated ? 'false' : (value ?? 'true');
  return value ?? null;
}
