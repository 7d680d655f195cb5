// RelayProcess: the built relay (`node dist/main.js serve …`) as its own process, the way it runs
// in production, for fault tests that signal it (SIGTERM, SIGKILL) and start it again on the same
// port with the same keys directory. The bound port and the ed25519 fingerprint are read from what
// `serve` prints.
//
// Invariants: the process is killed (SIGKILL) at cleanup if it is still running; `exited`
// resolves with its exit code or signal; nothing here sleeps (waits are conditions with deadlines).
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { onCleanup } from '../../helpers/relay-fixture.js';
import { REPO_ROOT } from '../../helpers/engine-host.js';
import { waitFor } from '../../helpers/wait.js';

export interface RelayProcessOptions {
  keysDir: string;
  /** 0 picks a free port. */
  sshPort?: number;
  extraArgs?: string[];
}

export class RelayProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stdoutText = '';
  private stderrText = '';
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly httpPort: number,
    readonly fingerprint: string,
  ) {
    this.exited = new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) done({ code: child.exitCode, signal: child.signalCode });
      child.once('exit', (code, signal) => done({ code, signal }));
    }).then((info) => (this.exitInfo = info as { code: number | null; signal: NodeJS.Signals | null }));
  }

  static async start(options: RelayProcessOptions): Promise<RelayProcess> {
    const args = [
      resolve(REPO_ROOT, 'dist/main.js'),
      'serve',
      '--listen', '127.0.0.1',
      '--ssh-port', String(options.sshPort ?? 0),
      '--http-port', '0',
      '--keys-dir', options.keysDir,
      '--local-session', 'off',
      '--log-level', 'warn',
      ...(options.extraArgs ?? []),
    ];
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    onCleanup(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const parsed = await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`relay exited (${child.exitCode}) before listening\n${stdout}\n${stderr}`);
        const port = /listening for SSH on \S+:(\d+)/.exec(stdout);
        const http = /HTTP API, \/metrics and \/healthz on http:\/\/\S+:(\d+)/.exec(stdout);
        const fingerprint = /ed25519\s+(SHA256:\S+)/.exec(stdout);
        return port && http && fingerprint ? { port: Number(port[1]), http: Number(http[1]), fingerprint: fingerprint[1]! } : undefined;
      },
      { timeoutMs: 20_000, describe: () => `the relay to listen\nstdout: ${stdout}\nstderr: ${stderr}` },
    );
    const relay = new RelayProcess(child, parsed.port, parsed.http, parsed.fingerprint);
    relay.stdoutText = stdout;
    child.stdout!.on('data', (d: string) => (relay.stdoutText += d));
    child.stderr!.on('data', (d: string) => (relay.stderrText += d));
    relay.stderrText = stderr;
    return relay;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get isRunning(): boolean {
    return this.exitInfo === null;
  }

  get stderr(): string {
    return this.stderrText;
  }

  get stdout(): string {
    return this.stdoutText;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  describe(): string {
    return `relay process ${this.isRunning ? 'running' : `exited ${JSON.stringify(this.exitInfo)}`}\n--- stderr ---\n${this.stderrText.slice(-2000)}`;
  }
}
