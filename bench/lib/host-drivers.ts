/**
 * Hosts that share a terminal through the relay under test. A HostDriver starts one host session
 * against a relay and reports when it became ready (the "session setup" figure) and the viewer
 * token. Everything typed into the session goes through a viewer, so a driver needs no control
 * channel into its host.
 *
 * - tmate: the stock Debian tmate 2.4.0, headless (`new-session -d`), ready when
 *   `tmate wait tmate-ready` returns; the startup tips are dismissed afterwards (not timed).
 * - engine: our own host engine, `node ENTRY host --server 127.0.0.1:PORT --fingerprint FP --quiet
 *   -- SHELL…`; ready when it prints its ssh line. Available once the `host` subcommand exists.
 * - local: a relay-local session, the same host engine run inside the relay process, created with
 *   `POST /api/sessions`; ready when the API answers 201. No SSH hop between host and relay: the
 *   floor of what the relay itself costs a keystroke.
 *
 * To add a host: implement HostDriver and list it in HOST_DRIVERS; targets.ts turns every driver
 * into a "relay + <driver>" target.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { descendants, isAlive, readStat } from './proc.js';
import type { RelayApi } from './relay-process.js';
import { killQuietly, makeTempDir, onCleanup, run, runChecked, sleep, type TempDir } from './sys.js';

/** The pane program of every session (hosts and the baseline): the prompt is exactly "$ ". */
export const SHELL_COMMAND = "env PS1='$ ' bash --norc --noprofile";
export const SHELL_ARGV = ['env', 'PS1=$ ', 'bash', '--norc', '--noprofile'];

export interface RelayEndpoint {
  port: number;
  ed25519Fingerprint: string;
  rsaFingerprint: string;
  /** The relay's entry point (the engine host runs from the same build). */
  entry: string;
  /** The relay's HTTP API (relay-local sessions), or null if the build printed none. */
  api: RelayApi | null;
}

export interface HostSession {
  /** Viewer token (the SSH user name to join with). */
  readonly token: string;
  /** From starting the host to the session being ready for viewers, ms. */
  readonly setupMs: number;
  /** Processes of the host (its CPU is reported next to the relay's). */
  pids(): number[];
  close(): Promise<void>;
}

export interface HostDriver {
  readonly id: string;
  readonly label: string;
  /** null when usable; otherwise why not (the target is then skipped with this note). */
  unavailable(relayEntry: string): Promise<string | null>;
  start(relay: RelayEndpoint, size: { cols: number; rows: number }): Promise<HostSession>;
}

// ---------------------------------------------------------------------------------------------
// stock tmate

class TmateSession implements HostSession {
  constructor(
    readonly token: string,
    readonly setupMs: number,
    private readonly dir: TempDir,
    private readonly socket: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly serverPid: number,
  ) {}

  pids(): number[] {
    return isAlive(this.serverPid) ? [this.serverPid] : [];
  }

  async close(): Promise<void> {
    const panes = isAlive(this.serverPid) ? descendants(this.serverPid) : [];
    await run('tmate', ['-S', this.socket, 'kill-server'], { env: this.env, timeoutMs: 3000 }).catch(() => undefined);
    for (let i = 0; i < 100 && isAlive(this.serverPid); i++) await sleep(20);
    killQuietly(this.serverPid);
    for (const pid of panes) killQuietly(pid);
    await this.dir.cleanup();
  }
}

export const tmateDriver: HostDriver = {
  id: 'tmate',
  label: 'stock tmate 2.4.0 host',
  async unavailable() {
    const r = await run('tmate', ['-V'], { timeoutMs: 5000 }).catch(() => null);
    return r && r.code === 0 ? null : 'tmate is not installed (apt-get install -y tmate)';
  },
  async start(relay, size) {
    const dir = await makeTempDir('bth-');
    const socket = join(dir.path, 's');
    const conf = join(dir.path, 'tmate.conf');
    await writeFile(
      conf,
      [
        'set -g tmate-server-host 127.0.0.1',
        `set -g tmate-server-port ${relay.port}`,
        `set -g tmate-server-ed25519-fingerprint ${relay.ed25519Fingerprint}`,
        `set -g tmate-server-rsa-fingerprint ${relay.rsaFingerprint}`,
        '',
      ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir.path, TERM: 'xterm-256color' };
    for (const k of ['TMUX', 'TMUX_PANE', 'SSH_AUTH_SOCK', 'TMATE']) delete env[k];
    const tmate = (args: string[], timeoutMs = 15_000): Promise<string> => runChecked('tmate', ['-S', socket, ...args], { env, cwd: dir.path, timeoutMs });
    let serverPid = -1;
    const unregister = onCleanup(async () => {
      await run('tmate', ['-S', socket, 'kill-server'], { env, timeoutMs: 3000 }).catch(() => undefined);
      if (serverPid > 0) killQuietly(serverPid);
    }, () => serverPid > 0 && killQuietly(serverPid));
    try {
      const t0 = process.hrtime.bigint();
      const start = await run('tmate', ['-f', conf, '-S', socket, 'new-session', '-d', '-x', String(size.cols), '-y', String(size.rows), SHELL_COMMAND], {
        env,
        cwd: dir.path,
        resolveOnExit: true,
      });
      if (start.code !== 0) throw new Error(`tmate new-session failed: ${start.stderr}`);
      await tmate(['wait', 'tmate-ready']);
      const setupMs = Number(process.hrtime.bigint() - t0) / 1e6;
      serverPid = Number((await tmate(['display', '-p', '#{pid}'])).trim());
      const ssh = (await tmate(['display', '-p', '#{tmate_ssh}'])).trim();
      const token = /(\S+)@\S+$/.exec(ssh)?.[1];
      if (!token) throw new Error(`cannot parse #{tmate_ssh}: ${JSON.stringify(ssh)}`);
      // Leave the startup tips (output copy mode) so viewer keys reach the shell.
      for (let i = 0; i < 50; i++) {
        if ((await tmate(['display', '-p', '#{pane_in_mode}'])).trim() !== '1') break;
        await tmate(['send-keys', 'q']);
        await sleep(20);
      }
      unregister();
      return new TmateSession(token, setupMs, dir, socket, env, serverPid);
    } catch (error) {
      unregister();
      await run('tmate', ['-S', socket, 'kill-server'], { env, timeoutMs: 3000 }).catch(() => undefined);
      if (serverPid > 0) killQuietly(serverPid);
      await dir.cleanup();
      throw error;
    }
  },
};

// ---------------------------------------------------------------------------------------------
// our host engine (`tmate-relay host`)

class EngineSession implements HostSession {
  constructor(
    readonly token: string,
    readonly setupMs: number,
    private readonly child: ChildProcess,
    private readonly unregister: () => void,
  ) {}

  pids(): number[] {
    const pid = this.child.pid;
    return pid !== undefined && readStat(pid) ? [pid] : [];
  }

  async close(): Promise<void> {
    this.unregister();
    await stopChild(this.child);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const panes = child.pid !== undefined ? descendants(child.pid) : [];
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
  for (const pid of panes) killQuietly(pid);
}

export const engineDriver: HostDriver = {
  id: 'engine',
  label: 'our host engine (tmate-relay host)',
  async unavailable(relayEntry) {
    const r = await run(process.execPath, [relayEntry, 'host', '--help'], { timeoutMs: 10_000 }).catch(() => null);
    if (r && r.code === 0 && /--server/.test(r.stdout)) return null;
    return '`tmate-relay host` is not available in this build yet (the host engine is being written)';
  },
  async start(relay) {
    const args = [
      relay.entry, 'host',
      '--server', `127.0.0.1:${relay.port}`,
      '--fingerprint', relay.ed25519Fingerprint,
      '--quiet',
      '--', ...SHELL_ARGV,
    ];
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    const unregister = onCleanup(() => stopChild(child), () => child.pid !== undefined && child.exitCode === null && killQuietly(child.pid));
    let stdout = '';
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    try {
      const token = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`host engine not ready within 20 s: ${stderr}`)), 20_000);
        child.stdout!.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
          const m = /^ssh (?:-p\s*\d+ )?(\S+)@\S+$/m.exec(stdout);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`host engine exited (code ${code}) before ready: ${stderr}`));
        });
      });
      const setupMs = Number(process.hrtime.bigint() - t0) / 1e6;
      child.removeAllListeners('exit');
      return new EngineSession(token, setupMs, child, unregister);
    } catch (error) {
      unregister();
      await stopChild(child);
      throw error;
    }
  },
};

// ---------------------------------------------------------------------------------------------
// a relay-local session (our host engine inside the relay)

class LocalSession implements HostSession {
  constructor(
    readonly token: string,
    readonly setupMs: number,
    private readonly api: RelayApi,
    private readonly id: string,
  ) {}

  /** The host runs inside the relay, whose CPU is reported as the server's. */
  pids(): number[] {
    return [];
  }

  async close(): Promise<void> {
    // A relay that already stopped has ended the session with it.
    await apiRequest(this.api, 'DELETE', `/api/sessions/${encodeURIComponent(this.id)}`).catch(() => undefined);
  }
}

async function apiRequest(api: RelayApi, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`http://127.0.0.1:${api.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

export const localDriver: HostDriver = {
  id: 'local',
  label: 'relay-local session (our host engine inside the relay)',
  async unavailable(relayEntry) {
    const r = await run(process.execPath, [relayEntry, 'serve', '--help'], { timeoutMs: 10_000 }).catch(() => null);
    if (r && r.code === 0 && /--local-session/.test(r.stdout)) return null;
    return 'this build has no relay-local sessions';
  },
  async start(relay) {
    const api = relay.api;
    if (api === null) throw new Error('the relay printed no HTTP API port and token');
    const t0 = process.hrtime.bigint();
    const res = await apiRequest(api, 'POST', '/api/sessions', { command: SHELL_ARGV, quiet: true });
    const setupMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const created = res.json as { id?: unknown; ssh?: unknown };
    const m = typeof created.ssh === 'string' ? /(\S+)@\S+$/.exec(created.ssh) : null;
    if (res.status !== 201 || typeof created.id !== 'string' || !m) {
      throw new Error(`POST /api/sessions answered ${res.status}: ${JSON.stringify(res.json).slice(0, 300)}`);
    }
    return new LocalSession(m[1]!, setupMs, api, created.id);
  },
};

export const HOST_DRIVERS: readonly HostDriver[] = [tmateDriver, engineDriver, localDriver];
