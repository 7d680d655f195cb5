// The lifetime, API and abuse options in the one option table: defaults, environment variables,
// all problems listed at once without echoing secrets; and how a new session's TTL is chosen from
// the server default, the host's `tmate-relay-ttl` option and the maximum.
import { describe, expect, it } from 'vitest';
import { HostOptions } from '../../../src/core/mux/host-options.js';
import { configWith, loadServeConfig } from '../../../src/server/config/load-config.js';
import { lifetimeFor } from '../../../src/server/lifecycle/session-policy.js';

const SECRET = 'this-is-a-secret-api-key-0123';

describe('lifetime, API and abuse options', () => {
  it('has the documented defaults', () => {
    const result = loadServeConfig([], {});
    expect(result.ok && result.config).toMatchObject({
      sessionTtlMs: 30 * 60_000,
      maxSessionTtlMs: 24 * 3_600_000,
      idleTtlMs: 0,
      unjoinedTtlMs: 0,
      apiToken: null,
      apiKeys: [],
      authorizedKeys: null,
      maxSessions: 10_000,
      maxSessionsPerIp: 20,
      maxViewersPerSession: 100,
      connectionRateLimit: 60,
      authFailureLimit: 10,
      rateLimitWindowMs: 60_000,
      authTimeoutMs: 20_000,
      shutdownTimeoutMs: 10_000,
    });
  });

  it('reads flags and TMATE_RELAY_* variables', () => {
    const result = loadServeConfig(['--session-ttl', '2h', '--idle-ttl', '15m'], {
      TMATE_RELAY_API_TOKEN: SECRET,
      TMATE_RELAY_API_KEYS: `ci=${SECRET}`,
      TMATE_RELAY_UNJOINED_TTL: '90s',
      TMATE_RELAY_AUTH_FAILURE_LIMIT: '3',
    });
    expect(result.ok && result.config).toMatchObject({
      sessionTtlMs: 2 * 3_600_000,
      idleTtlMs: 15 * 60_000,
      unjoinedTtlMs: 90_000,
      apiToken: SECRET,
      apiKeys: [{ prefix: 'ci', key: SECRET }],
      authFailureLimit: 3,
    });
  });

  it('lists every problem at once and never echoes a secret', () => {
    const result = loadServeConfig(['--api-token', 'short secret', '--api-keys', `${SECRET}`, '--session-ttl', '2d', '--idle-ttl', 'later'], {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = result.problems.join('\n');
    expect(result.problems).toHaveLength(4);
    expect(text).toMatch(/--api-token.*at least 16/);
    expect(text).toMatch(/--api-keys.*PREFIX=KEY/);
    expect(text).toMatch(/--session-ttl.*--max-session-ttl/);
    expect(text).toMatch(/--idle-ttl.*later/);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('short secret');
  });
});

describe('a new session TTL', () => {
  const config = configWith({ sessionTtlMs: 30 * 60_000, maxSessionTtlMs: 4 * 3_600_000, idleTtlMs: 60_000, unjoinedTtlMs: 0 });

  it('is the server default unless the host asked with tmate-relay-ttl, capped at the maximum', () => {
    expect(lifetimeFor(config, new HostOptions())).toEqual({ ttlMs: 30 * 60_000, idleMs: 60_000, unjoinedMs: 0 });
    const asked = new HostOptions();
    asked.set('tmate-relay-ttl', '2h');
    expect(lifetimeFor(config, asked).ttlMs).toBe(2 * 3_600_000);
    const greedy = new HostOptions();
    greedy.set('tmate-relay-ttl', '30d');
    const notes: string[] = [];
    expect(lifetimeFor(config, greedy, notes).ttlMs).toBe(4 * 3_600_000);
    expect(notes).toEqual(["Session lifetime capped at 4h (the relay's maximum)"]);
    const nonsense = new HostOptions();
    nonsense.set('tmate-relay-ttl', 'forever');
    expect(nonsense.ttlMs).toBeNull();
  });
});
