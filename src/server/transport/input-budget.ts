/**
 * Fair share of the event loop for one input source (a host's channel): once the bytes handled in
 * the current event-loop turn reach `bytesPerTurn`, the source is paused until the next turn. A
 * flooding host is then parsed a slice at a time, interleaved with everyone else's keystrokes and
 * frames, instead of holding the loop for as long as its socket has data (libuv reads up to 32
 * chunks of 64 KiB from one socket per turn); what it sends meanwhile waits in its transport,
 * whose flow control (SSH window, TCP) then slows the host down.
 *
 * Invariants: a paused source is resumed on the next turn (setImmediate, after the renders queued
 * in this one); nothing is dropped or reordered; `dispose()` stops resuming.
 */
/**
 * A host's share: 64 KiB is 1–3 ms of terminal parsing on this class of machine (xterm parses
 * 30–70 MB/s), so N flooding hosts delay another session's echo by about N × 2 ms per turn, while
 * one host alone still gets well over the ~37 MB/s the relay can parse.
 */
export const HOST_BYTES_PER_TURN = 64 * 1024;

export class InputBudget {
  private spent = 0;
  private paused = false;
  private turnScheduled = false;
  private disposed = false;

  constructor(
    private readonly bytesPerTurn: number,
    private readonly pause: () => void,
    private readonly resume: () => void,
  ) {}

  /** Counts `bytes` just handled; pauses the source once this turn's share is used up. */
  spend(bytes: number): void {
    if (this.disposed) return;
    this.spent += bytes;
    if (!this.turnScheduled) {
      this.turnScheduled = true;
      setImmediate(() => this.nextTurn());
    }
    if (this.spent >= this.bytesPerTurn && !this.paused) {
      this.paused = true;
      this.pause();
    }
  }

  dispose(): void {
    this.disposed = true;
  }

  private nextTurn(): void {
    this.turnScheduled = false;
    this.spent = 0;
    if (!this.paused || this.disposed) return;
    this.paused = false;
    this.resume();
  }
}
