// The per-address limiters with a ManualClock: a token bucket per key that refills over the
// window, the brute-force guard built from two of them (connections, failed attempts) and its
// metrics; plus the API-key table and how named-session tokens are chosen with it.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ManualClock } from '../../../src/core/util/clock.js';
import { HostOptions } from '../../../src/core/mux/host-options.js';
import { RateLimiter } from '../../../src/server/abuse/rate-limiter.js';
import { AbuseGuard } from '../../../src/server/abuse/abuse-guard.js';
import { KeyAllowList } from '../../../src/server/abuse/authorized-keys.js';
import { RelayMetrics } from '../../../src/server/observability/metrics.js';
import { ApiKeyTable, parseApiKeys } from '../../../src/server/registry/api-keys.js';
import { BAD_API_KEY_TEXT, chooseTokens } from '../../../src/server/registry/named-sessions.js';
import { SessionRegistry } from '../../../src/server/registry/session-registry.js';

const MIN = 60_000;

async function metricValue(metrics: RelayMetrics, name: string, labels: string): Promise<number> {
  const text = (await metrics.render()).body;
  const match = new RegExp(`^${name}\\{${labels}\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

describe('rate limiter', () => {
  it('allows `limit` attempts per window per key, refilling over time', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(clock, { limit: 3, windowMs: MIN });
    expect([1, 2, 3, 4].map(() => limiter.tryTake('127.0.0.1'))).toEqual([true, true, true, false]);
    expect(limiter.tryTake('127.0.0.2')).toBe(true);
    expect(limiter.retryAfterMs('127.0.0.1')).toBe(20_000);
    clock.advance(19_999);
    expect(limiter.tryTake('127.0.0.1')).toBe(false);
    clock.advance(1);
    expect(limiter.tryTake('127.0.0.1')).toBe(true);
    expect(limiter.tryTake('127.0.0.1')).toBe(false);
  });

  it('tracks failures without consuming on lookups, and forgets refilled keys', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(clock, { limit: 2, windowMs: MIN });
    limiter.spend('a');
    expect(limiter.isExhausted('a')).toBe(false);
    limiter.spend('a');
    expect(limiter.isExhausted('a')).toBe(true);
    expect(limiter.isExhausted('never-seen')).toBe(false);
    clock.advance(MIN);
    limiter.sweep();
    expect(limiter.size).toBe(0);
  });

  it('is off with a limit of 0, and bounded in memory', () => {
    const clock = new ManualClock(0);
    const off = new RateLimiter(clock, { limit: 0, windowMs: MIN });
    for (let i = 0; i < 100; i++) expect(off.tryTake('x')).toBe(true);
    expect(off.size).toBe(0);
    const small = new RateLimiter(clock, { limit: 1, windowMs: MIN }, 10);
    for (let i = 0; i < 50; i++) small.tryTake(`10.0.0.${i}`);
    expect(small.size).toBe(10);
  });
});

describe('abuse guard', () => {
  it('throttles an address after too many failures, counts it, and leaves other addresses alone', async () => {
    const clock = new ManualClock(0);
    const metrics = new RelayMetrics();
    const guard = new AbuseGuard(clock, { connectionLimit: 100, authFailureLimit: 3, windowMs: MIN }, metrics, pino({ level: 'silent' }));
    for (let i = 0; i < 3; i++) guard.authFailed('127.0.0.1', 'unknown_token');
    expect(guard.refuseIfThrottled('127.0.0.1')).toBe(true);
    expect(guard.refuseIfThrottled('127.0.0.2')).toBe(false);
    expect(guard.retryAfterSeconds('127.0.0.1')).toBe(20);
    expect(await metricValue(metrics, 'tmate_relay_auth_failures_total', 'reason="unknown_token"')).toBe(3);
    expect(await metricValue(metrics, 'tmate_relay_rate_limited_total', 'kind="auth"')).toBe(1);
    clock.advance(20_000);
    expect(guard.refuseIfThrottled('127.0.0.1')).toBe(false);
    metrics.close();
  });

  it('drops connection attempts over the rate', async () => {
    const clock = new ManualClock(0);
    const metrics = new RelayMetrics();
    const guard = new AbuseGuard(clock, { connectionLimit: 2, authFailureLimit: 0, windowMs: MIN }, metrics, pino({ level: 'silent' }));
    expect([1, 2, 3].map(() => guard.admitConnection('127.0.0.1'))).toEqual([true, true, false]);
    expect(await metricValue(metrics, 'tmate_relay_rate_limited_total', 'kind="connection"')).toBe(1);
    metrics.close();
  });
});

describe('server-wide authorized keys', () => {
  it('parses authorized_keys lines, with comments and options', () => {
    const list = KeyAllowList.parse('# team\n\nssh-ed25519 AAAAC3Nza1 alice\nno-pty ssh-rsa AAAAB3Nz bob\ngarbage\n');
    expect(list.size).toBe(2);
    expect(list.allows('ssh-ed25519', 'AAAAC3Nza1')).toBe(true);
    expect(list.allows('ssh-rsa', 'AAAAB3Nz')).toBe(true);
    expect(list.allows('ssh-ed25519', 'AAAAB3Nz')).toBe(false);
  });
});

describe('named sessions with API keys', () => {
  const KEY = 'k3y-for-the-ci-team-0123456789';

  function options(set: Record<string, string>): HostOptions {
    const o = new HostOptions();
    for (const [name, value] of Object.entries(set)) o.set(name, value);
    return o;
  }

  it('parses PREFIX=KEY pairs and refuses bad ones without echoing keys', () => {
    const ok = parseApiKeys(`ci=${KEY}, alice=another-key-0123456789`);
    expect(ok.ok && ok.entries.map((e) => e.prefix)).toEqual(['ci', 'alice']);
    for (const bad of [KEY, `ro-ci=${KEY}`, 'ci=short', `a/b=${KEY}`, `ci=${KEY},ci=${KEY}x`]) {
      const result = parseApiKeys(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.join('\n')).not.toContain(KEY);
    }
  });

  it('gives a host with a valid key PREFIX/NAME and ro-PREFIX/NAME', () => {
    const keys = new ApiKeyTable([{ prefix: 'ci', key: KEY }]);
    const registry = new SessionRegistry();
    const named = chooseTokens(registry, options({ 'tmate-api-key': KEY, 'tmate-session-name': 'build-42' }), keys);
    expect(named).toMatchObject({ ok: true, tokens: { rw: 'ci/build-42', ro: 'ro-ci/build-42' }, prefix: 'ci' });
    const both = chooseTokens(registry, options({ 'tmate-api-key': KEY, 'tmate-session-name': 'a', 'tmate-session-name-ro': 'b' }), keys);
    expect(both).toMatchObject({ ok: true, tokens: { rw: 'ci/a', ro: 'ro-ci/b' } });
  });

  it('refuses a host with an unknown key, and asks for a key when names come without one', () => {
    const keys = new ApiKeyTable([{ prefix: 'ci', key: KEY }]);
    const registry = new SessionRegistry();
    expect(chooseTokens(registry, options({ 'tmate-api-key': 'wrong-key-000000000000', 'tmate-session-name': 'x' }), keys)).toEqual({
      ok: false,
      refusal: BAD_API_KEY_TEXT,
    });
    const unkeyed = chooseTokens(registry, options({ 'tmate-session-name': 'x' }), keys);
    expect(unkeyed.ok && unkeyed.tokens.rw).not.toBe('x');
    expect(unkeyed.ok && unkeyed.notes[0]).toMatch(/need an API key \(tmate -k KEY; tmate-relay host has none\)/);
  });

  it('keeps plain names on a relay without API keys, and ignores -k there', () => {
    const registry = new SessionRegistry();
    const plain = chooseTokens(registry, options({ 'tmate-api-key': KEY, 'tmate-session-name': 'team' }), new ApiKeyTable([]));
    expect(plain).toMatchObject({ ok: true, tokens: { rw: 'team' }, notes: ['This relay has no API keys configured; -k is ignored'] });
  });
});
