/**
 * The output backlog of one SSH channel, as the relay needs to see it: what ssh2 still holds for
 * the channel (waiting for the peer's SSH window) plus what the connection's socket holds (waiting
 * for the peer's TCP window). ssh2 never looks at the socket's backpressure and reports its own
 * only above 2 MiB, so without this a peer that stops reading would collect megabytes per
 * connection before anyone noticed.
 *
 * Invariants:
 * - `write` never drops or delays data: it only reports whether the backlog is over `high`.
 * - Once over `high`, the channel counts as congested until the backlog is back at or below `low`;
 *   then every drain listener runs once.
 * - The socket's backlog counts for every channel of the connection (a viewer connection may
 *   carry several, viewer-channels.ts): they share that pipe, so when it is full all of them are
 *   congested.
 * - `dispose()` (the channel closed) removes what this registered on the shared socket.
 */
import type { Socket } from 'node:net';

/** The part of an ssh2 channel this needs. */
interface ChannelLike {
  readonly writableLength: number;
  write(data: Uint8Array | string, callback: () => void): boolean;
  on(event: 'drain', listener: () => void): unknown;
}

export class Backlog {
  private congested = false;
  private readonly listeners: (() => void)[] = [];
  private readonly check = (): void => {
    if (!this.congested || this.pending > this.low) return;
    this.congested = false;
    for (const listener of this.listeners) listener();
  };

  constructor(
    private readonly channel: ChannelLike,
    private readonly socket: Socket,
    private readonly high: number,
    private readonly low: number,
  ) {
    socket.on('drain', this.check);
    channel.on('drain', this.check);
  }

  /** Bytes written but not yet handed to the kernel. */
  get pending(): number {
    return this.channel.writableLength + this.socket.writableLength;
  }

  /** Writes `data`; false when the backlog is over the high-water mark. */
  write(data: Uint8Array | string): boolean {
    this.channel.write(data, this.check);
    if (this.pending > this.high) this.congested = true;
    return !this.congested;
  }

  onDrain(listener: () => void): void {
    this.listeners.push(listener);
  }

  dispose(): void {
    this.socket.off('drain', this.check);
  }
}
