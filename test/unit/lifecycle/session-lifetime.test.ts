// SessionLifetime under a ManualClock: TTL expiry, 5/1-minute warnings, extension, the idle and
// "nobody joined" rules, and the once-a-minute tick, without any real waiting.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/util/clock.js';
import { DEFAULT_WARNINGS_MS, SessionLifetime, formatRemaining, formatTimeLeft, type ExpiryCause, type LifetimeRules } from '../../../src/server/lifecycle/session-lifetime.js';

const MIN = 60_000;

function track(rules: Partial<LifetimeRules>, start = 1_000_000) {
  const clock = new ManualClock(start);
  const log: string[] = [];
  let ticks = 0;
  const lifetime = new SessionLifetime(
    clock,
    { ttlMs: 30 * MIN, idleMs: 0, unjoinedMs: 0, warningsMs: DEFAULT_WARNINGS_MS, ...rules },
    {
      warn: (ms) => log.push(`warn ${formatRemaining(ms)} at ${(clock.now() - start) / MIN}m`),
      expire: (cause: ExpiryCause) => log.push(`expire ${cause} at ${(clock.now() - start) / MIN}m`),
      tick: () => ticks++,
    },
  );
  return { clock, log, lifetime, ticks: () => ticks };
}

describe('session lifetime', () => {
  it('warns at 5 and 1 minutes left and expires at the TTL', () => {
    const { clock, log, lifetime } = track({});
    expect(lifetime.remainingMs()).toBe(30 * MIN);
    clock.advance(24 * MIN);
    expect(log).toEqual([]);
    clock.advance(MIN);
    expect(log).toEqual(['warn 5 minutes at 25m']);
    clock.advance(4 * MIN - 1);
    expect(log).toEqual(['warn 5 minutes at 25m']);
    clock.advance(1);
    expect(log).toEqual(['warn 5 minutes at 25m', 'warn 1 minute at 29m']);
    clock.advance(MIN - 1);
    expect(log).toHaveLength(2);
    clock.advance(1);
    expect(log).toEqual(['warn 5 minutes at 25m', 'warn 1 minute at 29m', 'expire expired at 30m']);
    clock.advance(60 * MIN);
    expect(log).toHaveLength(3);
  });

  it('skips warnings whose moment had already passed when the session started', () => {
    const { clock, log } = track({ ttlMs: 3 * MIN });
    clock.advance(3 * MIN);
    expect(log).toEqual(['warn 1 minute at 2m', 'expire expired at 3m']);
  });

  it('moves the expiry on extend and warns again for the new end', () => {
    const { clock, log, lifetime } = track({});
    clock.advance(26 * MIN);
    expect(log).toEqual(['warn 5 minutes at 25m']);
    lifetime.extend(15 * MIN);
    expect(lifetime.remainingMs()).toBe(19 * MIN);
    clock.advance(13 * MIN);
    expect(log).toEqual(['warn 5 minutes at 25m']);
    clock.advance(MIN);
    expect(log).toEqual(['warn 5 minutes at 25m', 'warn 5 minutes at 40m']);
    clock.advance(5 * MIN);
    expect(log.slice(2)).toEqual(['warn 1 minute at 44m', 'expire expired at 45m']);
  });

  it('ends an idle session, and activity pushes the idle deadline', () => {
    const { clock, log, lifetime } = track({ idleMs: 10 * MIN });
    clock.advance(9 * MIN);
    lifetime.activity();
    clock.advance(9 * MIN);
    expect(log).toEqual([]);
    clock.advance(MIN);
    expect(log).toEqual(['expire idle at 19m']);
  });

  it('ends a session nobody joined in time, but not one somebody joined', () => {
    const lonely = track({ unjoinedMs: 5 * MIN });
    lonely.clock.advance(5 * MIN);
    expect(lonely.log).toEqual(['expire unjoined at 5m']);

    const joined = track({ unjoinedMs: 5 * MIN });
    joined.clock.advance(4 * MIN);
    joined.lifetime.joined();
    joined.clock.advance(10 * MIN);
    expect(joined.log).toEqual([]);
  });

  it('ticks each time the whole minutes left change, so status lines stay current', () => {
    const { clock, ticks } = track({ ttlMs: 10 * MIN, warningsMs: [] });
    clock.advance(30_000);
    expect(ticks()).toBe(0);
    clock.advance(30_000);
    expect(ticks()).toBe(1);
    clock.advance(5 * MIN);
    expect(ticks()).toBe(6);
  });

  it('never fires after dispose', () => {
    const { clock, log, lifetime } = track({ idleMs: MIN, unjoinedMs: MIN });
    lifetime.dispose();
    clock.advance(60 * MIN);
    expect(log).toEqual([]);
  });

  it('formats the time left as the status line shows it', () => {
    expect(formatTimeLeft(30 * MIN)).toBe('30m left');
    expect(formatTimeLeft(29 * MIN + 1)).toBe('30m left');
    expect(formatTimeLeft(59_000)).toBe('1m left');
    expect(formatTimeLeft(0)).toBe('<1m left');
    expect(formatTimeLeft(125 * MIN)).toBe('2h05m left');
    expect(formatTimeLeft(120 * MIN)).toBe('2h left');
    expect(formatRemaining(30_000)).toBe('30 seconds');
  });
});
