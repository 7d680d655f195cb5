// Secrets never leak into logs or metrics: a relay logging at debug level into memory runs real
// sessions end to end — a stock tmate host (through a TCP proxy, so it also drops and reconnects
// with its reconnection data), a named session with an API key and a host with a wrong key,
// OpenSSH viewers (rw, ro, an unknown token), the web page, the HTTP API (list, show, a wrong API
// token, a kick, a cancel) — and no full session token, API token, API key or reconnection data
// appears in any log line or in GET /metrics. Also: the key files' and the keys directory's modes.
import { stat, writeFile, chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { request as httpRequest } from 'node:http';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/server/observability/logger.js';
import { ApiClient } from '../helpers/api-client.js';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startRelay } from '../../src/app.js';
import { configWith } from '../../src/server/config/load-config.js';

const API_TOKEN = 'api-token-for-secret-tests-0123456789';
const WRONG_API_TOKEN = 'wrong-api-token-guess-9876543210';
const API_KEY = 'ci-team-secret-api-key-0123456789abcdef';
const WRONG_API_KEY = 'not-the-api-key-0123456789abcdef';
/** Well-formed (25 characters of the token alphabet) but no session has it. */
const UNKNOWN_TOKEN = 'zzzzzzzzzzzzzzzzzzzzzzzzz';

interface SessionJson {
  id: string;
  state: string;
  ssh: string;
  clients: { id: number; read_only: boolean }[];
}

/** A pino logger at debug level whose lines are kept in memory. */
function memoryLogger(): { lines: string[]; log: Logger } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      callback();
    },
  });
  return { lines, log: pino({ level: 'debug' }, sink) };
}

function httpGet(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('secrets', () => {
  it('no token, API token, API key or reconnection data in any log line (debug level) or metric', async () => {
    const { lines, log } = memoryLogger();
    const f = await startTestRelay({ apiToken: API_TOKEN, apiKeys: [{ prefix: 'ci', key: API_KEY }], logLevel: 'debug' }, { log });
    const api = ApiClient.of(f);
    const proxy = await startTcpProxy(f.port);
    onCleanup(() => proxy.close());

    // A random-token session: viewers rw and ro, the web page, an unknown token.
    const { host, rw, ro } = await f.readyHost({ port: proxy.port });
    const writer = await f.viewer(rw);
    await writer.waitForText('$');
    const watcher = await f.viewer(ro, { identityFile: f.otherKey.privatePath });
    await watcher.waitForText('[read-only]');
    const stranger = await f.viewer(UNKNOWN_TOKEN);
    await stranger.waitForExit();
    expect(await httpGet(f.running.httpPort, `/t/${rw}`)).toBe(200);
    expect(await httpGet(f.running.httpPort, `/t/${ro}`)).toBe(200);
    expect(await httpGet(f.running.httpPort, `/t/${UNKNOWN_TOKEN}`)).toBeGreaterThanOrEqual(400);

    // A named session with an API key, and a host with a wrong one.
    const named = await f.readyHost({ extraArgs: ['-k', API_KEY, '-n', 'build-7'] });
    expect(named.rw).toBe('ci/build-7');
    const refused = await f.host({ extraArgs: ['-k', WRONG_API_KEY, '-n', 'sneaky'] });
    await waitFor(async () => (await api.metric('tmate_relay_auth_failures_total', 'reason="bad_api_key"')) >= 1, {
      describe: () => 'the wrong API key to be refused',
    });
    await refused.close();

    // The API: list, show, a wrong token, a kick.
    const sessions = (await api.get<{ sessions: SessionJson[] }>('/api/sessions')).body.sessions;
    const mine = sessions.find((s) => s.ssh.includes(rw));
    expect(mine).toBeDefined();
    expect((await api.get(`/api/sessions/${mine!.id}`, { authorization: `token ${WRONG_API_TOKEN}` })).status).toBe(401);
    const shown = await api.get<SessionJson>(`/api/sessions/${mine!.id}`);
    const ro1 = shown.body.clients.find((c) => c.read_only);
    expect(ro1).toBeDefined();
    expect((await api.delete(`/api/sessions/${mine!.id}/clients/${ro1!.id}`)).status).toBe(200);
    await watcher.waitForExit();

    // The host's connection drops; it comes back with its reconnection data and the same tokens.
    const reconnectionData = (await host.display('#{tmate_reconnection_data}')).trim();
    expect(reconnectionData.length).toBeGreaterThan(20);
    proxy.cut();
    await waitFor(async () => proxy.accepted >= 2 && (await api.get<SessionJson>(`/api/sessions/${mine!.id}`)).body.state === 'active', {
      timeoutMs: 20_000,
      describe: () => `the host to reconnect (proxy accepted ${proxy.accepted})`,
    });
    writer.type('echo still-$((40+2))\r');
    await writer.waitForText('still-42');

    const metrics = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: f.running.httpPort, path: '/metrics', agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect((await api.delete(`/api/sessions/${mine!.id}`)).status).toBe(200);
    await writer.waitForExit();

    // The capture works (at debug level) and saw the whole story…
    const all = lines.join('\n');
    expect(log.isLevelEnabled('debug')).toBe(true);
    const events = lines.map((l) => JSON.stringify([(JSON.parse(l) as { event?: string; reason?: string }).event, (JSON.parse(l) as { reason?: string }).reason ?? null]));
    for (const seen of [
      ['session-created', null],
      ['auth-failure', 'unknown_token'],
      ['auth-failure', 'bad_api_key'],
      ['auth-failure', 'bad_api_token'],
      ['viewer-kicked', null],
      ['host-reconnected', null],
      ['session-ended', 'cancelled'],
    ]) {
      expect(events, JSON.stringify(seen)).toContain(JSON.stringify(seen));
    }
    expect(metrics).toContain('tmate_relay_sessions_active');
    // …and holds none of the secrets, in full.
    const secrets: Record<string, string> = {
      'rw token': rw,
      'ro token': ro,
      'ro token body': ro.slice('ro-'.length),
      'API token': API_TOKEN,
      'wrong API token': WRONG_API_TOKEN,
      'API key': API_KEY,
      'wrong API key': WRONG_API_KEY,
      'unknown viewer token': UNKNOWN_TOKEN,
      'reconnection data': reconnectionData,
      'reconnection data MAC': reconnectionData.slice(reconnectionData.indexOf('.') + 1),
    };
    for (const [what, secret] of Object.entries(secrets)) {
      expect(all.includes(secret), `${what} in the logs`).toBe(false);
      expect(metrics.includes(secret), `${what} in /metrics`).toBe(false);
    }
    // Metric labels carry no session names either (named tokens are the user's choice, but labels stay bounded).
    expect(metrics).not.toContain('build-7');
  });

  it('host keys, the API token and the reconnection secret are 0600 in a 0700 directory, also when found looser', async () => {
    const f = await startTestRelay();
    const keys = f.running.config.keysDir;
    const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;
    const privateFiles = ['ssh_host_ed25519_key', 'ssh_host_rsa_key', 'api-token', 'reconnect.secret'];
    expect(await mode(keys)).toBe(0o700);
    for (const file of privateFiles) expect(await mode(join(keys, file)), file).toBe(0o600);
    expect(await mode(join(keys, 'ssh_host_ed25519_key.pub'))).toBe(0o644);

    // A keys directory prepared by hand with loose modes is tightened on start.
    const loose = join(f.dir.path, 'loose-keys');
    await mkdir(loose, { mode: 0o755 });
    await chmod(loose, 0o755);
    await writeFile(join(loose, 'api-token'), 'a-hand-written-api-token-0123456789\n', { mode: 0o644 });
    await writeFile(join(loose, 'reconnect.secret'), `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    const again = await startTestRelay({ keysDir: loose });
    expect(again.running.apiToken.value).toBe('a-hand-written-api-token-0123456789');
    expect(await mode(loose)).toBe(0o700);
    for (const file of privateFiles) expect(await mode(join(loose, file)), file).toBe(0o600);
  });

  it('refuses to start on a hand-written API token it cannot use, rather than replacing it', async () => {
    const dir = await makeTempDir('trt-');
    onCleanup(() => dir.cleanup());
    await writeFile(join(dir.path, 'api-token'), 'myshorttoken\n', { mode: 0o600 });
    const config = configWith({ sshPort: 0, httpPort: 0, localSession: false, keysDir: dir.path, logLevel: 'silent' });
    await expect(startRelay(config, { log: pino({ level: 'silent' }) })).rejects.toThrow(/holds no usable API token/);
    expect(await readFile(join(dir.path, 'api-token'), 'utf8')).toBe('myshorttoken\n');
  });
});
