/**
 * One pane of the relay's session replica: its emulator, copy-mode state and output-mode lines.
 *
 * Pane output is parsed lazily: PTY_DATA is queued and parsed when anything reads the emulator
 * (`terminal`: a render, a resize, a snapshot) or when MAX_PENDING_BYTES are queued. Output that
 * arrives between two renders is then parsed as one chunk, in which bulk plain lines that scroll
 * out of the scrollback unseen are skipped (core/term/scroll-skip.ts). tmate sends pane output in
 * ~1 KiB messages, far too small for that on their own.
 *
 * Invariants: whoever reads `terminal` sees every byte received so far parsed, in order (so a
 * resize applies after the output sent before it, as the host meant); at most MAX_PENDING_BYTES
 * wait per pane.
 */
import type { CopyModeState } from '../protocol/tmate/messages.js';
import { createEmulator, feedEmulator, type Emulator } from '../term/emulator.js';

/** Queued output beyond this is parsed at once: bounds the memory and the time of one parse. */
export const MAX_PENDING_BYTES = 64 * 1024;

export class PaneReplica {
  copyMode: CopyModeState | null = null;
  outputLines: string[] = [];
  private emulator: Emulator;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(
    readonly id: number,
    cols: number,
    rows: number,
    scrollback: number,
  ) {
    this.emulator = createEmulator(cols, rows, scrollback);
  }

  /** The pane's emulator, with all output received so far parsed. */
  get terminal(): Emulator {
    if (this.pendingBytes > 0) this.parsePending();
    return this.emulator;
  }

  /** Queues pane output (parsed when next read). */
  receive(data: Uint8Array): void {
    if (data.length === 0) return;
    this.pending.push(data);
    this.pendingBytes += data.length;
    if (this.pendingBytes >= MAX_PENDING_BYTES) this.parsePending();
  }

  /** Starts over from `bytes` (a snapshot) in a fresh emulator of the same size; queued output is dropped. */
  restart(scrollback: number, bytes: Uint8Array): void {
    const { cols, rows } = this.emulator;
    this.dropPending();
    this.emulator.dispose();
    this.emulator = createEmulator(cols, rows, scrollback);
    feedEmulator(this.emulator, bytes);
  }

  dispose(): void {
    this.dropPending();
    this.emulator.dispose();
  }

  private parsePending(): void {
    const parts = this.pending;
    const joined = parts.length === 1 ? parts[0]! : joinBytes(parts, this.pendingBytes);
    this.dropPending();
    feedEmulator(this.emulator, joined);
  }

  private dropPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}

function joinBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  const joined = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}
