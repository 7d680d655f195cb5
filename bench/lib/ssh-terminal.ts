/**
 * A real OpenSSH client (`ssh -tt …`) on a pty the bench owns (node-pty), with arrival timestamps:
 * every output chunk is stamped with process.hrtime.bigint() the moment node-pty delivers it.
 *
 * Two ways to wait for output, both event-driven (never polling, so no timer granularity ends up
 * in a figure):
 * - expectText(text): resolves with the arrival time of the chunk that completed `text` in the raw
 *   byte stream (a rolling tail catches a text split across chunks). Cheap: used for echo,
 *   throughput and fan-out, where parsing the stream would slow the bench itself down.
 * - expectScreen(predicate): feeds the stream to an @xterm/headless terminal (only when created
 *   with `screen: true`) and resolves with the arrival time of the chunk after which the screen
 *   first satisfies the predicate. Used for join time ("a full screen drawn").
 *
 * Invariant: waiters registered before a write() see every byte that arrives after it.
 */
import { writeSync } from 'node:fs';
import { spawn as spawnPty, type IPty } from 'node-pty';
import xterm from '@xterm/headless';
import type { Terminal as XTerminal } from '@xterm/headless';

export const SSH_COMMON_OPTIONS: readonly string[] = [
  '-F', '/dev/null',
  '-o', 'UserKnownHostsFile=/dev/null',
  '-o', 'StrictHostKeyChecking=no',
  '-o', 'LogLevel=ERROR',
  '-o', 'IdentityAgent=none',
  '-o', 'IdentitiesOnly=yes',
  '-o', 'PasswordAuthentication=no',
  '-o', 'KbdInteractiveAuthentication=no',
];

export interface JoinSpec {
  port: number;
  user: string;
  /** Remote command (the baseline's `tmux attach`); empty for the relay. */
  command: readonly string[];
}

export interface SshTerminalOptions {
  join: JoinSpec;
  identityFile: string;
  cols: number;
  rows: number;
  /** Parse the stream with a headless xterm (needed for expectScreen). */
  screen?: boolean;
}

interface TextWaiter {
  text: string;
  tail: string;
  resolve(at: bigint): void;
}

interface ScreenWaiter {
  test(term: XTerminal): boolean;
  resolve(at: bigint): void;
}

export class SshTerminal {
  readonly spawnedAt: bigint;
  readonly exited: Promise<number>;
  bytes = 0;
  lastDataAt: bigint;
  /** Arrival of the first output chunk (the SSH session is up and the server wrote something). */
  firstDataAt: bigint | null = null;
  private readonly pty: IPty;
  private readonly term: XTerminal | null;
  private textWaiters: TextWaiter[] = [];
  private screenWaiters: ScreenWaiter[] = [];
  private dataListeners: ((at: bigint) => void)[] = [];
  private alive = true;
  private recent = '';

  constructor(opts: SshTerminalOptions) {
    const args = [
      '-tt',
      ...SSH_COMMON_OPTIONS,
      '-i', opts.identityFile,
      '-p', String(opts.join.port),
      `${opts.join.user}@127.0.0.1`,
      ...opts.join.command,
    ];
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    delete env['SSH_AUTH_SOCK'];
    delete env['TMUX'];
    env['TERM'] = 'xterm-256color';
    this.term = opts.screen ? new xterm.Terminal({ cols: opts.cols, rows: opts.rows, allowProposedApi: true, scrollback: 0 }) : null;
    this.spawnedAt = process.hrtime.bigint();
    this.lastDataAt = this.spawnedAt;
    this.pty = spawnPty('ssh', args, { name: 'xterm-256color', cols: opts.cols, rows: opts.rows, cwd: '/', env });
    this.pty.onData((data) => this.onData(data));
    // Answers to terminal queries (DA, DSR) go back to the remote side, as a real terminal's would.
    this.term?.onData((data) => this.write(data));
    this.exited = new Promise((resolve) => {
      this.pty.onExit(({ exitCode }) => {
        this.alive = false;
        resolve(exitCode);
      });
    });
  }

  get pid(): number {
    return this.pty.pid;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** The last ~2 KB received, for error messages. */
  get recentOutput(): string {
    return this.recent;
  }

  private onData(data: string): void {
    const at = process.hrtime.bigint();
    this.bytes += data.length;
    this.lastDataAt = at;
    this.firstDataAt ??= at;
    this.recent = (this.recent + data).slice(-2048);
    if (this.textWaiters.length > 0) {
      this.textWaiters = this.textWaiters.filter((w) => {
        const hay = w.tail + data;
        if (hay.includes(w.text)) {
          w.resolve(at);
          return false;
        }
        w.tail = hay.slice(-(w.text.length - 1));
        return true;
      });
    }
    for (const listener of this.dataListeners) listener(at);
    const term = this.term;
    if (term) {
      term.write(data, () => {
        if (this.screenWaiters.length === 0) return;
        this.screenWaiters = this.screenWaiters.filter((w) => {
          if (!w.test(term)) return true;
          w.resolve(at);
          return false;
        });
      });
    }
  }

  /** Registers the wait first; call write() afterwards. Rejects after timeoutMs. */
  expectText(text: string, timeoutMs: number): Promise<bigint> {
    let waiter: TextWaiter | undefined;
    const promise = new Promise<bigint>((resolve) => {
      waiter = { text, tail: '', resolve };
      this.textWaiters.push(waiter);
    });
    return this.withTimeout(promise, timeoutMs, `output containing ${JSON.stringify(text)}`, () => {
      this.textWaiters = this.textWaiters.filter((w) => w !== waiter);
    });
  }

  /** Resolves with the arrival time of the first chunk received from now on. */
  expectAnyData(timeoutMs: number): Promise<bigint> {
    let listener: ((at: bigint) => void) | undefined;
    const promise = new Promise<bigint>((resolve) => {
      const l = (at: bigint): void => {
        this.dataListeners = this.dataListeners.filter((x) => x !== l);
        resolve(at);
      };
      listener = l;
      this.dataListeners.push(l);
    });
    return this.withTimeout(promise, timeoutMs, 'any output', () => {
      this.dataListeners = this.dataListeners.filter((x) => x !== listener);
    });
  }

  expectScreen(test: (term: XTerminal) => boolean, timeoutMs: number, what: string): Promise<bigint> {
    if (!this.term) throw new Error('expectScreen needs { screen: true }');
    let waiter: ScreenWaiter | undefined;
    const promise = new Promise<bigint>((resolve) => {
      waiter = { test, resolve };
      this.screenWaiters.push(waiter);
    });
    return this.withTimeout(promise, timeoutMs, what, () => {
      this.screenWaiters = this.screenWaiters.filter((w) => w !== waiter);
    });
  }

  /** Resolves once no output arrived for `quietMs` (checks at quietMs granularity; not used for timing). */
  async settle(quietMs: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const idle = Number(process.hrtime.bigint() - this.lastDataAt) / 1e6;
      if (idle >= quietMs) return;
      if (Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, Math.max(1, quietMs - idle)));
    }
  }

  /**
   * Writes `data` to the pty before returning (a timed keystroke): node-pty's own write() hands
   * the bytes to a libuv thread-pool thread (fs.write), which writes them only once that thread is
   * scheduled, adding that wait to the sample (up to ~20 ms measured in the scale figure on
   * 2026-12-02, whatever the server). Only when nothing written earlier is still queued there;
   * used for the echo figures' single keys (the throughput figure's Enter stays with node-pty:
   * in one full run, two of its drains never started after a synchronous Enter, not understood).
   */
  writeNow(data: string): void {
    if (!this.alive) return;
    const pty = this.pty as IPty & { fd?: unknown; _writeStream?: { _writeQueue?: unknown[] } };
    const queued = pty._writeStream?._writeQueue?.length ?? 0; // node-pty 1.1's own queue: keep the order
    if (typeof pty.fd !== 'number' || queued > 0 || process.env.BENCH_ASYNC_KEYS) return this.write(data);
    const fd = pty.fd;
    try {
      writeSync(fd, data);
    } catch {
      this.write(data); // EAGAIN on a full pty buffer, or the pty gone: node-pty queues it or drops it
    }
  }

  write(data: string): void {
    if (!this.alive) return;
    try {
      this.pty.write(data);
    } catch {
      // the pty may be gone
    }
  }

  screenText(): string {
    const term = this.term;
    if (!term) return this.recent;
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < term.rows; y++) lines.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  async close(): Promise<void> {
    if (this.alive) {
      try {
        this.pty.kill('SIGTERM');
      } catch {
        // gone
      }
      const killed = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
      if (!killed) {
        try {
          this.pty.kill('SIGKILL');
        } catch {
          // gone
        }
        await Promise.race([this.exited, new Promise((r) => setTimeout(r, 2000))]);
      }
    }
    this.term?.dispose();
  }

  private withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string, forget: () => void): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        forget();
        const state = this.alive ? 'running' : 'exited';
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ssh ${state}; last output: ${JSON.stringify(this.recent.slice(-300))}`));
      }, timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

/** Visible text of the screen rows (trailing blanks trimmed). */
export function screenLines(term: XTerminal): string[] {
  const buf = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < term.rows; y++) lines.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
  return lines;
}
