// A host coming back with its reconnection data to a relay that does not know its session (the
// relay restarted): it gets its tokens back and keeps the expiry it had, not a fresh TTL; past its
// expiry it is told the session expired and to end it. Extending a session sends the host new
// reconnection data carrying the new expiry. A host that comes back while its old connection still
// looks alive replaces it, and the old one's late drop does not end the session. Time is a
// ManualClock; the host is a fake port.
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/util/clock.js';
import { configWith } from '../../../src/server/config/load-config.js';
import { ReconnectionSigner, type ReconnectionClaim } from '../../../src/server/relay/reconnection-data.js';
import { Relay } from '../../../src/server/relay/relay.js';
import { FakeHostPort } from './fake-host-port.js';

const MIN = 60_000;

function setup(overrides: Parameters<typeof configWith>[0] = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const signer = new ReconnectionSigner(randomBytes(32));
  const config = configWith({ sessionTtlMs: 30 * MIN, maxSessionTtlMs: 120 * MIN, ...overrides });
  const relay = new Relay(config, signer, clock, pino({ level: 'silent' }));
  const tokens = { sessionId: 's_resumed', rw: 'r'.repeat(25), ro: `ro-${'o'.repeat(25)}` };
  const comeBack = (expiresAt: number | null, started: ReconnectionClaim['started'] = null) => {
    const host = new FakeHostPort('192.0.2.20');
    const session = relay.establish(host, relay.newReplica(), signer.sign({ ...tokens, expiresAt, started }));
    return { host, session };
  };
  return { clock, signer, relay, tokens, comeBack };
}

describe('a host resuming on a relay that restarted', () => {
  it('gets its tokens back and keeps the expiry its reconnection data carries', () => {
    const { clock, signer, tokens, comeBack } = setup();
    const expiresAt = clock.now() + 7 * MIN;
    const { host, session } = comeBack(expiresAt);
    expect(session).not.toBeNull();
    expect(session!.tokens).toEqual({ rw: tokens.rw, ro: tokens.ro });
    expect(session!.expiresAt).toBe(expiresAt);
    expect(host.env('tmate_relay_ttl_seconds')).toBe(String(7 * 60));
    expect(signer.verify(host.env('tmate_reconnection_data')!)).toEqual({ ...tokens, expiresAt, started: { createdAt: clock.now(), joined: false } });
  });

  it('is told its session expired, and to end it, once the expiry has passed', () => {
    const { clock, relay, tokens, comeBack } = setup();
    const { host, session } = comeBack(clock.now() - 1);
    expect(session).toBeNull();
    expect(host.closed).toBe(true);
    expect(host.sent).toContainEqual({ type: 'notify', message: expect.stringMatching(/expired/i) });
    expect(host.sent).toContainEqual({ type: 'exec-cmd', clientId: -1, argv: ['kill-session'] });
    expect(relay.registry.lookup(tokens.rw)).toBeUndefined();
  });

  it('gets a fresh TTL when its data predates expiries (version 1)', () => {
    const { clock, comeBack } = setup();
    const { session } = comeBack(null);
    expect(session!.expiresAt).toBe(clock.now() + 30 * MIN);
  });

  it('never keeps more than the maximum TTL, whatever the data says', () => {
    const { clock, comeBack } = setup();
    const { session } = comeBack(clock.now() + 500 * MIN);
    expect(session!.expiresAt).toBe(clock.now() + 120 * MIN);
  });

  it('gets new reconnection data with the new expiry when the session is extended', () => {
    const { clock, signer, relay, tokens, comeBack } = setup();
    const { host, session } = comeBack(clock.now() + 10 * MIN);
    relay.extendSession(session!, 15 * MIN, 'test');
    expect(session!.expiresAt).toBe(clock.now() + 25 * MIN);
    expect(signer.verify(host.env('tmate_reconnection_data')!)).toEqual({ ...tokens, expiresAt: clock.now() + 25 * MIN, started: { createdAt: clock.now(), joined: false } });
  });

  it('keeps its creation time, and "nobody joined" counts from it unless someone had joined', () => {
    for (const joined of [false, true]) {
      const { clock, relay, signer, tokens } = setup({ unjoinedTtlMs: 10 * MIN });
      const createdAt = clock.now() - 8 * MIN;
      const host = new FakeHostPort('192.0.2.20');
      const session = relay.establish(host, relay.newReplica(), signer.sign({ ...tokens, expiresAt: clock.now() + 20 * MIN, started: { createdAt, joined } }));
      expect(session!.createdAt).toBe(createdAt);
      clock.advance(2 * MIN + 1);
      expect(session!.endedBecause).toBe(joined ? null : 'unjoined');
    }
  });

  it('gets reconnection data saying someone joined once the first viewer joins', () => {
    const { clock, signer, relay, tokens, comeBack } = setup();
    const { host, session } = comeBack(clock.now() + 10 * MIN);
    const terminal = { kind: 'test', remoteAddress: '192.0.2.30', write: () => true, onDrain: () => {}, close: () => {} };
    expect(relay.attachViewer(tokens.rw, terminal, { ip: '192.0.2.30', fingerprint: 'SHA256:x' }, 80, 24)).not.toBeTypeOf('string');
    expect(signer.verify(host.env('tmate_reconnection_data')!)?.started).toEqual({ createdAt: session!.createdAt, joined: true });
  });
});

describe('a host coming back after its session ended', () => {
  it('gets a new session, and is told first that its old links no longer work', () => {
    const { clock, tokens, comeBack } = setup();
    const first = comeBack(clock.now() + 10 * MIN);
    first.session!.hostLost(first.host);
    clock.advance(5 * MIN);
    expect(first.session!.endedBecause).toBe('host lost');
    const again = comeBack(clock.now() + 10 * MIN);
    expect(again.session).not.toBe(first.session);
    expect(again.session!.tokens.rw).not.toBe(tokens.rw);
    const notes = again.host.sent.filter((m) => m.type === 'notify').map((m) => (m as { message: string }).message);
    expect(notes[0]).toBe('Your previous session ended while you were away (the host disconnected and did not come back); this is a new session with new links');
    expect(notes).toContainEqual(expect.stringContaining(`ssh session: ssh -p`));
  });
});

describe('a host coming back before its old connection was seen to drop', () => {
  it('replaces the old connection, whose late drop leaves the session alone', () => {
    const { clock, relay, tokens, comeBack } = setup();
    const first = comeBack(clock.now() + 10 * MIN);
    const second = comeBack(clock.now() + 10 * MIN);
    expect(second.session).toBe(first.session);
    expect(first.host.closed).toBe(true);
    first.session!.hostLost(first.host);
    clock.advance(5 * MIN);
    expect(first.session!.isEnded).toBe(false);
    expect(relay.registry.lookup(tokens.rw)?.session).toBe(first.session);
    first.session!.sendKey(0x61);
    expect(second.host.sent).toContainEqual(expect.objectContaining({ type: 'pane-key', key: 0x61 }));
    // The current connection's drop still starts the grace period.
    second.session!.hostLost(second.host);
    clock.advance(5 * MIN);
    expect(second.session!.isEnded).toBe(true);
  });
});
