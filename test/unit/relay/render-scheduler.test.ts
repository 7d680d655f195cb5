/**
 * The render scheduler: renders run on later turns, once per queued target however often it
 * asked, one target per turn; urgent targets (recent typing) go first, even when they ask while
 * others wait; non-urgent frames of one target are at least FRAME_INTERVAL_MS apart. Time is a
 * fake clock with manual timers.
 */
import { describe, expect, it } from 'vitest';
import {
  FRAME_INTERVAL_MS, MAX_NORMAL_WAIT_MS, RenderScheduler, type RenderTarget,
} from '../../../src/server/relay/render-scheduler.js';
import type { Clock, TimerHandle } from '../../../src/core/util/clock.js';

/** Resolves after the event loop ran the turn queued so far (immediates run in order). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Resolves after `count` turns. */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await nextTurn();
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
  it('renders each queued target once, on later turns', async () => {
    const { scheduler, log, target } = harness(0);
    const a = target('a');
    scheduler.request(a, false);
    scheduler.request(a, false);
    scheduler.request(target('b'), false);
    expect(log).toEqual([]);
    await turns(3);
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
    await turns(4);
    expect(log).toEqual(['typing', 'quiet', 'busy']);
  });

  it('renders one target per turn, so one that turns urgent meanwhile waits for one render only', async () => {
    const { scheduler, log, target } = harness(3);
    for (const name of ['a', 'b', 'c', 'd', 'e']) scheduler.request(target(name), false);
    await nextTurn();
    expect(log).toEqual(['a']);
    scheduler.request(target('typed'), true);
    await nextTurn();
    expect(log).toEqual(['a', 'typed']);
    await nextTurn();
    expect(log).toEqual(['a', 'typed', 'b']);
    await turns(4);
    expect(log).toEqual(['a', 'typed', 'b', 'c', 'd', 'e']);
    expect(scheduler.pending).toBe(0);
  });

  it('does not let a target that is urgent every turn starve the others', async () => {
    const { scheduler, log, target } = harness(3);
    const typing = target('typing');
    scheduler.request(target('other'), false);
    // Someone types into a session that streams: it asks for an urgent render every turn.
    for (let i = 0; i < 40 && !log.includes('other'); i++) {
      scheduler.request(typing, true);
      await nextTurn();
    }
    const waitedTurns = log.indexOf('other');
    expect(waitedTurns).toBeGreaterThan(0);
    expect(waitedTurns).toBeLessThanOrEqual(Math.ceil(MAX_NORMAL_WAIT_MS / 3) + 1);
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
