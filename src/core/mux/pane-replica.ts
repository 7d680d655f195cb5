/**
 * One pane of the relay's session replica: its emulator, copy-mode state and output-mode lines.
 * Its output is parsed lazily (term/queued-output.ts), so output arriving between two renders is
 * parsed as one chunk.
 *
 * Invariant: whoever reads `terminal` sees every byte received so far parsed, in order.
 */
import type { CopyModeState } from '../protocol/tmate/messages.js';
import type { Emulator } from '../term/emulator.js';
import { QueuedOutput } from '../term/queued-output.js';
import { bellsRung } from '../term/bell-count.js';

export class PaneReplica {
  copyMode: CopyModeState | null = null;
  outputLines: string[] = [];
  private readonly output: QueuedOutput;
  /** The emulator whose bells takeBells counts, and how many of them it reported already. */
  private bellsOf: Emulator;
  private bellsSeen = 0;

  constructor(
    readonly id: number,
    cols: number,
    rows: number,
    scrollback: number,
  ) {
    this.output = new QueuedOutput(cols, rows, scrollback);
    this.bellsOf = this.output.parsed;
  }

  /** The pane's emulator, with all output received so far parsed. */
  get terminal(): Emulator {
    return this.output.parsed;
  }

  /** Pane output from the host (parsed when next read). */
  receive(data: Uint8Array): void {
    this.output.add(data);
  }

  /**
   * Bells the pane's output rang since the last call (its queued output is parsed first). A
   * restart's replayed history rings nothing: its bells are counted as seen.
   */
  takeBells(): number {
    const term = this.output.parsed;
    const count = bellsRung(term);
    const fresh = term === this.bellsOf ? count - this.bellsSeen : count;
    this.bellsOf = term;
    this.bellsSeen = count;
    return fresh;
  }

  /** Starts over from `bytes` (a snapshot) in a fresh emulator of the same size. */
  restart(scrollback: number, bytes: Uint8Array): void {
    this.output.restart(scrollback, bytes);
    this.bellsOf = this.output.parsed;
    this.bellsSeen = bellsRung(this.bellsOf);
  }

  dispose(): void {
    this.output.dispose();
  }
}
