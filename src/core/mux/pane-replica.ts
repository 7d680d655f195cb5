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

export class PaneReplica {
  copyMode: CopyModeState | null = null;
  outputLines: string[] = [];
  private readonly output: QueuedOutput;

  constructor(
    readonly id: number,
    cols: number,
    rows: number,
    scrollback: number,
  ) {
    this.output = new QueuedOutput(cols, rows, scrollback);
  }

  /** The pane's emulator, with all output received so far parsed. */
  get terminal(): Emulator {
    return this.output.parsed;
  }

  /** Pane output from the host (parsed when next read). */
  receive(data: Uint8Array): void {
    this.output.add(data);
  }

  /** Starts over from `bytes` (a snapshot) in a fresh emulator of the same size. */
  restart(scrollback: number, bytes: Uint8Array): void {
    this.output.restart(scrollback, bytes);
  }

  dispose(): void {
    this.output.dispose();
  }
}
