/**
 * The host engine's port to pseudo-terminals. The engine (platform-neutral) only sees this
 * interface; `src/server/host/node-pty-port.ts` implements it with node-pty, tests with fakes.
 *
 * Invariants: `onData` delivers every byte the child wrote, in order, as bytes (never strings);
 * `onExit` fires once, after the last `onData`.
 */

export interface PtySpawnOptions {
  cols: number;
  rows: number;
  /** argv to run; null means the user's login shell. */
  command: string[] | null;
  env: Record<string, string>;
  cwd?: string;
}

export interface PtyProcess {
  readonly pid: number;
  write(data: Uint8Array | string): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
  onData(listener: (data: Uint8Array) => void): void;
  onExit(listener: (exitCode: number, signal: number | null) => void): void;
  /** The program in the terminal's foreground (`top` while bash runs it), for window names; null when unknown. */
  foregroundProgram?(): string | null;
}

export interface PtyPort {
  spawn(options: PtySpawnOptions): PtyProcess;
}
