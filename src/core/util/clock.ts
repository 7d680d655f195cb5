/**
 * Time as a port, so expiry, grace periods and escape-key timeouts can be tested with a manual
 * clock instead of sleeping. `systemClock` is the real one.
 */

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    return { cancel: () => clearTimeout(timer) };
  },
};

/** A clock that only moves when told to; timers fire inside `advance`. */
export class ManualClock implements Clock {
  private current: number;
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer = { at: this.current + Math.max(0, ms), callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.current = due.at;
      due.cancelled = true;
      due.callback();
    }
    this.current = target;
    this.timers = this.timers.filter((t) => !t.cancelled);
  }
}
