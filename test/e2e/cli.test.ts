// The built `tmate-relay` binary under plain Node, as a newcomer runs it: help, keys, option
// errors, and `serve` with its working defaults (including the relay-local session it offers).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/engine-host.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { onCleanup } from '../helpers/relay-fixture.js';
import { waitFor } from '../helpers/wait.js';
import { SshViewer } from '../helpers/ssh-viewer.js';
import { generateClientKey } from '../helpers/client-keys.js';

const MAIN = resolve(REPO_ROOT, 'dist/main.js');

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('tmate-relay command line', () => {
  it('documents every command and option in --help', async () => {
    const main = await runCli(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/serve[\s\S]*host[\s\S]*keys/);
    const serve = await runCli(['serve', '--help']);
    for (const flag of ['--listen', '--ssh-port', '--hostname', '--keys-dir', '--allow-keyless', '--http-port', 'TMATE_RELAY_SSH_PORT']) {
      expect(serve.stdout).toContain(flag);
    }
    const host = await runCli(['host', '--help']);
    for (const flag of ['--server', '--fingerprint', '--ttl', '--read-only', '--authorized-keys', '--name', '--init', '--quiet', '-- COMMAND']) {
      expect(host.stdout).toContain(flag);
    }
    const keys = await runCli(['keys', '--help']);
    for (const flag of ['--keys-dir', '--hostname', '--ssh-port', '--advertised-port']) expect(keys.stdout).toContain(flag);
    expect(keys.stdout).not.toContain('--session-ttl'); // serve's options only in serve --help
    for (const args of [['help', 'version'], ['version', '--help']]) {
      const version = await runCli(args);
      expect(version.code).toBe(0);
      expect(version.stdout).toMatch(/^Usage: tmate-relay version\n/);
    }
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(await readFile(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const args of [['--version'], ['-V'], ['version']]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`tmate-relay ${version}\n`);
    }
  });

  it('lists every invalid option at once and exits 2', async () => {
    const result = await runCli(['serve', '--ssh-port', 'abc', '--listen', 'nowhere'], { TMATE_RELAY_SCROLLBACK: '-5' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--ssh-port');
    expect(result.stderr).toContain('--listen');
    expect(result.stderr).toContain('--scrollback');
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    const noTopic = await runCli(['help', 'frobnicate']);
    expect(noTopic.code).toBe(2);
    expect(noTopic.stderr).toContain('no help for "frobnicate"');
    const badName = await runCli(['host', '--server', '127.0.0.1:1', '--name', 'bad--name']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('"bad--name" is not a session name');
  });

  it('refuses an --authorized-keys file it cannot read, that is no regular file, or that lists no key (nobody could join)', async () => {
    const dir = await makeTempDir('trk-');
    onCleanup(() => dir.cleanup());
    await writeFile(`${dir.path}/empty`, '# no keys yet\n');
    const cases = [
      [`${dir.path}/missing`, 'cannot read it (ENOENT)'],
      [`${dir.path}/empty`, 'lists no keys, so nobody could join'],
      // Not read at all: a device or a directory given by mistake.
      ['/dev/zero', 'cannot read it (not a regular file)'],
      [dir.path, 'cannot read it (not a regular file)'],
    ];
    for (const [file, problem] of cases) {
      const result = await runCli(['serve', '--keys-dir', dir.path, '--ssh-port', '0', '--http-port', '0', '--authorized-keys', file!]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(problem);
    }
    // Listed with the other invalid options, not only once they are fixed.
    const both = await runCli(['serve', '--keys-dir', dir.path, '--ssh-port', 'abc', '--authorized-keys', `${dir.path}/missing`]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--ssh-port[^\n]*"abc"[\s\S]*--authorized-keys[^\n]*ENOENT/);
  });

  it('refuses a host COMMAND that cannot start, before connecting: 127 not found, 126 not executable', async () => {
    const dir = await makeTempDir('trh-');
    onCleanup(() => dir.cleanup());
    await writeFile(`${dir.path}/script.sh`, '#!/bin/sh\necho never\n', { mode: 0o644 });
    // Nothing listens on port 1: a host that tried to connect would report the relay unreachable (69).
    const host = ['host', '--server', '127.0.0.1:1', '--connect-timeout', '60s', '--'];
    const missing = await runCli([...host, 'no-such-program-4f2a', '--flag']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('tmate-relay host: command not found: "no-such-program-4f2a"');
    expect(missing.stderr).not.toContain('Connecting');
    const notExecutable = await runCli([...host, `${dir.path}/script.sh`]);
    expect(notExecutable.code).toBe(126);
    expect(notExecutable.stderr).toContain(`command not executable: "${dir.path}/script.sh"`);
  });

  it('exits when its HTTP port is taken instead of serving SSH alone', async () => {
    const dir = await makeTempDir('trk-');
    onCleanup(() => dir.cleanup());
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    onCleanup(() => new Promise<void>((done) => taken.close(() => done())));
    const port = (taken.address() as AddressInfo).port;
    const result = await runCli(['serve', '--keys-dir', dir.path, '--ssh-port', '0', '--http-port', String(port), '--local-session', 'off']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('EADDRINUSE');
  });

  it('keeps serving when the reader of its stdout goes away (serve | head)', async () => {
    const dir = await makeTempDir('trp-');
    onCleanup(() => dir.cleanup());
    const token = 'pipe-test-api-token-0123456789';
    const child = spawn(process.execPath, [MAIN, 'serve', '--ssh-port', '0', '--http-port', '0', '--keys-dir', `${dir.path}/keys`, '--local-session', 'off', '--api-token', token], {
      env: { ...process.env, SHELL: '/bin/bash' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((r) => child.on('exit', (code) => ((exitCode = code), r())));
    onCleanup(async () => {
      child.kill('SIGKILL');
      await exited;
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((r) => child.stdout.once('data', () => r()));
    child.stdout.destroy(); // what `| head -1` does after its line
    const httpPort = Number((await waitFor(() => /"httpPort":(\d+)/.exec(stderr) ?? undefined, { describe: () => stderr }))[1]);
    // A relay-local session without "quiet" mirrors its output to stdout: writes into the closed pipe.
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${httpPort}${path}`, { ...init, headers: { authorization: `token ${token}`, 'content-type': 'application/json' } });
    const created = await api('/api/sessions', { method: 'POST', body: JSON.stringify({ command: ['sh', '-c', 'echo mirrored output; exit 0'] }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await waitFor(async () => (await api(`/api/sessions/${id}`)).status === 404, { describe: () => 'the session to end with its command' });
    expect((await api('/healthz')).status).toBe(200);
    expect(exitCode, stderr).toBeUndefined();
  });

  it('creates host keys once (mode 0600) and prints the tmate.conf snippet', async () => {
    const dir = await makeTempDir('trk-');
    onCleanup(() => dir.cleanup());
    const first = await runCli(['keys', '--keys-dir', dir.path, '--hostname', 'relay.example.com', '--ssh-port', '2022']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('set -g tmate-server-host relay.example.com');
    expect(first.stdout).toContain('set -g tmate-server-port 2022');
    expect(first.stdout).toMatch(/set -g tmate-server-ed25519-fingerprint SHA256:[A-Za-z0-9+/]{43}\n/);
    expect(first.stdout).toMatch(/set -g tmate-server-rsa-fingerprint SHA256:[A-Za-z0-9+/]{43}\n/);
    expect((await stat(`${dir.path}/ssh_host_ed25519_key`)).mode & 0o777).toBe(0o600);
    expect((await stat(`${dir.path}/ssh_host_rsa_key`)).mode & 0o777).toBe(0o600);
    const second = await runCli(['keys', '--keys-dir', dir.path, '--hostname', 'relay.example.com', '--ssh-port', '2022']);
    expect(second.stdout).toBe(first.stdout);
  });

  it('serves with working defaults and offers a relay-local session on loopback', async () => {
    const dir = await makeTempDir('trs-');
    onCleanup(() => dir.cleanup());
    const child = spawn(process.execPath, [MAIN, 'serve', '--ssh-port', '0', '--http-port', '0', '--keys-dir', `${dir.path}/keys`, '--log-level', 'silent'], {
      env: { ...process.env, SHELL: '/bin/bash' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    onCleanup(async () => {
      child.kill('SIGKILL');
      await exited;
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const joinLine = await waitFor(() => /^ {2}(ssh -p (\d+) (\S+)@127\.0\.0\.1)$/m.exec(stdout) ?? undefined, {
      describe: () => `serve to print the local session\n${stdout}`,
    });
    expect(stdout).toMatch(/listening for SSH on 127\.0\.0\.1:\d+/);
    expect(stdout).toContain('set -g tmate-server-ed25519-fingerprint SHA256:');
    const key = await generateClientKey(dir.path, 'viewer');
    const viewer = await SshViewer.connect({ port: Number(joinLine[2]), user: joinLine[3] ?? '', identityFile: key.privatePath });
    onCleanup(() => viewer.close());
    await viewer.waitForScreen(() => /\[tmate\] 0:\S+\*/.test(viewer.line(viewer.rows - 1)), 'the local session status line');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await viewer.waitForExit();
    expect(viewer.rawOutput()).toContain('relay shutting down');
  });
});
