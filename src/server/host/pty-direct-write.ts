/**
 * Writes a keystroke to a node-pty master on the spot instead of through node-pty's write queue.
 *
 * node-pty 1.1 writes every chunk with `fs.write`, i.e. on a libuv thread-pool thread: the bytes
 * reach the pane's program only once that thread has been woken and scheduled, and its completion
 * comes back through the event loop. On a busy 2-vCPU machine that hop is one more wait for a CPU
 * on every keystroke's way (the bench measured up to ~20 ms of tail from the same hop in its own
 * typing, see docs/benchmarks.md). The master fd is non-blocking, so a direct `write(2)` of a
 * keystroke costs a few microseconds and never blocks.
 *
 * Invariants: bytes reach the pty in the order they were given. A direct write happens only when
 * node-pty's own queue is empty (else the chunk joins that queue behind what waits there); what a
 * direct write could not place (a full pty buffer: EAGAIN or a short write) goes to node-pty's
 * queue, which retries it. The internals read (`fd`, `_writeStream._writeQueue`) are checked for
 * their shape on every call; any other shape (another node-pty version, Windows) means node-pty's
 * own write, as before. Errors other than EAGAIN (the pty is gone) drop the chunk, as node-pty
 * would after logging it; the pane's exit follows.
 */
import { writeSync } from 'node:fs';

/** The parts of node-pty's UnixTerminal (1.1.0) a direct write relies on. */
interface QueuedPty {
  write(data: string | Buffer): void;
  readonly fd?: unknown;
  readonly _writeStream?: { readonly _writeQueue?: unknown };
}

/** Writes `bytes` to `pty`: directly when nothing waits in node-pty's queue, else queued. */
export function writeToPty(pty: QueuedPty, bytes: Buffer): void {
  const fd = pty.fd;
  const queue = pty._writeStream?._writeQueue;
  if (typeof fd !== 'number' || !Array.isArray(queue) || queue.length > 0 || bytes.length === 0) {
    pty.write(bytes);
    return;
  }
  let written = 0;
  try {
    written = writeSync(fd, bytes);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return;
  }
  if (written < bytes.length) pty.write(bytes.subarray(written));
}
