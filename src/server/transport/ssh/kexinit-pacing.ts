/**
 * Paces the relay's first KEXINIT so a joining OpenSSH client never waits for a delayed ACK.
 *
 * Why: ssh2 sends its KEXINIT as soon as it reads the client's version line. The client's own
 * KEXINIT then arrives with nothing left for the relay to send, so the kernel delays its ACK
 * (40 ms on Linux once quick-ACK mode is over). OpenSSH turns Nagle off only when the interactive
 * session starts, so its next packet (the key-exchange init) waited for that ACK: 2 of 4 traced
 * joins took 40 ms longer, and the bench's join p95 was ~70 ms. Holding the relay's KEXINIT until
 * the client's first binary packet has begun to arrive lets the KEXINIT carry the ACK instead.
 *
 * Invariants:
 * - Only writes made after the client's version line and before its first packet are held; they
 *   go out in order, unchanged, as soon as that packet's first byte arrives, or after
 *   HOLD_LIMIT_MS for a client that waits for the server's KEXINIT first (legal, if unusual).
 * - Nothing is held once released; a closed socket drops what was held.
 * - Reads are only observed (a second 'data' listener registered before ssh2's), never consumed.
 */
import type { Socket } from 'node:net';

/** Longest a client that sends nothing after its version line waits for the relay's KEXINIT. */
export const HOLD_LIMIT_MS = 25;

type WriteArgs = Parameters<Socket['write']>;

/** Call before handing the socket to ssh2, so this listener sees each chunk before ssh2 parses it. */
export function paceFirstKexInit(socket: Socket): void {
  const originalWrite = socket.write;
  let identSeen = false;
  let released = false;
  let held: WriteArgs[] = [];
  let timer: NodeJS.Timeout | null = null;

  const release = (): void => {
    if (released) return;
    released = true;
    socket.off('data', watch);
    if (timer) clearTimeout(timer);
    socket.write = originalWrite;
    const pending = held;
    held = [];
    if (socket.destroyed) return;
    for (const args of pending) originalWrite.apply(socket, args);
  };

  const watch = (chunk: Buffer): void => {
    if (identSeen) return release();
    const newline = chunk.indexOf(0x0a);
    if (newline === -1) return;
    identSeen = true;
    if (newline < chunk.length - 1) return release();
    timer = setTimeout(release, HOLD_LIMIT_MS);
    timer.unref();
  };

  socket.write = function pacedWrite(this: Socket, ...args: WriteArgs): boolean {
    if (!identSeen || released) return originalWrite.apply(this, args);
    held.push(args);
    return true;
  } as Socket['write'];
  socket.on('data', watch);
  socket.once('close', () => {
    held = [];
    release();
  });
}
