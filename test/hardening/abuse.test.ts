// Abuse, end to end on loopback: connections held open without authenticating, wrong-token storms,
// a 10 MB paste, resize storms. Loopback is not exempt from the per-address limits, so each case
// uses its own source addresses (127.0.0.x; on Linux the whole 127/8 is local).
//
// Invariants checked: unadmitted connections are capped per address and cut at --auth-timeout,
// and their slots come back; a storm of wrong tokens is throttled while a right token from another
// address works and attached viewers keep typing; a 10 MB paste reaches the program byte for byte
// without blocking the relay or piling up in memory, even while the host stops reading; a storm
// of window changes reaches the host as a few RESIZEs ending at the final size.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { AnyAuthMethod } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.js';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';
import { SshViewer } from '../helpers/ssh-viewer.js';
import { run, waitForPrompt } from '../compat/shared-host-suite.js';
import { waitFor } from '../helpers/wait.js';
import { RawHost } from './helpers/raw-host.js';
import { RawViewer } from './helpers/raw-viewer.js';
import { NO_COMMAND_TEXT, NO_TERMINAL_TEXT } from '../../src/server/transport/ssh/ssh-server.js';
import { MAX_VIEWER_CELLS } from '../../src/server/relay/viewer-link.js';
import { LoopMonitor, liveMemory, openFds } from './helpers/probes.js';

const MiB = 1024 * 1024;

function from(address: string): { extraArgs: string[] } {
  return { extraArgs: ['-o', `BindAddress=${address}`] };
}

/** A TCP connection to the relay that sends nothing; resolves once connected. */
function idleSocket(port: number, localAddress: string): Promise<Socket & { closedAt?: number }> {
  return new Promise((resolve, reject) => {
    const socket: Socket & { closedAt?: number } = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(socket));
    socket.resume(); // read (and drop) what comes, so the relay's close is noticed
    socket.on('error', () => undefined);
    socket.once('close', () => (socket.closedAt = Date.now()));
    socket.once('error', reject);
    onCleanup(async () => void socket.destroy());
  });
}

/** An SSH client that authenticates (as a host: user tmate, auth none) and then does nothing. */
function idleSshClient(port: number, localAddress: string): Promise<{ closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    const client = new ssh2.Client();
    client.on('error', () => undefined);
    const closed = new Promise<void>((done) => client.once('close', () => done()));
    client.once('ready', () => resolve({ closed }));
    client.once('close', () => reject(new Error('closed before it was ready')));
    client.connect({ sock: socket, username: 'tmate', readyTimeout: 10_000 });
    onCleanup(async () => void socket.destroy());
  });
}

describe('connections that never authenticate', () => {
  it('caps them per address, cuts them at the auth timeout, and frees their slots', async () => {
    const f = await startTestRelay({ maxUnauthenticatedPerIp: 10, authTimeoutMs: 1500, connectionRateLimit: 0 });
    const api = ApiClient.of(f);
    const { rw } = await f.readyHost();
    const healthy = await f.viewer(rw, from('127.0.0.13'));
    await waitForPrompt(healthy);
    const fdsBefore = openFds();
    const openedAt = Date.now();
    // 300 silent connections from 10 addresses: 10 each are held (until the timeout), the rest
    // are closed at once.
    const addresses = Array.from({ length: 10 }, (_, i) => `127.0.0.${20 + i}`);
    const sockets = await Promise.all(addresses.flatMap((address) => Array.from({ length: 30 }, () => idleSocket(f.port, address))));
    await waitFor(() => sockets.filter((s) => s.closedAt !== undefined).length >= 200, { describe: () => 'the connections over the cap to be closed' });
    const early = sockets.filter((s) => s.closedAt !== undefined && s.closedAt - openedAt < 1000).length;
    expect(early, 'closed at once: over the per-address cap').toBe(200);
    // An address at its cap cannot even start a handshake; another address can, and the attached
    // viewer types on.
    const refused = await f.viewer('NoSuchSession0abcdefghjkmnpq', from('127.0.0.20'));
    expect((await refused.waitForExit()).exitCode).toBe(255);
    expect(refused.rawOutput()).not.toContain('Invalid or expired session token');
    await run(healthy, 'echo during-the-hold', 'during-the-hold');
    // The held ones are cut at the timeout, and their addresses may connect again.
    await waitFor(() => sockets.every((s) => s.closedAt !== undefined), {
      describe: () => `the held connections to time out (${sockets.filter((s) => s.closedAt === undefined).length} still open)`,
    });
    const held = sockets.filter((s) => s.closedAt! - openedAt >= 1000);
    expect(held).toHaveLength(100);
    const again = await f.viewer(rw, from('127.0.0.20'));
    await waitForPrompt(again);
    expect(await api.metric('tmate_relay_limit_refusals_total', 'limit="unauthenticated_per_ip"')).toBeGreaterThanOrEqual(201);
    expect(await api.metric('tmate_relay_limit_refusals_total', 'limit="auth_timeout"')).toBeGreaterThanOrEqual(100);
    await waitFor(() => openFds() <= fdsBefore + 4, { describe: () => `file descriptors back to ${fdsBefore} (now ${openFds()})` });
  });

  it('cuts a host that authenticates but never finishes the tmate handshake, and a client that opens nothing', async () => {
    const f = await startTestRelay({ authTimeoutMs: 1500 });
    const silentHost = await RawHost.connect({ port: f.port, from: '127.0.0.40' });
    onCleanup(() => silentHost.close());
    silentHost.send({ type: 'header', protocol: 6, clientVersion: '2.4.0' }); // and never READY
    const idle = await idleSshClient(f.port, '127.0.0.41'); // authenticated, then opens no channel
    const started = Date.now();
    await silentHost.waitForClose(5000);
    await idle.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(f.running.relay.registry.all()).toHaveLength(0);
  });
});

/**
 * Publickey authentication with someone else's Ed25519 public key, sent as `ssh-rsa` with the
 * rsa-sha2-* algorithm (so ssh2 checks it with a SHA-2 digest, which fails with an Error) and a
 * random signature: resolves with whether the relay admitted it.
 */
function forgedPublicKeyAuth(port: number, user: string, victimBlob: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.9' });
    const client = new ssh2.Client();
    // A real parsed key object, so that ssh2's client sends it, with someone else's public blob.
    const forged = ssh2.utils.parseKey(ssh2.utils.generateKeyPairSync('rsa', { bits: 2048 }).private);
    if (forged instanceof Error) throw forged;
    Object.assign(forged, { getPublicSSH: () => victimBlob, sign: () => Buffer.alloc(256, 7) });
    let attempts = 0;
    client.on('error', () => {
      socket.destroy(); // the relay counts a failed authentication when the connection ends
      resolve(false);
    });
    client.once('ready', () => {
      resolve(true);
      client.end();
    });
    client.connect({
      sock: socket,
      username: user,
      readyTimeout: 10_000,
      // ssh2 takes `false` for "no more methods"; its types do not say so.
      authHandler: (_methods, _partial, next) => next(attempts++ === 0 ? { type: 'publickey', username: user, key: forged } : (false as unknown as AnyAuthMethod)),
    });
    onCleanup(async () => void socket.destroy());
  });
}

describe('forged publickey signatures', () => {
  it("refuses someone else's public key with a signature that does not verify (it would show as their fingerprint)", async () => {
    const f = await startTestRelay();
    const { rw } = await f.readyHost();
    const victim = ssh2.utils.parseKey(f.key.publicLine);
    if (victim instanceof Error) throw victim;
    expect(await forgedPublicKeyAuth(f.port, rw, victim.getPublicSSH())).toBe(false);
    await waitFor(async () => (await ApiClient.of(f).metric('tmate_relay_auth_failures_total', 'reason="bad_signature"')) >= 1, {
      describe: () => 'the forged signature to be counted as bad_signature',
    });
    expect(f.running.relay.registry.all()[0]?.viewerCount).toBe(0);
  });
});

describe('wrong-token storms', () => {
  it('throttles the storming address; a right token from elsewhere works and attached viewers keep typing', async () => {
    const f = await startTestRelay({ authFailureLimit: 10, rateLimitWindowMs: 3_600_000 });
    const api = ApiClient.of(f);
    const { rw } = await f.readyHost();
    const typist = await f.viewer(rw, from('127.0.0.51'));
    await waitForPrompt(typist);
    const key = readFileSync(f.key.privatePath);
    const loop = new LoopMonitor();
    const attempt = async (i: number): Promise<string> => {
      let v: RawViewer;
      try {
        v = await RawViewer.connect({ port: f.port, token: `WrongGuess${String(i).padStart(4, '0')}abcdefghjkmnp`, privateKey: key, from: '127.0.0.50' });
      } catch {
        return 'refused before authentication';
      }
      await v.waitForClose(10_000);
      return v.output;
    };
    const outcomes: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      outcomes.push(...(await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(batch * 30 + i)))));
      if (batch === 4) await run(typist, 'echo mid-storm', 'mid-storm');
    }
    loop.stop();
    const invalid = outcomes.filter((o) => o.includes('Invalid or expired session token')).length;
    const throttled = outcomes.filter((o) => /Too many failed attempts from 127\.0\.0\.50/.test(o)).length;
    // The failure limit, overshot at most by the attempts already authenticating when it was reached
    // (at most --max-unauthenticated-per-ip, 10, at a time).
    expect(invalid, 'wrong tokens answered before the address was throttled').toBeGreaterThanOrEqual(10);
    expect(invalid).toBeLessThanOrEqual(20);
    expect(invalid + throttled + outcomes.filter((o) => o === 'refused before authentication').length).toBe(300);
    expect(loop.maxMs, 'longest event-loop stall during the storm (ms)').toBeLessThan(1000);
    // The right token: refused from the storming address, accepted from another one.
    const fromStorm = await f.viewer(rw, from('127.0.0.50'));
    expect((await fromStorm.waitForExit()).exitCode).not.toBe(0);
    const elsewhere = await f.viewer(rw, from('127.0.0.52'));
    await waitForPrompt(elsewhere);
    await run(typist, 'echo after-storm', 'after-storm');
    expect(await api.metric('tmate_relay_auth_failures_total', 'reason="unknown_token"')).toBe(invalid);
  });
});

describe('huge pastes', () => {
  it('a 10 MB paste arrives byte for byte, in bounded slices, also while the host stops reading', async () => {
    const f = await startTestRelay();
    const size = 10 * MiB;
    const { host, rw } = await f.readyHost({ shellCommand: 'sh' });
    const count = join(f.dir.path, 'count');
    await host.sendText(`stty raw -echo; head -c ${size} | wc -c > ${count}`);
    await host.sendKeys('Enter');
    const other = await f.readyHost();
    const typist = await f.viewer(other.rw);
    await waitForPrompt(typist);
    const paste = join(f.dir.path, 'paste');
    writeFileSync(paste, Buffer.alloc(size, 'pasted-text '));
    const session = f.running.relay.registry.lookup(rw)!.session;
    const baseline = liveMemory();
    const loop = new LoopMonitor();
    // A real OpenSSH viewer pasting a file: it sends as fast as the relay lets it.
    const input = openSync(paste, 'r');
    const ssh = spawn('ssh', ['-tt', '-F', '/dev/null', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=no', '-o', 'LogLevel=ERROR',
      '-o', 'IdentitiesOnly=yes', '-i', f.key.privatePath, '-p', String(f.port), `${rw}@127.0.0.1`], { stdio: [input, 'ignore', 'ignore'] });
    closeSync(input);
    onCleanup(async () => void ssh.kill('SIGKILL'));
    // The host stops reading: the relay must stop taking the paste rather than queue it.
    process.kill(host.pid, 'SIGSTOP');
    onCleanup(async () => void process.kill(host.pid, 'SIGCONT'));
    await waitFor(() => session.hostBusy(), { timeoutMs: 20_000, describe: () => 'the stopped host to back up' });
    const whileStopped = liveMemory() - baseline;
    await run(typist, 'echo while-the-host-sleeps', 'while-the-host-sleeps');
    expect(liveMemory() - baseline, 'memory while the paste waits for the host').toBeLessThan(whileStopped + 8 * MiB);
    process.kill(host.pid, 'SIGCONT');
    // Someone in another session keeps working while the paste flows.
    const echoes: number[] = [];
    const done = (): boolean => existsSync(count) && readFileSync(count, 'utf8').trim() !== '';
    while (!done()) {
      if (echoes.length >= 300) throw new Error(`the paste did not complete (${echoes.length} commands ran meanwhile)`);
      const started = Date.now();
      await run(typist, `clear; echo during-paste-${echoes.length}`, `during-paste-${echoes.length}`);
      echoes.push(Date.now() - started);
    }
    loop.stop();
    expect(Number(readFileSync(count, 'utf8').trim())).toBe(size);
    expect(whileStopped, 'memory while the host was stopped').toBeLessThan(64 * MiB);
    expect(loop.maxMs, 'longest event-loop stall during the paste (ms)').toBeLessThan(1000);
    expect(Math.max(0, ...echoes), `a command in another session took ${echoes.join(', ')} ms`).toBeLessThan(5000);
  });
});

describe('resize storms', () => {
  it('5000 window changes reach the host as a few RESIZEs ending at the final size', async () => {
    const f = await startTestRelay({ allowKeyless: true });
    const host = await RawHost.start({ port: f.port });
    onCleanup(() => host.close());
    const viewer = await RawViewer.connect({ port: f.port, token: host.tokens.rw, privateKey: null, cols: 80, rows: 24, keepOutput: false });
    onCleanup(() => viewer.close());
    await waitFor(() => host.resizes.length >= 1, { describe: () => 'the first RESIZE' });
    const started = Date.now();
    for (let i = 0; i < 5000; i++) viewer.resize(20 + (i % 900), 10 + (i % 300));
    viewer.resize(123, 45);
    await waitFor(() => host.resizes.at(-1)?.cols === 123 && host.resizes.at(-1)?.rows === 44, { describe: () => `the final size; got ${JSON.stringify(host.resizes.slice(-3))}` });
    const elapsed = Date.now() - started;
    // At most one RESIZE per 100 ms (plus the first and the trailing one).
    expect(host.resizes.length).toBeLessThanOrEqual(3 + Math.ceil(elapsed / 100));
    // A real viewer and the real tmate: the host ends up at the viewer's last size.
    const { host: tmate, rw } = await f.readyHost();
    const real = await SshViewer.connect({ port: f.port, user: rw, identityFile: f.key.privatePath, cols: 100, rows: 30 });
    onCleanup(() => real.close());
    await waitForPrompt(real);
    for (let i = 0; i < 40; i++) real.resize(60 + i, 20 + (i % 10));
    real.resize(90, 25);
    await waitFor(async () => (await tmate.display('#{window_width}x#{window_height}')) === '90x24', { describe: () => 'tmate at the final size' });
    await run(real, 'echo after-the-storm', 'after-the-storm');
  });
});

describe('huge terminals', () => {
  it('a 1000×1000 viewer in a session of many windows shrinks what the host lays out instead of ending the session', async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const viewer = await SshViewer.connect({ port: f.port, user: rw, identityFile: f.key.privatePath, cols: 100, rows: 30 });
    onCleanup(() => viewer.close());
    await waitForPrompt(viewer);
    viewer.resize(1000, 1000);
    // The viewer is drawn at most MAX_VIEWER_CELLS cells: 1000 columns, 250 rows with the status line.
    const sizeOf = async (): Promise<number[]> => (await host.display('#{window_width} #{window_height}')).split(' ').map(Number);
    await waitFor(async () => (await sizeOf())[0]! > 100, { describe: () => 'the host to grow past 100 columns' });
    expect(await sizeOf()).toEqual([1000, MAX_VIEWER_CELLS / 1000 - 1]);
    // Sixteen windows at 1000×249 are 4.2 M cells with the one being added, over the relay's 4 M:
    // the host is asked for less, and the session lives on.
    for (let windows = 2; windows <= 16; windows++) {
      viewer.press('C-b', 'c');
      await waitFor(async () => (await host.display('#{session_windows}')) === String(windows), { describe: () => `${windows} windows` });
    }
    await waitFor(async () => 17 * (await sizeOf()).reduce((a, b) => a * b, 1) <= 4_000_000, { describe: () => 'the host to shrink for the sixteenth window' });
    expect(f.running.relay.registry.all().map((s) => s.isEnded)).toEqual([false]);
    viewer.resize(100, 30);
    await run(viewer, 'echo still-here', 'still-here');
  });
});

describe('viewers without a terminal', () => {
  it('`ssh -T` is told to use a terminal (or that its token is wrong) and never sizes the session', async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const viewer = await f.viewer(rw, { cols: 100, rows: 30 });
    await waitForPrompt(viewer);
    await waitFor(async () => (await host.display('#{window_width}x#{window_height}')) === '100x29', { describe: () => 'the session at 100x29' });
    const noTerminal = await f.viewer(rw, { extraArgs: ['-T'] });
    expect((await noTerminal.waitForExit()).exitCode).toBe(1);
    expect(noTerminal.rawOutput()).toContain(NO_TERMINAL_TEXT);
    expect(noTerminal.rawOutput()).not.toContain('\x1b[');
    expect(await host.display('#{window_width}x#{window_height}')).toBe('100x29');
    // A wrong token is said first, not the terminal it would need next.
    const wrongToken = await f.viewer('z'.repeat(25), { extraArgs: ['-T'] });
    expect((await wrongToken.waitForExit()).exitCode).toBe(1);
    expect(wrongToken.rawOutput()).toContain('Invalid or expired session token');
    expect(wrongToken.rawOutput()).not.toContain(NO_TERMINAL_TEXT);
    const command = await f.viewer(rw, { remoteCommand: ['ls'] });
    expect((await command.waitForExit()).exitCode).toBe(1);
    expect(command.rawOutput()).toContain(NO_COMMAND_TEXT);
    expect(f.running.relay.registry.all()[0]?.viewerCount).toBe(1);
  });
});
