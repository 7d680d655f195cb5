// TmateHost: drives the real, stock `tmate` client (Debian 2.4.0) headless against a server under test.
//
// Each host gets a private temp dir holding tmate.conf (server host/port/fingerprints), the control socket, the
// shell's HOME and the server's message log. `new-session -d` makes tmate daemonise: the process we spawn exits
// at once and the tmate *server* lives on as an orphan (parent = init), so we find it with `display -p '#{pid}'`
// and track it through /proc (a zombie counts as gone: in containers init often never reaps orphans).
//
// Messages: a headless host has no attached client, so `tmate show-messages` fails with "no current client".
// The host is therefore started with `-v`, which makes the tmate server log every status message
// ("Connecting to …", "Cannot authenticate server", NOTIFY texts, "Reconnecting… (…)") to
// <dir>/tmate-server-<pid>.log in its cwd; messages()/showMessages() read that file.
import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { makeTempDir, type TempDir } from './temp-dir.js';
import { DEFAULT_TIMEOUT_MS, runProcess, waitFor, withTimeout, type RunResult } from './wait.js';

export interface TmateHostOptions {
  /** Port of the server under test. */
  port: number;
  /** Server host. Default 127.0.0.1. */
  host?: string;
  /** `SHA256:…` (unpadded) of the server's ed25519 host key. */
  ed25519Fingerprint: string;
  /** Default: a value that matches nothing (fine as long as the server offers ed25519, which libssh prefers). */
  rsaFingerprint?: string;
  /** Session size. Default 80×24 (the pane is then 80×23: tmate keeps a status row). */
  cols?: number;
  rows?: number;
  /** Arguments before `new-session`, e.g. `['-a', keysFile, '-n', 'rwname', '-r', 'roname']`. */
  extraArgs?: string[];
  /** Extra tmate.conf lines. */
  extraConfig?: string[];
  /** Pane command. Default: `env PS1='$ ' bash --norc --noprofile` (prompt is exactly "$ "). */
  shellCommand?: string;
  /** Extra environment for every tmate invocation (HOME is the temp dir unless overridden here). */
  env?: Record<string, string>;
  /** Start the server with -v so messages() works. Default true. */
  verbose?: boolean;
}

export const DEFAULT_SHELL_COMMAND = "env PS1='$ ' bash --norc --noprofile";
/** A syntactically valid fingerprint that matches no key. */
export const NON_MATCHING_FINGERPRINT = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export interface SshTarget {
  user: string;
  host: string;
  port: number;
}

/** Parses `ssh -pPORT USER@HOST` / `ssh -p PORT USER@HOST` / `ssh USER@HOST` (port 22). */
export function parseSshCommand(command: string): SshTarget {
  const words = command.trim().split(/\s+/);
  if (words[0] !== 'ssh') throw new Error(`not an ssh command: ${JSON.stringify(command)}`);
  let port = 22;
  let dest: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-p') port = Number(words[++i]);
    else if (w.startsWith('-p')) port = Number(w.slice(2));
    else if (!w.startsWith('-')) dest = w;
  }
  const at = dest?.lastIndexOf('@') ?? -1;
  if (!dest || at <= 0 || !Number.isInteger(port)) throw new Error(`cannot parse ssh command: ${JSON.stringify(command)}`);
  return { user: dest.slice(0, at), host: dest.slice(at + 1), port };
}

// ---- process tracking through /proc (the tmate server is not our child) ----

interface ProcId {
  pid: number;
  /** Field 22 of /proc/PID/stat, to tell a reused pid apart. */
  startTime: string;
}

function readStat(pid: number): { state: string; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); field 22 (starttime) is rest[19]
    return { state: rest[0]!, startTime: rest[19]! };
  } catch {
    return undefined;
  }
}

function procId(pid: number): ProcId | undefined {
  const st = readStat(pid);
  return st ? { pid, startTime: st.startTime } : undefined;
}

/** Alive = exists, same start time, and not a zombie. */
function isAlive(p: ProcId): boolean {
  const st = readStat(p.pid);
  return st !== undefined && st.startTime === p.startTime && st.state !== 'Z' && st.state !== 'X';
}

function signal(p: ProcId, sig: NodeJS.Signals): void {
  if (!isAlive(p)) return;
  try {
    process.kill(p.pid, sig);
  } catch {
    // gone meanwhile
  }
}

// Safety net: SIGKILL every tmate server still alive when the test worker exits.
const liveHosts = new Set<ProcId>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of liveHosts) signal(p, 'SIGKILL');
  });
}

export class TmateHost {
  readonly dir: string;
  readonly socketPath: string;
  readonly configPath: string;
  readonly options: Readonly<TmateHostOptions>;
  /** The full argv of the start command (without the program name). */
  readonly startArgs: readonly string[];

  readonly #tempDir: TempDir;
  readonly #env: NodeJS.ProcessEnv;
  #server: ProcId | undefined;
  #exited: Promise<void> | undefined;
  #killing: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  private constructor(tempDir: TempDir, opts: TmateHostOptions, env: NodeJS.ProcessEnv, startArgs: string[]) {
    this.#tempDir = tempDir;
    this.dir = tempDir.path;
    this.socketPath = join(tempDir.path, 's');
    this.configPath = join(tempDir.path, 'tmate.conf');
    this.options = opts;
    this.#env = env;
    this.startArgs = startArgs;
  }

  /**
   * Writes the config, runs `tmate -v -f CONF -S SOCK [extraArgs] new-session -d -x COLS -y ROWS SHELL`, and finds
   * the daemonised server. Does not wait for the server connection: call waitReady().
   */
  static async start(opts: TmateHostOptions): Promise<TmateHost> {
    installExitHook();
    // unix socket paths are limited to 107 bytes: fall back to /tmp if TMPDIR is long.
    const parent = tmpdir().length > 60 ? '/tmp' : tmpdir();
    const tempDir = await makeTempDir('tmh-', parent);
    const socketPath = join(tempDir.path, 's');
    const configPath = join(tempDir.path, 'tmate.conf');
    const config = [
      `set -g tmate-server-host ${opts.host ?? '127.0.0.1'}`,
      `set -g tmate-server-port ${opts.port}`,
      `set -g tmate-server-ed25519-fingerprint ${opts.ed25519Fingerprint}`,
      `set -g tmate-server-rsa-fingerprint ${opts.rsaFingerprint ?? NON_MATCHING_FINGERPRINT}`,
      // New windows and panes run the same predictable shell as the first one.
      `set -g default-command "${(opts.shellCommand ?? DEFAULT_SHELL_COMMAND).replace(/"/g, '\\"')}"`,
      ...(opts.extraConfig ?? []),
      '',
    ].join('\n');
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: tempDir.path, TERM: 'xterm-256color', ...opts.env };
    for (const k of ['TMUX', 'TMUX_PANE', 'SSH_AUTH_SOCK', 'TMATE']) if (!opts.env?.[k]) delete env[k];
    const startArgs = [
      ...(opts.verbose === false ? [] : ['-v']),
      '-f', configPath,
      '-S', socketPath,
      ...(opts.extraArgs ?? []),
      'new-session', '-d',
      '-x', String(opts.cols ?? 80),
      '-y', String(opts.rows ?? 24),
      opts.shellCommand ?? DEFAULT_SHELL_COMMAND,
    ];
    const host = new TmateHost(tempDir, opts, env, startArgs);
    try {
      await writeFile(configPath, config, { mode: 0o600 });
      // resolveOnExit: the forked server must not be able to hold our pipes open.
      const r = await runProcess('tmate', startArgs, { env, cwd: tempDir.path, timeoutMs: 10_000, resolveOnExit: true });
      if (r.code !== 0) {
        throw new Error(`tmate ${startArgs.join(' ')} failed (code ${r.code}, signal ${r.signal}): ${r.stderr}${r.stdout}`);
      }
      const pidText = await host.display('#{pid}');
      const pid = Number(pidText);
      const id = Number.isInteger(pid) && pid > 0 ? procId(pid) : undefined;
      if (!id) throw new Error(`cannot find the tmate server process (display #{pid} gave ${JSON.stringify(pidText)})`);
      host.#server = id;
      liveHosts.add(id);
      return host;
    } catch (err) {
      await host.close().catch(() => undefined);
      throw err;
    }
  }

  /** Pid of the tmate server process (the daemon). */
  get pid(): number {
    return this.#server?.pid ?? -1;
  }

  isRunning(): boolean {
    return this.#server !== undefined && isAlive(this.#server);
  }

  /** Resolves when the tmate server process is gone (exited or zombie). Polls /proc. */
  get exited(): Promise<void> {
    this.#exited ??= (async () => {
      while (this.isRunning()) {
        await new Promise<void>((resolve) => setTimeout(resolve, 50).unref());
      }
    })();
    return this.#exited;
  }

  /** Runs `tmate -S SOCK ARGS…` and returns the raw result (never throws on a non-zero exit). */
  tmate(args: readonly string[], timeoutMs: number = DEFAULT_TIMEOUT_MS): Promise<RunResult> {
    return runProcess('tmate', ['-S', this.socketPath, ...args], { env: this.#env, cwd: this.dir, timeoutMs });
  }

  /** Like tmate(), but throws (with the messages log) on a non-zero exit. Resolves with stdout. */
  async tmateChecked(args: readonly string[], timeoutMs: number = DEFAULT_TIMEOUT_MS): Promise<string> {
    const r = await this.tmate(args, timeoutMs);
    if (r.code !== 0) {
      throw new Error(
        `tmate -S ${this.socketPath} ${args.join(' ')} failed (code ${r.code}, signal ${r.signal}): ${r.stderr}${r.stdout}\n` +
          (await this.#describe()),
      );
    }
    return r.stdout;
  }

  /** `tmate wait tmate-ready`, killed after timeoutMs; the error then includes the host's messages. */
  async waitReady(timeoutMs: number = 15_000): Promise<void> {
    let r: RunResult;
    try {
      r = await this.tmate(['wait', 'tmate-ready'], timeoutMs);
    } catch (err) {
      throw new Error(`tmate never became ready: ${(err as Error).message}\n${await this.#describe()}`);
    }
    if (r.code !== 0) {
      throw new Error(`tmate wait tmate-ready failed (code ${r.code}): ${r.stderr}\n${await this.#describe()}`);
    }
  }

  /** `tmate display -p FORMAT`, without the trailing newline. */
  async display(format: string): Promise<string> {
    return (await this.tmateChecked(['display', '-p', format])).replace(/\n$/, '');
  }

  sshCommand(): Promise<string> {
    return this.display('#{tmate_ssh}');
  }

  sshRoCommand(): Promise<string> {
    return this.display('#{tmate_ssh_ro}');
  }

  /** User parts of #{tmate_ssh} / #{tmate_ssh_ro} (the ro one as given by the server, e.g. `ro-…`). */
  async tokens(): Promise<{ rw: string; ro: string }> {
    const [rw, ro] = await Promise.all([this.sshCommand(), this.sshRoCommand()]);
    return { rw: parseSshCommand(rw).user, ro: parseSshCommand(ro).user };
  }

  /** `tmate send-keys KEYS…` (tmux key names: 'Enter', 'C-c', 'q'; use sendText() for literal text). */
  async sendKeys(...keys: string[]): Promise<void> {
    await this.tmateChecked(['send-keys', ...keys]);
  }

  /** `tmate send-keys -l TEXT` (literal). */
  async sendText(text: string): Promise<void> {
    await this.tmateChecked(['send-keys', '-l', text]);
  }

  /** Whether the active pane is in a mode (copy mode; e.g. the startup tips). */
  async inMode(): Promise<boolean> {
    return (await this.display('#{pane_in_mode}')) === '1';
  }

  /**
   * Leaves the startup tips ("output copy mode") by pressing q on the host, if the pane is in a mode, and waits
   * until it has left. Never types q into the shell.
   */
  async dismissTips(timeoutMs: number = DEFAULT_TIMEOUT_MS): Promise<void> {
    await waitFor(
      async () => {
        if (!(await this.inMode())) return true;
        await this.sendKeys('q');
        return !(await this.inMode());
      },
      { timeoutMs, intervalMs: 50, describe: () => 'tmate pane to leave copy mode (tips)' },
    );
  }

  /** The host's status messages from the -v log, oldest first, without timestamps. */
  async messages(): Promise<string[]> {
    let files: string[];
    try {
      files = (await readdir(this.dir)).filter((f) => /^tmate-server-\d+\.log$/.test(f)).sort();
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const f of files) {
      const text = await readFile(join(this.dir, f), 'utf8').catch(() => '');
      for (const line of text.split('\n')) {
        if (line === '') continue;
        out.push(line.replace(/^\d+\.\d+ /, ''));
      }
    }
    return out;
  }

  /**
   * Like `tmate show-messages` for a headless host: `show-messages` itself when a client is attached, otherwise
   * the -v message log (one message per line).
   */
  async showMessages(): Promise<string> {
    const r = await this.tmate(['show-messages']);
    if (r.code === 0 && r.stdout.trim() !== '') return r.stdout.replace(/\n$/, '');
    return (await this.messages()).join('\n');
  }

  /** Waits until a message containing `text` (or matching the regex) was logged. Resolves with that message. */
  async waitForMessage(text: string | RegExp, timeoutMs: number = DEFAULT_TIMEOUT_MS): Promise<string> {
    const test = typeof text === 'string' ? (s: string) => s.includes(text) : (s: string) => text.test(s);
    let last: string[] = [];
    return waitFor(
      async () => {
        last = await this.messages();
        return last.find(test);
      },
      { timeoutMs, intervalMs: 50, describe: () => `tmate message ${String(text)}; messages so far:\n${last.join('\n')}` },
    );
  }

  /** `tmate capture-pane -p` (trailing blanks of each line are stripped by tmux). */
  async capturePane(target?: string): Promise<string> {
    return this.tmateChecked(['capture-pane', '-p', ...(target ? ['-t', target] : [])]);
  }

  async #describe(): Promise<string> {
    const messages = await this.messages().catch(() => []);
    return (
      `tmate host ${this.dir} (server pid ${this.pid}, ${this.isRunning() ? 'running' : 'not running'})\n` +
      `--- messages ---\n${messages.join('\n')}\n--- end of messages ---`
    );
  }

  /** Failure-message helper: state and messages of the host. */
  describeState(): Promise<string> {
    return this.#describe();
  }

  /**
   * `kill-server`, then SIGKILL the server if it lingers, and wait until it (and the panes' processes) are gone.
   * Idempotent. Keeps the temp dir (messages stay readable); close() also removes it.
   */
  kill(): Promise<void> {
    this.#killing ??= (async () => {
      const server = this.#server;
      if (!server) {
        // start() failed before the server was identified: still ask whatever listens on the socket to quit.
        await this.tmate(['kill-server'], 3000).catch(() => undefined);
        return;
      }
      let panePids: ProcId[] = [];
      if (isAlive(server)) {
        const panes = await this.tmate(['list-panes', '-a', '-F', '#{pane_pid}'], 3000).catch(() => undefined);
        panePids = (panes?.stdout ?? '')
          .split('\n')
          .map((s) => Number(s))
          .filter((n) => Number.isInteger(n) && n > 0)
          .flatMap((n) => procId(n) ?? []);
        await this.tmate(['kill-server'], 3000).catch(() => undefined);
      }
      const gone = (p: ProcId) => () => !isAlive(p);
      try {
        await waitFor(gone(server), { timeoutMs: 3000, intervalMs: 20, describe: () => `tmate server ${server.pid} to exit` });
      } catch {
        signal(server, 'SIGKILL');
        await waitFor(gone(server), {
          timeoutMs: 5000,
          intervalMs: 20,
          describe: () => `tmate server ${server.pid} to die after SIGKILL`,
        });
      }
      liveHosts.delete(server);
      // Shells get SIGHUP when their pty closes; make sure nothing survives.
      for (const p of panePids) signal(p, 'SIGKILL');
      for (const p of panePids) {
        await waitFor(gone(p), { timeoutMs: 5000, intervalMs: 20, describe: () => `pane process ${p.pid} to exit` });
      }
      await withTimeout(this.exited, 1000, () => 'exited promise after kill');
    })();
    return this.#killing;
  }

  /** kill() and remove the temp dir. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.kill();
      } finally {
        await this.#tempDir.cleanup();
      }
    })();
    return this.#closing;
  }
}
