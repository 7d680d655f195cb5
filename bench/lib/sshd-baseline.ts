/**
 * The baseline: Debian's OpenSSH `sshd` started by the bench on a loopback port with its own
 * config, host key and authorized_keys, plus one private `tmux` server (own socket, no config)
 * whose sessions run the same pane shell as the relay's hosts. A viewer joins with
 * `ssh -t -p PORT USER@127.0.0.1 tmux -S SOCK attach -t NAME`.
 *
 * What counts as the baseline "server" (CPU, memory): every sshd process (listener and the
 * per-connection ones, with the tmux clients they run) plus the tmux server, but not the shells in
 * the panes: those are the host's programs, which live on the tmate host in the relay setups.
 *
 * Invariant: stop() kills the tmux server, sshd and everything they started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { writeFile, chmod } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { descendants, isAlive, readStat } from './proc.js';
import { SHELL_COMMAND } from './host-drivers.js';
import { canRun, freePort, killQuietly, makeTempDir, onCleanup, run, runChecked, sleep, until, type TempDir } from './sys.js';

export const SSHD_PATH = '/usr/sbin/sshd';

export async function baselineUnavailable(): Promise<string | null> {
  const missing: string[] = [];
  if (!existsSync(SSHD_PATH)) missing.push('openssh-server');
  if (!(await canRun('tmux', ['-V']))) missing.push('tmux');
  if (missing.length === 0) return null;
  return `the baseline needs ${missing.join(' and ')}: sudo apt-get install -y ${missing.join(' ')}`;
}

export class SshdBaseline {
  private sshd: ChildProcess | null = null;
  private tmuxPid = -1;
  private nextSession = 0;
  port = 0;
  readonly user = userInfo().username;
  private unregister: () => void = () => undefined;

  private constructor(
    private readonly dir: TempDir,
    readonly socket: string,
  ) {}

  static async start(clientPublicKey: string): Promise<SshdBaseline> {
    const dir = await makeTempDir('bench-sshd-');
    const base = new SshdBaseline(dir, join(dir.path, 'tmux.sock'));
    try {
      await base.startSshd(clientPublicKey);
      await base.startTmux();
      return base;
    } catch (error) {
      await base.stop();
      throw error;
    }
  }

  private async startSshd(clientPublicKey: string): Promise<void> {
    const d = this.dir.path;
    await runChecked('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(d, 'host_ed25519')]);
    await writeFile(join(d, 'authorized_keys'), `${clientPublicKey}\n`);
    await chmod(join(d, 'authorized_keys'), 0o600);
    // sshd refuses to start without its privilege separation directory.
    if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
    this.port = await freePort();
    // The login shell gets an empty HOME: bash sources ~/.bashrc for ssh commands, and the
    // machine's own startup files (pyenv, …) must not be part of the baseline.
    const home = join(d, 'home');
    mkdirSync(home, { mode: 0o700 });
    const config = [
      `Port ${this.port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(d, 'host_ed25519')}`,
      `PidFile ${join(d, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(d, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PrintMotd no',
      'PrintLastLog no',
      'X11Forwarding no',
      'AllowTcpForwarding no',
      'MaxStartups 200:30:400',
      'MaxSessions 10',
      `SetEnv HOME=${home}`,
      'LogLevel ERROR',
      '',
    ].join('\n');
    const configPath = join(d, 'sshd_config');
    await writeFile(configPath, config);
    const check = await run(SSHD_PATH, ['-t', '-f', configPath]);
    if (check.code !== 0) throw new Error(`sshd -t rejected the bench config: ${check.stderr}`);
    const sshd = spawn(SSHD_PATH, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.sshd = sshd;
    let stderr = '';
    sshd.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-2000)));
    this.unregister = onCleanup(() => this.stop(), () => this.killAll());
    await until(
      async () => {
        if (sshd.exitCode !== null) throw new Error(`sshd exited (code ${sshd.exitCode}): ${stderr}`);
        const r = await run('ssh-keyscan', ['-p', String(this.port), '-T', '2', '127.0.0.1'], { timeoutMs: 5000 }).catch(() => null);
        return r !== null && r.stdout.includes('ssh-ed25519');
      },
      'sshd to accept connections',
      10_000,
      50,
    );
  }

  private async startTmux(): Promise<void> {
    await this.tmux(['-f', '/dev/null', 'start-server', ';', 'set', '-g', 'exit-empty', 'off']);
    this.tmuxPid = Number((await this.tmux(['display', '-p', '#{pid}'])).trim());
  }

  private tmux(args: string[]): Promise<string> {
    return runChecked('tmux', ['-S', this.socket, ...args], { env: tmuxEnv(), timeoutMs: 15_000 });
  }

  get sshdPid(): number {
    return this.sshd?.pid ?? -1;
  }

  get tmuxServerPid(): number {
    return this.tmuxPid;
  }

  /** Creates a tmux session running `command` (default: the bench shell); resolves with its name and the setup time. */
  async newSession(size: { cols: number; rows: number }, command: string = SHELL_COMMAND): Promise<{ name: string; setupMs: number }> {
    const name = `s${this.nextSession++}`;
    const t0 = process.hrtime.bigint();
    await this.tmux(['new-session', '-d', '-s', name, '-x', String(size.cols), '-y', String(size.rows), command]);
    return { name, setupMs: Number(process.hrtime.bigint() - t0) / 1e6 };
  }

  /** Creates many sessions with one tmux command per batch. */
  async newSessions(count: number, size: { cols: number; rows: number }, command: (i: number) => string = () => SHELL_COMMAND): Promise<string[]> {
    const names: string[] = [];
    const batch = 50;
    for (let i = 0; i < count; i += batch) {
      const args: string[] = [];
      for (let k = i; k < Math.min(count, i + batch); k++) {
        const name = `s${this.nextSession++}`;
        names.push(name);
        if (args.length > 0) args.push(';');
        args.push('new-session', '-d', '-s', name, '-x', String(size.cols), '-y', String(size.rows), command(k));
      }
      await this.tmux(args);
    }
    return names;
  }

  async killSession(name: string): Promise<void> {
    await this.tmux(['kill-session', '-t', name]).catch(() => undefined);
  }

  /** The remote command a viewer runs to join session `name`. */
  attachCommand(name: string): string[] {
    return ['tmux', '-S', this.socket, 'attach', '-t', name];
  }

  /** Baseline server processes: sshd (all) and the tmux server, without the pane shells. */
  serverPids(): number[] {
    const pids: number[] = [];
    if (this.sshd?.pid && isAlive(this.sshd.pid)) pids.push(this.sshd.pid, ...descendants(this.sshd.pid));
    if (this.tmuxPid > 0 && isAlive(this.tmuxPid)) pids.push(this.tmuxPid);
    return pids;
  }

  /** The shells (and their children) in tmux panes: the "host programs" of the baseline. */
  paneProcesses(): number[] {
    return this.tmuxPid > 0 ? descendants(this.tmuxPid) : [];
  }

  private killAll(): void {
    if (this.tmuxPid > 0) {
      for (const pid of descendants(this.tmuxPid)) killQuietly(pid);
      killQuietly(this.tmuxPid);
    }
    const sshdPid = this.sshd?.pid;
    if (sshdPid !== undefined) {
      for (const pid of descendants(sshdPid)) killQuietly(pid);
      killQuietly(sshdPid);
    }
  }

  async stop(): Promise<void> {
    this.unregister();
    if (this.tmuxPid > 0 && isAlive(this.tmuxPid)) {
      await run('tmux', ['-S', this.socket, 'kill-server'], { env: tmuxEnv(), timeoutMs: 5000 }).catch(() => undefined);
      for (let i = 0; i < 100 && readStat(this.tmuxPid) && isAlive(this.tmuxPid); i++) await sleep(20);
    }
    this.killAll();
    await this.dir.cleanup();
  }
}

function tmuxEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  delete env['TMUX'];
  delete env['TMUX_PANE'];
  return env;
}
