// The HTTP API end to end: real HTTP on loopback against a relay with real stock tmate 2.4.0 hosts
// and real OpenSSH viewers. Every route, every error path, authentication, and what cancel and
// kick do to the people connected (their screens, the tmate host process), plus named sessions
// with API keys and the metrics that count it all.
import { describe, expect, it } from 'vitest';
import type { RelaySession } from '../../src/server/relay/relay-session.js';
import type { LocalSessionRequest } from '../../src/server/transport/http/api-routes.js';
import { BAD_API_KEY_TEXT } from '../../src/server/registry/named-sessions.js';
import { ApiClient } from '../helpers/api-client.js';
import { onCleanup, startTestRelay, type RelayFixture } from '../helpers/relay-fixture.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import type { SshViewer } from '../helpers/ssh-viewer.js';
import { waitFor, withTimeout } from '../helpers/wait.js';

const API_TOKEN = 'api-token-for-tests-0123456789';
const PROMPT = /^\$ ?$/m;

interface ErrorBody {
  error: { code: string; message: string };
}

interface ClientJson {
  id: number;
  ip: string;
  fingerprint: string | null;
  read_only: boolean;
  since: string;
}

interface SessionJson {
  id: string;
  state: string;
  host: { kind: string; address: string; client_version: string; connected: boolean };
  created_at: string;
  expires_at: string;
  ssh: string;
  ssh_ro: string;
  web: string;
  web_ro: string;
  clients: ClientJson[];
}

async function waitForPrompt(viewer: SshViewer): Promise<void> {
  await viewer.waitForScreen((screen) => PROMPT.test(screen), 'the shell prompt "$ "');
}

/** A relay with a known API token, a ready stock tmate host, and the session's API id. */
async function relayWithSession(overrides: Parameters<typeof startTestRelay>[0] = {}) {
  const f = await startTestRelay({ apiToken: API_TOKEN, ...overrides });
  const api = ApiClient.of(f);
  const { host, rw, ro } = await f.readyHost();
  const list = await api.get<{ sessions: SessionJson[] }>('/api/sessions');
  expect(list.status).toBe(200);
  expect(list.body.sessions).toHaveLength(1);
  return { f, api, host, rw, ro, id: list.body.sessions[0]!.id };
}

function expectError(answer: { status: number; body: unknown }, status: number, code: string, message?: RegExp): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  const body = answer.body as ErrorBody;
  expect(body.error.code).toBe(code);
  if (message) expect(body.error.message).toMatch(message);
}

describe('HTTP API', () => {
  it('refuses a missing or wrong token with the same 401, before looking at the request', async () => {
    const f = await startTestRelay({ apiToken: API_TOKEN });
    const api = ApiClient.of(f);
    const answers = [
      await api.get('/api/sessions', { authorization: null }),
      await api.get('/api/sessions', { authorization: 'token wrong-token-0123456789' }),
      await api.get('/api/sessions', { authorization: `Basic ${API_TOKEN}` }),
      await api.get('/api/sessions', { authorization: 'token' }),
      await api.post('/api/sessions/nope/extend', '{not json', { authorization: null }),
      await api.delete('/api/no-such-route', { authorization: null }),
    ];
    for (const answer of answers) {
      expectError(answer, 401, 'API_UNAUTHORIZED');
      expect(answer.body).toEqual(answers[0]!.body);
    }
    expect(answers[0]!.headers['www-authenticate']).toBe('token');
    expect((await api.get('/api/sessions')).status).toBe(200);
    expect((await api.get('/api/sessions', { authorization: `token ${API_TOKEN}` })).body).toEqual({ sessions: [] });
    expect(await api.metric('tmate_relay_auth_failures_total', 'reason="bad_api_token"')).toBe(6);
  });

  it('generates a token at first start, keeps it in the keys directory and reuses it', async () => {
    const f = await startTestRelay();
    const token = f.running.apiToken;
    expect(token).toMatchObject({ source: 'file', generated: true });
    expect(token.value.length).toBeGreaterThanOrEqual(16);
    const api = ApiClient.of(f);
    expect((await api.get('/api/sessions')).status).toBe(200);
    const again = await startTestRelay({ keysDir: f.running.config.keysDir });
    expect(again.running.apiToken).toMatchObject({ value: token.value, generated: false });
  });

  it('lists sessions and shows one with its host and connected clients; ids are not tokens', async () => {
    const { f, api, rw, ro, id } = await relayWithSession();
    const writer = await f.viewer(rw);
    await waitForPrompt(writer);
    const watcher = await f.viewer(ro, { identityFile: f.otherKey.privatePath });
    await waitForPrompt(watcher);
    const answer = await api.get<SessionJson>(`/api/sessions/${id}`);
    expect(answer.status).toBe(200);
    const session = answer.body;
    expect(session.id).toMatch(/^s_/);
    expect(session.id).not.toContain(rw);
    expect(session.state).toBe('active');
    expect(session.host).toEqual({ kind: 'ssh', address: '127.0.0.1', client_version: expect.stringMatching(/^2\.4/), connected: true });
    expect(session.ssh).toBe(`ssh -p ${f.port} ${rw}@127.0.0.1`);
    expect(session.ssh_ro).toBe(`ssh -p ${f.port} ${ro}@127.0.0.1`);
    expect(session.web).toBe(`http://127.0.0.1:${f.running.httpPort}/t/${rw}`);
    const lifetime = Date.parse(session.expires_at) - Date.parse(session.created_at);
    expect(lifetime).toBe(30 * 60_000);
    expect(session.clients).toEqual([
      { id: 1, ip: '127.0.0.1', fingerprint: f.key.fingerprint, read_only: false, since: expect.any(String) },
      { id: 2, ip: '127.0.0.1', fingerprint: f.otherKey.fingerprint, read_only: true, since: expect.any(String) },
    ]);
    expect(Date.parse(session.clients[0]!.since)).toBeGreaterThanOrEqual(Date.parse(session.created_at));
    expect(await api.metric('tmate_relay_sessions_active', 'host_kind="ssh"')).toBe(1);
    expect(await api.metric('tmate_relay_viewers_active', 'access="rw"')).toBe(1);
    expect(await api.metric('tmate_relay_viewers_active', 'access="ro"')).toBe(1);
    expect(await api.metric('tmate_relay_bytes_sent_total', 'peer="viewer"')).toBeGreaterThan(0);
    expect(await api.metric('tmate_relay_bytes_received_total', 'peer="host"')).toBeGreaterThan(0);
  });

  it('cancels a session: the OpenSSH viewer is told "session cancelled" and the tmate host ends', async () => {
    const { f, api, host, rw, id } = await relayWithSession();
    const viewer = await f.viewer(rw);
    await waitForPrompt(viewer);
    const answer = await api.delete(`/api/sessions/${id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id, state: 'ended', reason: 'cancelled' });
    await viewer.waitForExit();
    expect(viewer.rawOutput()).toContain('[session cancelled]');
    // The relay told the stock tmate host to kill its session: the tmate server process exits.
    await withTimeout(host.exited, 10_000, () => `tmate host ${host.pid} to exit after cancel`);
    expect(await host.messages()).toContain('Session cancelled');
    expectError(await api.get(`/api/sessions/${id}`), 404, 'API_SESSION_NOT_FOUND');
    expect((await api.get<{ sessions: unknown[] }>('/api/sessions')).body.sessions).toEqual([]);
    expect(await api.metric('tmate_relay_sessions_ended_total', 'reason="cancelled"')).toBe(1);
    expect(await api.metric('tmate_relay_session_duration_seconds_count')).toBe(1);
    const late = await f.viewer(rw);
    await late.waitForExit();
    expect(late.rawOutput()).toContain('Invalid or expired session token');
  });

  it('ends a host that was away when its session was cancelled, once it comes back', async () => {
    const f = await startTestRelay({ apiToken: API_TOKEN });
    const api = ApiClient.of(f);
    const proxy = await startTcpProxy(f.port);
    onCleanup(() => proxy.close());
    const { host } = await f.readyHost({ port: proxy.port });
    const id = (await api.get<{ sessions: SessionJson[] }>('/api/sessions')).body.sessions[0]!.id;
    proxy.cut();
    await waitFor(async () => (await api.get<SessionJson>(`/api/sessions/${id}`)).body.state === 'host-away', {
      describe: () => 'the session to notice its host is away',
    });
    expect((await api.delete(`/api/sessions/${id}`)).status).toBe(200);
    // tmate reconnects with its reconnection data; the relay tells it the session is over.
    await withTimeout(host.exited, 15_000, () => `tmate host ${host.pid} to exit after reconnecting to a cancelled session`);
    expect(proxy.accepted).toBeGreaterThanOrEqual(2);
    const messages = await host.messages();
    expect(messages).toContain('Session cancelled');
    expect(messages).not.toContain('Reconnected');
    expect((await api.get<{ sessions: unknown[] }>('/api/sessions')).body.sessions).toEqual([]);
  });

  it('kicks one viewer and not the other', async () => {
    const { f, api, host, rw, id } = await relayWithSession();
    const kept = await f.viewer(rw);
    const kicked = await f.viewer(rw, { identityFile: f.otherKey.privatePath });
    await waitForPrompt(kept);
    await waitForPrompt(kicked);
    const { body } = await api.get<SessionJson>(`/api/sessions/${id}`);
    const target = body.clients.find((c) => c.fingerprint === f.otherKey.fingerprint)!;
    const answer = await api.delete(`/api/sessions/${id}/clients/${target.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ session: id, client: target.id, state: 'kicked' });
    await kicked.waitForExit();
    expect(kicked.rawOutput()).toContain('removed from the session by the relay operator');
    await host.waitForMessage(`A mate has left (127.0.0.1, ${f.otherKey.fingerprint})`);
    kept.type('echo still-here-$((40+2))\r');
    await kept.waitForText('still-here-42');
    const after = await api.get<SessionJson>(`/api/sessions/${id}`);
    expect(after.body.clients.map((c) => c.fingerprint)).toEqual([f.key.fingerprint]);
    expectError(await api.delete(`/api/sessions/${id}/clients/${target.id}`), 404, 'API_CLIENT_NOT_FOUND');
    expectError(await api.delete(`/api/sessions/${id}/clients/not-a-number`), 404, 'API_CLIENT_NOT_FOUND');
  });

  it('extends a session, and the viewer sees the new time left', async () => {
    const { f, api, rw, id } = await relayWithSession();
    const viewer = await f.viewer(rw);
    await viewer.waitForScreen(() => /30m left/.test(viewer.line(viewer.rows - 1)), 'the time left in the status line');
    const before = (await api.get<SessionJson>(`/api/sessions/${id}`)).body.expires_at;
    const answer = await api.post<SessionJson>(`/api/sessions/${id}/extend`, { ttl: '15m' });
    expect(answer.status).toBe(200);
    expect(Date.parse(answer.body.expires_at) - Date.parse(before)).toBe(15 * 60_000);
    await viewer.waitForText('Session extended by 15m; it now expires in 45 minutes');
    await viewer.waitForScreen(() => /45m left/.test(viewer.line(viewer.rows - 1)), '45m left in the status line');
  });

  it('answers 400 naming the field for bad JSON, unknown fields and out-of-range values', async () => {
    const { api, id } = await relayWithSession();
    const extend = `/api/sessions/${id}/extend`;
    expectError(await api.post(extend, '{"ttl": "15m"'), 400, 'API_BAD_JSON', /not valid JSON/);
    for (const body of ['{"ttl": "15m", "__proto__": {"ttl": "1h"}}', '{"ttl": "15m", "constructor": {"prototype": {"x": 1}}}']) {
      expectError(await api.post(extend, body), 400, 'API_BAD_JSON', /has a "__proto__" key or a "constructor" with a "prototype"/);
    }
    expectError(await api.post(extend, ''), 400, 'API_BAD_JSON', /empty/);
    expectError(await api.post(extend, { ttl: '15m', colour: 'blue' }), 400, 'API_INVALID_REQUEST', /unknown field "colour"/);
    expectError(await api.post(extend, {}), 400, 'API_INVALID_REQUEST', /missing field "ttl"/);
    expectError(await api.post(extend, []), 400, 'API_INVALID_REQUEST', /body must be a JSON object/);
    expectError(await api.post(extend, { ttl: 'soon' }), 400, 'API_INVALID_REQUEST', /field "ttl" must be a duration/);
    expectError(await api.post(extend, { ttl: '0s' }), 400, 'API_INVALID_REQUEST', /field "ttl" is out of range/);
    expectError(await api.post(extend, { ttl: '2d' }), 400, 'API_INVALID_REQUEST', /field "ttl" is out of range: it must be more than 0 and at most 1d/);
    expectError(await api.post(extend, { ttl: '23h59m' }), 400, 'API_INVALID_REQUEST', /field "ttl" must be a duration/);
    expectError(await api.post(extend, { ttl: '1430m' }), 400, 'API_INVALID_REQUEST', /field "ttl" is out of range: the session would have more than 1d left/);
    expectError(await api.post(extend, 'ttl=15m', { contentType: 'text/plain' }), 415, 'API_UNSUPPORTED_MEDIA_TYPE');
    expectError(await api.post(extend, JSON.stringify({ ttl: 'x'.repeat(70_000) })), 413, 'API_BODY_TOO_LARGE');
    const create = '/api/sessions';
    expectError(await api.post(create, { command: ['ls'], quiet: 'loud' }), 400, 'API_INVALID_REQUEST', /field "quiet"/);
    expectError(await api.post(create, { command: [] }), 400, 'API_INVALID_REQUEST', /field "command" is out of range/);
    expectError(await api.post(create, { ttl: '1y' }), 400, 'API_INVALID_REQUEST', /field "ttl" must be a duration/);
    expectError(await api.post(create, { shell: 'bash' }), 400, 'API_INVALID_REQUEST', /unknown field "shell"/);
    // Wrong types are refused, not coerced ("ttl": 5 was a 5-second session, "command": "ls" ran ls).
    expectError(await api.post(extend, { ttl: 5 }), 400, 'API_INVALID_REQUEST', /field "ttl"/);
    expectError(await api.post(create, { ttl: 5 }), 400, 'API_INVALID_REQUEST', /field "ttl"/);
    expectError(await api.post(create, { command: 'ls' }), 400, 'API_INVALID_REQUEST', /field "command"/);
    expectError(await api.post(create, { quiet: 1 }), 400, 'API_INVALID_REQUEST', /field "quiet"/);
    // Nothing above changed the session.
    const session = (await api.get<SessionJson>(`/api/sessions/${id}`)).body;
    expect(Date.parse(session.expires_at) - Date.parse(session.created_at)).toBe(30 * 60_000);
  });

  it('answers 404 for unknown sessions and routes', async () => {
    const f = await startTestRelay({ apiToken: API_TOKEN });
    const api = ApiClient.of(f);
    for (const answer of [
      await api.get('/api/sessions/s_nope'),
      await api.delete('/api/sessions/s_nope'),
      await api.post('/api/sessions/s_nope/extend', { ttl: '5m' }),
      await api.delete('/api/sessions/s_nope/clients/1'),
    ]) {
      expectError(answer, 404, 'API_SESSION_NOT_FOUND');
    }
    expectError(await api.get('/api/nothing-here'), 404, 'API_NOT_FOUND');
    const put = await api.call('PUT', '/api/sessions');
    expectError(put, 405, 'API_METHOD_NOT_ALLOWED');
    expect(put.headers['allow']).toBe('GET, POST');
    expectError(await api.get('/api/sessions/s_nope/extend'), 405, 'API_METHOD_NOT_ALLOWED');
    expect((await api.get('/healthz', { authorization: null })).body).toEqual({ status: 'ok' });
    const elsewhere = await api.call('POST', '/healthz', { authorization: null });
    expect([elsewhere.status, elsewhere.body]).toEqual([404, 'Not found\n']);
  });

  it('creates a real relay-local session that an OpenSSH viewer joins', async () => {
    const f = await startTestRelay({ apiToken: API_TOKEN });
    const api = ApiClient.of(f);
    const answer = await api.post<SessionJson>('/api/sessions', { command: ['env', 'PS1=$ ', 'bash', '--norc', '--noprofile'], ttl: '45m', quiet: true });
    expect(answer.status).toBe(201);
    const token = /(\S+)@127\.0\.0\.1$/.exec(answer.body.ssh)?.[1] ?? '';
    const viewer = await f.viewer(token);
    await viewer.waitForScreen((s) => /^\$ ?$/m.test(s), 'the local shell prompt');
    viewer.type('echo api-local-$((6*7))\r');
    await viewer.waitForText('api-local-42');
    const shown = await api.get<{ host: { kind: string }; expires_in_seconds: number }>(`/api/sessions/${answer.body.id}`);
    expect(shown.body.host.kind).toBe('local');
    expect(shown.body.expires_in_seconds).toBeGreaterThan(44 * 60);
    // As many HTTP clients send it: Content-Type: application/json with no body.
    expect((await api.call('GET', `/api/sessions/${answer.body.id}`, { body: '' })).status).toBe(200);
    expect((await api.call('DELETE', `/api/sessions/${answer.body.id}`, { body: '' })).status).toBe(200);
    await viewer.waitForExit();
    expect(viewer.rawOutput()).toContain('session cancelled');
  });

  it('answers 400 for a relay-local session whose command cannot start, and makes no session', async () => {
    const f = await startTestRelay({ apiToken: API_TOKEN });
    const api = ApiClient.of(f);
    const missing = await api.post('/api/sessions', { command: ['no-such-program-4f2a', '-l'], quiet: true });
    expectError(missing, 400, 'API_COMMAND_NOT_FOUND', /command not found: "no-such-program-4f2a"/);
    expectError(await api.post('/api/sessions', { command: ['/tmp'], quiet: true }), 400, 'API_COMMAND_NOT_FOUND', /command not executable: "\/tmp"/);
    expectError(await api.post('/api/sessions', { command: ['true', 'a\u0000b'], quiet: true }), 400, 'API_INVALID_REQUEST', /must not contain NUL/);
    expect((await api.get<{ sessions: unknown[] }>('/api/sessions')).body.sessions).toEqual([]);
  });

  it('answers 503 for relay-local sessions when they are turned off', async () => {
    const f = await startTestRelay({ apiToken: API_TOKEN }, { createLocalSession: null });
    const api = ApiClient.of(f);
    expectError(await api.post('/api/sessions', { command: ['htop'], ttl: '45m', quiet: true }), 503, 'API_LOCAL_SESSIONS_UNAVAILABLE', /relay-local sessions are not available/);
    expectError(await api.post('/api/sessions'), 503, 'API_LOCAL_SESSIONS_UNAVAILABLE');
  });

  it('creates a relay-local session through the injected factory: 201 with its connection strings', async () => {
    const requests: LocalSessionRequest[] = [];
    let fixture: RelayFixture | null = null;
    // Stands in for the host engine: the "local" session is hosted by a stock tmate here.
    const createLocalSession = async (request: LocalSessionRequest): Promise<RelaySession> => {
      requests.push(request);
      const { rw } = await fixture!.readyHost();
      return fixture!.running.relay.registry.lookup(rw)!.session;
    };
    fixture = await startTestRelay({ apiToken: API_TOKEN }, { createLocalSession });
    const api = ApiClient.of(fixture);
    const answer = await api.post<SessionJson>('/api/sessions', { command: ['bash', '-l'], ttl: '45m', quiet: true });
    expect(answer.status).toBe(201);
    expect(requests).toEqual([{ command: ['bash', '-l'], ttlMs: 45 * 60_000, quiet: true }]);
    expect(Object.keys(answer.body).sort()).toEqual(['expires_at', 'id', 'ssh', 'ssh_ro', 'web', 'web_ro']);
    expect(answer.body.ssh).toMatch(new RegExp(`^ssh -p ${fixture.port} \\S+@127\\.0\\.0\\.1$`));
    expect(answer.body.id).toMatch(/^s_/);
    const defaults = await api.post('/api/sessions');
    expect(defaults.status).toBe(201);
    expect(requests[1]).toEqual({ command: null, ttlMs: 30 * 60_000, quiet: false });
  });
});

describe('named sessions with API keys', () => {
  const KEY = 'ci-team-api-key-0123456789abcdef';

  it('gives a host with a valid key PREFIX/NAME tokens, and refuses a bad key with a clear message', async () => {
    const f = await startTestRelay({ apiToken: API_TOKEN, apiKeys: [{ prefix: 'ci', key: KEY }] });
    const api = ApiClient.of(f);
    const { host, rw, ro } = await f.readyHost({ extraArgs: ['-k', KEY, '-n', 'build-42'] });
    expect(rw).toBe('ci/build-42');
    expect(ro).toBe('ro-ci/build-42');
    expect(await host.sshCommand()).toBe(`ssh -p ${f.port} ci/build-42@127.0.0.1`);
    const watcher = await f.viewer(ro);
    await watcher.waitForText('[read-only]');

    const refused = await f.host({ extraArgs: ['-k', 'not-the-key-0123456789abcdef', '-n', 'sneaky'] });
    await refused.waitForMessage(BAD_API_KEY_TEXT);
    const sessions = (await api.get<{ sessions: SessionJson[] }>('/api/sessions')).body.sessions;
    expect(sessions.map((s) => s.ssh)).toEqual([`ssh -p ${f.port} ci/build-42@127.0.0.1`]);
    await waitFor(async () => (await api.metric('tmate_relay_auth_failures_total', 'reason="bad_api_key"')) >= 1, {
      describe: () => 'the bad API key to be counted',
    });
  });
});

describe('shutdown', () => {
  it('stops accepting, tells every viewer and host, and leaves the host session alive to reconnect', async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const viewer = await f.viewer(rw);
    await waitForPrompt(viewer);
    await withTimeout(f.running.close(), 10_000, () => 'the relay to close');
    await viewer.waitForExit();
    expect(viewer.rawOutput()).toContain('[relay shutting down]');
    await host.waitForMessage('Relay shutting down');
    expect(host.isRunning()).toBe(true);
    const late = await f.viewer(rw);
    expect((await late.waitForExit()).exitCode).toBe(255);
  });
});
