/**
 * Fuzz target `key-table`: the bind-key / unbind-key / set-option argv a host replicates
 * (KeyTables.apply, parseFlags, splitCommandList) and the key names in them (keyFromName).
 *
 * Inputs: sequences of argv lists — every replicated EXEC_CMD of the recorded traces (tmate's
 * 83 default bind-keys, set-options) plus hand-written table/prefix commands — with words
 * replaced, inserted, deleted or truncated using a vocabulary of flags (`-n`, `-T x`, `-Tx`,
 * `-nr`, `--`), key names (`C-M-S-Up`, `^A`, `0x7f`, `0xd800`, `None`, UTF-8), command separators
 * (`;`, `\;`, `a;`) and random strings.
 *
 * Property: nothing throws; apply returns a boolean and only true for bind/unbind/set words;
 * after an accepted bind-key the binding is found under its table and key, and none of its
 * commands is empty; every key name maps to null or a non-negative safe integer, and
 * keyFromName(keyToName(k)) === k (key-names.ts's documented round trip, with its two documented
 * exceptions); the prefix stays a key code.
 */
import fc from 'fast-check';
import { KeyTables, PREFIX_TABLE, ROOT_TABLE, parseFlags, splitCommandList } from '../../../src/core/mux/key-table.js';
import { KEYC_BASE, baseKey } from '../../../src/core/term/key-codes.js';
import { keyFromName, keyToName } from '../../../src/core/term/key-names.js';
import { check, checkSync, type FuzzTarget } from '../fuzz-target.js';
import { traceSeeds } from '../seeds.js';

const EXTRA_SEEDS: readonly (readonly string[])[] = [
  ['bind-key', '-T', 'copy-mode', 'q', 'send-keys', '-X', 'cancel'],
  ['bind-key', '-Tcopy-mode-vi', 'v', 'send-keys', '-X', 'begin-selection'],
  ['bind-key', '-n', 'M-Left', 'select-pane', '-L'],
  ['bind', '-r', 'C-Up', 'resize-pane', '-U', ';', 'display', 'x'],
  ['bind-key', 'x', 'kill-pane', '\\;', 'foo;', 'bar'],
  ['unbind-key', '-a'],
  ['unbind-key', '-n', 'MouseDown1Pane'],
  ['unbind', '-T', 'copy-mode', 'q'],
  ['set-option', '-g', 'prefix', 'C-a'],
  ['set', 'prefix2', 'None'],
  ['set-option', '-t', 'x', 'prefix', 'M-F1'],
];

const VOCABULARY: readonly string[] = [
  '-n', '-r', '-T', '-t', '-a', '--', '-', '-Tfoo', '-nr', '-rT', '-g', '-X', '-x',
  'prefix', 'prefix2', 'root', 'copy-mode', 'C-b', 'C-a', 'M-Up', 'S-F12', 'C-M-S-Right', 'c-m-s-x', '^A', '^', '^^', 'C-',
  'C-Space', 'C-@', 'C-?', 'M-é', 'é', '中', '😀', 'KP*', 'KPEnter', 'MouseDown1Pane', 'WheelUpStatus', 'FocusIn',
  'BSpace', 'Enter', 'Escape', 'Tab', 'BTab', 'None', 'none', 'Unknown', 'F13', '0x', '0x7f', '0x0', '0xffff', '0xd800', '0x10000',
  ';', '\\;', 'a;', 'a\\;', ';;', '', ' ', 'new-window', 'select-window', ':=0', 'send-keys', 'display-message',
];

type WordEdit =
  | { kind: 'replace' | 'insert'; at: number; word: string }
  | { kind: 'delete' | 'truncate'; at: number };

const word = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VOCABULARY) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);

const wordEdit: fc.Arbitrary<WordEdit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('replace' as const, 'insert' as const), at: fc.nat(), word }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'truncate' as const), at: fc.nat() }),
);

function editArgv(argv: readonly string[], edits: readonly WordEdit[]): string[] {
  const out = [...argv];
  for (const e of edits) {
    const at = e.at % (out.length + 1);
    if (e.kind === 'replace' && at < out.length) out[at] = e.word;
    else if (e.kind === 'insert' || e.kind === 'replace') out.splice(at, 0, e.word);
    else if (e.kind === 'delete') out.splice(at, 1);
    else out.length = at;
  }
  return out;
}

function seeds(): (readonly string[])[] {
  const replicated = traceSeeds()
    .out.filter((m) => m[0] === 12)
    .map((m) => m.slice(1).map(String));
  return [...EXTRA_SEEDS, ...replicated];
}

/** key-names.ts: the round trip holds except for the hex forms of 0x7f and of UTF-16 surrogates. */
function roundTripExempt(key: number): boolean {
  const base = baseKey(key);
  return base === 0x7f || (base >= 0xd800 && base <= 0xdfff);
}

function checkKeyName(name: string): void {
  const key = keyFromName(name);
  if (key === null) return;
  check(Number.isSafeInteger(key) && key >= 0, `keyFromName(${JSON.stringify(name)}) = ${key}`);
  if (roundTripExempt(key)) return;
  const printed = keyToName(key);
  check(keyFromName(printed) === key, () => `round trip: ${JSON.stringify(name)} → ${key} → ${JSON.stringify(printed)} → ${keyFromName(printed)}`);
}

const BIND_WORDS = new Set(['bind-key', 'bind', 'unbind-key', 'unbind', 'set-option', 'set']);

function property(sequence: readonly string[][]): void {
  const tables = new KeyTables();
  for (const argv of sequence) {
    for (const w of argv) checkKeyName(w);
    const commands = splitCommandList(argv);
    check(commands.every((c) => c.length > 0), 'splitCommandList produced an empty command');
    const accepted = tables.apply(argv);
    check(typeof accepted === 'boolean', 'apply did not return a boolean');
    check(!accepted || BIND_WORDS.has(argv[0] ?? ''), `accepted ${JSON.stringify(argv[0])}`);
    if (accepted && (argv[0] === 'bind-key' || argv[0] === 'bind')) {
      const parsed = parseFlags(argv.slice(1), new Set(['T', 't', 'R']));
      check(parsed !== null, 'accepted a bind-key whose flags do not parse');
      const table = parsed.flags.has('n') ? ROOT_TABLE : (parsed.flags.get('T') ?? PREFIX_TABLE);
      const key = keyFromName(parsed.rest[0] ?? '');
      check(key !== null, 'accepted a bind-key without a key');
      const binding = tables.lookup(table, key);
      check(binding !== undefined, () => `binding ${table}/${key} not found after bind-key`);
      // `bind-key t ;` binds nothing to run (tmux accepts it too); but no command is ever empty.
      check(binding.commands.every((c) => c.length > 0), 'binding has an empty command');
    }
    check(Number.isSafeInteger(tables.prefix) && tables.prefix >= 0 && (tables.prefix < KEYC_BASE * 16), `prefix ${tables.prefix}`);
  }
}

function cases(): fc.Arbitrary<string[][]> {
  const argv = fc
    .tuple(fc.constantFrom(...seeds()), fc.array(wordEdit, { maxLength: 4 }))
    .map(([s, edits]) => editArgv(s, edits));
  const randomArgv = fc.array(word, { maxLength: 8 });
  return fc.array(fc.oneof({ weight: 4, arbitrary: argv }, { weight: 1, arbitrary: randomArgv }), { minLength: 1, maxLength: 8 });
}

export const keyTable: FuzzTarget = {
  name: 'key-table',
  checks: 'KeyTables.apply/parseFlags/splitCommandList/keyFromName never throw; accepted binds are found; key names round-trip',
  quickRuns: 500,
  async run(params) {
    return checkSync(this.name, fc.property(cases(), property), params);
  },
};
