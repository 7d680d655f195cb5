/**
 * Chooses a new session's tokens from the host's `-n`, `-r` and `-k` options:
 * - no names: fresh random tokens;
 * - relay without API keys: the names as they are (`-n NAME` → `NAME`, `-r RO` → `RO`), except a
 *   read-write name starting with `ro-` (it would pass for a read-only token): a random one;
 * - relay with API keys and a valid `-k`: `-n NAME` → `PREFIX/NAME` and `ro-PREFIX/NAME`,
 *   `-r RO` → `ro-PREFIX/RO`;
 * - relay with API keys and an unknown `-k`: the host is refused;
 * - relay with API keys, names but no `-k`: random tokens, with a note saying why.
 * Problems that do not refuse the host become notes (NOTIFY lines) and random tokens.
 *
 * Invariants: never hands out a token a live session holds; the read-only token differs from the
 * read-write one; API keys never appear in notes or refusals.
 */
import type { HostOptions } from '../../core/mux/host-options.js';
import type { SessionTokens } from '../relay/relay-session.js';
import type { ApiKeyTable } from './api-keys.js';
import { READ_ONLY_PREFIX, isValidSessionName } from './tokens.js';

export interface TokenRegistry {
  freshTokens(): SessionTokens;
  isFree(token: string): boolean;
}

export type TokenChoice =
  | { ok: true; tokens: SessionTokens; notes: string[]; prefix: string | null; /** A name asked for is held by another session. */ nameTaken: boolean }
  | { ok: false; refusal: string };

export const BAD_API_KEY_TEXT = 'Invalid API key (-k): this relay does not know it. Session refused; check the key and restart tmate';

export function chooseTokens(registry: TokenRegistry, options: HostOptions, apiKeys: ApiKeyTable): TokenChoice {
  const notes: string[] = [];
  const fresh = registry.freshTokens();
  const { sessionName, sessionNameRo, apiKey } = options;
  const named = sessionName !== null || sessionNameRo !== null;
  let prefix: string | null = null;
  if (apiKeys.enabled && apiKey !== null) {
    prefix = apiKeys.prefixFor(apiKey);
    if (prefix === null) return { ok: false, refusal: BAD_API_KEY_TEXT };
  } else if (apiKey !== null) {
    notes.push('This relay has no API keys configured; -k is ignored');
  } else if (apiKeys.enabled && named) {
    notes.push('Session names on this relay need an API key (tmate -k KEY; tmate-relay host has none); using random tokens');
    return { ok: true, tokens: fresh, notes, prefix: null, nameTaken: false };
  }
  const taken = { any: false };
  const rw = looksReadOnly(sessionName, prefix)
    ? refuseReadOnlyLooking(sessionName as string, notes)
    : acceptName(registry, sessionName, prefix === null ? '' : `${prefix}/`, notes, taken);
  const roFromRw = prefix !== null && sessionNameRo === null && sessionName !== null ? sessionName : sessionNameRo;
  const ro = acceptName(registry, roFromRw, prefix === null ? '' : `${READ_ONLY_PREFIX}${prefix}/`, notes, taken);
  if (rw && ro && rw === ro) {
    notes.push('The read-only session name must differ from the session name; using a random one');
    return { ok: true, tokens: { rw, ro: fresh.ro }, notes, prefix, nameTaken: taken.any };
  }
  return { ok: true, tokens: { rw: rw ?? fresh.rw, ro: ro ?? fresh.ro }, notes, prefix, nameTaken: taken.any };
}

/** A read-write token that starts with `ro-` would pass for a read-only one with whoever is given it. */
function looksReadOnly(name: string | null, prefix: string | null): boolean {
  return prefix === null && name !== null && name.startsWith(READ_ONLY_PREFIX);
}

function refuseReadOnlyLooking(name: string, notes: string[]): null {
  notes.push(`Session name "${name}" starts with ${READ_ONLY_PREFIX}, which marks read-only tokens; using a random token`);
  return null;
}

function acceptName(registry: TokenRegistry, name: string | null, prefix: string, notes: string[], taken: { any: boolean }): string | null {
  if (name === null) return null;
  if (!isValidSessionName(name)) {
    notes.push(`Invalid session name "${name}" (letters, digits and single dashes, at most 50); using a random token`);
    return null;
  }
  const token = prefix + name;
  if (!registry.isFree(token)) {
    notes.push(`Session name "${token}" is already in use; using a random token`);
    taken.any = true;
    return null;
  }
  return token;
}
