// A peer that sends garbage on the tmate channel is disconnected alone, with a counted protocol
// error: a relay with a real stock tmate 2.4.0 host and a real OpenSSH viewer attached, then raw
// SSH peers (ssh2 client: user `tmate`, auth `none`, subsystem `tmate`, exactly how tmate
// connects) that send a valid HEADER (+ READY) followed by invalid msgpack, a top level that is
// not an array, or a message with a field of the wrong type. Each raw connection is closed by the
// relay, GET /metrics counts one tmate_relay_protocol_errors_total{code} per case, and the real
// session carries on: its host stays connected, its viewer is never told anything and still runs
// commands.
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import ssh2 from 'ssh2';
import { ApiClient } from '../helpers/api-client.js';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';
import { waitFor } from '../helpers/wait.js';

const { Client } = ssh2;
const API_TOKEN = 'api-token-for-garbage-tests-0123';
const HEADER = encode([0, 6, '2.4.0']);
const READY = encode([9]);

interface RawPeer {
  /** Bytes the relay sent (its IN messages), for failure messages. */
  received(): number;
  /** Resolves when the relay has closed the connection. */
  closed: Promise<void>;
  isClosed(): boolean;
  write(bytes: Uint8Array): void;
}

/** An SSH connection as tmate makes it, sending only what the test writes. */
function rawPeer(port: number): Promise<RawPeer> {
  return new Promise((resolve, reject) => {
    const conn = new Client();
    let closed = false;
    let received = 0;
    const closedPromise = new Promise<void>((done) =>
      conn.once('close', () => {
        closed = true;
        done();
      }),
    );
    onCleanup(async () => {
      conn.end();
      await Promise.race([closedPromise, new Promise((r) => setTimeout(r, 2000).unref())]);
    });
    conn.once('error', reject);
    conn.once('ready', () => {
      conn.subsys('tmate', (error, channel) => {
        if (error) return reject(error);
        conn.off('error', reject);
        conn.on('error', () => undefined);
        channel.on('error', () => undefined);
        channel.on('data', (data: Buffer) => (received += data.length));
        resolve({
          received: () => received,
          closed: closedPromise,
          isClosed: () => closed,
          write: (bytes) => void channel.write(bytes),
        });
      });
    });
    conn.connect({ host: '127.0.0.1', port, username: 'tmate', readyTimeout: 10_000 });
  });
}

interface GarbageCase {
  name: string;
  code: string;
  /** Sent after HEADER. */
  bytes: Uint8Array[];
}

const CASES: GarbageCase[] = [
  // 0xc1 is never valid msgpack; the rest is noise that must not be looked at.
  { name: 'invalid msgpack after READY', code: 'PROTOCOL_BAD_MSGPACK', bytes: [READY, Uint8Array.of(0xc1, 0xff, 0x00, 0x93, 0xde)] },
  { name: 'a top level that is not an array', code: 'PROTOCOL_NOT_ARRAY', bytes: [encode({ type: 'header', protocol: 6 })] },
  { name: 'a wrong-type field after READY', code: 'PROTOCOL_BAD_FIELD', bytes: [READY, encode([2, 'zero', 'data for pane "zero"'])] },
];

describe('a host sending garbage', () => {
  it('is disconnected alone with a counted protocol error; the real session and its viewer notice nothing', async () => {
    const f = await startTestRelay({ apiToken: API_TOKEN });
    const api = ApiClient.of(f);
    const { rw } = await f.readyHost();
    const viewer = await f.viewer(rw);
    await viewer.waitForText('$');
    const sessionsBefore = (await api.get<{ sessions: { id: string }[] }>('/api/sessions')).body.sessions;
    expect(sessionsBefore).toHaveLength(1);
    const realId = sessionsBefore[0]!.id;
    const outputBefore = viewer.rawOutput().length;

    for (const c of CASES) {
      const before = await api.metric('tmate_relay_protocol_errors_total', `code="${c.code}"`);
      const peer = await rawPeer(f.port);
      peer.write(HEADER);
      for (const bytes of c.bytes) peer.write(bytes);
      await waitFor(() => peer.isClosed(), { describe: () => `the relay to close the peer sending ${c.name} (it sent ${peer.received()} bytes)` });
      await waitFor(async () => (await api.metric('tmate_relay_protocol_errors_total', `code="${c.code}"`)) === before + 1, {
        describe: () => `tmate_relay_protocol_errors_total{code="${c.code}"} to count ${c.name}`,
      });
    }

    // Only the real session is left, its host still connected.
    const after = await api.get<{ sessions: { id: string; host: { connected: boolean } }[] }>('/api/sessions');
    expect(after.body.sessions.map((s) => s.id)).toEqual([realId]);
    expect(after.body.sessions[0]!.host.connected).toBe(true);
    expect(await api.metric('tmate_relay_sessions_ended_total', 'reason="protocol_error"')).toBe(2); // the two after READY
    // The viewer was told nothing and is still attached: it runs a command and sees the result.
    expect(viewer.exitStatus).toBeUndefined();
    const meanwhile = viewer.rawOutput().slice(outputBefore);
    expect(meanwhile).not.toMatch(/protocol|error|ended|closed/i);
    viewer.type('echo garbage-$((6*7))-ok\r');
    await viewer.waitForText('garbage-42-ok');
    expect(viewer.exitStatus).toBeUndefined();
  });
});
