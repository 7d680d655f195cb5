/**
 * Test doubles for the host engine: a fake PTY port that records what the engine writes and lets
 * the test play the programs (output, exit), an engine factory that collects every OUT message,
 * and small readers for layouts and traces.
 */
import { HostEngine, type HostEngineOptions } from '../../../src/core/host/host-engine.js';
import type { PtyPort, PtyProcess, PtySpawnOptions } from '../../../src/core/host/pty-port.js';
import type { OutMessage } from '../../../src/core/protocol/tmate/messages.js';
import { ManualClock } from '../../../src/core/util/clock.js';

export { readTrace } from '../term/term-helpers.js';

const decoder = new TextDecoder();

export class FakeProcess implements PtyProcess {
  readonly writes: Uint8Array[] = [];
  readonly resizes: [number, number][] = [];
  readonly kills: (string | undefined)[] = [];
  exited = false;
  /** What foregroundProgram() answers (the program the shell runs now); null: unknown. */
  foreground: string | null = null;
  private readonly dataListeners: ((data: Uint8Array) => void)[] = [];
  private readonly exitListeners: ((code: number, signal: number | null) => void)[] = [];

  constructor(
    readonly pid: number,
    readonly options: PtySpawnOptions,
  ) {}

  write(data: Uint8Array | string): void {
    this.writes.push(typeof data === 'string' ? new TextEncoder().encode(data) : data);
  }

  resize(cols: number, rows: number): void {
    this.resizes.push([cols, rows]);
  }

  kill(signal?: string): void {
    this.kills.push(signal);
  }

  onData(listener: (data: Uint8Array) => void): void {
    this.dataListeners.push(listener);
  }

  onExit(listener: (exitCode: number, signal: number | null) => void): void {
    this.exitListeners.push(listener);
  }

  foregroundProgram(): string | null {
    return this.foreground;
  }

  /** The program writes `data` to its terminal. */
  output(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    for (const listener of this.dataListeners) listener(bytes);
  }

  exit(code: number, signal: number | null = null): void {
    this.exited = true;
    for (const listener of this.exitListeners) listener(code, signal);
  }

  /**
   * Everything the engine wrote to this pty, as text, once the writes of the current burst are
   * out (the engine writes a burst's keys together, at the end of the burst: a microtask).
   */
  async written(): Promise<string> {
    await Promise.resolve();
    return this.writes.map((w) => decoder.decode(w)).join('');
  }
}

export class FakePty implements PtyPort {
  readonly processes: FakeProcess[] = [];
  failNext: string | null = null;

  spawn(options: PtySpawnOptions): PtyProcess {
    if (this.failNext !== null) {
      const message = this.failNext;
      this.failNext = null;
      throw new Error(message);
    }
    const process = new FakeProcess(1000 + this.processes.length, options);
    this.processes.push(process);
    return process;
  }

  /** The process of the n-th spawned pane (pane ids start at 0 and follow spawn order). */
  pane(n: number): FakeProcess {
    const process = this.processes[n];
    if (!process) throw new Error(`no process #${n}`);
    return process;
  }
}

export interface Harness {
  engine: HostEngine;
  pty: FakePty;
  clock: ManualClock;
  messages: OutMessage[];
}

export function makeEngine(overrides: Partial<HostEngineOptions> = {}, start = true): Harness {
  const pty = new FakePty();
  const clock = new ManualClock();
  const engine = new HostEngine({
    pty,
    clock,
    cols: 80,
    rows: 23,
    command: null,
    env: { SHELL: '/bin/bash', HOME: '/home/ci', TERM: 'screen-256color' },
    scrollback: 2000,
    keyMode: 'emacs',
    uname: ['Linux', 'vm', '6.18.44-fc-v857', '#1 SMP PREEMPT_DYNAMIC @0', 'x86_64'],
    ...overrides,
  });
  const messages: OutMessage[] = [];
  engine.onMessage((m) => messages.push(m));
  if (start) engine.start();
  return { engine, pty, clock, messages };
}

export type SyncLayout = Extract<OutMessage, { type: 'sync-layout' }>;

export function layouts(messages: readonly OutMessage[]): SyncLayout[] {
  return messages.filter((m): m is SyncLayout => m.type === 'sync-layout');
}

export function lastLayout(messages: readonly OutMessage[]): SyncLayout {
  const all = layouts(messages);
  const last = all[all.length - 1];
  if (!last) throw new Error('no SYNC_LAYOUT');
  return last;
}

/** The layout in the wire's flat form, to compare with trace messages. */
export function wireLayout(layout: SyncLayout): unknown[] {
  return [
    1,
    layout.cols,
    layout.rows,
    layout.windows.map((w) => [w.index, w.name, w.panes.map((p) => [p.id, p.cols, p.rows, p.xoff, p.yoff]), w.activePaneId]),
    layout.activeWindowIndex,
  ];
}

export function exec(h: Harness, ...argv: string[]): void {
  h.engine.handle({ type: 'exec-cmd', clientId: 7, argv });
}

export function execStr(h: Harness, command: string, clientId = 7): void {
  h.engine.handle({ type: 'exec-cmd-str', clientId, command });
}

export function failures(messages: readonly OutMessage[]): [number, string][] {
  return messages.flatMap((m) => (m.type === 'failed-cmd' ? [[m.clientId, m.cause] as [number, string]] : []));
}
