/**
 * The host engine's PtyPort implemented with node-pty: binary-safe (encoding null, Buffers in and
 * out), exit reported once after the last data.
 *
 * Keystrokes are written to the pty on the spot when nothing waits in node-pty's queue
 * (pty-direct-write.ts), not through a thread-pool write.
 *
 * Invariant: onExit is delayed until the pty's data stream has drained, because node-pty may
 * report the exit before the last output was read (shared/notes/stack-spike.md §6, item 6).
 */
import { spawn as spawnPty, type IPty } from 'node-pty';
import { userInfo } from 'node:os';
import type { PtyPort, PtyProcess, PtySpawnOptions } from '../../core/host/pty-port.js';
import { writeToPty } from './pty-direct-write.js';

const EXIT_DRAIN_MS = 50;

export const nodePtyPort: PtyPort = {
  spawn(options: PtySpawnOptions): PtyProcess {
    const [file, ...args] = options.command ?? [loginShell()];
    const pty = spawnPty(file ?? '/bin/sh', args, {
      name: options.env['TERM'] ?? 'screen-256color',
      cols: Math.max(1, options.cols),
      rows: Math.max(1, options.rows),
      cwd: options.cwd ?? process.cwd(),
      env: options.env,
      encoding: null,
    } as unknown as Parameters<typeof spawnPty>[2]);
    return wrap(pty);
  },
};

function loginShell(): string {
  try {
    return process.env['SHELL'] || userInfo().shell || '/bin/sh';
  } catch {
    return '/bin/sh';
  }
}

function wrap(pty: IPty): PtyProcess {
  const dataListeners: ((data: Uint8Array) => void)[] = [];
  const exitListeners: ((code: number, signal: number | null) => void)[] = [];
  let exited = false;
  // With encoding null node-pty delivers Buffers although its type says string.
  pty.onData((data: unknown) => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : (data as Buffer);
    for (const listener of dataListeners) listener(bytes);
  });
  pty.onExit(({ exitCode, signal }) => {
    setTimeout(() => {
      exited = true;
      for (const listener of exitListeners) listener(exitCode, signal ? signal : null);
    }, EXIT_DRAIN_MS);
  });
  return {
    pid: pty.pid,
    write: (data) => {
      if (!exited) writeToPty(pty, typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));
    },
    resize: (cols, rows) => {
      if (!exited) pty.resize(Math.max(1, cols), Math.max(1, rows));
    },
    kill: (signal) => {
      if (!exited) pty.kill(signal);
    },
    foregroundProgram: () => {
      if (exited) return null;
      try {
        return pty.process || null;
      } catch {
        return null; // the pty went away meanwhile
      }
    },
    onData: (listener) => void dataListeners.push(listener),
    onExit: (listener) => void exitListeners.push(listener),
  };
}
