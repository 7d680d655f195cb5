/**
 * Wake-up packets for hosts whose SSH library can strand what the relay sent them: the stock
 * tmate client (libssh) writes in blocking mode, and each blocking write polls its socket for
 * input too, reading whatever the relay sent meanwhile into libssh's buffer. Its event loop then
 * sees no readable socket, so a command or key that arrived during the host's write waits until
 * the next packet comes: in practice a viewer's `C-b z` stayed undone until the 30 s keepalive.
 * A packet that reaches the host while it waits in its event loop makes it read everything.
 *
 * Invariants:
 * - After the relay writes to the host, one wake (an SSH keepalive request, which the host answers
 *   and otherwise ignores) goes out once the host has been quiet for QUIET_MS, and never later
 *   than MAX_DELAY_MS after that write: a host that is busy writing is the one that may strand it.
 * - Host output after a wake may mean that wake was stranded too, so another follows the same
 *   way, at most WAKES_PER_WRITE in all since the relay's last write; an idle session sends none.
 * - After `dispose` nothing is sent.
 */
import type { Clock, TimerHandle } from '../../../core/util/clock.js';

/** The host counts as waiting in its event loop after this long without output. */
export const QUIET_MS = 10;
/** A host that keeps writing gets its wake this long after the relay's write at the latest. */
export const MAX_DELAY_MS = 50;
export const WAKES_PER_WRITE = 3;

/** Whether this SSH client's identification names a library with the stranding behaviour. */
export function needsWakeUps(clientIdent: string): boolean {
  return /\blibssh[_-]/i.test(clientIdent);
}

export class HostWake {
  private wakesLeft = 0;
  private timer: TimerHandle | null = null;
  /** When the relay's earliest write not yet followed by a wake went out; null when none waits. */
  private unwokenSince: number | null = null;
  private lastHostOutput = -Infinity;
  private lastWrite = -Infinity;
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly wake: () => void,
  ) {}

  /** The relay wrote to the host. */
  wrote(): void {
    if (this.disposed) return;
    const now = this.clock.now();
    this.lastWrite = now;
    this.wakesLeft = WAKES_PER_WRITE;
    this.unwokenSince ??= now;
    this.schedule();
  }

  /** The host wrote to the relay. */
  hostOutput(): void {
    if (this.disposed) return;
    const now = this.clock.now();
    this.lastHostOutput = now;
    if (this.unwokenSince === null && this.wakesLeft > 0) {
      this.unwokenSince = now;
      this.schedule();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.cancel();
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer === null) this.timer = this.clock.setTimeout(() => this.due(), QUIET_MS);
  }

  private due(): void {
    this.timer = null;
    if (this.disposed || this.unwokenSince === null) return;
    const now = this.clock.now();
    const quietAt = Math.max(this.lastWrite, this.lastHostOutput) + QUIET_MS;
    const at = Math.min(quietAt, this.unwokenSince + MAX_DELAY_MS);
    if (now < at) {
      this.timer = this.clock.setTimeout(() => this.due(), at - now);
      return;
    }
    this.unwokenSince = null;
    this.wakesLeft -= 1;
    this.wake();
  }
}
