// Abuse limits and access control end to end, with real OpenSSH viewers, real stock tmate hosts
// and real HTTP on loopback. Loopback is not exempt from the limits, so tests use several loopback
// source addresses (127.0.0.1, 127.0.0.2, …): on Linux the whole 127/8 is local.
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.js';
import { startTestRelay } from '../helpers/relay-fixture.js';
import type { SshViewer } from '../helpers/ssh-viewer.js';

const API_TOKEN = 'api-token-for-tests-0123456789';
const HOUR = 3_600_000;
const PROMPT = /^\$ ?$/m;

function from(address: string): { extraArgs: string[] } {
  return { extraArgs: ['-o', `BindAddress=${address}`] };
}

async function waitForPrompt(viewer: SshViewer): Promise<void> {
  await viewer.waitForScreen((screen) => PROMPT.test(screen), 'the shell prompt "$ "');
}

describe('brute-force guard', () => {
  it('throttles many wrong tokens from one address while a right token still works from another', async () => {
    const f = await startTestRelay({ apiToken: API_TOKEN, authFailureLimit: 3, rateLimitWindowMs: HOUR });
    const api = ApiClient.of(f);
    const { rw } = await f.readyHost();
    for (let i = 0; i < 3; i++) {
      const guess = await f.viewer(`WrongGuess${i}abcdefghjkmnpqrstu`);
      await guess.waitForExit();
      expect(guess.rawOutput()).toContain('Invalid or expired session token');
    }
    // The next attempt from that address is refused even with the right token...
    const throttled = await f.viewer(rw);
    const exit = await throttled.waitForExit();
    expect(exit.exitCode).not.toBe(0);
    expect(throttled.rawOutput()).toMatch(/Too many failed attempts from 127\.0\.0\.1; try again in \d+s/);
    // ...while the right token works from another address.
    const other = await f.viewer(rw, from('127.0.0.2'));
    await waitForPrompt(other);
    expect(await api.metric('tmate_relay_auth_failures_total', 'reason="unknown_token"')).toBe(3);
    expect(await api.metric('tmate_relay_rate_limited_total', 'kind="auth"')).toBe(1);
    expect(await api.metric('tmate_relay_viewers_active', 'access="rw"')).toBe(1);
    // The API shares the address's failure budget: 127.0.0.1 is throttled there too.
    expect((await api.get('/api/sessions')).status).toBe(429);
    const listed = await api.get<{ sessions: { clients: { ip: string }[] }[] }>('/api/sessions', { from: '127.0.0.2' });
    const joined = listed.body.sessions[0]!.clients;
    expect(joined.map((c) => c.ip)).toEqual(['127.0.0.2']);
  });

  it('throttles wrong API tokens per address: 401, then 429 even with the right token', async () => {
    const f = await startTestRelay({ apiToken: API_TOKEN, authFailureLimit: 3, rateLimitWindowMs: HOUR });
    const api = ApiClient.of(f);
    for (let i = 0; i < 3; i++) {
      expect((await api.get('/api/sessions', { authorization: `token guess-${i}-0123456789abcdef`, from: '127.0.0.3' })).status).toBe(401);
    }
    const refused = await api.get<{ error: { code: string } }>('/api/sessions', { from: '127.0.0.3' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('AUTH_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await api.get('/api/sessions', { from: '127.0.0.4' })).status).toBe(200);
    expect(await api.metric('tmate_relay_auth_failures_total', 'reason="bad_api_token"')).toBe(3);
    expect(await api.metric('tmate_relay_rate_limited_total', 'kind="auth"')).toBe(1);
  });

  it('drops connection attempts over the per-address rate, before authentication', async () => {
    const f = await startTestRelay({ connectionRateLimit: 2, rateLimitWindowMs: HOUR });
    const api = ApiClient.of(f);
    for (let i = 0; i < 2; i++) {
      const viewer = await f.viewer(`NoSuchSession${i}abcdefghjkmnpq`, from('127.0.0.5'));
      await viewer.waitForExit();
      expect(viewer.rawOutput()).toContain('Invalid or expired session token');
    }
    const dropped = await f.viewer('NoSuchSession2abcdefghjkmnpq', from('127.0.0.5'));
    expect((await dropped.waitForExit()).exitCode).toBe(255);
    expect(dropped.rawOutput()).not.toContain('Invalid or expired session token');
    expect(await api.metric('tmate_relay_rate_limited_total', 'kind="connection"')).toBe(1);
    const elsewhere = await f.viewer('NoSuchSession3abcdefghjkmnpq', from('127.0.0.6'));
    await elsewhere.waitForExit();
    expect(elsewhere.rawOutput()).toContain('Invalid or expired session token');
  });
});

describe('limits', () => {
  it('refuses a host over the per-address session limit, and a viewer over the per-session limit', async () => {
    const f = await startTestRelay({ maxSessionsPerIp: 1, maxViewersPerSession: 1 });
    const api = ApiClient.of(f);
    const { rw } = await f.readyHost();
    const second = await f.host();
    await second.waitForMessage('This relay allows at most 1 sessions per address; session refused');
    const first = await f.viewer(rw);
    await waitForPrompt(first);
    const extra = await f.viewer(rw, { identityFile: f.otherKey.privatePath });
    await extra.waitForExit();
    expect(extra.rawOutput()).toContain('Session is full (1 viewers); try again later');
    expect(await api.metric('tmate_relay_limit_refusals_total', 'limit="viewers_per_session"')).toBe(1);
    expect(await api.metric('tmate_relay_limit_refusals_total', 'limit="sessions_per_ip"')).toBeGreaterThanOrEqual(1);
  });
});

describe('the relay-wide session limit', () => {
  it('refuses a host once the relay holds --max-sessions sessions, whatever its address', async () => {
    const f = await startTestRelay({ maxSessions: 1, maxSessionsPerIp: 0 });
    const api = ApiClient.of(f);
    await f.readyHost();
    const second = await f.host();
    await second.waitForMessage('This relay is at its limit of 1 sessions; session refused, try again later');
    expect(f.running.relay.registry.size).toBe(1);
    expect(await api.metric('tmate_relay_limit_refusals_total', 'limit="sessions"')).toBeGreaterThanOrEqual(1);
  });
});

describe('access control', () => {
  it('admits only viewers whose key is in the server-wide --authorized-keys', async () => {
    const dirless = await startTestRelay();
    const keysFile = `${dirless.dir.path}/relay_authorized_keys`;
    await writeFile(keysFile, `# who may join anything\n${dirless.key.publicLine}\n`);
    const f = await startTestRelay({ authorizedKeys: keysFile, allowKeyless: true });
    const api = ApiClient.of(f);
    const { rw, ro } = await f.readyHost();
    for (const [user, identityFile] of [
      [rw, f.otherKey.privatePath],
      [ro, null],
    ] as const) {
      const denied = await f.viewer(user, { identityFile });
      expect((await denied.waitForExit()).exitCode).toBe(255);
      expect(denied.rawOutput()).toContain('Permission denied (publickey)');
    }
    // f's own keys differ from dirless's: only dirless.key is listed.
    const listed = await f.viewer(rw, { identityFile: dirless.key.privatePath });
    await waitForPrompt(listed);
    expect(await api.metric('tmate_relay_auth_failures_total', 'reason="key_not_authorized"')).toBe(1);
    expect(await api.metric('tmate_relay_auth_failures_total', 'reason="no_key"')).toBe(1);
  });

  it('shows who is connected with C-b W to any viewer, and announces joins and leaves', async () => {
    const f = await startTestRelay();
    const { host, rw, ro } = await f.readyHost();
    const writer = await f.viewer(rw);
    await waitForPrompt(writer);
    const watcher = await f.viewer(ro, { identityFile: f.otherKey.privatePath });
    await waitForPrompt(watcher);
    await writer.waitForText(`A mate has joined (127.0.0.1, ${f.otherKey.fingerprint})`);
    await host.waitForMessage(`A mate has joined (127.0.0.1, ${f.otherKey.fingerprint}) -- 2 clients currently connected`);
    watcher.press('C-b', 'W');
    const list = await watcher.waitForText('2 clients connected to [tmate]');
    expect(list).toMatch(new RegExp(`#1 +rw +127\\.0\\.0\\.1 +${escape(f.key.fingerprint)} +joined \\d+s ago`));
    expect(list).toMatch(new RegExp(`#2 +ro +127\\.0\\.0\\.1 +${escape(f.otherKey.fingerprint)} +joined \\d+s ago +\\(you\\)`));
    watcher.press('q');
    await watcher.waitForScreen((s) => !s.includes('clients connected') && PROMPT.test(s), 'the session again');
    await watcher.close();
    await writer.waitForText(`A mate has left (127.0.0.1, ${f.otherKey.fingerprint})`);
    await host.waitForMessage(`A mate has left (127.0.0.1, ${f.otherKey.fingerprint}) -- 1 client currently connected`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
