// How `tmate-relay host` keeps trying to reach its relay (relay-connection.ts), on a manual clock:
// backoff from 0.5 s doubling to 5 s, and the give-up (--connect-timeout) at its time, not a
// whole backoff later (a host given 8 s used to wait until 12.5 s).
import { describe, expect, it } from 'vitest';
import { makeEngine } from './helpers.js';
import { RelayConnection } from '../../../src/server/host/relay-connection.js';
import { HostConnectError, type HostTransport } from '../../../src/server/host/host-transport.js';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('relay connection retries', () => {
  it('backs off 0.5, 1, 2, 4 s and gives up exactly at the timeout', async () => {
    const { engine, clock } = makeEngine({}, false);
    const attempts: number[] = [];
    const transport: HostTransport = {
      describe: 'nowhere',
      connect: async () => {
        attempts.push(clock.now());
        throw new HostConnectError('unreachable', 'connection refused');
      },
    };
    let gaveUp: { at: number; failure: string } | null = null;
    const connection = new RelayConnection(
      engine,
      transport,
      clock,
      { status: () => undefined, fatal: (failure) => (gaveUp = { at: clock.now(), failure }) },
      { giveUpAfterMs: 8000, minBackoffMs: 500, maxBackoffMs: 5000 },
    );
    connection.start();
    for (let step = 0; step < 200 && gaveUp === null; step++) {
      await settle();
      clock.advance(100);
    }
    await settle();
    expect(attempts).toEqual([0, 500, 1500, 3500, 7500, 8000]);
    expect(gaveUp).toEqual({ at: 8000, failure: 'unreachable' });
    connection.stop();
  });
});
