/**
 * Fair share of the event loop for one input source (a host's connection): once the time spent
 * handling its input in the current event-loop turn reaches `msPerTurn`, the source is paused
 * until the next turn. A flooding host is then parsed a slice at a time, interleaved with everyone
 * else's keystrokes and frames, instead of holding the loop for as long as its socket has data
 * (libuv reads up to 32 chunks of 64 KiB from one socket per turn, and tmate compresses: one chunk
 * of `yes` output inflates to megabytes). What it sends meanwhile waits in its transport, whose
 * flow control (SSH window, TCP) then slows the host down.
 *
 * Time, not bytes: the cost per byte differs by 4× and more between kinds of output (`yes`, one
 * scroll every two bytes, parses at ~8 MB/s; random text at ~28 MB/s on the same machine).
 *
 * Invariants: a paused source is resumed on the next turn (setImmediate, after the renders queued
 * in this one); nothing is dropped or reordered; `dispose()` stops resuming.
 */

/**
 * A host's share per turn: with N hosts flooding, another session's keystroke waits about
 * N × 4 ms; one host alone is not slowed (nothing else wants the turn, so turns follow each other).
 */
export const HOST_MS_PER_TURN = 4;

export class InputBudget {
  private spentMs = 0;
  private paused = false;
  private turnScheduled = false;
  private disposed = false;

  constructor(
    private readonly msPerTurn: number,
    private readonly pause: () => void,
    private readonly resume: () => void,
  ) {}

  /** Runs `handle` (one chunk of input), counting its time; pauses the source once this turn's share is used. */
  run(handle: () => void): void {
    const started = performance.now();
    try {
      handle();
    } finally {
      this.spend(performance.now() - started);
    }
  }

  dispose(): void {
    this.disposed = true;
  }

  private spend(ms: number): void {
    if (this.disposed) return;
    this.spentMs += ms;
    if (!this.turnScheduled) {
      this.turnScheduled = true;
      setImmediate(() => this.nextTurn());
    }
    if (this.spentMs >= this.msPerTurn && !this.paused) {
      this.paused = true;
      this.pause();
    }
  }

  private nextTurn(): void {
    this.turnScheduled = false;
    this.spentMs = 0;
    if (!this.paused || this.disposed) return;
    this.paused = false;
    this.resume();
  }
}
