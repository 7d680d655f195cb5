/**
 * One pane of the host engine: its process (through the PTY port), its emulator (fed with every
 * byte the process writes, so snapshots and copy mode see what tmux would; parsed lazily, see
 * term/queued-output.ts), its geometry as the last layout gave it, and its copy mode while one is
 * running.
 *
 * Invariants:
 * - The emulator and the pty get the pane's geometry (sx × sy) when `applySize()` runs, which the
 *   engine does before anything reads the emulator or the program can write again; intermediate
 *   layouts inside one command therefore never reach the program as extra SIGWINCHes.
 * - Once `close()` ran the pane writes nothing more to its pty and never resizes it again.
 * - Bytes written in one burst (the keys of one relay message batch: a paste arrives as thousands
 *   of single keys) reach the pty as one write, in order, at the end of the burst (a microtask).
 *   One write per key cost node-pty a queue entry each and made a 200 KB paste take minutes of CPU.
 * - Pane ids are global and never reused (the engine hands them out).
 */
import type { CopyMode } from './copy-mode/copy-mode.js';
import type { PtyProcess } from './pty-port.js';
import type { Emulator } from '../term/emulator.js';
import { QueuedOutput } from '../term/queued-output.js';
import { joinBytes } from '../util/join-bytes.js';
import type { KeyModes } from '../term/key-bytes.js';

/**
 * The engine reads its emulators seldom (a snapshot, copy mode, key modes), so it lets more output
 * queue than the relay, whose renders read every 16 ms: in a 60 MB drain each parse then skips
 * ~95 % of the lines instead of ~75 %. The engine serves one session, so a longer parse delays
 * nobody else.
 */
const ENGINE_MAX_QUEUED_BYTES = 256 * 1024;

export class HostPane {
  sx: number;
  sy: number;
  xoff = 0;
  yoff = 0;
  /** Most-recently-active counter (tmux's active_point): directional moves prefer the newest. */
  activePoint = 0;
  copyMode: CopyMode | null = null;
  /** Protocol form of the copy-mode state last sent, to skip unchanged syncs after output. */
  lastCopySync = '';
  /** True after the pane left its window (killed or exited). */
  closed = false;
  private readonly output: QueuedOutput;
  /** The pane's foreground program at the last lookForeground(); null: unknown. */
  private foreground: string | null = null;
  /** Input of the current burst, written to the pty together by flushInput(). */
  private pendingInput: Uint8Array[] = [];
  private process: PtyProcess | null = null;

  constructor(
    readonly id: number,
    /** The program name used for automatic window names. */
    readonly programName: string,
    sx: number,
    sy: number,
    scrollback: number,
  ) {
    this.sx = sx;
    this.sy = sy;
    this.output = new QueuedOutput(sx, sy, scrollback, ENGINE_MAX_QUEUED_BYTES);
  }

  /** The pane's emulator, with all output so far parsed. */
  get terminal(): Emulator {
    return this.output.parsed;
  }

  attach(process: PtyProcess): void {
    this.process = process;
  }

  feed(data: Uint8Array): void {
    this.output.add(data);
    // Copy mode holds the emulator itself and reads it after every output.
    if (this.copyMode !== null) this.output.flush();
  }

  /**
   * What automatic renaming names the pane's window: the foreground program as last looked up
   * (lookForeground), else the one started. The lookup reads /proc, so it is not done on every
   * layout check but when output suggests a program may have started or ended.
   */
  currentProgramName(): string {
    return this.foreground ?? this.programName;
  }

  /** Looks up the program in the pane's foreground now. */
  lookForeground(): void {
    const running = this.closed ? null : this.process?.foregroundProgram?.();
    this.foreground = running ? running.slice(running.lastIndexOf('/') + 1) : null;
  }

  write(data: Uint8Array | string): void {
    if (this.closed || this.process === null || data.length === 0) return;
    this.pendingInput.push(typeof data === 'string' ? textEncoder.encode(data) : data);
    if (this.pendingInput.length === 1) queueMicrotask(() => this.flushInput());
  }

  private flushInput(): void {
    const parts = this.pendingInput;
    this.pendingInput = [];
    if (this.closed || this.process === null || parts.length === 0) return;
    try {
      this.process.write(joinBytes(parts));
    } catch {
      // A pty that is going away may refuse writes; its exit event follows.
    }
  }

  /** Cursor and keypad modes the program set, for turning keys into bytes. */
  keyModes(): KeyModes {
    const modes = this.terminal.modes;
    return { applicationCursor: modes.applicationCursorKeysMode, applicationKeypad: modes.applicationKeypadMode };
  }

  setGeometry(sx: number, sy: number, xoff: number, yoff: number): void {
    this.sx = sx;
    this.sy = sy;
    this.xoff = xoff;
    this.yoff = yoff;
  }

  /** Gives the emulator and the pty the current geometry, if they do not have it yet. */
  applySize(): void {
    const cols = Math.max(1, this.sx);
    const rows = Math.max(1, this.sy);
    if (this.closed || (this.terminal.cols === cols && this.terminal.rows === rows)) return;
    this.terminal.resize(cols, rows);
    try {
      this.process?.resize(cols, rows);
    } catch {
      // Resizing an exiting pty can fail; nothing to keep in sync any more.
    }
  }

  /** Frees the emulator and, unless `signal` is null (the process already exited), signals it. */
  close(signal: string | null): void {
    if (this.closed) return;
    this.closed = true;
    this.copyMode = null;
    try {
      if (signal !== null) this.process?.kill(signal);
    } catch {
      // Already gone.
    }
    this.output.dispose();
  }
}

const textEncoder = new TextEncoder();
