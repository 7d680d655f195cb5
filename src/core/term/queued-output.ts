/**
 * An emulator whose output is parsed lazily: bytes are queued and parsed when something reads the
 * emulator (`parsed`) or MAX_QUEUED_BYTES are queued. Output that arrives between two reads is
 * then parsed as one chunk, in which bulk plain lines that scroll out of the scrollback unseen
 * are skipped (scroll-skip.ts); pane output arrives in chunks far too small for that on their own
 * (tmate sends ~1 KiB messages, a pty read is at most a few KiB).
 *
 * Invariants: `parsed` returns the emulator with every byte queued so far parsed, in order (so a
 * resize made through it applies after the output before it); at most `maxQueuedBytes` wait.
 */
import { createEmulator, feedEmulator, type Emulator } from './emulator.js';
import { joinBytes } from '../util/join-bytes.js';

/**
 * Queued output beyond this is parsed at once by default: bounds the memory and the time of one
 * parse (64 KiB of output that cannot be skipped, e.g. a cursor move or colour every few bytes,
 * takes several milliseconds).
 */
export const MAX_QUEUED_BYTES = 64 * 1024;

export class QueuedOutput {
  private emulator: Emulator;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;

  constructor(
    cols: number,
    rows: number,
    scrollback: number,
    private readonly maxQueuedBytes = MAX_QUEUED_BYTES,
  ) {
    this.emulator = createEmulator(cols, rows, scrollback);
  }

  /** The emulator, with all output received so far parsed. */
  get parsed(): Emulator {
    this.flush();
    return this.emulator;
  }

  /** Parses what is queued now. */
  flush(): void {
    if (this.queuedBytes > 0) this.parseQueued();
  }

  /** Queues output (parsed on the next read). */
  add(data: Uint8Array): void {
    if (data.length === 0) return;
    this.queue.push(data);
    this.queuedBytes += data.length;
    if (this.queuedBytes >= this.maxQueuedBytes) this.parseQueued();
  }

  /** Starts over from `bytes` in a fresh emulator of the same size; queued output is dropped. */
  restart(scrollback: number, bytes: Uint8Array): void {
    const { cols, rows } = this.emulator;
    this.dropQueued();
    this.emulator.dispose();
    this.emulator = createEmulator(cols, rows, scrollback);
    feedEmulator(this.emulator, bytes);
  }

  dispose(): void {
    this.dropQueued();
    this.emulator.dispose();
  }

  private parseQueued(): void {
    const parts = this.queue;
    const joined = joinBytes(parts, this.queuedBytes);
    this.dropQueued();
    feedEmulator(this.emulator, joined);
  }

  private dropQueued(): void {
    this.queue = [];
    this.queuedBytes = 0;
  }
}
