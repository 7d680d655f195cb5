// The relay's list-clients view (C-b W): any viewer, read-only too, sees who is connected (id,
// rw/ro, address, key fingerprint, since when); any key returns to the session. Screens are the
// viewer's bytes replayed in a headless xterm.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ManualClock } from '../../../src/core/util/clock.js';
import { SessionReplica } from '../../../src/core/mux/session-replica.js';
import type { ViewerTerminal } from '../../../src/server/relay/ports.js';
import { RenderScheduler } from '../../../src/server/relay/render-scheduler.js';
import { RelaySession } from '../../../src/server/relay/relay-session.js';
import { replay, screen } from '../render/helpers.js';

const COLS = 100;
const ROWS = 12;

class FakeTerminal implements ViewerTerminal {
  readonly kind = 'ssh';
  out = '';
  constructor(readonly remoteAddress: string) {}
  write(data: string): boolean {
    this.out += data;
    return true;
  }
  onDrain(): void {}
  close(): void {}
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function screenOf(terminal: FakeTerminal): Promise<string> {
  await settle();
  return screen(await replay(COLS, ROWS, terminal.out)).join('\n');
}

describe('list-clients view (C-b W)', () => {
  it('shows every client to a read-only viewer and returns on any key', async () => {
    const clock = new ManualClock(0);
    const session = new RelaySession('s_x', { rw: 'rw-token', ro: 'ro-token' }, new SessionReplica(), {
      clock,
      renders: new RenderScheduler(clock),
      log: pino({ level: 'silent' }),
      reconnectGraceMs: 0,
      onEnded: () => undefined,
    });
    const writer = new FakeTerminal('192.0.2.1');
    const watcher = new FakeTerminal('192.0.2.2');
    const w = session.addViewer(writer, { ip: '192.0.2.1', fingerprint: 'SHA256:writerkey', readOnly: false }, COLS, ROWS);
    clock.advance(125_000);
    const r = session.addViewer(watcher, { ip: '192.0.2.2', fingerprint: null, readOnly: true }, COLS, ROWS);
    if (typeof w === 'string' || typeof r === 'string') throw new Error('not attached');
    clock.advance(5000);
    r.input(new TextEncoder().encode('\x02W'));
    const shown = await screenOf(watcher);
    expect(shown).toContain('2 clients connected to [tmate]');
    expect(shown).toMatch(/#1 +rw +192\.0\.2\.1 +SHA256:writerkey +joined 2m ago/);
    expect(shown).toMatch(/#2 +ro +192\.0\.2\.2 +no key +joined 5s ago +\(you\)/);
    expect(shown).toContain('Press any key to return');
    r.input(new TextEncoder().encode('q'));
    const back = await screenOf(watcher);
    expect(back).not.toContain('clients connected');
    expect(back).toContain('Waiting for the host to reconnect');
  });
});
