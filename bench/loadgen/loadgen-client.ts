/**
 * The bench's side of the load generator: forks bench/loadgen/main.ts in its own Node process
 * (`node --import tsx`), sends commands and awaits their replies. The process is bounded in time
 * (--max-seconds) and is stopped by the bench's cleanup stack whatever happens.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup } from '../lib/sys.js';
import type { LoadCommand, LoadReply, LoadStats, SetupResult, StreamSpec } from './protocol.js';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class LoadGenerator {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly unregister: () => void;
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (raw: unknown) => {
      const message = raw as LoadReply; // only our loadgen sends on this channel
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(message.error));
    });
    child.on('exit', (code) => {
      this.exited = true;
      for (const w of this.pending.values()) w.reject(new Error(`load generator exited (code ${code})`));
      this.pending.clear();
    });
    this.unregister = onCleanup(() => this.stop(), () => child.pid !== undefined && !this.exited && child.kill('SIGKILL'));
  }

  static start(maxSeconds: number): LoadGenerator {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const child = fork(main, ['--max-seconds', String(maxSeconds)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    return new LoadGenerator(child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  private send<T>(command: WithoutId<LoadCommand>): Promise<T> {
    if (this.exited) return Promise.reject(new Error('load generator is not running'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.child.send({ ...command, id });
    });
  }

  hosts(port: number, count: number, streaming: number, stream: StreamSpec, size: { cols: number; rows: number }): Promise<SetupResult> {
    return this.send({ type: 'hosts', port, count, streaming, stream, cols: size.cols, rows: size.rows });
  }

  viewers(port: number, keyPath: string, targets: { user: string; command: string | null }[], size: { cols: number; rows: number }): Promise<SetupResult> {
    return this.send({ type: 'viewers', port, keyPath, targets, cols: size.cols, rows: size.rows });
  }

  /** Starts every host created with streaming (they stay quiet until then, so setup is not slowed down). */
  startStreaming(): Promise<null> {
    return this.send({ type: 'stream', on: true });
  }

  stopStreaming(): Promise<null> {
    return this.send({ type: 'stream', on: false });
  }

  stats(): Promise<LoadStats> {
    return this.send({ type: 'stats' });
  }

  async stop(): Promise<void> {
    this.unregister();
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.send({ type: 'stop' }).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
