// Faults, end to end: the host process killed (SIGKILL) in the middle of its output, the network
// between host and relay cut in the middle of output (a forwarding proxy drops the connection),
// the relay process told to stop (SIGTERM), and the relay process killed (SIGKILL) and started
// again on the same port with the same keys.
//
// Invariants checked: viewers are told what happened at every step; a lost host's session is kept
// for --reconnect-grace and restored when the host comes back (same tokens, same viewers, the
// screen back), then ended if it does not; another session never notices; on SIGTERM every peer
// is told and the process exits 0 within --shutdown-timeout; after a SIGKILL a host engine gets
// its tokens back from the restarted relay, with the expiry the session had (not a fresh TTL).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.js';
import { generateClientKey } from '../helpers/client-keys.js';
import { EngineHost } from '../helpers/engine-host.js';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';
import { SshViewer } from '../helpers/ssh-viewer.js';
import { TmateHost } from '../helpers/tmate-host.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';
import { run, waitForPrompt } from '../compat/shared-host-suite.js';
import { RelayProcess } from './helpers/relay-process.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

/** Starts an endless stream of numbered lines in the viewer's pane and waits until it flows. */
async function streamOutput(viewer: SshViewer): Promise<void> {
  await waitForPrompt(viewer);
  viewer.type('seq 1 100000000\r');
  await viewer.waitForText(/^\d{5,}$/m);
}

describe('host faults', () => {
  it('host killed with SIGKILL mid-output: viewers told, the session waits out the grace, then ends', async () => {
    const f = await startTestRelay({ reconnectGraceMs: 2000 });
    const { host, rw } = await f.readyHost();
    const viewer = await f.viewer(rw);
    const other = await f.readyHost();
    const bystander = await f.viewer(other.rw);
    await waitForPrompt(bystander);
    const mark = bystander.rawOutput().length;
    await streamOutput(viewer);
    process.kill(host.pid, 'SIGKILL');
    await viewer.waitForText('host disconnected; waiting for it to reconnect');
    expect(f.running.relay.registry.lookup(rw)).toBeDefined();
    await viewer.waitForExit(10_000);
    expect(viewer.rawOutput()).toContain('session ended: the host disconnected and did not come back');
    expect(f.running.relay.registry.lookup(rw)).toBeUndefined();
    expect(bystander.rawOutput().slice(mark)).not.toMatch(/disconnected|session ended/);
    await run(bystander, 'echo unaffected', /^unaffected$/m);
  });

  it('network cut mid-output: viewers told, the session kept, restored with the same tokens when the host is back', async () => {
    const f = await startTestRelay({ reconnectGraceMs: 30_000 });
    const proxy = await startTcpProxy(f.port);
    onCleanup(() => proxy.close());
    const { rw, ro } = await f.readyHost({ port: proxy.port });
    const session = f.running.relay.registry.lookup(rw)!.session;
    const viewer = await f.viewer(rw);
    await streamOutput(viewer);
    proxy.shut();
    proxy.cut();
    await viewer.waitForText('host disconnected; waiting for it to reconnect');
    // During the outage (tmate's reconnects are refused) the session is still there: a new viewer
    // may join, and sees the host away.
    await waitFor(() => proxy.refused >= 1, { timeoutMs: 15_000, describe: () => 'tmate to try to reconnect' });
    expect(f.running.relay.registry.lookup(rw)?.session).toBe(session);
    const late = await f.viewer(ro, { identityFile: f.otherKey.privatePath });
    await late.waitForText('[host away]');
    // The network is back: tmate reconnects by itself (every 2 s) and gets its session back.
    proxy.open();
    await viewer.waitForText('host reconnected', 20_000);
    expect(proxy.accepted).toBeGreaterThanOrEqual(2);
    expect(f.running.relay.registry.lookup(rw)?.session).toBe(session);
    await late.waitForScreen((s) => !s.includes('[host away]'), 'the host back for the late viewer');
    viewer.press('C-c');
    await run(viewer, 'clear; echo after-the-cut', /^after-the-cut$/m);
    await late.waitForText('after-the-cut');
  });
});

describe('relay faults', () => {
  it('SIGTERM: every peer is told, the process exits 0 within the shutdown timeout', async () => {
    const dir = await makeTempDir('trp-');
    onCleanup(() => dir.cleanup());
    const key = await generateClientKey(dir.path, 'viewer');
    const relay = await RelayProcess.start({ keysDir: join(dir.path, 'keys'), extraArgs: ['--shutdown-timeout', '8s'] });
    const host = await TmateHost.start({ port: relay.port, ed25519Fingerprint: relay.fingerprint, cols: 100, rows: 30 });
    onCleanup(() => host.close());
    await host.waitReady();
    await host.dismissTips();
    const { rw, ro } = await host.tokens();
    const viewers = await Promise.all([rw, ro].map((user) => SshViewer.connect({ port: relay.port, user, identityFile: key.privatePath })));
    for (const viewer of viewers) onCleanup(() => viewer.close());
    await Promise.all(viewers.map((viewer) => waitForPrompt(viewer)));
    await run(viewers[0]!, 'echo before-the-shutdown', /^before-the-shutdown$/m);
    const started = Date.now();
    relay.signal('SIGTERM');
    const exit = await relay.exited;
    const elapsed = Date.now() - started;
    expect(exit, relay.describe()).toEqual({ code: 0, signal: null });
    expect(elapsed).toBeLessThan(8000);
    for (const viewer of viewers) {
      await viewer.waitForExit(5000);
      expect(viewer.rawOutput()).toContain('relay shutting down');
    }
    // The host is told too (best effort: a tmate busy writing may see the closed channel first),
    // and keeps its session for when the relay is back.
    await host.waitForMessage('Relay shutting down');
    expect(host.isRunning()).toBe(true);
  });

  it('SIGKILL, then a restart on the same port and keys: the host engine reconnects and keeps its tokens and expiry', async () => {
    const dir = await makeTempDir('trk-');
    onCleanup(() => dir.cleanup());
    const key = await generateClientKey(dir.path, 'viewer');
    const keysDir = join(dir.path, 'keys');
    const first = await RelayProcess.start({ keysDir });
    const host = EngineHost.start({ server: `127.0.0.1:${first.port}`, fingerprint: first.fingerprint });
    onCleanup(() => host.close());
    const tokens = await host.tokens();
    const before = await SshViewer.connect({ port: first.port, user: tokens.rw, identityFile: key.privatePath });
    onCleanup(() => before.close());
    await run(before, 'echo before-the-kill', /^before-the-kill$/m);
    // Extended by 20 minutes: a restarted relay that granted a fresh TTL would be 20 minutes short.
    const firstApi = new ApiClient(`http://127.0.0.1:${first.httpPort}`, (await readFile(join(keysDir, 'api-token'), 'utf8')).trim());
    const listed = await firstApi.get<{ sessions: { id: string; ssh: string }[] }>('/api/sessions');
    const id = listed.body.sessions.find((s) => s.ssh.includes(`${tokens.rw}@`))!.id;
    const extended = await firstApi.post<{ expires_at: string }>(`/api/sessions/${id}/extend`, { ttl: '20m' });
    expect(extended.status).toBe(200);
    // The relay sent the new reconnection data before these keys: once their echo is back, the
    // engine holds it.
    await run(before, 'echo after-the-extend', /^after-the-extend$/m);
    first.signal('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    await before.waitForExit(10_000);

    const second = await RelayProcess.start({ keysDir, sshPort: first.port });
    expect(second.fingerprint).toBe(first.fingerprint);
    const api = new ApiClient(`http://127.0.0.1:${second.httpPort}`, (await readFile(join(keysDir, 'api-token'), 'utf8')).trim());
    await waitFor(
      async () => {
        const answer = await api.get<{ sessions: { ssh: string }[] }>('/api/sessions');
        return answer.body.sessions.some((s) => s.ssh.includes(`${tokens.rw}@`));
      },
      { timeoutMs: 30_000, intervalMs: 250, describe: () => `the engine to re-register with the restarted relay\n${host.describe()}\n${second.describe()}` },
    );
    const resumed = await api.get<{ expires_at: string }>(`/api/sessions/${id}`);
    expect(Math.abs(Date.parse(resumed.body.expires_at) - Date.parse(extended.body.expires_at))).toBeLessThan(2000);
    const viewer = await SshViewer.connect({ port: second.port, user: tokens.rw, identityFile: key.privatePath });
    onCleanup(() => viewer.close());
    await viewer.waitForText('before-the-kill', 20_000);
    await run(viewer, 'echo after-the-restart', /^after-the-restart$/m);
    expect(host.isRunning()).toBe(true);
  });
});
