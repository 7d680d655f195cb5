/**
 * Small process and filesystem utilities for the bench: asynchronous command runs (never
 * spawnSync: the bench shares its event loop with node-pty streams it is timing), temp dirs,
 * SSH client keys from the real `ssh-keygen`, free loopback ports, and a LIFO cleanup stack that
 * also runs on SIGINT/SIGTERM so a killed bench leaves no servers behind.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** Resolve on 'exit' (for commands that fork daemons holding the pipes open). */
  resolveOnExit?: boolean;
}

export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')}: timed out after ${opts.timeoutMs ?? 15_000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 15_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on(opts.resolveOnExit ? 'exit' : 'close', (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function runChecked(command: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(command, args, opts);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (code ${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Whether `command` can be run (found on PATH or an absolute path that executes). */
export async function canRun(command: string, args: readonly string[] = ['-V']): Promise<boolean> {
  try {
    await run(command, args, { timeoutMs: 5000 });
    return true;
  } catch {
    return false;
  }
}

// ---- cleanup ----

type Cleanup = () => unknown;
const cleanups: Cleanup[] = [];
const syncCleanups = new Set<() => void>();
let hooked = false;

function hookSignals(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const fn of syncCleanups) {
      try {
        fn();
      } catch {
        // best effort at exit
      }
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\nbench: ${sig}, cleaning up…\n`);
      void runCleanups().finally(() => process.exit(130));
    });
  }
}

/** Registers an async cleanup (run LIFO by runCleanups) and, optionally, a synchronous last resort for process exit. */
export function onCleanup(fn: Cleanup, atExit?: () => void): () => void {
  hookSignals();
  cleanups.push(fn);
  if (atExit) syncCleanups.add(atExit);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
    if (atExit) syncCleanups.delete(atExit);
  };
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (error) {
      process.stderr.write(`bench: cleanup failed: ${errorText(error)}\n`);
    }
  }
}

/** Kills a pid, ignoring "no such process". */
export function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

// ---- temp dirs, keys, ports ----

export interface TempDir {
  path: string;
  cleanup(): Promise<void>;
}

/** A private temp dir under /tmp (short paths: unix sockets live inside), removed by the cleanup stack. */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir().length > 40 ? '/tmp' : tmpdir(), prefix));
  let done: Promise<void> | undefined;
  const cleanup = (): Promise<void> => (done ??= rm(path, { recursive: true, force: true, maxRetries: 3 }));
  const unregister = onCleanup(cleanup, () => rmSync(path, { recursive: true, force: true }));
  return {
    path,
    cleanup: () => {
      unregister();
      return cleanup();
    },
  };
}

export interface ClientKey {
  privatePath: string;
  publicLine: string;
}

export async function generateKey(dir: string, name: string): Promise<ClientKey> {
  const privatePath = join(dir, name);
  await runChecked('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@tmate-relay-bench`, '-f', privatePath]);
  return { privatePath, publicLine: (await readFile(`${privatePath}.pub`, 'utf8')).trim() };
}

/** A loopback TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `predicate` holds, polling every `intervalMs`; rejects after `timeoutMs`. */
export async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** An error's message (or the thrown value as text), for a log line or a report note. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
