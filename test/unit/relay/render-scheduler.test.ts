/**
 * The render scheduler: renders run on a later turn, once per queued target however often it
 * asked; urgent targets (recent typing) go first; a turn that spent its budget leaves the rest
 * for the next turn, and every turn renders at least one target; non-urgent frames of one target
 * are at least FRAME_INTERVAL_MS apart. Time is a fake clock with manual timers.
 */
import { describe, expect, it } from 'vitest';
import {
  FRAME_INTERVAL_MS, RenderScheduler, TURN_BUDGET_MS, type RenderTarget,
} from '../../../src/server/relay/render-scheduler.js';
import type { Clock, TimerHandle } from '../../../src/core/util/clock.js';

/** Resolves after the event loop ran the turn queued so far (immediates run in order). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Fake time: `now` moves only when a render costs time or the test advances it; timers fire on advance(). */
class FakeTime implements Clock {
  clock = 1000;
  private timers: { due: number; callback: () => void; live: boolean }[] = [];
  now(): number {
    return this.clock;
  }
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer = { due: this.clock + ms, callback, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }
  advance(ms: number): void {
    this.clock += ms;
    const due = this.timers.filter((t) => t.live && t.due <= this.clock);
    this.timers = this.timers.filter((t) => !due.includes(t));
    for (const t of due) t.callback();
  }
}

/** A scheduler on fake time where each render costs `costMs`, and a log of what rendered. */
function harness(costMs: number) {
  const time = new FakeTime();
  const scheduler = new RenderScheduler(time);
  const log: string[] = [];
  const target = (name: string): RenderTarget => ({
    renderNow: () => {
      log.push(name);
      time.clock += costMs;
    },
  });
  return { scheduler, log, target, time };
}

describe('render scheduler', () => {
  it('renders each queued target once, on a later turn', async () => {
    const { scheduler, log, target } = harness(0);
    const a = target('a');
    scheduler.request(a, false);
    scheduler.request(a, false);
    scheduler.request(target('b'), false);
    expect(log).toEqual([]);
    await nextTurn();
    expect(log).toEqual(['a', 'b']);
    expect(scheduler.pending).toBe(0);
  });

  it('renders urgent targets before the others, whatever the order they asked in', async () => {
    const { scheduler, log, target } = harness(0);
    const quiet = target('quiet');
    scheduler.request(quiet, false);
    scheduler.request(target('busy'), false);
    scheduler.request(target('typing'), true);
    scheduler.request(quiet, true);
    await nextTurn();
    expect(log).toEqual(['typing', 'quiet', 'busy']);
  });

  it('stops a turn once its budget is spent and continues on the next turn', async () => {
    const cost = TURN_BUDGET_MS / 2;
    const { scheduler, log, target } = harness(cost);
    for (const name of ['a', 'b', 'c', 'd', 'e']) scheduler.request(target(name), false);
    await nextTurn();
    expect(log).toEqual(['a', 'b']);
    scheduler.request(target('typed'), true);
    await nextTurn();
    expect(log).toEqual(['a', 'b', 'typed', 'c']);
    await nextTurn();
    expect(log).toEqual(['a', 'b', 'typed', 'c', 'd', 'e']);
    expect(scheduler.pending).toBe(0);
  });

  it('renders at least one target per turn even when one render exceeds the budget', async () => {
    const { scheduler, log, target } = harness(TURN_BUDGET_MS * 10);
    scheduler.request(target('a'), false);
    scheduler.request(target('b'), false);
    await nextTurn();
    expect(log).toEqual(['a']);
    await nextTurn();
    expect(log).toEqual(['a', 'b']);
  });

  it('drops a cancelled target', async () => {
    const { scheduler, log, target } = harness(0);
    const gone = target('gone');
    scheduler.request(gone, true);
    scheduler.request(target('kept'), false);
    scheduler.cancel(gone);
    await nextTurn();
    expect(log).toEqual(['kept']);
  });

  it('paces a target that keeps changing: one frame per interval, its changes in that frame', async () => {
    const { scheduler, log, target, time } = harness(0);
    const flood = target('flood');
    scheduler.request(flood, false);
    await nextTurn();
    expect(log).toEqual(['flood']);
    for (let i = 0; i < 5; i++) scheduler.request(flood, false);
    await nextTurn();
    expect(log).toEqual(['flood']);
    expect(scheduler.pending).toBe(1);
    time.advance(FRAME_INTERVAL_MS - 1);
    await nextTurn();
    expect(log).toEqual(['flood']);
    time.advance(1);
    await nextTurn();
    expect(log).toEqual(['flood', 'flood']);
    expect(scheduler.pending).toBe(0);
  });

  it('never paces urgent renders, and an urgent request takes a paced one out of the wait', async () => {
    const { scheduler, log, target } = harness(0);
    const typing = target('typing');
    scheduler.request(typing, true);
    await nextTurn();
    scheduler.request(typing, true);
    await nextTurn();
    expect(log).toEqual(['typing', 'typing']);
    scheduler.request(typing, false);
    await nextTurn();
    expect(log).toEqual(['typing', 'typing']);
    scheduler.request(typing, true);
    await nextTurn();
    expect(log).toEqual(['typing', 'typing', 'typing']);
  });
});
