// RelaySession's lifetime as people see it, with a ManualClock: the status line's time left, the
// warnings on every viewer's status line and as host notifications, and what expiry, idle,
// "nobody joined", cancel, kick and the viewer limit do to viewers (screens replayed in a headless
// xterm) and to the host (the messages it was sent).
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ManualClock } from '../../../src/core/util/clock.js';
import { SessionReplica } from '../../../src/core/mux/session-replica.js';
import { RelayMetrics } from '../../../src/server/observability/metrics.js';
import type { ViewerTerminal } from '../../../src/server/relay/ports.js';
import { RenderScheduler } from '../../../src/server/relay/render-scheduler.js';
import { HOST_KILL_GRACE_MS, RelaySession, type EndReason, type SessionDeps } from '../../../src/server/relay/relay-session.js';
import type { ViewerLink } from '../../../src/server/relay/viewer-link.js';
import { replay, screen } from '../render/helpers.js';
import { FakeHostPort } from '../relay/fake-host-port.js';

const MIN = 60_000;
const COLS = 100;
const ROWS = 10;

class FakeTerminal implements ViewerTerminal {
  readonly kind = 'ssh';
  out = '';
  exitStatus: number | null = null;
  constructor(readonly remoteAddress: string) {}
  write(data: string): boolean {
    this.out += data;
    return true;
  }
  onDrain(): void {}
  close(exitStatus: number): void {
    this.exitStatus = exitStatus;
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function statusLine(terminal: FakeTerminal): Promise<string> {
  await settle();
  const lines = screen(await replay(COLS, ROWS, terminal.out));
  return lines[ROWS - 1]!.trimEnd();
}

function setup(lifetime: SessionDeps['lifetime'] = {}, maxViewers = 0) {
  const clock = new ManualClock(1_700_000_000_000);
  const metrics = new RelayMetrics();
  const ended: EndReason[] = [];
  const session = new RelaySession('s_test', { rw: 'rwtoken', ro: 'ro-rotoken' }, new SessionReplica(), {
    clock,
    renders: new RenderScheduler(clock),
    log: pino({ level: 'silent' }),
    reconnectGraceMs: MIN,
    lifetime: { ttlMs: 30 * MIN, ...lifetime },
    maxViewers,
    metrics,
    onEnded: (_s, reason) => ended.push(reason),
  });
  const host = new FakeHostPort();
  session.attachHost(host, session.replica);
  const join = (ip: string, readOnly = false): { terminal: FakeTerminal; viewer: ViewerLink } => {
    const terminal = new FakeTerminal(ip);
    const viewer = session.addViewer(terminal, { ip, fingerprint: `SHA256:key-of-${ip}`, readOnly }, COLS, ROWS);
    if (typeof viewer === 'string') throw new Error(viewer);
    return { terminal, viewer };
  };
  return { clock, metrics, session, host, ended, join };
}

async function endedCount(metrics: RelayMetrics, reason: string): Promise<number> {
  const text = (await metrics.render()).body;
  metrics.close();
  const match = new RegExp(`^tmate_relay_sessions_ended_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

describe('session expiry as viewers and the host see it', () => {
  it('reports created and expiry times one TTL apart, however the clock moves while it is made', () => {
    // Each reading of this clock is 1 ms later than the last: two readings of "now" would show.
    class TickingClock extends ManualClock {
      override now(): number {
        this.advance(1);
        return super.now();
      }
    }
    const clock = new TickingClock(1_700_000_000_000);
    const session = new RelaySession('s_tick', { rw: 'rwtoken', ro: 'ro-rotoken' }, new SessionReplica(), {
      clock,
      renders: new RenderScheduler(clock),
      log: pino({ level: 'silent' }),
      reconnectGraceMs: MIN,
      lifetime: { ttlMs: 30 * MIN },
      onEnded: () => undefined,
    });
    expect(session.expiresAt - session.createdAt).toBe(30 * MIN);
  });

  it('shows the time left in the status line and keeps it current', async () => {
    const { clock, join, metrics } = setup();
    const { terminal } = join('192.0.2.1');
    expect(await statusLine(terminal)).toContain('A mate has joined (192.0.2.1, SHA256:key-of-192.0.2.1)');
    clock.advance(3000); // the join notice goes away
    expect(await statusLine(terminal)).toMatch(/\[tmate\] +1 connected, 30m left$/);
    clock.advance(MIN - 3000);
    expect(await statusLine(terminal)).toMatch(/1 connected, 29m left$/);
    clock.advance(10 * MIN);
    expect(await statusLine(terminal)).toMatch(/19m left$/);
    metrics.close();
  });

  it('warns every viewer and the host at 5 minutes and at 1 minute', async () => {
    const { clock, join, host, metrics } = setup();
    const a = join('192.0.2.1');
    const b = join('192.0.2.2', true);
    clock.advance(25 * MIN);
    expect(await statusLine(a.terminal)).toContain('Session expires in 5 minutes');
    expect(await statusLine(b.terminal)).toContain('Session expires in 5 minutes');
    expect(host.notices()).toContain('Session expires in 5 minutes');
    clock.advance(4 * MIN);
    expect(await statusLine(a.terminal)).toContain('Session expires in 1 minute');
    expect(host.notices()).toContain('Session expires in 1 minute');
    metrics.close();
  });

  it('on expiry tells everyone, ends the host session and disconnects everyone', async () => {
    const { clock, join, host, session, ended, metrics } = setup();
    const a = join('192.0.2.1');
    const b = join('192.0.2.2', true);
    clock.advance(30 * MIN);
    expect(ended).toEqual(['expired']);
    expect(session.isEnded).toBe(true);
    for (const v of [a, b]) {
      expect(v.terminal.out).toContain('[session expired]');
      expect(v.terminal.exitStatus).toBe(0);
    }
    expect(host.notices()).toContain('Session expired');
    expect(host.commands()).toContainEqual(['kill-session']);
    // The host gets time to answer with FIN; then the relay hangs up.
    expect(host.closed).toBe(false);
    clock.advance(HOST_KILL_GRACE_MS);
    expect(host.closed).toBe(true);
    expect(await endedCount(metrics, 'expired')).toBe(1);
  });

  it('extends on request and tells everyone the new time', async () => {
    const { clock, join, host, session, ended, metrics } = setup();
    const a = join('192.0.2.1');
    clock.advance(20 * MIN);
    session.extend(15 * MIN, 'test');
    expect(await statusLine(a.terminal)).toContain('Session extended by 15m; it now expires in 25 minutes');
    expect(host.notices()).toContain('Session extended by 15m; it now expires in 25 minutes');
    clock.advance(24 * MIN);
    expect(ended).toEqual([]);
    clock.advance(MIN);
    expect(ended).toEqual(['expired']);
    metrics.close();
  });

  it('ends an idle session; viewer input and host output count as activity', async () => {
    const { clock, join, session, ended, host, metrics } = setup({ idleMs: 10 * MIN });
    const { viewer } = join('192.0.2.1');
    clock.advance(9 * MIN);
    viewer.input(new TextEncoder().encode('x'));
    clock.advance(9 * MIN);
    session.handleHostMessage({ type: 'pty-data', paneId: 0, data: new TextEncoder().encode('output') });
    clock.advance(9 * MIN);
    expect(ended).toEqual([]);
    clock.advance(MIN);
    expect(ended).toEqual(['idle']);
    expect(host.commands()).toContainEqual(['kill-session']);
    expect(await endedCount(metrics, 'idle')).toBe(1);
  });

  it('ends a session nobody joined in time', async () => {
    const lonely = setup({ unjoinedMs: 5 * MIN });
    lonely.clock.advance(5 * MIN);
    expect(lonely.ended).toEqual(['unjoined']);
    expect(lonely.host.notices()).toContain('Session ended: nobody joined in time');
    expect(lonely.host.commands()).toContainEqual(['kill-session']);
    lonely.metrics.close();

    const visited = setup({ unjoinedMs: 5 * MIN });
    visited.join('192.0.2.1');
    visited.clock.advance(10 * MIN);
    expect(visited.ended).toEqual([]);
    visited.metrics.close();
  });

  it('cancels: "session cancelled" for everyone, kill-session for the host', () => {
    const { join, host, session, metrics } = setup();
    const a = join('192.0.2.1');
    session.end('cancelled');
    expect(a.terminal.out).toContain('[session cancelled]');
    expect(host.notices()).toContain('Session cancelled');
    expect(host.commands()).toContainEqual(['kill-session']);
    metrics.close();
  });

  it('does not kill the host session when the host itself ended or the relay shuts down', () => {
    for (const reason of ['exited', 'shutdown', 'host lost'] as const) {
      const { host, session, metrics } = setup();
      session.end(reason);
      expect(host.commands()).not.toContainEqual(['kill-session']);
      expect(host.closed).toBe(true);
      metrics.close();
    }
  });

  it('kicks one viewer and keeps the other', async () => {
    const { join, host, session, metrics } = setup();
    const a = join('192.0.2.1');
    const b = join('192.0.2.2');
    expect(session.kick(a.viewer.id, 'test')).toBe(true);
    expect(a.terminal.out).toContain('[removed from the session by the relay operator]');
    expect(a.terminal.exitStatus).toBe(1);
    expect(b.terminal.exitStatus).toBeNull();
    expect(session.listViewers().map((v) => v.id)).toEqual([b.viewer.id]);
    expect(host.notices().at(-1)).toBe('A mate has left (192.0.2.1, SHA256:key-of-192.0.2.1) -- 1 client currently connected');
    expect(await statusLine(b.terminal)).toContain('A mate has left (192.0.2.1');
    expect(session.kick(a.viewer.id, 'test')).toBe(false);
    metrics.close();
  });

  it('refuses viewers beyond the per-session limit', () => {
    const { join, session, metrics } = setup({}, 2);
    join('192.0.2.1');
    join('192.0.2.2');
    const third = session.addViewer(new FakeTerminal('192.0.2.3'), { ip: '192.0.2.3', fingerprint: null, readOnly: true }, COLS, ROWS);
    expect(third).toBe('Session is full (2 viewers); try again later');
    metrics.close();
  });
});
