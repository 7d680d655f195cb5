/**
 * How the HTTP API shows sessions and clients as JSON (snake_case fields, ISO 8601 times).
 *
 * Invariants: a session is identified by its id (`s_…`), never by a token; the connection strings
 * (which contain the tokens) appear only in the `ssh`/`ssh_ro`/`web`/`web_ro` fields, for the
 * API token holder who may end the session anyway.
 */
import type { RelaySession } from '../../relay/relay-session.js';

/** What a view needs from the relay: the connection strings of a token. */
export interface LinkMaker {
  sshCommand(token: string): string;
  webLink(token: string): string;
}

export interface ClientView {
  id: number;
  ip: string;
  fingerprint: string | null;
  read_only: boolean;
  since: string;
}

export interface SessionLinks {
  ssh: string;
  ssh_ro: string;
  web: string;
  web_ro: string;
}

export interface SessionView extends SessionLinks {
  id: string;
  state: 'active' | 'host-away';
  name: string;
  host: { kind: string; address: string; client_version: string; connected: boolean } | null;
  created_at: string;
  expires_at: string;
  expires_in_seconds: number;
  last_activity_at: string;
  clients: ClientView[];
}

/** The answer to `POST /api/sessions`. */
export interface CreatedView extends SessionLinks {
  id: string;
  expires_at: string;
}

export function linksOf(session: RelaySession, links: LinkMaker): SessionLinks {
  return {
    ssh: links.sshCommand(session.tokens.rw),
    ssh_ro: links.sshCommand(session.tokens.ro),
    web: links.webLink(session.tokens.rw),
    web_ro: links.webLink(session.tokens.ro),
  };
}

export function sessionView(session: RelaySession, links: LinkMaker, now: number): SessionView {
  const host = session.hostInfo;
  return {
    id: session.id,
    state: session.hostConnected ? 'active' : 'host-away',
    name: session.name,
    host: host ? { kind: host.kind, address: host.address, client_version: host.clientVersion, connected: session.hostConnected } : null,
    created_at: iso(session.createdAt),
    expires_at: iso(session.expiresAt),
    expires_in_seconds: Math.max(0, Math.round((session.expiresAt - now) / 1000)),
    last_activity_at: iso(session.lifetime.lastActivityAt),
    ...linksOf(session, links),
    clients: session.listViewers().map((v) => ({
      id: v.id,
      ip: v.identity.ip,
      fingerprint: v.identity.fingerprint,
      read_only: v.identity.readOnly,
      since: iso(v.since),
    })),
  };
}

export function createdView(session: RelaySession, links: LinkMaker): CreatedView {
  return { id: session.id, ...linksOf(session, links), expires_at: iso(session.expiresAt) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
