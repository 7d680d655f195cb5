/**
 * Fuzz target `command-line`: tmux command lines as EXEC_CMD_STR carries them (parseCommandLine),
 * and what the host engine does with them (runCommandLine / runArgv behind HostEngine.handle).
 *
 * Inputs: the EXEC_CMD_STR lines and EXEC_CMD argv of the recorded traces, lines assembled from a
 * vocabulary of tmux syntax (quotes, `\` escapes, `$VAR`, `${VAR}`, `~`, `#`, `;`, `\;`,
 * NAME=value) and command words/flags/targets, random strings; plus lines built so the answer is
 * known: plain words, single-quoted and double-quoted arbitrary text.
 *
 * Property: the parser never throws; a refusal is exactly `invalid or unknown command: <line>`;
 * commands are lists of strings; plain words parse to themselves; `'text'` and `"text"` parse to
 * the text. Every line and every parsed command also runs in a host engine (fake PTYs): handle()
 * never throws, and no FAILED_CMD cause is a caught exception (`<command>: <JS error>`), which
 * is how command-runner reports a command that threw. The engine is renewed every 50 cases (and
 * when a command ended it), so its windows and buffers stay bounded.
 */
import fc from 'fast-check';
import { parseCommandLine } from '../../../src/core/host/command-line.js';
import { COMMANDS } from '../../../src/core/host/commands/registry.js';
import { FakePty } from '../../unit/host/helpers.js';
import { HostEngine } from '../../../src/core/host/host-engine.js';
import { ManualClock } from '../../../src/core/util/clock.js';
import { check, checkSync, type FuzzTarget } from '../fuzz-target.js';
import { traceSeeds } from '../seeds.js';

const ENV: Readonly<Record<string, string>> = { HOME: '/home/ci', SHELL: '/bin/bash', TERM: 'screen-256color', X: 'a b', EMPTY: '' };
const env = (name: string): string | undefined => ENV[name];

const TOKENS: readonly string[] = [
  ' ', ' ', ' ', '\t', ';', ' ; ', '\\;', "'", '"', '\\', '\\e', '\\n', '\\"', '$', '$HOME', '${HOME}', '${', '}', '{', '$X', '${NOPE}',
  '~', '~/', '~root', '#', 'A=1', '=', 'new-window', 'neww', 'split-window', '-v', '-h', '-p', '50', '-l', '-t', ':=0', ':1', '1.2',
  '%0', '%9', '@1', '!', '-1', 'select-window', 'select-pane', '-U', '-Z', 'kill-pane', 'kill-window', 'rename-window', 'send-keys',
  'C-b', 'Enter', '-X', 'copy-mode', '-u', 'display-message', '-p', '#{pane_id}', 'resize-pane', '-x', '10', 'swap-pane', '-D',
  'last-window', 'next-window', 'previous-window', 'last-pane', 'break-pane', 'join-pane', 'move-window', 'swap-window',
  'new-session', 'detach-client', 'send-prefix', 'bogus-cmd', 's', 'kill-s', '-n', 'name', '-d', 'cat', '-c', '/tmp', '--',
];
/** Commands that end the engine's session; kept rare so most cases exercise a live engine. */
const ENDERS: readonly string[] = ['kill-server', 'kill-session'];

const COMMAND_NAMES: readonly string[] = COMMANDS.map((spec) => spec.name);

interface Case {
  line: string;
  /** What parseCommandLine must return, when the generator knows. */
  expected: string[][] | null;
}

const plainWord = fc.stringMatching(/^[a-z0-9][a-z0-9.:%@+-]{0,7}$/);
const blank = fc.constantFrom(' ', '\t', '  ', ' \t ');

function cases(): fc.Arbitrary<Case> {
  const seeds = traceSeeds();
  const traceLines = [
    ...seeds.in.filter((m) => m[0] === 3).map((m) => String(m[2])),
    ...seeds.in.filter((m) => m[0] === 7).map((m) => m.slice(2).map(String).join(' ')),
    ...seeds.out.filter((m) => m[0] === 12).map((m) => m.slice(1).map(String).join(' ')),
  ];
  const token = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...TOKENS) },
    { weight: 1, arbitrary: fc.constantFrom(...ENDERS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  );
  const assembled = fc.array(token, { maxLength: 16 }).map((t): Case => ({ line: t.join(''), expected: null }));
  const fromTrace = fc
    .tuple(fc.constantFrom(...traceLines), fc.array(fc.tuple(fc.nat(), token), { maxLength: 3 }))
    .map(([line, inserts]): Case => {
      let out = line;
      for (const [at, t] of inserts) out = out.slice(0, at % (out.length + 1)) + t + out.slice(at % (out.length + 1));
      return { line: out, expected: null };
    });
  const words = fc
    .tuple(fc.array(plainWord, { minLength: 1, maxLength: 6 }), blank)
    .map(([w, sep]): Case => ({ line: w.join(sep), expected: [w] }));
  // Inside '…' nothing is special; a word ending in ';' still ends a command and NAME=… words
  // at the start are assignments, so those two are left out of the oracle.
  const singleQuoted = fc
    .tuple(plainWord, fc.string({ maxLength: 20 }).filter((s) => !s.includes("'") && !s.endsWith(';') && !s.includes('=')))
    .map(([cmd, s]): Case => ({ line: `${cmd} '${s}'`, expected: [[cmd, s]] }));
  const doubleQuoted = fc
    .tuple(plainWord, fc.string({ maxLength: 20 }).filter((s) => !/["\\$]/.test(s) && !s.endsWith(';') && !s.includes('=')))
    .map(([cmd, s]): Case => ({ line: `${cmd} "${s}"`, expected: [[cmd, s]] }));
  return fc.oneof(
    { weight: 6, arbitrary: assembled },
    { weight: 3, arbitrary: fromTrace },
    { weight: 1, arbitrary: words },
    { weight: 1, arbitrary: singleQuoted },
    { weight: 1, arbitrary: doubleQuoted },
  );
}

/** One host engine with fake PTYs, renewed every RENEW_EVERY cases or when it ended. */
class EngineHolder {
  private static readonly RENEW_EVERY = 50;
  private engine: HostEngine | null = null;
  private uses = 0;
  private ended = false;
  readonly causes: string[] = [];

  get(): HostEngine {
    if (this.engine && !this.ended && this.uses < EngineHolder.RENEW_EVERY) {
      this.uses++;
      return this.engine;
    }
    this.engine?.stop();
    const engine = new HostEngine({
      pty: new FakePty(),
      clock: new ManualClock(),
      cols: 80,
      rows: 23,
      command: null,
      env: { ...ENV },
      scrollback: 100,
      keyMode: 'emacs',
    });
    engine.onMessage((m) => {
      if (m.type === 'failed-cmd') this.causes.push(m.cause);
    });
    engine.onEnd(() => {
      this.ended = true;
    });
    engine.start();
    this.engine = engine;
    this.ended = false;
    this.uses = 1;
    return engine;
  }

  close(): void {
    this.engine?.stop();
    this.engine = null;
  }
}

function assertNoCaughtException(causes: string[]): void {
  for (const cause of causes.splice(0)) {
    const thrower = COMMAND_NAMES.find((name) => cause.startsWith(`${name}: `));
    check(thrower === undefined, () => `${thrower} threw: ${cause}`);
  }
}

function property(holder: EngineHolder, c: Case): void {
  const parsed = parseCommandLine(c.line, env);
  if (!parsed.ok) {
    check(parsed.error === `invalid or unknown command: ${c.line}`, () => `odd error ${JSON.stringify(parsed.error)}`);
    check(c.expected === null, () => `refused ${JSON.stringify(c.line)}`);
  } else {
    check(parsed.commands.every((cmd) => Array.isArray(cmd) && cmd.every((w) => typeof w === 'string')), 'commands are not string lists');
    if (c.expected !== null) {
      check(JSON.stringify(parsed.commands) === JSON.stringify(c.expected), () => `${JSON.stringify(c.line)} parsed to ${JSON.stringify(parsed.commands)}`);
    }
  }
  holder.get().handle({ type: 'exec-cmd-str', clientId: 3, command: c.line });
  assertNoCaughtException(holder.causes);
  if (parsed.ok) {
    for (const argv of parsed.commands.slice(0, 3)) {
      if (argv.length > 0) holder.get().handle({ type: 'exec-cmd', clientId: 4, argv });
      assertNoCaughtException(holder.causes);
    }
  }
}

export const commandLine: FuzzTarget = {
  name: 'command-line',
  checks: 'parseCommandLine never throws, refuses with tmate\'s cause, parses known shapes exactly; the engine runs every line without a command throwing',
  quickRuns: 400,
  async run(params) {
    const holder = new EngineHolder();
    try {
      return checkSync(this.name, fc.property(cases(), (c) => property(holder, c)), params);
    } finally {
      holder.close();
    }
  },
};
