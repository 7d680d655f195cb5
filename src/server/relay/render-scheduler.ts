/**
 * Runs the relay's session renders one per turn of the event loop, so that a busy moment cannot
 * hold the loop and typing stays responsive while other sessions stream.
 *
 * Sessions ask for a render when their replica changed; the scheduler runs the renders on later
 * turns of the event loop (setImmediate), so several host messages read together become one frame.
 * Sessions a viewer typed into recently are rendered first (their frame is someone's echo), the
 * others in the order they asked. Each turn renders one target and leaves the rest for the next
 * turn, after the event loop has read its sockets again: a keystroke's echo that arrives while a
 * hundred streaming sessions wait to be drawn waits for one render, not for all of them. (A turn
 * used to render for up to 4 ms; in the bench's `scale` figure one render per turn took the echo
 * p99 from ~22 ms to ~8 ms at the same CPU, see docs/benchmarks.md.)
 *
 * Frames are paced: a non-urgent target rendered less than FRAME_INTERVAL_MS ago waits until that
 * much time has passed (its changes pile up into that one frame). A flood (`seq 1 8000000`, a
 * build log) then costs at most ~60 frames a second per session instead of one per socket read,
 * which leaves the CPU to parsing the output; nobody reads faster than that anyway. Urgent targets
 * are never paced.
 *
 * One scheduler serves the whole process (`renderScheduler`): the turns are about the one event
 * loop, however many relays a process runs (tests run several).
 *
 * Invariants: a target is queued at most once (urgent, normal or paced); every queued target is
 * rendered on a later turn, urgent ones before the rest (unless a non-urgent one has waited
 * MAX_NORMAL_WAIT_MS: urgent targets that ask again every turn must not starve the others), paced
 * ones once their interval passed;
 * each turn renders exactly one target while any is queued (urgent or normal).
 */

import type { Clock, TimerHandle } from '../../core/util/clock.js';

export interface RenderTarget {
  /** Draws the target's current state for its viewers; never throws (it reports its own errors). */
  renderNow(): void;
}

/** Least time between two non-urgent frames of one target (~60 frames a second). */
export const FRAME_INTERVAL_MS = 16;

/** Longest a queued non-urgent render waits behind urgent ones before it goes first. */
export const MAX_NORMAL_WAIT_MS = 50;

/** Real time for the process's scheduler: monotonic and sub-millisecond (frame intervals are short). */
const monotonicClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    return { cancel: () => clearTimeout(timer) };
  },
};

export class RenderScheduler {
  private readonly urgent = new Set<RenderTarget>();
  /** Non-urgent targets, oldest first, with when each was queued. */
  private readonly normal = new Map<RenderTarget, number>();
  private readonly paced = new Set<RenderTarget>();
  private readonly lastRender = new WeakMap<RenderTarget, number>();
  private scheduled = false;
  private paceTimer: TimerHandle | null = null;

  /** `time`: where now and the pacing timer come from (tests pass a ManualClock). */
  constructor(private readonly time: Clock = monotonicClock) {}

  /** Queues a render of `target`; `urgent` puts it ahead of the others and skips pacing. */
  request(target: RenderTarget, urgent: boolean): void {
    if (urgent) {
      this.normal.delete(target);
      this.paced.delete(target);
      this.urgent.add(target);
    } else if (this.urgent.has(target) || this.normal.has(target) || this.paced.has(target)) {
      return;
    } else if (this.waitFor(target) > 0) {
      this.paced.add(target);
      this.armPaceTimer();
      return;
    } else {
      this.normal.set(target, this.time.now());
    }
    this.schedule();
  }

  /** Drops a queued render (the target ended). */
  cancel(target: RenderTarget): void {
    this.urgent.delete(target);
    this.normal.delete(target);
    this.paced.delete(target);
  }

  /** Renders queued now, paced ones included. */
  get pending(): number {
    return this.urgent.size + this.normal.size + this.paced.size;
  }

  /** How long `target` must still wait for its next non-urgent frame (≤ 0: not at all). */
  private waitFor(target: RenderTarget): number {
    const last = this.lastRender.get(target);
    return last === undefined ? 0 : last + FRAME_INTERVAL_MS - this.time.now();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  /**
   * Renders the first urgent target, else the first normal one, unless that one has waited
   * MAX_NORMAL_WAIT_MS (someone typing into a session that streams keeps it urgent every turn);
   * the rest wait for the next turn.
   */
  private turn(): void {
    this.scheduled = false;
    const oldest = this.normal.entries().next();
    const starving = oldest.done !== true && this.time.now() - oldest.value[1] >= MAX_NORMAL_WAIT_MS;
    const next = this.urgent.size > 0 && !starving ? this.urgent.values().next() : this.normal.keys().next();
    if (next.done === true) return;
    const target = next.value;
    this.urgent.delete(target);
    this.normal.delete(target);
    if (this.urgent.size + this.normal.size > 0) this.schedule();
    target.renderNow();
    this.lastRender.set(target, this.time.now());
  }

  /** Sets the timer for the paced target whose interval ends first, if none is set. */
  private armPaceTimer(): void {
    if (this.paceTimer !== null || this.paced.size === 0) return;
    let wait = FRAME_INTERVAL_MS;
    for (const target of this.paced) wait = Math.min(wait, this.waitFor(target));
    this.paceTimer = this.time.setTimeout(() => this.releasePaced(), Math.max(0, wait));
  }

  /** Moves paced targets whose interval passed to the normal queue. */
  private releasePaced(): void {
    this.paceTimer = null;
    let released = false;
    for (const target of this.paced) {
      if (this.waitFor(target) > 0) continue;
      this.paced.delete(target);
      this.normal.set(target, this.time.now());
      released = true;
    }
    if (released) this.schedule();
    this.armPaceTimer();
  }
}

/** The process's scheduler. */
export const renderScheduler = new RenderScheduler();
