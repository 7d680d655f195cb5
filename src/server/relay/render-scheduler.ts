/**
 * Runs the relay's session renders in turns, so that one busy moment cannot hold the event loop
 * and typing stays responsive while other sessions stream.
 *
 * Sessions ask for a render when their replica changed; the scheduler runs the renders on a later
 * turn of the event loop (setImmediate), so several host messages read together become one frame.
 * Sessions a viewer typed into recently are rendered first (their frame is someone's echo), the
 * others in the order they asked. A turn stops once TURN_BUDGET_MS is spent with renders left;
 * those continue on the next turn, after the event loop has read its sockets again — a burst of
 * a hundred streaming sessions no longer delays a keystroke by the time it takes to draw them all.
 *
 * One scheduler serves the whole process (`renderScheduler`): the budget is about the one event
 * loop, however many relays a process runs (tests run several).
 *
 * Invariants: a target is queued at most once (in one of the two queues); every queued target is
 * rendered on a later turn, urgent ones before the rest, and each turn renders at least one.
 */

export interface RenderTarget {
  /** Draws the target's current state for its viewers; never throws (it reports its own errors). */
  renderNow(): void;
}

/** Longest a turn keeps rendering while other renders wait (the rest continue on the next turn). */
export const TURN_BUDGET_MS = 4;

export class RenderScheduler {
  private readonly urgent = new Set<RenderTarget>();
  private readonly normal = new Set<RenderTarget>();
  private scheduled = false;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Queues a render of `target`; `urgent` puts it ahead of the non-urgent ones. */
  request(target: RenderTarget, urgent: boolean): void {
    if (urgent) {
      this.normal.delete(target);
      this.urgent.add(target);
    } else if (!this.urgent.has(target)) {
      this.normal.add(target);
    }
    this.schedule();
  }

  /** Drops a queued render (the target ended). */
  cancel(target: RenderTarget): void {
    this.urgent.delete(target);
    this.normal.delete(target);
  }

  /** Renders queued now: how many. */
  get pending(): number {
    return this.urgent.size + this.normal.size;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.scheduled = false;
    const start = this.now();
    for (const queue of [this.urgent, this.normal]) {
      for (const target of queue) {
        queue.delete(target);
        target.renderNow();
        if (this.pending > 0 && this.now() - start >= TURN_BUDGET_MS) return this.schedule();
      }
    }
  }
}

/** The process's scheduler. */
export const renderScheduler = new RenderScheduler();
