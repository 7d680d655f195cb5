/**
 * The host's key tables, rebuilt from the bind-key / unbind-key / set-option messages the host
 * replicates (PROTOCOL.md §3.1 EXEC_CMD). Bindings are kept as tmux command argv lists, exactly as
 * the host sent them, so they can be sent back unchanged.
 *
 * Invariants: unparseable bind-key messages are ignored (the host is the authority, we only
 * mirror it); a binding's command list is split at arguments ending in an unescaped `;`.
 * Memory is bounded whatever the host sends: at most MAX_TABLES tables, MAX_BINDINGS bindings and
 * MAX_BINDINGS_COST characters of commands in all (tmate's defaults use ~2% of each); a bind-key
 * over a limit is ignored, and a table emptied by unbind-key is dropped.
 */
import { keyFromName } from '../term/key-names.js';

export type CommandArgv = readonly string[];

export interface Binding {
  commands: CommandArgv[];
  repeat: boolean;
}

export interface ListedBinding {
  table: string;
  key: number;
  binding: Binding;
}

/** strcmp order (tmux keeps its tables in a tree ordered so). */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const PREFIX_TABLE = 'prefix';
export const ROOT_TABLE = 'root';
const DEFAULT_PREFIX = 2; // C-b

export const MAX_TABLES = 64;
export const MAX_BINDINGS = 4096;
/** Budget over all bindings: each word costs its length plus WORD_COST. */
export const MAX_BINDINGS_COST = 1024 * 1024;
const WORD_COST = 16;

function costOf(binding: Binding): number {
  let cost = 0;
  for (const command of binding.commands) for (const word of command) cost += word.length + WORD_COST;
  return cost;
}

export class KeyTables {
  private readonly tables = new Map<string, Map<number, Binding>>();
  private prefixKey = DEFAULT_PREFIX;
  private prefix2Key: number | null = null;
  private bindingCount = 0;
  private totalCost = 0;

  get prefix(): number {
    return this.prefixKey;
  }

  isPrefix(key: number): boolean {
    return key === this.prefixKey || key === this.prefix2Key;
  }

  lookup(table: string, key: number): Binding | undefined {
    return this.tables.get(table)?.get(key);
  }

  hasTable(name: string): boolean {
    return this.tables.has(name);
  }

  /** The bindings of one table or of all, tables by name and keys by code: the order tmux lists them in. */
  list(tableName?: string): ListedBinding[] {
    const names = [...this.tables.keys()].filter((name) => tableName === undefined || name === tableName).sort(byteOrder);
    const listed: ListedBinding[] = [];
    for (const table of names) {
      const keys = [...this.tables.get(table)!.keys()].sort((a, b) => a - b);
      for (const key of keys) listed.push({ table, key, binding: this.tables.get(table)!.get(key)! });
    }
    return listed;
  }

  /** Applies a replicated bind-key/unbind-key/set-option argv; returns false if it was not one. */
  apply(argv: CommandArgv): boolean {
    switch (argv[0]) {
      case 'bind-key':
      case 'bind':
        return this.bind(argv.slice(1));
      case 'unbind-key':
      case 'unbind':
        return this.unbind(argv.slice(1));
      case 'set-option':
      case 'set':
        return this.setOption(argv.slice(1));
      default:
        return false;
    }
  }

  private bind(args: CommandArgv): boolean {
    const parsed = parseFlags(args, new Set(['T', 't', 'R']));
    if (!parsed) return false;
    const [keyName, ...command] = parsed.rest;
    const key = keyName === undefined ? null : keyFromName(keyName);
    if (key === null || command.length === 0 || parsed.flags.has('t')) return false;
    const table = parsed.flags.has('n') ? ROOT_TABLE : (parsed.flags.get('T') ?? PREFIX_TABLE);
    return this.store(table, key, { commands: splitCommandList(command), repeat: parsed.flags.has('r') });
  }

  /** Adds or replaces a binding unless that would go over a limit. */
  private store(name: string, key: number, binding: Binding): boolean {
    const existing = this.tables.get(name);
    const old = existing?.get(key);
    const cost = costOf(binding);
    if (!existing && this.tables.size >= MAX_TABLES) return false;
    if (!old && this.bindingCount >= MAX_BINDINGS) return false;
    if (this.totalCost - (old ? costOf(old) : 0) + cost > MAX_BINDINGS_COST) return false;
    const table = existing ?? new Map<number, Binding>();
    if (!existing) this.tables.set(name, table);
    if (old) this.forget(old);
    table.set(key, binding);
    this.bindingCount++;
    this.totalCost += cost;
    return true;
  }

  private forget(binding: Binding): void {
    this.bindingCount--;
    this.totalCost -= costOf(binding);
  }

  private unbind(args: CommandArgv): boolean {
    const parsed = parseFlags(args, new Set(['T', 't']));
    if (!parsed) return false;
    const table = parsed.flags.has('n') ? ROOT_TABLE : (parsed.flags.get('T') ?? PREFIX_TABLE);
    const bindings = this.tables.get(table);
    if (parsed.flags.has('a')) {
      for (const binding of bindings?.values() ?? []) this.forget(binding);
      this.tables.delete(table);
      return true;
    }
    const key = parsed.rest[0] === undefined ? null : keyFromName(parsed.rest[0]);
    if (key === null) return false;
    const old = bindings?.get(key);
    if (bindings && old) {
      this.forget(old);
      bindings.delete(key);
      if (bindings.size === 0) this.tables.delete(table);
    }
    return true;
  }

  private setOption(args: CommandArgv): boolean {
    const parsed = parseFlags(args, new Set(['t']));
    if (!parsed) return false;
    const [name, value] = parsed.rest;
    if (name !== 'prefix' && name !== 'prefix2') return true;
    const key = value === undefined || value === 'None' ? null : keyFromName(value);
    if (name === 'prefix' && key !== null) this.prefixKey = key;
    if (name === 'prefix2') this.prefix2Key = key;
    return true;
  }
}

interface ParsedFlags {
  flags: Map<string, string>;
  rest: string[];
}

/**
 * getopt-style parsing of tmux flags: `-nr`, `-T table`, `-Ttable`. Flags listed in `withValue`
 * take a value. Parsing stops at the first non-flag argument or `--`.
 */
export function parseFlags(args: CommandArgv, withValue: ReadonlySet<string>): ParsedFlags | null {
  const flags = new Map<string, string>();
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg.length < 2) break;
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] ?? '';
      if (!withValue.has(letter)) {
        flags.set(letter, '');
        continue;
      }
      const glued = arg.slice(j + 1);
      const value = glued.length > 0 ? glued : args[++i];
      if (value === undefined) return null;
      flags.set(letter, value);
      break;
    }
  }
  return { flags, rest: args.slice(i) };
}

/** Splits `a b; c d` argv (with `;` glued to an argument, or standing alone) into commands. */
export function splitCommandList(argv: CommandArgv): CommandArgv[] {
  const commands: string[][] = [];
  let current: string[] = [];
  for (const arg of argv) {
    if (arg === ';') {
      commands.push(current);
      current = [];
    } else if (arg.endsWith(';') && !arg.endsWith('\\;')) {
      current.push(arg.slice(0, -1));
      commands.push(current);
      current = [];
    } else {
      current.push(arg.endsWith('\\;') ? `${arg.slice(0, -2)};` : arg);
    }
  }
  commands.push(current);
  return commands.filter((c) => c.length > 0);
}
