// Thousands of joins and leaves leak nothing. SSH viewers (ssh2 clients in this process, for
// speed: a few ms per cycle) join a session and leave it in the three ways viewers leave — they
// disconnect, they detach with C-b d, their TCP connection is cut — and hosts start sessions and
// end them; web viewers come and go too. The relay runs in this process, so its resources are
// this process's.
//
// Invariants checked, after a warm-up and once every cycle has finished: open file descriptors,
// active handles, live timers, listeners on the long-lived objects (the listening servers, the
// host's and the watcher's connections, the process) and the session's viewers are back to their
// baseline; the heap (after a full GC) grew
// by less than a small tolerance — far less than one leaked viewer per cycle would take (each
// holds two screen grids, ~46 KB at 80×24).
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { onCleanup, startTestRelay, type RelayFixture } from '../helpers/relay-fixture.js';
import { waitFor } from '../helpers/wait.js';
import { RawHost } from './helpers/raw-host.js';
import { RawViewer } from './helpers/raw-viewer.js';
import { activeHandles, activeTimers, handleListeners, liveMemory, openFds } from './helpers/probes.js';

const MiB = 1024 * 1024;
const VIEWER_CYCLES = 2000;
const HOST_CYCLES = 100;
const WEB_CYCLES = 200;
const CONCURRENCY = 8;

interface Snapshot {
  fds: number;
  handles: number;
  /** Listeners on the live handles: the relay's listeners, the host's and the watcher's connections. */
  listeners: number;
  timers: number;
  processListeners: number;
  memory: number;
}

function snapshot(): Snapshot {
  const processListeners = process.eventNames().reduce((n, name) => n + process.listenerCount(name), 0);
  return { fds: openFds(), handles: activeHandles(), listeners: handleListeners(), timers: activeTimers(), processListeners, memory: liveMemory() };
}

/** One viewer joins, sees its first frame, and leaves the way `cycle` says. */
async function viewerCycle(f: RelayFixture, token: string, cycle: number): Promise<void> {
  const viewer = await RawViewer.connect({ port: f.port, token, privateKey: null, keepOutput: false });
  await waitFor(() => viewer.bytes > 0, { intervalMs: 2, describe: () => 'the first frame' });
  switch (cycle % 3) {
    case 0:
      return viewer.close(); // the client disconnects
    case 1:
      viewer.type('\x02d'); // C-b d: the relay ends it
      await viewer.waitForClose();
      return viewer.close();
    default:
      viewer.socket.destroy(); // the network drops
      return viewer.closed;
  }
}

async function hostCycle(f: RelayFixture): Promise<void> {
  const host = await RawHost.start({ port: f.port });
  host.send({ type: 'fin' });
  await host.waitForClose();
}

async function webCycle(f: RelayFixture, token: string): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${f.running.httpPort}/t/${token}/ws`);
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  ws.close();
  await closed;
}

async function inParallel(count: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

describe('join/leave cycles', () => {
  it(`${VIEWER_CYCLES} viewer, ${HOST_CYCLES} host and ${WEB_CYCLES} web joins and leaves leak nothing`, async () => {
    const f = await startTestRelay({ allowKeyless: true, connectionRateLimit: 0, maxUnauthenticatedPerIp: 0 });
    const host = await RawHost.start({ port: f.port });
    onCleanup(() => host.close());
    const session = f.running.relay.registry.lookup(host.tokens.rw)!.session;
    const watcher = await RawViewer.connect({ port: f.port, token: host.tokens.rw, privateKey: null, keepOutput: false });
    onCleanup(() => watcher.close());
    const run = async (): Promise<void> => {
      await inParallel(VIEWER_CYCLES / 10, (i) => viewerCycle(f, host.tokens.rw, i));
      await inParallel(HOST_CYCLES / 10, () => hostCycle(f));
      await inParallel(WEB_CYCLES / 10, () => webCycle(f, host.tokens.rw));
    };
    const settled = async (): Promise<void> => {
      await waitFor(() => session.viewerCount === 1 && f.running.relay.registry.all().length === 1, {
        describe: () => `every viewer and extra session gone (${session.viewerCount} viewers, ${f.running.relay.registry.all().length} sessions)`,
      });
      host.received.length = 0; // the notices of every join and leave (this test's memory, not the relay's)
    };

    await run(); // warm-up: JIT, lazily created pools, first-use allocations
    await settled();
    const before = snapshot();
    for (let round = 0; round < 10; round++) {
      await inParallel(VIEWER_CYCLES / 10, (i) => viewerCycle(f, host.tokens.rw, round * 1000 + i));
      await inParallel(HOST_CYCLES / 10, () => hostCycle(f));
      await inParallel(WEB_CYCLES / 10, () => webCycle(f, host.tokens.rw));
    }
    await settled();
    let after = snapshot();
    // Sockets close and timers expire a moment after the last leave: wait for them, with a deadline.
    await waitFor(
      () => {
        after = snapshot();
        return after.fds <= before.fds + 2 && after.handles <= before.handles + 2 && after.timers <= before.timers + 2 && after.listeners <= before.listeners + 4;
      },
      { timeoutMs: 15_000, intervalMs: 250, describe: () => `resources back to the baseline: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}` },
    );
    expect(after.processListeners).toBe(before.processListeners);
    expect(after.memory - before.memory, `heap growth after ${VIEWER_CYCLES + HOST_CYCLES + WEB_CYCLES} cycles`).toBeLessThan(8 * MiB);
    // The session and its host are intact.
    expect(session.isEnded).toBe(false);
    expect(watcher.isOpen).toBe(true);
  }, 120_000); // ~30 s alone on two cores; more when other test files run alongside
});
