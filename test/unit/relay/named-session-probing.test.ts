// Asking for a session name that is taken tells whether the name exists, so it counts as a failed
// attempt of the host's address, like an unknown token; an address over the limit may not ask for
// names at all (random tokens stay open to it). Fake host ports, a manual clock.
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/util/clock.js';
import { configWith } from '../../../src/server/config/load-config.js';
import { ReconnectionSigner } from '../../../src/server/relay/reconnection-data.js';
import { Relay } from '../../../src/server/relay/relay.js';
import { FakeHostPort } from './fake-host-port.js';

describe('probing for session names', () => {
  it('counts a taken name as a failed attempt and refuses names to a throttled address', () => {
    const relay = new Relay(configWith({ authFailureLimit: 2, rateLimitWindowMs: 3_600_000 }), new ReconnectionSigner(randomBytes(32)), new ManualClock(), pino({ level: 'silent' }));
    const hostAsking = (name: string | null) => {
      const host = new FakeHostPort('198.51.100.7');
      const replica = relay.newReplica();
      if (name !== null) replica.options.set('tmate-session-name', name);
      return { host, session: relay.establish(host, replica, null) };
    };
    expect(hostAsking('standup').session?.tokens.rw).toBe('standup');
    for (const guess of ['standup', 'standup']) {
      const probe = hostAsking(guess);
      expect(probe.session?.tokens.rw).not.toBe('standup');
      expect(probe.host.notices().join('\n')).toMatch(/already in use/);
    }
    const refused = hostAsking('retro');
    expect(refused.session).toBeNull();
    expect(refused.host.notices().join('\n')).toMatch(/Too many failed attempts/);
    expect(hostAsking(null).session).not.toBeNull();
  });
});
