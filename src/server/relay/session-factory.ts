/**
 * What a host link needs from the relay: a replica to fill during the handshake, and a session
 * once the host is READY (new, or the one its reconnection data names).
 */
import type { SessionReplica } from '../../core/mux/session-replica.js';
import type { Logger } from '../observability/logger.js';
import type { HostPort } from './ports.js';
import type { RelaySession } from './relay-session.js';

export interface SessionFactory {
  readonly log: Logger;
  readonly limits: { maxMessageSize: number };
  newReplica(): SessionReplica;
  /** Returns null when the host was refused (it has been told why and closed). */
  establish(host: HostPort, replica: SessionReplica, reconnectData: string | null): RelaySession | null;
  countProtocolError(code: string): void;
}
