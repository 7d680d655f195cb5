// When the relay wakes a libssh host (the stock tmate client) after writing to it: once the host
// has been quiet for a moment, at the latest a little after the write, again after host output
// that may have stranded the wake, a bounded number of times, and never for an idle session.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/util/clock.js';
import { HostWake, MAX_DELAY_MS, QUIET_MS, WAKES_PER_WRITE, needsWakeUps } from '../../../src/server/transport/ssh/host-wake.js';

function wakeWithCounter(): { clock: ManualClock; wake: HostWake; count: () => number } {
  const clock = new ManualClock(1_000);
  let wakes = 0;
  const wake = new HostWake(clock, () => (wakes += 1));
  return { clock, wake, count: () => wakes };
}

describe('host wake-ups', () => {
  it('wakes a quiet host once, QUIET_MS after the last write of a burst', () => {
    const { clock, wake, count } = wakeWithCounter();
    wake.wrote();
    clock.advance(QUIET_MS - 2);
    wake.wrote();
    clock.advance(QUIET_MS - 1);
    expect(count()).toBe(0);
    clock.advance(1);
    expect(count()).toBe(1);
    clock.advance(10 * MAX_DELAY_MS);
    expect(count()).toBe(1);
  });

  it('wakes a host that keeps writing MAX_DELAY_MS after the write at the latest', () => {
    const { clock, wake, count } = wakeWithCounter();
    wake.wrote();
    for (let t = 0; t < MAX_DELAY_MS - 1; t += 1) {
      clock.advance(1);
      wake.hostOutput();
    }
    expect(count()).toBe(0);
    clock.advance(1);
    expect(count()).toBe(1);
  });

  it('wakes again after host output that followed a wake, at most WAKES_PER_WRITE times per write', () => {
    const { clock, wake, count } = wakeWithCounter();
    wake.wrote();
    for (let round = 0; round < WAKES_PER_WRITE + 3; round += 1) {
      clock.advance(MAX_DELAY_MS);
      wake.hostOutput();
    }
    clock.advance(MAX_DELAY_MS);
    expect(count()).toBe(WAKES_PER_WRITE);
    wake.wrote();
    clock.advance(MAX_DELAY_MS);
    expect(count()).toBe(WAKES_PER_WRITE + 1);
  });

  it('sends nothing for host output the relay did not answer, nor after dispose', () => {
    const { clock, wake, count } = wakeWithCounter();
    wake.hostOutput();
    clock.advance(10 * MAX_DELAY_MS);
    expect(count()).toBe(0);
    wake.wrote();
    wake.dispose();
    clock.advance(10 * MAX_DELAY_MS);
    wake.wrote();
    clock.advance(10 * MAX_DELAY_MS);
    expect(count()).toBe(0);
  });

  it('is for libssh clients only (the stock tmate client), not OpenSSH or ssh2', () => {
    expect(needsWakeUps('SSH-2.0-libssh_0.10.6')).toBe(true);
    expect(needsWakeUps('SSH-2.0-libssh-0.7.0')).toBe(true);
    expect(needsWakeUps('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10')).toBe(false);
    expect(needsWakeUps('SSH-2.0-ssh2js1.17.0')).toBe(false);
  });
});
