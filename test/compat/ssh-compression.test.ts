// SSH compression, as the real clients negotiate it: the stock tmate 2.4.0 host and OpenSSH with
// `-C` both ask for zlib. By default the relay offers only `none`, and both still connect and work;
// with --ssh-compression they get zlib@openssh.com, and a session whose host prints a few hundred
// kilobytes still reaches the viewer intact. What was agreed is read from the relay's debug log
// (one `ssh-handshake` line per key exchange, naming the client's version string).
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { RelayConfig } from '../../src/server/config/load-config.js';
import { startTestRelay, type RelayFixture } from '../helpers/relay-fixture.js';
import type { SshViewer } from '../helpers/ssh-viewer.js';
import { waitFor } from '../helpers/wait.js';

interface Handshake {
  client: string;
  compression: string;
}

/** A relay logging at debug level into memory, and the handshakes it logged. */
async function relayWithHandshakeLog(overrides: Partial<RelayConfig>): Promise<{ f: RelayFixture; handshakes: Handshake[] }> {
  const handshakes: Handshake[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.includes('"ssh-handshake"')) continue;
        const entry = JSON.parse(line) as Handshake;
        handshakes.push({ client: entry.client, compression: entry.compression });
      }
      callback();
    },
  });
  const f = await startTestRelay({ logLevel: 'debug', ...overrides }, { log: pino({ level: 'debug' }, sink) });
  return { f, handshakes };
}

async function compressionOf(handshakes: Handshake[], client: RegExp): Promise<string> {
  await waitFor(() => handshakes.some((h) => client.test(h.client)), { describe: () => `a handshake from ${client}` });
  const agreed = handshakes.filter((h) => client.test(h.client)).map((h) => h.compression);
  expect(new Set(agreed).size).toBe(1);
  return agreed[0]!;
}

/** Runs a command at the shared prompt and waits for the screen to show `expected`. */
async function run(viewer: SshViewer, command: string, expected: string): Promise<void> {
  await viewer.waitForScreen((screen) => /^\$ ?$/m.test(screen), 'the shell prompt');
  viewer.type(`${command}\r`);
  await viewer.waitForText(expected);
}

describe('SSH compression with the stock tmate host and OpenSSH', () => {
  it('is off by default: tmate and ssh -C connect uncompressed and work', async () => {
    const { f, handshakes } = await relayWithHandshakeLog({});
    const { rw } = await f.readyHost();
    const viewer = await f.viewer(rw, { extraArgs: ['-C'] });
    await run(viewer, 'echo $((6 * 7))-done', '42-done');
    expect(await compressionOf(handshakes, /^SSH-2\.0-libssh/)).toBe('none');
    expect(await compressionOf(handshakes, /^SSH-2\.0-OpenSSH/)).toBe('none');
  });

  it('with --ssh-compression, both get zlib@openssh.com and bulk output arrives intact', async () => {
    const { f, handshakes } = await relayWithHandshakeLog({ sshCompression: true });
    const { rw } = await f.readyHost();
    const viewer = await f.viewer(rw, { extraArgs: ['-C'] });
    // ~350 KB of pane output through tmate's compressed stream; the screen then shows its tail.
    await run(viewer, 'seq 1 60000; echo end-$((6 * 7))', 'end-42');
    await viewer.waitForScreen((screen) => /^59999\s*\n60000\s*\nend-42/m.test(screen), 'the last lines of seq');
    expect(await compressionOf(handshakes, /^SSH-2\.0-libssh/)).toBe('zlib@openssh.com');
    expect(await compressionOf(handshakes, /^SSH-2\.0-OpenSSH/)).toBe('zlib@openssh.com');
  });
});
