/**
 * Relay-local sessions: the host engine running inside the relay process, connected through an
 * in-memory pipe so it takes exactly the protocol path remote hosts take. Used at launch
 * (`--local-session`) and by the API (`POST /api/sessions`).
 *
 * Invariant: when the engine ends (every window exited, or the relay killed the session), its
 * connection is stopped; a local session never outlives its shells or vice versa.
 */
import { HostEngine } from '../../core/host/host-engine.js';
import type { Clock } from '../../core/util/clock.js';
import { formatDuration } from '../../core/util/duration.js';
import type { Relay } from '../relay/relay.js';
import type { RelaySession } from '../relay/relay-session.js';
import { assertCommandStarts } from './find-program.js';
import { memoryHostTransport } from './memory-host-transport.js';
import { nodePtyPort } from './node-pty-port.js';
import { RelayConnection } from './relay-connection.js';
import { perPaneLogMirror } from './log-mirror.js';

export interface LocalSessionOptions {
  command: string[] | null;
  ttlMs: number | null;
  /** false: mirror the session's output to the relay's stdout as plain text lines. */
  quiet?: boolean;
  cols?: number;
  rows?: number;
}

export interface LocalSession {
  session: RelaySession;
  engine: HostEngine;
  stop(): void;
}

const READY_TIMEOUT_MS = 10_000;

export function startLocalSession(relay: Relay, clock: Clock, options: LocalSessionOptions): Promise<LocalSession> {
  const env = localShellEnv();
  try {
    assertCommandStarts(options.command, env['PATH']);
  } catch (error) {
    return Promise.reject(error);
  }
  const relayOptions: Record<string, string> = {};
  if (options.ttlMs !== null) relayOptions['tmate-relay-ttl'] = formatDuration(options.ttlMs);
  const engine = new HostEngine({
    pty: nodePtyPort,
    clock,
    cols: options.cols ?? 80,
    rows: options.rows ?? 24,
    command: options.command,
    env,
    scrollback: 2000,
    keyMode: 'emacs',
    relayOptions,
  });
  return new Promise((resolve, reject) => {
    const connection = new RelayConnection(engine, memoryHostTransport(relay), clock, {
      status: () => undefined,
      fatal: (_failure, message) => {
        engine.stop('SIGHUP');
        reject(new Error(message));
      },
    });
    const timeout = clock.setTimeout(() => {
      connection.stop();
      engine.stop('SIGHUP');
      reject(new Error('the local session did not become ready'));
    }, READY_TIMEOUT_MS);
    engine.onEnd(() => connection.stop());
    if (options.quiet === false) mirrorToStdout(engine);
    engine.onReady(() => {
      timeout.cancel();
      const session = sessionOf(relay, engine.env('tmate_ssh') ?? '');
      if (!session) return reject(new Error('the local session registered no tokens'));
      resolve({ session, engine, stop: () => engine.stop('SIGHUP') });
    });
    engine.start();
    connection.start();
  });
}

function sessionOf(relay: Relay, sshCommand: string): RelaySession | undefined {
  const destination = sshCommand.trim().split(/\s+/).pop() ?? '';
  const token = destination.slice(0, destination.lastIndexOf('@'));
  return relay.registry.lookup(token)?.session;
}

function localShellEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('TMATE_RELAY_')) env[name] = value;
  }
  env['TERM'] = 'screen-256color';
  return env;
}

function mirrorToStdout(engine: HostEngine): void {
  engine.onPaneOutput(perPaneLogMirror((text) => process.stdout.write(text)));
}
