/**
 * All live sessions, by id and by token (read-write and read-only). In memory for now.
 *
 * Invariants: a token maps to at most one session; an ended session's tokens are released and its
 * id is remembered with the reason it ended (a tombstone), so a host that comes back after the
 * grace period gets a new session rather than the old tokens, and a host whose session was
 * cancelled or expired can be told so.
 */
import { randomBytes } from 'node:crypto';
import { newTokenPair } from './tokens.js';
import type { EndReason, RelaySession, SessionTokens } from '../relay/relay-session.js';

export interface TokenLookup {
  session: RelaySession;
  readOnly: boolean;
}

const MAX_TOMBSTONES = 10_000;

export class SessionRegistry {
  private readonly byToken = new Map<string, TokenLookup>();
  private readonly byId = new Map<string, RelaySession>();
  private readonly tombstones = new Map<string, EndReason | null>();

  newSessionId(): string {
    return `s_${randomBytes(9).toString('base64url')}`;
  }

  /** Fresh random tokens that no live session uses. */
  freshTokens(): SessionTokens {
    for (;;) {
      const pair = newTokenPair();
      if (this.isFree(pair.rw) && this.isFree(pair.ro)) return pair;
    }
  }

  isFree(token: string): boolean {
    return !this.byToken.has(token);
  }

  wasEnded(sessionId: string): boolean {
    return this.tombstones.has(sessionId);
  }

  /** Why an ended session ended (undefined: not ended, or forgotten). */
  endReason(sessionId: string): EndReason | null | undefined {
    return this.tombstones.get(sessionId);
  }

  /** Live sessions. */
  get size(): number {
    return this.byId.size;
  }

  /** Live sessions whose (current or last) host connected from `address`. */
  countByHostAddress(address: string): number {
    let n = 0;
    for (const session of this.byId.values()) if (session.hostInfo?.address === address) n++;
    return n;
  }

  add(session: RelaySession): void {
    this.byId.set(session.id, session);
    this.byToken.set(session.tokens.rw, { session, readOnly: false });
    this.byToken.set(session.tokens.ro, { session, readOnly: true });
  }

  remove(session: RelaySession): void {
    if (this.byId.get(session.id) !== session) return;
    this.byId.delete(session.id);
    for (const token of [session.tokens.rw, session.tokens.ro]) {
      if (this.byToken.get(token)?.session === session) this.byToken.delete(token);
    }
    this.tombstones.set(session.id, session.endedBecause);
    if (this.tombstones.size > MAX_TOMBSTONES) {
      const oldest = this.tombstones.keys().next().value;
      if (oldest !== undefined) this.tombstones.delete(oldest);
    }
  }

  lookup(token: string): TokenLookup | undefined {
    return this.byToken.get(token);
  }

  byIdLookup(id: string): RelaySession | undefined {
    return this.byId.get(id);
  }

  all(): RelaySession[] {
    return [...this.byId.values()];
  }
}
