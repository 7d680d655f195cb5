/**
 * The parent's side of a load-generator process (bench/loadgen/main.ts for the bench,
 * soak/loadgen.ts for the soak): forks the module in its own Node process (`node --import tsx`,
 * bounded by --max-seconds), sends commands over the fork IPC channel and resolves each with its
 * one `done` reply. Both load generators end every connection and exit when the channel closes.
 *
 * Invariants: every command settles exactly once (its reply, or a rejection when the process exits
 * first); nothing is sent after the process exited; the process is on the cleanup stack of
 * bench/lib/sys.ts, so it is killed whatever happens to the parent.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup } from '../lib/sys.js';

/** The one reply of every command. */
export type DoneReply<Result> = { type: 'done'; id: number; ok: true; result: Result } | { type: 'done'; id: number; ok: false; error: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Longest wait for the process to exit by itself after stop(), before SIGKILL. */
const STOP_GRACE_MS = 5000;

export class ForkedLoad<Command extends { id: number }> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly unregister: () => void;
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
  ) {
    child.on('message', (raw: unknown) => {
      const message = raw as DoneReply<unknown>; // only our load generator sends on this channel
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(message.error));
    });
    child.on('exit', (code) => {
      this.exited = true;
      for (const w of this.pending.values()) w.reject(new Error(`${name} exited (code ${code})`));
      this.pending.clear();
    });
    this.unregister = onCleanup(() => this.stop(), () => child.pid !== undefined && !this.exited && child.kill('SIGKILL'));
  }

  /** Forks `module` (a .ts file) with `--max-seconds maxSeconds`; `name` appears in errors. */
  static start<Command extends { id: number }>(module: URL, maxSeconds: number, name: string): ForkedLoad<Command> {
    const child = fork(fileURLToPath(module), ['--max-seconds', String(maxSeconds)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    return new ForkedLoad<Command>(child, name);
  }

  /** The process's pid while it runs. */
  get pid(): number | undefined {
    return this.exited ? undefined : this.child.pid;
  }

  send<T>(command: WithoutId<Command>): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.child.send({ ...command, id });
    });
  }

  /** Closes the channel (the load generator ends its connections and exits); SIGKILL after STOP_GRACE_MS. */
  async stop(): Promise<void> {
    this.unregister();
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}
