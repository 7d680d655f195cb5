// Self-test of the e2e harness (test/helpers/*): drives real OpenSSH (SshViewer) and the real tmate 2.4.0 client
// (TmateHost) against a tiny throw-away ssh2 server defined in this file, so the harness is proven before the
// relay exists. The server accepts `none` (and `publickey` for user "keyuser"), runs a fake echo shell, and
// speaks just enough of the tmate protocol (SET_ENV tmate_ssh/tmate_ssh_ro + READY after the host's READY).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, ServerChannel } from 'ssh2';
import { decodeMultiStream, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { fingerprintOfBlob, generateClientKey } from '../helpers/client-keys.js';
import { generateUsableKeyPair } from '../../src/server/keys/host-keys.js';
import { SshViewer, keyBytes } from '../helpers/ssh-viewer.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { TmateHost, parseSshCommand } from '../helpers/tmate-host.js';
import { AbortWait, Disposer, runChecked, useDisposer, waitFor } from '../helpers/wait.js';

const { Server, utils } = ssh2;

interface AuthEvent {
  user: string;
  method: string;
  keyFingerprint?: string;
  signed?: boolean;
}

interface ServerEvents {
  auths: AuthEvent[];
  ptys: { term: string; cols: number; rows: number }[];
  windowChanges: { cols: number; rows: number }[];
  shellInput: string;
  shellChannelsClosed: number;
  /** Decoded host → server tmate messages (strings as Uint8Array). */
  tmateMessages: unknown[][];
  tmateFin: boolean;
  tmateChannelClosed: boolean;
}

interface TestServer {
  port: number;
  fingerprint: string;
  events: ServerEvents;
  /** Sends a message to every connected tmate host. */
  sendToHosts(msg: unknown[]): void;
  close(): Promise<void>;
}

/** A minimal ssh2 server: echo shell for viewers, tmate subsystem for user "tmate". */
async function startTestServer(): Promise<TestServer> {
  const hostKey = generateUsableKeyPair('ed25519');
  const parsed = utils.parseKey(hostKey.public);
  if (parsed instanceof Error) throw parsed;
  const fingerprint = 'SHA256:' + createHash('sha256').update(parsed.getPublicSSH()).digest('base64').replace(/=+$/, '');

  const events: ServerEvents = {
    auths: [],
    ptys: [],
    windowChanges: [],
    shellInput: '',
    shellChannelsClosed: 0,
    tmateMessages: [],
    tmateFin: false,
    tmateChannelClosed: false,
  };
  const connections = new Set<Connection>();
  const tmateChannels = new Set<ServerChannel>();
  let port = 0;

  const onAuth = (ctx: AuthContext): void => {
    const ev: AuthEvent = { user: ctx.username, method: ctx.method };
    events.auths.push(ev);
    if (ctx.username === 'keyuser') {
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      ev.keyFingerprint = fingerprintOfBlob(ctx.key.data);
      ev.signed = ctx.signature !== undefined;
      if (ctx.signature && ctx.blob) {
        const key = utils.parseKey(ctx.key.data);
        if (key instanceof Error || !key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.reject(['publickey']);
      }
      return ctx.accept();
    }
    if (ctx.method === 'none' || ctx.method === 'publickey') return ctx.accept();
    ctx.reject(['none', 'publickey']);
  };

  const runTmateChannel = async (channel: ServerChannel): Promise<void> => {
    tmateChannels.add(channel);
    channel.on('close', () => {
      events.tmateChannelClosed = true;
      tmateChannels.delete(channel);
    });
    try {
      for await (const msg of decodeMultiStream<undefined>(channel, { rawStrings: true })) {
        if (!Array.isArray(msg)) continue;
        events.tmateMessages.push(msg);
        if (msg[0] === 8) events.tmateFin = true;
        if (msg[0] === 9) {
          channel.write(encode([4, 'tmate_ssh', `ssh -p${port} TESTTOKEN@127.0.0.1`]));
          channel.write(encode([4, 'tmate_ssh_ro', `ssh -p${port} ro-TESTTOKEN@127.0.0.1`]));
          channel.write(encode([5]));
        }
      }
    } catch {
      // connection torn down mid-message: fine for this test server
    }
  };

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    connections.add(client);
    let user = '';
    client.on('error', () => undefined);
    client.on('close', () => connections.delete(client));
    client.on('authentication', (ctx) => {
      user = ctx.username;
      onAuth(ctx);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('pty', (accept, _reject, info) => {
          events.ptys.push({ term: info.term, cols: info.cols, rows: info.rows });
          accept?.();
        });
        session.on('window-change', (accept, _reject, info) => {
          events.windowChanges.push({ cols: info.cols, rows: info.rows });
          accept?.();
        });
        session.on('env', (accept) => accept?.());
        session.on('shell', (accept) => {
          const ch = accept();
          ch.on('error', () => undefined);
          ch.on('close', () => events.shellChannelsClosed++);
          ch.write('hello \x1b[1;31mred\x1b[0m\r\n$ ');
          ch.on('data', (data: Buffer) => {
            const text = data.toString('utf8');
            events.shellInput += text;
            if (text.includes('Q')) {
              ch.exit(3);
              ch.end();
              return;
            }
            // Echo, except terminal query answers (e.g. DA replies).
            const echo = text.replace(/\x1b\[\?[\d;]*c/g, '');
            if (echo) ch.write(echo);
          });
        });
        session.on('subsystem', (accept, reject, info) => {
          if (info.name !== 'tmate' || user !== 'tmate') return reject?.();
          const ch = accept?.();
          if (ch) {
            ch.on('error', () => undefined);
            void runTmateChannel(ch);
          }
        });
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  return {
    port,
    fingerprint,
    events,
    sendToHosts(msg) {
      for (const ch of tmateChannels) ch.write(encode(msg));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.end();
        server.close(() => resolve());
      }),
  };
}

describe('wait.ts', () => {
  it('waitFor resolves with the first truthy probe value and describes failures lazily', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? n : undefined), { intervalMs: 1, describe: () => 'n >= 3' })).resolves.toBe(3);

    let described = 0;
    const failing = waitFor(() => false, {
      timeoutMs: 50,
      intervalMs: 5,
      describe: () => `state ${++described}`,
    });
    await expect(failing).rejects.toThrow(/timed out after \d+ ms: state 1/);
    expect(described).toBe(1);

    const aborted = waitFor(
      () => {
        throw new AbortWait('gave up');
      },
      { timeoutMs: 5000, describe: () => 'never' },
    );
    await expect(aborted).rejects.toThrow('gave up');
  });

  it('Disposer runs cleanups newest first, continues after failures, and is reusable', async () => {
    const order: string[] = [];
    const d = new Disposer();
    d.add(() => order.push('first'));
    d.add(() => {
      throw new Error('boom');
    });
    d.use({ close: async () => void order.push('resource') });
    await expect(d.dispose()).rejects.toThrow('boom');
    expect(order).toEqual(['resource', 'first']);
    await d.dispose(); // nothing left: no-op
  });

  it('keyBytes translates key names', () => {
    expect(keyBytes('C-b')).toBe('\x02');
    expect(keyBytes('Enter')).toBe('\r');
    expect(keyBytes('M-x')).toBe('\x1bx');
    expect(keyBytes('c')).toBe('c');
  });

  it('parseSshCommand handles -pPORT, -p PORT and the default port', () => {
    expect(parseSshCommand('ssh -p2222 ABC@127.0.0.1')).toEqual({ user: 'ABC', host: '127.0.0.1', port: 2222 });
    expect(parseSshCommand('ssh -p 2 ro-X@h')).toEqual({ user: 'ro-X', host: 'h', port: 2 });
    expect(parseSshCommand('ssh t@example.org')).toEqual({ user: 't', host: 'example.org', port: 22 });
  });
});

describe('SshViewer against an ssh2 echo server', () => {
  const disposer = useDisposer();

  it('connects without a key, shows output, echoes typing, resizes, and closes', async () => {
    const server = disposer.use(await startTestServer());
    const viewer = disposer.use(await SshViewer.connect({ port: server.port, user: 'anyone', identityFile: null, cols: 90, rows: 25 }));

    await viewer.waitForText('hello red');
    await viewer.waitForScreen((s) => s.split('\n')[1] === '$ ', 'the prompt on line 2 (written spaces are kept)');
    expect(server.events.auths.filter((a) => a.user === 'anyone').map((a) => a.method)).toEqual(['none']);
    expect(server.events.ptys).toEqual([{ term: 'xterm-256color', cols: 90, rows: 25 }]);

    // colours: "red" is bold palette-1
    const r = viewer.cellAt(6, 0);
    expect(r).toMatchObject({ chars: 'r', fgMode: 'palette', fg: 1, bold: true, bgMode: 'default' });
    expect(viewer.cellAt(0, 0)).toMatchObject({ chars: 'h', fgMode: 'default', bold: false });

    viewer.type('typed-text');
    await viewer.waitForText('$ typed-text');
    expect(viewer.line(1)).toBe('$ typed-text');
    expect(viewer.cursor()).toEqual({ x: 12, y: 1 });

    viewer.resize(120, 40);
    await waitFor(() => server.events.windowChanges.find((w) => w.cols === 120 && w.rows === 40), {
      describe: () => `window-change 120x40; got ${JSON.stringify(server.events.windowChanges)}`,
    });
    expect(viewer.cols).toBe(120);
    expect(viewer.rows).toBe(40);

    await viewer.close();
    await viewer.close(); // idempotent
    expect(viewer.exitStatus).toBeDefined();
    await waitFor(() => server.events.shellChannelsClosed === 1, { describe: () => 'server to see the channel close' });
    expect(viewer.screen()).toContain('$ typed-text'); // still readable after close
  });

  it('answers terminal queries and reports the remote exit status', async () => {
    const server = disposer.use(await startTestServer());
    const viewer = disposer.use(await SshViewer.connect({ port: server.port, user: 'anyone' }));
    await viewer.waitForText('$');
    // a DA1 query typed as text is echoed back by the server, and xterm answers it through the pty
    viewer.type('\x1b[c');
    await waitFor(() => /\x1b\[\?[\d;]*c/.test(server.events.shellInput), {
      describe: () => `a DA reply from xterm; server got ${JSON.stringify(server.events.shellInput)}`,
    });
    viewer.press('Q');
    await expect(viewer.waitForExit()).resolves.toEqual({ exitCode: 3 });
    // waiting for something that can no longer appear fails fast, with the screen in the message
    await expect(viewer.waitForText('never', 20_000)).rejects.toThrow(/ssh exited before[\s\S]*hello red/);
  });

  it('authenticates with a generated client key (fingerprint matches ssh-keygen -lf)', async () => {
    const dir = disposer.use(await makeTempDir('keys-'));
    const key = await generateClientKey(dir.path);
    expect(key.publicLine).toMatch(/^ssh-ed25519 AAAA\S+ id_ed25519@tmate-relay-test$/);
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const listed = await runChecked('ssh-keygen', ['-lf', key.publicPath]);
    expect(listed).toContain(` ${key.fingerprint} `);

    const server = disposer.use(await startTestServer());
    const viewer = disposer.use(await SshViewer.connect({ port: server.port, user: 'keyuser', identityFile: key.privatePath }));
    await viewer.waitForText('hello');
    const signedAuth = server.events.auths.find((a) => a.user === 'keyuser' && a.signed);
    expect(signedAuth?.keyFingerprint).toBe(key.fingerprint);

    await viewer.close();
    await dir.cleanup();
    expect(existsSync(dir.path)).toBe(false);
  });
});

describe('TmateHost against an ssh2 server speaking the tmate subsystem', () => {
  const disposer = useDisposer();

  it('starts, becomes ready, reports the connection strings and messages, and is killed cleanly', async () => {
    const server = disposer.use(await startTestServer());
    const host = disposer.use(await TmateHost.start({ port: server.port, ed25519Fingerprint: server.fingerprint }));
    expect(host.isRunning()).toBe(true);
    expect(host.socketPath.length).toBeLessThan(100);

    await host.waitReady();
    expect(await host.sshCommand()).toBe(`ssh -p${server.port} TESTTOKEN@127.0.0.1`);
    expect(await host.sshRoCommand()).toBe(`ssh -p${server.port} ro-TESTTOKEN@127.0.0.1`);
    expect(await host.tokens()).toEqual({ rw: 'TESTTOKEN', ro: 'ro-TESTTOKEN' });
    expect(server.events.auths.find((a) => a.user === 'tmate')?.method).toBe('none');
    expect(server.events.tmateMessages[0]?.[0]).toBe(0); // HEADER first
    expect(await host.display('#{session_width}x#{session_height}')).toBe('80x23');

    server.sendToHosts([0, 'hello from the test server']);
    await host.waitForMessage('hello from the test server');
    expect(await host.showMessages()).toContain('Connecting to 127.0.0.1');

    // leave the tips, then drive the shell
    await host.dismissTips();
    await host.sendText('echo from-host');
    await host.sendKeys('Enter');
    await waitFor(async () => /^from-host$/m.test(await host.capturePane()), {
      describe: () => 'capture-pane to show the echo output',
    });
    await waitFor(
      () =>
        server.events.tmateMessages.some(
          (m) => m[0] === 2 && m[2] instanceof Uint8Array && Buffer.from(m[2]).toString('utf8').includes('from-host'),
        ),
      { describe: () => 'PTY_DATA with the echo output' },
    );

    const pid = host.pid;
    await host.kill();
    expect(host.isRunning()).toBe(false);
    await host.exited;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''); // '' = already reaped
    expect(status === '' || /State:\s+Z/.test(status)).toBe(true);
    await waitFor(() => server.events.tmateFin || server.events.tmateChannelClosed, {
      describe: () => 'server to see FIN or the channel close',
    });
    await host.close();
    await host.close(); // idempotent
    expect(existsSync(host.dir)).toBe(false);
  });

  it('surfaces "Cannot authenticate server" when the fingerprint is wrong', async () => {
    const server = disposer.use(await startTestServer());
    const host = disposer.use(
      await TmateHost.start({ port: server.port, ed25519Fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
    );
    await host.waitForMessage('Cannot authenticate server');
    await expect(host.waitReady(300)).rejects.toThrow(/never became ready[\s\S]*Cannot authenticate server/);
    await host.close();
    expect(host.isRunning()).toBe(false);
  });
});
