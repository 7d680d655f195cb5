// What a hostile SSH viewer can do between authenticating and attaching, with a scripted ssh2
// client: log in as a token before its session exists (when any key is fine) and ask for the
// shell once the session, restricted to listed keys (tmate -a), is there; send a second request
// on a channel that already runs the shell; open many session channels on one connection. The
// relay must refuse the first, survive the second, and take at most MAX_VIEWER_CHANNELS viewers
// per connection, charging an unknown token once per connection however many channels ask.
import { writeFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { KEY_NOT_LISTED_TEXT } from '../../src/server/relay/relay.js';
import { generateUsableKeyPair } from '../../src/server/keys/host-keys.js';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';
import { systemClock, type Clock } from '../../src/core/util/clock.js';
import { waitFor } from '../helpers/wait.js';
import { connectSsh2, type Ssh2Client } from './helpers/ssh2-connect.js';
import { ApiClient } from '../helpers/api-client.js';
import { MAX_VIEWER_CHANNELS } from '../../src/server/transport/ssh/viewer-channels.js';

/** An ssh2 client logged in as `user` with a key of its own, with no channel open yet. */
function loginOnly(port: number, user: string): Promise<Ssh2Client> {
  const key = generateUsableKeyPair('ed25519');
  return new Promise((resolve, reject) => {
    const conn = new ssh2.Client();
    conn.once('ready', () => resolve(conn));
    conn.once('error', reject);
    conn.connect({ host: '127.0.0.1', port, username: user, privateKey: key.private, readyTimeout: 10_000 });
    onCleanup(async () => void conn.end());
  });
}

function openShell(conn: Ssh2Client): Promise<ClientChannel> {
  return new Promise((resolve, reject) => conn.shell({ term: 'xterm', cols: 80, rows: 24 }, (error, channel) => (error ? reject(error) : resolve(channel))));
}

function collect(channel: ClientChannel): { text: () => string } {
  let text = '';
  channel.on('data', (data: Buffer) => (text += data.toString('latin1')));
  return { text: () => text };
}

describe('hostile viewer requests', () => {
  it('checks a key-restricted session\'s list on attach, not only at login (the login may predate the session)', async () => {
    const f = await startTestRelay();
    const early = await loginOnly(f.port, 'owners-session');
    const keysFile = `${f.dir.path}/authorized_keys`;
    await writeFile(keysFile, `${f.key.publicLine}\n`);
    const { host, rw } = await f.readyHost({ extraArgs: ['-a', keysFile, '-n', 'owners-session'] });
    expect(rw).toBe('owners-session');

    const channel = await openShell(early);
    const seen = collect(channel);
    await waitFor(() => seen.text().includes(KEY_NOT_LISTED_TEXT), { timeoutMs: 5000, describe: () => `the refusal, got ${JSON.stringify(seen.text())}` });
    expect(f.running.relay.registry.lookup(rw)?.session.viewerCount ?? 0).toBe(0);

    // The listed key still joins.
    const owner = await f.viewer(rw);
    await owner.waitForText(/^\$/m);
    await waitFor(async () => (await host.display('#{tmate_num_clients}')) === '1', { timeoutMs: 5000, describe: () => 'one viewer' });
  });

  it('survives a second request on a channel that already runs the shell', async () => {
    // The relay's clock, watched: the closing line after a refused request is written by a short
    // timer, so the test waits until every short timer the relay set has run (one of them threw).
    const short: { done: boolean }[] = [];
    const clock: Clock = {
      now: () => systemClock.now(),
      setTimeout(callback, ms) {
        const timer = { done: ms > 1000 };
        if (!timer.done) short.push(timer);
        return systemClock.setTimeout(() => {
          timer.done = true;
          callback();
        }, ms);
      },
    };
    const f = await startTestRelay({}, { clock });
    const { rw } = await f.readyHost();
    for (const user of [rw, 'NoSuchToken0123456789abcd']) {
      const key = generateUsableKeyPair('ed25519');
      const { conn, channel } = await connectSsh2({ port: f.port }, { username: user, privateKey: key.private }, (c, cb) => c.shell({ term: 'xterm', cols: 80, rows: 24 }, cb));
      onCleanup(async () => void conn.end());
      // ssh2's client offers no second request on one channel; its protocol object does.
      const protocol = (conn as unknown as { _protocol: { exec(id: number, command: string, wantReply: boolean): void } })._protocol;
      protocol.exec((channel as unknown as { outgoing: { id: number } }).outgoing.id, 'id', true);
      protocol.exec((channel as unknown as { outgoing: { id: number } }).outgoing.id, 'id', true);
    }
    await waitFor(() => short.every((timer) => timer.done), { timeoutMs: 5000, describe: () => 'the relay\'s short timers to run' });
    const viewer = await f.viewer(rw);
    await viewer.waitForText(/^\$/m);
  });

  it('takes up to MAX_VIEWER_CHANNELS viewers on one connection, refuses more, and hangs up after the last', async () => {
    // The relay runs in this process: a listener left behind per channel would warn here.
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    onCleanup(async () => void process.off('warning', onWarning));
    const f = await startTestRelay();
    const { rw } = await f.readyHost();
    const conn = await loginOnly(f.port, rw);
    const closed = new Promise<void>((resolve) => conn.once('close', () => resolve()));
    const shells = await Promise.allSettled(Array.from({ length: MAX_VIEWER_CHANNELS + 1 }, () => openShell(conn)));
    const open = shells.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(open.length).toBe(MAX_VIEWER_CHANNELS);
    const viewers = (): number => f.running.relay.registry.lookup(rw)?.session.viewerCount ?? 0;
    await waitFor(() => viewers() === MAX_VIEWER_CHANNELS, { timeoutMs: 5000, describe: () => `${MAX_VIEWER_CHANNELS} viewers, got ${viewers()}` });
    const last = open.pop()!;
    for (const channel of open) channel.close();
    await waitFor(() => viewers() === 1, { timeoutMs: 5000, describe: () => `one viewer left, got ${viewers()}` });
    // Views come and go on the shared connection (as ssh runs over a ControlMaster do).
    for (let i = 0; i < 2 * MAX_VIEWER_CHANNELS; i++) {
      const view = await openShell(conn);
      await waitFor(() => viewers() === 2, { timeoutMs: 5000, describe: () => `a second viewer, got ${viewers()}` });
      view.close();
      await waitFor(() => viewers() === 1, { timeoutMs: 5000, describe: () => `one viewer left, got ${viewers()}` });
    }
    const seen = collect(last);
    last.write('echo one$((6*7))\r');
    await waitFor(() => seen.text().includes('one42'), { timeoutMs: 5000, describe: () => `the echo, got ${JSON.stringify(seen.text().slice(-200))}` });
    last.close();
    await closed; // the relay hung up once the last channel closed
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
    expect(warnings).toEqual([]);
  });

  it('charges an unknown token once per connection, however many channels ask', async () => {
    const f = await startTestRelay();
    const api = ApiClient.of(f);
    const before = await api.metric('tmate_relay_auth_failures_total', 'reason="unknown_token"');
    const conn = await loginOnly(f.port, 'NoSuchToken0123456789abcd');
    const closed = new Promise<void>((resolve) => conn.once('close', () => resolve()));
    // All asked at once, so each shell request reaches the relay before the first refusal ends the connection.
    const shells = await Promise.allSettled(Array.from({ length: 3 }, () => openShell(conn)));
    for (const result of shells) if (result.status === 'fulfilled') collect(result.value);
    await closed;
    expect(await api.metric('tmate_relay_auth_failures_total', 'reason="unknown_token"')).toBe(before + 1);
  });
});
