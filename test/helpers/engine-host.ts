// EngineHost: our own host engine as a user runs it — the BUILT CLI (`node dist/main.js host …`)
// under plain Node, in a child process with pipes (like a CI job whose stdout is a log file).
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor, DEFAULT_TIMEOUT_MS } from './wait.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const TEST_SHELL = ['env', 'PS1=$ ', 'bash', '--norc', '--noprofile'];

export interface EngineHostOptions {
  /** `--server` value: `127.0.0.1:PORT` or `ws://127.0.0.1:PORT`. */
  server: string;
  fingerprint?: string;
  args?: string[];
  /** Command after `--`; default: a bash with the prompt `$ `; [] runs the login shell (no `--`). */
  command?: string[];
  env?: Record<string, string>;
}

export class EngineHost {
  private stdoutText = '';
  private stderrText = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (data: Buffer) => (this.stdoutText += data.toString('utf8')));
    child.stderr?.on('data', (data: Buffer) => (this.stderrText += data.toString('utf8')));
    this.exited = new Promise((resolvePromise) =>
      child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolvePromise(this.exitInfo);
      }),
    );
  }

  static start(options: EngineHostOptions): EngineHost {
    const args = [resolve(REPO_ROOT, 'dist/main.js'), 'host', '--server', options.server];
    if (options.fingerprint) args.push('--fingerprint', options.fingerprint);
    args.push(...(options.args ?? []));
    const command = options.command ?? TEST_SHELL;
    if (command.length > 0) args.push('--', ...command);
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new EngineHost(child);
  }

  get stdout(): string {
    return this.stdoutText;
  }

  get stderr(): string {
    return this.stderrText;
  }

  isRunning(): boolean {
    return this.exitInfo === null;
  }

  describe(): string {
    return `engine host ${this.exitInfo ? `exited ${JSON.stringify(this.exitInfo)}` : 'running'}\n--- stdout ---\n${this.stdoutText.slice(-2000)}\n--- stderr ---\n${this.stderrText.slice(-2000)}`;
  }

  /** Waits for the printed connection lines and returns the tokens. */
  async tokens(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<{ rw: string; ro: string; rwLine: string; roLine: string }> {
    return waitFor(
      () => {
        const ro = /^read-only: (ssh .*?([^\s@]+)@\S+)$/m.exec(this.stdoutText);
        const rw = /^(ssh .*?([^\s@]+)@\S+)$/m.exec(this.stdoutText);
        if (!ro) return undefined;
        return { rw: rw?.[2] ?? '', ro: ro[2] ?? '', rwLine: rw?.[1] ?? '', roLine: ro[1] ?? '' };
      },
      { timeoutMs, describe: () => `the engine host to print its ssh lines\n${this.describe()}` },
    );
  }

  async waitForStdout(text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await waitFor(() => (typeof text === 'string' ? this.stdoutText.includes(text) : text.test(this.stdoutText)), {
      timeoutMs,
      describe: () => `engine host stdout to contain ${String(text)}\n${this.describe()}`,
    });
  }

  signal(signal: NodeJS.Signals): void {
    if (this.isRunning()) this.child.kill(signal);
  }

  async close(): Promise<void> {
    if (!this.isRunning()) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
