// Test-harness primitives shared by every e2e/compat test:
//  * waitFor()      - poll a probe until it yields a value, with a deadline and a lazily built failure message
//                     (the harness never uses fixed sleeps; everything is "poll until true or time out");
//  * withTimeout()  - await a promise with a deadline (e.g. a process's `exited`);
//  * runProcess()   - asynchronous child_process.spawn with captured output and a kill-on-timeout
//                     (never spawnSync: it blocks the event loop and starves in-process servers);
//  * Disposer / useDisposer() - LIFO cleanup registry for afterEach; every cleanup runs even if some fail.
import { spawn } from 'node:child_process';
import { afterEach } from 'vitest';

/** Values a probe may return to mean "not yet". */
export type NotYet = undefined | false | null;

export interface WaitOptions {
  /** Deadline for the whole wait. Default 10 s. */
  timeoutMs?: number;
  /** Pause between probes. Default 25 ms. */
  intervalMs?: number;
  /** Called only on failure, so it may be expensive (e.g. dump the current screen). */
  describe: () => string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function safeDescribe(describe: () => string): string {
  try {
    return describe();
  } catch (err) {
    return `<describe() threw: ${String(err)}>`;
  }
}

/** Throw this from a probe to stop waiting at once and fail with its message (e.g. "the process exited"). */
export class AbortWait extends Error {
  override name = 'AbortWait';
}

/**
 * Polls `probe` until it returns something other than undefined/false/null, and resolves with that value.
 * A probe that throws is treated as "not yet" (the last error is included in the failure message), except that
 * an AbortWait is rethrown immediately.
 * The probe always runs at least once, and once more right at the deadline.
 */
export async function waitFor<T>(
  probe: () => T | NotYet | Promise<T | NotYet>,
  opts: WaitOptions,
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = opts.intervalMs ?? 25;
  const start = Date.now();
  const deadline = start + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false && value !== null) return value;
      lastError = undefined;
    } catch (err) {
      if (err instanceof AbortWait) throw err;
      lastError = err;
    }
    const now = Date.now();
    if (now >= deadline) break;
    await delay(Math.min(intervalMs, deadline - now));
  }
  let message = `waitFor timed out after ${Date.now() - start} ms: ${safeDescribe(opts.describe)}`;
  if (lastError !== undefined) {
    message += `\nlast probe error: ${lastError instanceof Error ? (lastError.stack ?? lastError.message) : String(lastError)}`;
  }
  throw new Error(message);
}

/** Resolves/rejects like `promise`, or rejects after `timeoutMs` with the lazily built description. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${safeDescribe(describe)}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill (SIGKILL) the process after this long and reject. Default 10 s. */
  timeoutMs?: number;
  /** Data written to stdin (then stdin is closed). By default stdin is /dev/null. */
  input?: string;
  /**
   * Resolve on 'exit' instead of 'close'. Use this for commands that fork a daemon which might keep
   * the stdout/stderr pipes open (stdout/stderr then hold only what arrived before exit).
   */
  resolveOnExit?: boolean;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command asynchronously and collects its output. Rejects only on spawn error or timeout. */
export function runProcess(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    // stdout/stderr are 'pipe', so they exist.
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    if (opts.input !== undefined && child.stdin) child.stdin.end(opts.input);
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(
        new Error(
          `${command} ${args.join(' ')} timed out after ${timeoutMs} ms (killed)\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, timeoutMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    };
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    });
    child.on(opts.resolveOnExit ? 'exit' : 'close', finish);
  });
}

/** Like runProcess, but rejects unless the exit code is 0. Resolves with stdout. */
export async function runChecked(command: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await runProcess(command, args, opts);
  if (r.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (code ${r.code}, signal ${r.signal})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
    );
  }
  return r.stdout;
}

export type Cleanup = () => unknown;

/**
 * LIFO cleanup registry. Register cleanups as resources are created; `dispose()` runs all of them (newest first),
 * keeps going when one fails, and throws an AggregateError at the end. Safe to call repeatedly.
 */
export class Disposer {
  #cleanups: Cleanup[] = [];

  /** Registers a cleanup function. */
  add(cleanup: Cleanup): void {
    this.#cleanups.push(cleanup);
  }

  /**
   * Registers a resource with a `close()`, `kill()`, `cleanup()` or `dispose()` method (tried in that order)
   * and returns it, so `const v = disposer.use(await SshViewer.connect(…))` works.
   */
  use<T extends object>(resource: T): T {
    const r = resource as Partial<Record<'close' | 'kill' | 'cleanup' | 'dispose', () => unknown>>;
    const fn = r.close ?? r.kill ?? r.cleanup ?? r.dispose;
    if (typeof fn !== 'function') throw new TypeError('Disposer.use: resource has no close/kill/cleanup/dispose method');
    this.add(() => fn.call(resource));
    return resource;
  }

  /** Runs all registered cleanups, newest first. */
  async dispose(): Promise<void> {
    const errors: unknown[] = [];
    while (this.#cleanups.length > 0) {
      const cleanup = this.#cleanups.pop()!;
      try {
        await cleanup();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} cleanups failed`);
  }
}

/** Creates a Disposer whose cleanups run in afterEach of the calling suite. Call it at describe/file level. */
export function useDisposer(): Disposer {
  const disposer = new Disposer();
  afterEach(() => disposer.dispose());
  return disposer;
}
