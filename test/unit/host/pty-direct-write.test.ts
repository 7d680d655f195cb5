/**
 * writeToPty against a real node-pty: a keystroke goes straight to the pty (node-pty's thread-pool
 * queue is not used), a write bigger than the pty's buffer arrives whole and in order (what did not
 * fit went through node-pty's queue), and a pty of another shape gets node-pty's own write.
 */
import { createHash } from 'node:crypto';
import { spawn, type IPty } from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import { writeToPty } from '../../../src/server/host/pty-direct-write.js';
import { waitFor } from '../../helpers/wait.js';

const started: IPty[] = [];

afterEach(() => {
  for (const pty of started.splice(0)) {
    try {
      pty.kill();
    } catch {
      // already gone
    }
  }
});

/** A pty running `script` in sh, its output collected as text. */
function startPty(script: string): { pty: IPty; output: () => string } {
  const pty = spawn('/bin/sh', ['-c', script], { cols: 80, rows: 24, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
  started.push(pty);
  let text = '';
  pty.onData((chunk) => (text += chunk));
  return { pty, output: () => text };
}

/** Counts the calls that reach node-pty's own (queued) write. */
function countQueuedWrites(pty: IPty): () => number {
  let calls = 0;
  const original = pty.write.bind(pty);
  pty.write = (data: string | Buffer) => {
    calls++;
    original(data);
  };
  return () => calls;
}

describe('writeToPty', () => {
  it('writes a keystroke straight to the pty, not through node-pty’s queue', async () => {
    const { pty, output } = startPty('stty -echo; echo ready; read line; echo "got:$line"');
    const queued = countQueuedWrites(pty);
    await waitFor(() => output().includes('ready'), { describe: () => 'the shell set up its terminal' });
    writeToPty(pty, Buffer.from('hello\r'));
    expect(queued()).toBe(0);
    await waitFor(() => output().includes('got:hello'), { describe: () => `echo of the line; output: ${JSON.stringify(output())}` });
  });

  it('delivers a write bigger than the pty buffer whole and in order, the rest through the queue', async () => {
    const size = 3 * 256 * 1024;
    const { pty, output } = startPty(`stty raw -echo; echo ready; head -c ${size} | sha256sum`);
    const queued = countQueuedWrites(pty);
    // Raw mode first: in canonical mode the line discipline would drop what exceeds a line.
    await waitFor(() => output().includes('ready'), { describe: () => 'the shell set up its terminal' });
    const data = Buffer.alloc(size);
    for (let i = 0; i < size; i++) data[i] = 0x61 + ((i * 7 + (i >> 9)) % 26);
    const expected = createHash('sha256').update(data).digest('hex');
    // Three chunks back to back: the first fills the pty's buffer, the next two must queue behind it.
    const third = size / 3;
    writeToPty(pty, data.subarray(0, third));
    writeToPty(pty, data.subarray(third, 2 * third));
    writeToPty(pty, data.subarray(2 * third));
    expect(queued()).toBeGreaterThan(0);
    await waitFor(() => output().includes(expected), {
      timeoutMs: 20_000,
      describe: () => `sha256 of what arrived, expected ${expected}; output: ${JSON.stringify(output().slice(-200))}`,
    });
  });

  it('uses node-pty’s own write for a pty without the expected internals', () => {
    const writes: Buffer[] = [];
    const shapes = [
      { write: (data: string | Buffer) => void writes.push(Buffer.from(data)) },
      { fd: 5, _writeStream: {}, write: (data: string | Buffer) => void writes.push(Buffer.from(data)) },
      { fd: '5', _writeStream: { _writeQueue: [] }, write: (data: string | Buffer) => void writes.push(Buffer.from(data)) },
    ];
    for (const shape of shapes) writeToPty(shape, Buffer.from('k'));
    expect(writes.map((b) => b.toString())).toEqual(['k', 'k', 'k']);
  });
});
