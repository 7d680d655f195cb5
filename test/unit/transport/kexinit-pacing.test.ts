// The relay's first KEXINIT waits for the client's first packet (so it carries the ACK a joining
// OpenSSH client would otherwise wait 40 ms for), but never longer than HOLD_LIMIT_MS; against a
// real relay, a client that sends only its version line still gets the relay's KEXINIT.
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HOLD_LIMIT_MS, paceFirstKexInit } from '../../../src/server/transport/ssh/kexinit-pacing.js';
import { startTestRelay } from '../../helpers/relay-fixture.js';
import { waitFor } from '../../helpers/wait.js';

/** Just enough of a socket: what reaches the wire is recorded in `sent`. */
class FakeSocket extends EventEmitter {
  destroyed = false;
  sent: string[] = [];
  write(data: string | Uint8Array, callback?: () => void): boolean {
    this.sent.push(Buffer.from(data).toString('latin1'));
    callback?.();
    return true;
  }
}

function paced(): FakeSocket & Socket {
  const socket = new FakeSocket() as FakeSocket & Socket;
  paceFirstKexInit(socket);
  return socket;
}

const IDENT = 'SSH-2.0-OpenSSH_9.2p1\r\n';
const KEXINIT_START = Buffer.from([0, 0, 5, 0xdc, 4, 20]);

afterEach(() => vi.useRealTimers());

describe('first KEXINIT pacing', () => {
  it('sends the version line at once and holds what follows until the client’s first packet starts', () => {
    const socket = paced();
    socket.write('SSH-2.0-tmate-relay\r\n');
    expect(socket.sent).toEqual(['SSH-2.0-tmate-relay\r\n']);
    socket.emit('data', Buffer.from(IDENT));
    socket.write('KEXINIT');
    socket.write('MORE');
    expect(socket.sent).toEqual(['SSH-2.0-tmate-relay\r\n']);
    socket.emit('data', KEXINIT_START);
    expect(socket.sent).toEqual(['SSH-2.0-tmate-relay\r\n', 'KEXINIT', 'MORE']);
    socket.write('AFTER');
    expect(socket.sent.at(-1)).toBe('AFTER');
  });

  it('holds nothing when the version line and the first packet arrive together', () => {
    const socket = paced();
    socket.emit('data', Buffer.concat([Buffer.from(IDENT), KEXINIT_START]));
    socket.write('KEXINIT');
    expect(socket.sent).toEqual(['KEXINIT']);
  });

  it('finds the version line across chunks', () => {
    const socket = paced();
    socket.emit('data', Buffer.from('SSH-2.0-Open'));
    socket.write('EARLY');
    expect(socket.sent).toEqual(['EARLY']);
    socket.emit('data', Buffer.from('SSH_9.2p1\r\n'));
    socket.write('KEXINIT');
    expect(socket.sent).toEqual(['EARLY']);
    socket.emit('data', KEXINIT_START);
    expect(socket.sent).toEqual(['EARLY', 'KEXINIT']);
  });

  it('lets the held KEXINIT go after HOLD_LIMIT_MS for a client that waits for the server’s', () => {
    vi.useFakeTimers();
    const socket = paced();
    socket.emit('data', Buffer.from(IDENT));
    socket.write('KEXINIT');
    vi.advanceTimersByTime(HOLD_LIMIT_MS - 1);
    expect(socket.sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(socket.sent).toEqual(['KEXINIT']);
  });

  it('drops what it held when the socket closes, and writes nothing afterwards', () => {
    vi.useFakeTimers();
    const socket = paced();
    socket.emit('data', Buffer.from(IDENT));
    socket.write('KEXINIT');
    socket.destroyed = true;
    socket.emit('close');
    vi.advanceTimersByTime(HOLD_LIMIT_MS * 2);
    expect(socket.sent).toEqual([]);
  });
});

describe('first KEXINIT pacing against the relay', () => {
  it('a client that sends only its version line gets the relay’s KEXINIT, after the hold limit', async () => {
    const relay = await startTestRelay();
    const socket = connect({ host: '127.0.0.1', port: relay.port });
    let received = Buffer.alloc(0);
    let identSentAt = 0;
    let kexInitAt = 0;
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf(0x0a);
      if (kexInitAt === 0 && end !== -1 && received.length > end + 1) kexInitAt = performance.now();
    });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    identSentAt = performance.now();
    socket.write(IDENT);
    try {
      const messageType = await waitFor(
        () => {
          const end = received.indexOf(0x0a);
          // After the version line: uint32 packet length, padding length, message type.
          return end !== -1 && received.length >= end + 7 ? received[end + 6] : undefined;
        },
        { timeoutMs: 5000, describe: () => `received ${JSON.stringify(received.toString('latin1'))}` },
      );
      expect(received.toString('latin1')).toMatch(/^SSH-2\.0-tmate-relay\r\n/);
      expect(messageType).toBe(20);
      // A lower bound only (a slow machine makes it later, never earlier): the relay held its
      // KEXINIT for the client's, then sent it anyway. (Timers may fire up to ~1 ms early.)
      expect(kexInitAt - identSentAt).toBeGreaterThanOrEqual(HOLD_LIMIT_MS - 5);
    } finally {
      socket.destroy();
    }
  });
});
