// Our host engine (`tmate-relay host`, the built CLI under plain Node) against the relay: the
// shared relay-side suite over both transports, then what only the CLI promises — exit statuses,
// the printed lines, the build-log mirror, relay restarts and relay-local sessions.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineHostSuite, engineDriver, run, waitForPrompt } from '../compat/shared-host-suite.js';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';
import { EngineHost } from '../helpers/engine-host.js';
import { startRelay } from '../../src/app.js';
import { configWith } from '../../src/server/config/load-config.js';
import { SshViewer } from '../helpers/ssh-viewer.js';
import { waitFor } from '../helpers/wait.js';

defineHostSuite(engineDriver('ssh'));
defineHostSuite(engineDriver('ws'));

describe('tmate-relay host', () => {
  it('prints the ssh lines and exits with the last shell\'s status', async () => {
    const f = await startTestRelay();
    const host = EngineHost.start({ server: `127.0.0.1:${f.port}`, fingerprint: f.running.keys.ed25519.fingerprint });
    onCleanup(() => host.close());
    const tokens = await host.tokens();
    expect(tokens.rwLine).toBe(`ssh -p ${f.port} ${tokens.rw}@127.0.0.1`);
    expect(tokens.roLine).toBe(`ssh -p ${f.port} ${tokens.ro}@127.0.0.1`);
    await host.waitForStdout('This session will stay alive for 30 minutes.');
    const viewer = await f.viewer(tokens.rw);
    await run(viewer, 'echo mirrored-$((7*6))', 'mirrored-42');
    await waitForPrompt(viewer);
    viewer.type('exit 3\r');
    expect((await host.exited).code).toBe(3);
  });

  it('honours --ttl, --name, --authorized-keys and --init (in every new shell)', async () => {
    const f = await startTestRelay();
    const init = `${f.dir.path}/ci-helpers.sh`;
    await writeFile(init, 'run_phase() { echo "phase:$1"; }\nPS1="$ "\n');
    const keys = `${f.dir.path}/team_keys`;
    await writeFile(keys, `# the team\n${f.key.publicLine}\n`);
    const host = EngineHost.start({
      server: `127.0.0.1:${f.port}`,
      fingerprint: f.running.keys.ed25519.fingerprint,
      args: ['--ttl', '2h', '--name', 'ci-build-7', '--authorized-keys', keys, '--init', init],
      command: [],
      env: { SHELL: '/bin/bash' },
    });
    onCleanup(() => host.close());
    const tokens = await host.tokens();
    expect(tokens.rw).toBe('ci-build-7');
    await host.waitForStdout('This session will stay alive for 120 minutes.');
    // Only listed SSH keys may join: no web link, which could only refuse.
    expect(host.stdout).not.toMatch(/^web: /m);
    const stranger = await f.viewer(tokens.rw, { identityFile: f.otherKey.privatePath });
    expect((await stranger.waitForExit()).exitCode).toBe(255);
    expect(stranger.rawOutput()).toContain('Permission denied (publickey)');
    const viewer = await f.viewer(tokens.rw, { identityFile: f.key.privatePath });
    await run(viewer, 'run_phase build', 'phase:build');
    viewer.press('C-b', 'c');
    await viewer.waitForScreen(() => /1:\S+\*/.test(viewer.line(viewer.rows - 1)), 'window 1');
    await run(viewer, 'run_phase second-window', 'phase:second-window');
    // The rcfile that sources --init lives in a temporary directory for the session's shells only.
    const initDirs = async (): Promise<string[]> => {
      const dirs = (await readdir(tmpdir())).filter((d) => d.startsWith('tmate-relay-init-'));
      const mine = await Promise.all(dirs.map(async (d) => ((await readFile(join(tmpdir(), d, 'bashrc'), 'utf8').catch(() => '')).includes(init) ? d : null)));
      return mine.filter((d): d is string => d !== null);
    };
    expect(await initDirs()).toHaveLength(1);
    await host.close();
    expect(await initDirs()).toEqual([]);
  });

  it('shares read-only with --read-only: even the read-write token cannot type', async () => {
    const f = await startTestRelay();
    const host = EngineHost.start({ server: `127.0.0.1:${f.port}`, fingerprint: f.running.keys.ed25519.fingerprint, args: ['--read-only'] });
    onCleanup(() => host.close());
    const tokens = await host.tokens();
    expect(tokens.rwLine).toBe('');
    const sessionRw = f.running.relay.registry.all()[0]?.tokens.rw ?? '';
    // Neither stream shows the read-write token: the relay announces only the read-only lines.
    await waitFor(() => host.stderr.includes('ssh session read only:'), { describe: () => host.describe() });
    expect(`${host.stdout}${host.stderr}`).not.toContain(sessionRw);
    // Read-only viewers never resize the session, so match the engine's 80×24 (+ status line).
    const viewer = await f.viewer(sessionRw, { cols: 80, rows: 25 });
    await waitForPrompt(viewer);
    await viewer.waitForText('[read-only]');
    viewer.type('echo typed-by-viewer\r');
    viewer.press('C-b', 'd');
    await viewer.waitForExit();
    const watcher = await f.viewer(tokens.ro, { cols: 80, rows: 25 });
    await waitForPrompt(watcher);
    expect(watcher.screen()).not.toContain('typed-by-viewer');
    expect(host.stdout).not.toContain('typed-by-viewer');
  });

  it('mirrors the session to stdout as plain text lines, or not at all with --quiet', async () => {
    const f = await startTestRelay();
    const loud = EngineHost.start({ server: `127.0.0.1:${f.port}`, fingerprint: f.running.keys.ed25519.fingerprint, command: ['sh', '-c', 'printf "\\033[1;31mred\\033[0m line\\r\\nnext\\r\\n"; sleep 30'] });
    onCleanup(() => loud.close());
    await loud.waitForStdout('red line\nnext\n');
    expect(loud.stdout).not.toContain('\x1b');
    const quiet = EngineHost.start({ server: `127.0.0.1:${f.port}`, fingerprint: f.running.keys.ed25519.fingerprint, args: ['--quiet'], command: ['sh', '-c', 'echo should-not-appear; sleep 30'] });
    onCleanup(() => quiet.close());
    const tokens = await quiet.tokens();
    const viewer = await f.viewer(tokens.rw);
    await viewer.waitForText('should-not-appear');
    expect(quiet.stdout).not.toContain('should-not-appear');
  });

  it('refuses a relay whose host key does not match --fingerprint (exit 76)', async () => {
    const f = await startTestRelay();
    const host = EngineHost.start({ server: `127.0.0.1:${f.port}`, fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    onCleanup(() => host.close());
    expect((await host.exited).code).toBe(76);
    expect(host.stderr).toMatch(/does not match --fingerprint/);
  });

  it('gives up on an unreachable relay (exit 69) and rejects bad options (exit 2)', async () => {
    const host = EngineHost.start({ server: '127.0.0.1:1', args: ['--connect-timeout', '2s'] });
    onCleanup(() => host.close());
    expect((await host.exited).code).toBe(69);
    const bad = EngineHost.start({ server: 'not a host:99999', args: ['--ttl', 'forever'] });
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr).toMatch(/--server/);
    expect(bad.stderr).toMatch(/--ttl/);
  });

  it('backs off from a relay that refuses the session and gives up after --connect-timeout (exit 77)', async () => {
    const f = await startTestRelay({ maxSessionsPerIp: 1 });
    const first = EngineHost.start({ server: `127.0.0.1:${f.port}`, fingerprint: f.running.keys.ed25519.fingerprint });
    onCleanup(() => first.close());
    await first.tokens();
    const second = EngineHost.start({ server: `127.0.0.1:${f.port}`, fingerprint: f.running.keys.ed25519.fingerprint, args: ['--connect-timeout', '3s'] });
    onCleanup(() => second.close());
    expect((await second.exited).code).toBe(77);
    expect(second.stderr).toContain('This relay allows at most 1 sessions per address; session refused');
    // Backoff of 0.5 s, 1 s, 2 s…: a handful of attempts in 3 s, not one every half second.
    const retries = second.stderr.match(/The relay refused the session \(.*\); retrying/g) ?? [];
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries.length).toBeLessThanOrEqual(4);
    expect(second.stdout).not.toMatch(/^ssh /m);
  });

  it('refuses --fingerprint with a WebSocket relay instead of silently not checking it (exit 2)', async () => {
    const host = EngineHost.start({ server: 'ws://127.0.0.1:1', fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    onCleanup(() => host.close());
    expect((await host.exited).code).toBe(2);
    expect(host.stderr).toContain('--fingerprint: it checks the relay\'s SSH host key, which a ws:// or wss:// connection never sees');
  });

  it('prints the new links on stdout when a relay that lost the session gives new tokens', async () => {
    const f = await startTestRelay();
    const host = EngineHost.start({ server: `ws://127.0.0.1:${f.running.httpPort}`, args: ['--connect-timeout', '30s'] });
    onCleanup(() => host.close());
    const old = await host.tokens();
    expect(host.stderr).toContain('warning: ws:// is neither encrypted nor authenticated');
    const httpPort = f.running.httpPort;
    await f.running.close();
    // Another relay on the same address, with other keys: it cannot resume the old session.
    const other = await startRelay(configWith({ ...f.running.config, httpPort, sshPort: 0, keysDir: `${f.dir.path}/other-keys` }));
    onCleanup(() => other.close());
    await waitFor(() => other.relay.registry.all().length === 1, { timeoutMs: 20_000, describe: () => `the host to register again\n${host.describe()}` });
    const fresh = other.relay.registry.all()[0]!.tokens;
    expect(fresh.rw).not.toBe(old.rw);
    await host.waitForStdout(`@127.0.0.1`);
    await host.waitForStdout(new RegExp(`^ssh -p \\d+ ${fresh.rw}@127\\.0\\.0\\.1$`, 'm'));
    await host.waitForStdout(new RegExp(`^read-only: ssh -p \\d+ ${fresh.ro}@127\\.0\\.0\\.1$`, 'm'));
    // Once per change: the first links stay printed once.
    expect(host.stdout.split(`${old.rw}@`).length - 1).toBe(1);
  });

  it('ends the session cleanly on SIGTERM', async () => {
    const f = await startTestRelay();
    const host = EngineHost.start({ server: `127.0.0.1:${f.port}`, fingerprint: f.running.keys.ed25519.fingerprint });
    onCleanup(() => host.close());
    const tokens = await host.tokens();
    const viewer = await f.viewer(tokens.rw);
    await waitForPrompt(viewer);
    host.signal('SIGTERM');
    await viewer.waitForExit();
    expect(viewer.rawOutput()).toContain('session ended');
    expect((await host.exited).code).toBe(143); // 128 + SIGTERM, as a program killed by it
  });

  it('gets its tokens back from a restarted relay', async () => {
    const f = await startTestRelay();
    // A lifetime in seconds, so that the lifetime line differs after the restart.
    const host = EngineHost.start({ server: `127.0.0.1:${f.port}`, fingerprint: f.running.keys.ed25519.fingerprint, args: ['--ttl', '100s'] });
    onCleanup(() => host.close());
    const tokens = await host.tokens();
    const before = await f.viewer(tokens.rw);
    await run(before, 'echo first-relay', 'first-relay');
    await f.running.close();
    await before.waitForExit();
    const again = await startRelay(configWith({ ...f.running.config, sshPort: f.port, httpPort: 0 }));
    onCleanup(() => again.close());
    await waitFor(() => again.relay.registry.lookup(tokens.rw), { timeoutMs: 20_000, describe: () => `the host to re-register\n${host.describe()}` });
    const viewer = await SshViewer.connect({ port: f.port, user: tokens.rw, identityFile: f.key.privatePath });
    onCleanup(() => viewer.close());
    await viewer.waitForText('first-relay', 20_000);
    await run(viewer, 'echo second-relay', 'second-relay');
    // Same tokens: the links were printed once, not again with the reconnect.
    expect(host.stdout.split(`${tokens.rw}@`).length - 1).toBe(1);
  });
});

describe('relay-local sessions', () => {
  it('hosts a shared shell inside the relay, joinable over ssh', async () => {
    const f = await startTestRelay();
    const local = await f.running.startLocalSession({ command: ['env', 'PS1=$ ', 'bash', '--norc', '--noprofile'], ttlMs: null });
    onCleanup(async () => local.stop());
    const viewer = await f.viewer(local.session.tokens.rw);
    await run(viewer, 'echo local-$((40+2))', 'local-42');
    viewer.type('exit\r');
    await viewer.waitForExit();
    expect(viewer.rawOutput()).toContain('session ended: every window exited');
  });
});
