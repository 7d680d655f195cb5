/**
 * The render scheduler: renders run on a later turn, once per queued target however often it
 * asked; urgent targets (recent typing) go first; a turn that spent its budget leaves the rest
 * for the next turn, and every turn renders at least one target.
 */
import { describe, expect, it } from 'vitest';
import { RenderScheduler, TURN_BUDGET_MS, type RenderTarget } from '../../../src/server/relay/render-scheduler.js';

/** Resolves after the event loop ran the turn queued so far (immediates run in order). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A scheduler on a fake clock where each render costs `costMs`, and a log of what rendered, by turn. */
function harness(costMs: number) {
  let clock = 0;
  const scheduler = new RenderScheduler(() => clock);
  const log: string[] = [];
  const target = (name: string): RenderTarget => ({
    renderNow: () => {
      log.push(name);
      clock += costMs;
    },
  });
  return { scheduler, log, target };
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
});
