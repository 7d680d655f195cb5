/**
 * `tmate-relay host`: runs our host engine on this machine (PTYs via node-pty) and shares it
 * through a relay over SSH or WebSocket; prints the ssh lines a CI log should show and mirrors
 * the session's output as plain text unless --quiet.
 *
 * Exit codes: the last window's exit status; HOST_EXIT for the relay-side failures.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { constants as osConstants, homedir, hostname, machine, release, tmpdir, type as osType, version } from 'node:os';
import { join, resolve } from 'node:path';
import { HostEngine } from '../core/host/host-engine.js';
import { systemClock } from '../core/util/clock.js';
import { formatDuration } from '../core/util/duration.js';
import { nodePtyPort } from '../server/host/node-pty-port.js';
import { DEFAULT_CONNECTION_OPTIONS, RelayConnection } from '../server/host/relay-connection.js';
import { sshHostTransport } from '../server/host/ssh-host-transport.js';
import { wsHostTransport } from '../server/host/ws-host-transport.js';
import { perPaneLogMirror } from '../server/host/log-mirror.js';
import type { HostTransport } from '../server/host/host-transport.js';
import { loadHostConfig, type HostConfig } from './host-config.js';
import { assertCommandStarts, ProgramLookupError } from '../server/host/find-program.js';

export const HOST_EXIT = {
  USAGE: 2,
  RELAY_UNREACHABLE: 69,
  ENDED_BY_RELAY: 75,
  FINGERPRINT_MISMATCH: 76,
  /** The relay answered but kept refusing the session (sessions per address, rate limit) for --connect-timeout. */
  REFUSED: 77,
  /** As sh and env(1): the command's program was found but cannot be run, or was not found. */
  COMMAND_NOT_EXECUTABLE: 126,
  COMMAND_NOT_FOUND: 127,
} as const;

export async function runHost(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const loaded = loadHostConfig(argv, env);
  if (!loaded.ok) {
    process.stderr.write(`tmate-relay host: invalid options:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return HOST_EXIT.USAGE;
  }
  const config = loaded.config;
  let authorizedKeys: string[] | undefined;
  let shell: ShellCommand;
  try {
    authorizedKeys = config.authorizedKeysFile ? await readAuthorizedKeys(config.authorizedKeysFile) : undefined;
    shell = await shellCommand(config);
    assertCommandStarts(config.command, process.env['PATH']);
  } catch (error) {
    process.stderr.write(`tmate-relay host: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof ProgramLookupError) return error.lookup.reason === 'not-found' ? HOST_EXIT.COMMAND_NOT_FOUND : HOST_EXIT.COMMAND_NOT_EXECUTABLE;
    return HOST_EXIT.USAGE;
  }
  if (config.server.kind === 'ssh' && config.fingerprints.length === 0) {
    process.stderr.write('tmate-relay host: warning: not verifying the relay\'s host key; pass --fingerprint SHA256:… (tmate-relay keys prints it)\n');
  }
  if (config.server.kind === 'ws' && config.server.url.startsWith('ws:')) {
    process.stderr.write('tmate-relay host: warning: ws:// is neither encrypted nor authenticated; use wss:// (or SSH with --fingerprint) outside a trusted network\n');
  }
  try {
    return await hostSession(config, shell.command, authorizedKeys, transportFor(config));
  } finally {
    if (shell.tempDir) await rm(shell.tempDir, { recursive: true, force: true });
  }
}

function transportFor(config: HostConfig): HostTransport {
  return config.server.kind === 'ws'
    ? wsHostTransport(config.server.url)
    : sshHostTransport({ host: config.server.host, port: config.server.port, fingerprints: config.fingerprints });
}

function hostSession(config: HostConfig, command: string[] | null, authorizedKeys: string[] | undefined, transport: HostTransport): Promise<number> {
  const engine = new HostEngine({
    pty: nodePtyPort,
    clock: systemClock,
    cols: process.stdout.isTTY ? process.stdout.columns : 80,
    rows: process.stdout.isTTY ? Math.max(2, process.stdout.rows - 1) : 24,
    command,
    env: shellEnv(),
    scrollback: 2000,
    keyMode: /vi/.test(process.env['VISUAL'] ?? process.env['EDITOR'] ?? '') ? 'vi' : 'emacs',
    uname: unameFields(),
    tmateOptions: { authorizedKeys, sessionName: config.name ?? undefined },
    relayOptions: relayOptionsOf(config),
  });
  return new Promise<number>((resolvePromise) => {
    let finished = false;
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      connection.stop();
      resolvePromise(code);
    };
    const connection = new RelayConnection(engine, transport, systemClock, {
      status: (text) => process.stderr.write(`tmate-relay host: ${text}\n`),
      fatal: (failure, message) => {
        process.stderr.write(`tmate-relay host: ${message}\n`);
        finish(failure === 'fingerprint' ? HOST_EXIT.FINGERPRINT_MISMATCH : failure === 'refused' ? HOST_EXIT.REFUSED : HOST_EXIT.RELAY_UNREACHABLE);
        engine.stop('SIGHUP');
      },
    }, { ...DEFAULT_CONNECTION_OPTIONS, giveUpAfterMs: config.connectTimeoutMs });
    const mirror = config.quiet ? null : mirrorOutput(engine);
    // Printed again only when they changed: a relay that lost the session (a drop longer than its
    // grace) gives new tokens, and a script reading stdout must not keep handing out dead ones.
    // Keyed by the session's links, not the lifetime line: a reconnect within the grace keeps the
    // tokens but has less time left, and must not print the same links again.
    let printedFor: string | null = null;
    engine.onReady(() => {
      const links = `${engine.env('tmate_ssh') ?? ''} ${engine.env('tmate_ssh_ro') ?? ''}`;
      if (links === printedFor) return;
      const info = connectionInfo(engine, config);
      process.stdout.write(printedFor === null ? info : `\n${info}`);
      printedFor = links;
      mirror?.release();
    });
    engine.onNotify((text) => process.stderr.write(`[tmate-relay] ${text}\n`));
    // Stopped by a signal, the host exits as a program killed by it would (128 + its number: 143
    // for SIGTERM, 130 for SIGINT), not with the status of the shells it hung up (129).
    let stoppedBy: NodeJS.Signals | null = null;
    engine.onEnd((status) => finish(engine.endedByRelay ? HOST_EXIT.ENDED_BY_RELAY : stoppedBy ? 128 + osConstants.signals[stoppedBy] : status));
    const stop = (signal: NodeJS.Signals): void => {
      stoppedBy ??= signal;
      engine.stop('SIGHUP');
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    engine.start();
    connection.start();
  });
}

function relayOptionsOf(config: HostConfig): Record<string, string> {
  const options: Record<string, string> = {};
  if (config.ttlMs !== null) options['tmate-relay-ttl'] = formatDuration(config.ttlMs);
  if (config.readOnly) options['tmate-relay-read-only'] = 'true';
  return options;
}

/** The lines that tell how to join: ssh, read-only, web, lifetime. */
function connectionInfo(engine: HostEngine, config: HostConfig): string {
  const lines: string[] = [];
  if (!config.readOnly) lines.push(engine.env('tmate_ssh') ?? '');
  lines.push(`read-only: ${engine.env('tmate_ssh_ro') ?? ''}`);
  const web = config.readOnly ? engine.env('tmate_web_ro') : engine.env('tmate_web');
  if (web) lines.push(`web: ${web}`);
  const ttl = Number(engine.env('tmate_relay_ttl_seconds') ?? '');
  if (Number.isFinite(ttl) && ttl > 0) lines.push(`This session will stay alive for ${describeMinutes(ttl)}.`);
  return `${lines.join('\n')}\n`;
}

function describeMinutes(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} seconds`;
  return `${Math.round(seconds / 60)} minutes`;
}

const MAX_HELD_OUTPUT = 1 << 20;

/**
 * Mirrors pane output to stdout: raw on a terminal, plain text lines in a log. Output produced
 * before the ssh lines are printed is held back (up to 1 MiB) so the log starts with them.
 */
function mirrorOutput(engine: HostEngine): { announced: boolean; release(): void } {
  const held: string[] = [];
  let heldBytes = 0;
  const state = {
    announced: false,
    release(): void {
      state.announced = true;
      for (const chunk of held.splice(0)) process.stdout.write(chunk);
    },
  };
  const emit = (text: string | Uint8Array): void => {
    if (state.announced) {
      process.stdout.write(text);
    } else if (heldBytes < MAX_HELD_OUTPUT) {
      const chunk = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
      held.push(chunk);
      heldBytes += chunk.length;
    }
  };
  if (process.stdout.isTTY) {
    engine.onPaneOutput((_paneId, data) => emit(data));
    return state;
  }
  engine.onPaneOutput(perPaneLogMirror(emit));
  return state;
}

async function readAuthorizedKeys(path: string): Promise<string[]> {
  const text = await readFile(expandHome(path), 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`--authorized-keys: cannot read ${path}: ${error.code ?? error.message}`);
  });
  const keys = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
  if (keys.length === 0) throw new Error(`--authorized-keys: ${path} lists no keys, so nobody could join`);
  return keys;
}

interface ShellCommand {
  command: string[] | null;
  /** Holds the rcfile of --init, which every new window's shell reads: removed when the host ends. */
  tempDir: string | null;
}

/** The first window's command: the given one, or a login shell that sources --init first. */
async function shellCommand(config: HostConfig): Promise<ShellCommand> {
  if (config.command) return { command: config.command, tempDir: null };
  if (!config.initFile) return { command: null, tempDir: null };
  const init = resolve(expandHome(config.initFile));
  await readFile(init).catch(() => {
    throw new Error(`--init: cannot read ${config.initFile}`);
  });
  const dir = await mkdtemp(join(tmpdir(), 'tmate-relay-init-'));
  const rc = join(dir, 'bashrc');
  await writeFile(rc, `[ -f ~/.bashrc ] && . ~/.bashrc\n. ${JSON.stringify(init)}\n`, { mode: 0o600 });
  return { command: ['bash', '--rcfile', rc, '-i'], tempDir: dir };
}

function expandHome(path: string): string {
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

function shellEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  env['TERM'] = 'screen-256color';
  env['TMATE_RELAY_SESSION'] = '1';
  return env;
}

function unameFields(): [string, string, string, string, string] {
  return [osType(), hostname(), release(), version(), machine()];
}
