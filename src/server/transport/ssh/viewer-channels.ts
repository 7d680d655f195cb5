/**
 * The session channels of one viewer connection.
 *
 * OpenSSH's connection sharing (`ControlMaster`, often set for every host in ~/.ssh/config) runs
 * each `ssh` to the same user@host as a session channel of one connection: a second view of a
 * session from another terminal, or a join after leaving while the master lingers
 * (`ControlPersist`). Each channel is a viewer of its own, as each would be over a connection of its
 * own. The relay hangs the connection up when its last channel has closed, so a lingering master
 * goes away (the next `ssh` connects afresh) instead of holding an admitted connection that has
 * nothing in it.
 *
 * Invariants: at most MAX_VIEWER_CHANNELS are open at once; no channel opens once the connection
 * was hung up or one of its channels was refused for the connection's token, and such a refusal
 * is reported as the first only once (the address is charged one failure per connection, not per
 * channel); the hang-up runs once, when the last open channel closes.
 */

/** Most session channels a viewer connection may have open at once (sshd's MaxSessions default). */
export const MAX_VIEWER_CHANNELS = 10;

/** What a channel's session object tells us: ssh2's Session emits 'close' when the channel closes. */
export interface ClosingChannel {
  once(event: 'close', listener: () => void): unknown;
}

export class ViewerChannels {
  private open = 0;
  private tokenRefused = false;
  private hungUp = false;

  /** `hangUp`: ends the connection; called once, when the last open channel has closed. */
  constructor(private readonly hangUp: () => void) {}

  /** Whether another channel may open now. */
  mayOpen(): boolean {
    return !this.hungUp && !this.tokenRefused && this.open < MAX_VIEWER_CHANNELS;
  }

  /** Counts an accepted channel until its session closes. */
  opened(session: ClosingChannel): void {
    this.open++;
    session.once('close', () => this.closed());
  }

  /**
   * A channel was refused for the connection's token (unknown, malformed, throttled): no channel
   * opens after it. Returns true the first time only, so that the failure is counted once.
   */
  refuseToken(): boolean {
    const first = !this.tokenRefused;
    this.tokenRefused = true;
    return first;
  }

  private closed(): void {
    this.open--;
    if (this.open > 0 || this.hungUp) return;
    this.hungUp = true;
    this.hangUp();
  }
}
