/**
 * Connections not yet admitted, per client address, and their deadline: what keeps anyone from
 * holding the relay's sockets and buffers without ever becoming a viewer or a host. SSH
 * connections and WebSocket hosts (`/ws/host`) pass it alike.
 *
 * Invariants: a connection is refused at once when its address is over the connection rate
 * (abuse-guard.ts) or already holds `maxPerIp` unadmitted connections (0: no cap): destroyed (an
 * SSH connection, as sshd drops one over MaxStartups), or told why by the caller's `refuse` (a
 * WebSocket upgrade gets an HTTP answer); an accepted one counts until it is admitted or closes,
 * whichever comes first, and is destroyed if neither happened within `timeoutMs`.
 */
import type { Duplex } from 'node:stream';
import type { Clock } from '../../core/util/clock.js';
import type { Relay } from '../relay/relay.js';

export interface Admission {
  /** The connection became a viewer or a host with a session: it no longer counts as unadmitted. */
  admit(): void;
}

export class AdmissionGuard {
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly relay: Relay,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly maxPerIp: number,
  ) {}

  /**
   * A new connection from `ip`; null when it was refused, by `refuse` with the reason if given
   * (which must close the socket), else by destroying it.
   */
  accept(socket: Duplex, ip: string, refuse: (reason: string) => void = () => socket.destroy()): Admission | null {
    const { guard, metrics } = this.relay.services;
    socket.on('error', () => undefined);
    if (!guard.admitConnection(ip)) {
      refuse('Too many connection attempts from your address; try again later.');
      return null;
    }
    const count = this.pending.get(ip) ?? 0;
    if (this.maxPerIp > 0 && count >= this.maxPerIp) {
      metrics.limitRefusal('unauthenticated_per_ip');
      this.relay.log.info({ event: 'connection-refused', reason: 'too many unauthenticated connections', ip, limit: this.maxPerIp });
      refuse(`Too many connections from your address are still connecting (at most ${this.maxPerIp}); try again later.`);
      return null;
    }
    this.pending.set(ip, count + 1);
    let admitted = false;
    const release = (): void => {
      if (admitted) return;
      admitted = true;
      deadline.cancel();
      const left = (this.pending.get(ip) ?? 1) - 1;
      if (left > 0) this.pending.set(ip, left);
      else this.pending.delete(ip);
    };
    const deadline = this.clock.setTimeout(() => {
      if (admitted) return;
      metrics.limitRefusal('auth_timeout');
      this.relay.log.info({ event: 'auth-timeout', ip });
      socket.destroy();
    }, this.timeoutMs);
    socket.once('close', release);
    return { admit: release };
  }
}
