// Slow and stuck viewers, and flooding hosts, end to end with the real tmate 2.4.0 host and real
// OpenSSH viewers. A viewer "stops reading" the way a real one does: its ssh process is stopped
// (SIGSTOP), so the TCP window fills up and the relay's writes back up.
//
// Invariants checked: a stuck viewer never stalls its host, the other viewers of its session or
// other sessions; once it has read nothing for --viewer-stall-timeout it is dropped, and told so
// when it wakes up; a flooding host (`yes`, `base64 /dev/urandom`) leaves other sessions' echo
// working and the relay's event loop responsive, while its own viewers keep getting frames.
// Only function is asserted here; the latency figure comes from bench/flood-echo.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.js';
import { onCleanup, startTestRelay, type RelayFixture } from '../helpers/relay-fixture.js';
import type { SshViewer } from '../helpers/ssh-viewer.js';
import { run, waitForPrompt } from '../compat/shared-host-suite.js';
import { waitFor } from '../helpers/wait.js';
import { LoopMonitor } from './helpers/probes.js';

/** Types one letter at the prompt and waits for its echo; returns the time it took, in ms. */
async function echoOnce(viewer: SshViewer, letter: string): Promise<number> {
  await viewer.flush();
  const lines = viewer.lines().slice(0, -1); // the status line is not the shell's
  const row = lines.map((line, y) => (line.startsWith('$') ? y : -1)).reduce((a, b) => Math.max(a, b), -1);
  if (row < 0) throw new Error(`no prompt on the screen\n${viewer.describeState()}`);
  // The prompt's trailing space may be a blank cell: compare without trailing blanks.
  const before = viewer.line(row).trimEnd();
  const echoed = (): boolean => {
    const now = viewer.line(row).trimEnd();
    return now.length > before.length && now.startsWith(before) && now.endsWith(letter);
  };
  const started = performance.now();
  viewer.type(letter);
  await viewer.waitForScreen(echoed, `the echo of ${letter} on row ${row}`, 5000);
  const ms = performance.now() - started;
  viewer.press('BSpace');
  await viewer.waitForScreen(() => viewer.line(row).trimEnd() === before, 'the echo erased', 5000);
  return ms;
}

/** A session whose pane runs a flood, watched by a reading viewer. */
async function floodingSession(f: RelayFixture, command: string): Promise<{ watcher: SshViewer; rw: string }> {
  const { rw } = await f.readyHost();
  const watcher = await f.viewer(rw);
  await waitForPrompt(watcher);
  watcher.type(`${command}\r`);
  await watcher.waitForScreen((s) => s.split('\n').filter((l) => l.length > 0).length > 10, `the flood of ${command}`);
  return { watcher, rw };
}

const FRAME_END = '\x1b[?2026l';

function frames(viewer: SshViewer): number {
  return viewer.rawOutput().split(FRAME_END).length - 1;
}

/** The watcher keeps receiving frames: `count` more arrive within the deadline. */
async function keepsReceiving(viewer: SshViewer, count: number): Promise<void> {
  const start = frames(viewer);
  await waitFor(() => frames(viewer) >= start + count, { timeoutMs: 10_000, describe: () => `the flooding viewer to keep receiving frames (${frames(viewer) - start} of ${count})\n${viewer.describeState()}` });
}

/**
 * A real OpenSSH viewer whose output goes to a file (not a pty: node-pty may lose the last
 * kilobytes a process writes just before it exits, and here the last line is the point).
 */
class StuckSsh {
  readonly exited: Promise<{ code: number | null }>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly file: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve({ code })));
  }

  static async start(f: RelayFixture, token: string): Promise<StuckSsh> {
    const file = join(f.dir.path, 'stuck-viewer.out');
    const out = openSync(file, 'w');
    const child = spawn(
      'ssh',
      ['-tt', '-F', '/dev/null', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=no', '-o', 'LogLevel=ERROR',
        '-o', 'IdentityAgent=none', '-o', 'IdentitiesOnly=yes', '-i', f.otherKey.privatePath, '-p', String(f.port), `${token}@127.0.0.1`],
      { stdio: ['pipe', out, 'ignore'] },
    );
    closeSync(out);
    const stuck = new StuckSsh(child, file);
    onCleanup(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await stuck.exited;
    });
    return stuck;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  output(): string {
    return readFileSync(this.file, 'latin1');
  }
}

describe('slow and stuck viewers', () => {
  it('drops a viewer that stops reading, after the stall timeout; nobody else waits for it', async () => {
    const f = await startTestRelay({ viewerStallTimeoutMs: 2000 });
    const api = ApiClient.of(f);
    // Random text changes the whole screen every frame: megabytes per second for each viewer.
    const { watcher, rw } = await floodingSession(f, 'cat /dev/urandom | base64');
    const session = f.running.relay.registry.lookup(rw)!.session;
    const stuck = await StuckSsh.start(f, rw);
    await waitFor(() => session.viewerCount === 2 && stuck.output().length > 100_000, { describe: () => 'the second viewer to get the flood' });
    const other = await f.readyHost();
    const typist = await f.viewer(other.rw);
    await waitForPrompt(typist);

    stuck.signal('SIGSTOP');
    // While the relay's writes to it back up and then stay blocked, everyone else goes on.
    await keepsReceiving(watcher, 50);
    expect(await echoOnce(typist, 'q')).toBeLessThan(3000);
    await waitFor(() => session.viewerCount === 1, { timeoutMs: 30_000, describe: () => `the stuck viewer to be dropped (${session.viewerCount} viewers)` });
    // Woken up within the hang-up grace, it reads what was waiting for it: its last frames, then
    // why it was dropped.
    stuck.signal('SIGCONT');
    expect((await stuck.exited).code).toBe(1);
    expect(stuck.output()).toContain('disconnected: your terminal read nothing for 2s');
    expect(await api.metric('tmate_relay_limit_refusals_total', 'limit="viewer_stalled"')).toBe(1);
    await keepsReceiving(watcher, 50);
    await run(typist, 'echo still-typing', /^still-typing$/m);
  });

  it('a flooding host (yes) keeps other sessions responsive and its own viewers fed', async () => {
    const f = await startTestRelay();
    const yes = await floodingSession(f, 'yes');
    const { rw } = await f.readyHost();
    const typist = await f.viewer(rw);
    await waitForPrompt(typist);
    const loop = new LoopMonitor();
    const echoes: number[] = [];
    for (const letter of 'xzqjkwxzqj') echoes.push(await echoOnce(typist, letter));
    await keepsReceiving(yes.watcher, 50);
    loop.stop();
    // Functional bounds only (the machine is shared): a stalled relay would miss them by far.
    expect(Math.max(...echoes), `echo times ${echoes.map((e) => e.toFixed(1)).join(', ')} ms`).toBeLessThan(2000);
    expect(loop.maxMs, 'longest event-loop stall (ms)').toBeLessThan(1000);
    await run(typist, 'echo still-typing', /^still-typing$/m);
  });
});
