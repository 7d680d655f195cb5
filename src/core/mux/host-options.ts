/**
 * The tmate options a host replicates with set-option (PROTOCOL.md §4.5): authorized keys (`-a`),
 * session names (`-n`, `-r`), API key (`-k`) and foreground mode (`-F`); plus `tmate-relay-ttl`,
 * the session lifetime our own host engine asks for (`tmate-relay host --ttl 2h`), and
 * `tmate-relay-read-only` (`tmate-relay host --read-only`).
 *
 * Invariants: `-g` is already stripped by the caller; empty values are ignored (as tmate-websocket
 * does); the `tmate-authorized-keys` option alone turns the key restriction on, even with no keys.
 */
import { parseDuration } from '../util/duration.js';

export interface AuthorizedKey {
  /** e.g. `ssh-ed25519` */
  type: string;
  /** base64 of the public key blob */
  base64: string;
}

const MAX_AUTHORIZED_KEYS = 1000;
/** Longest option value kept, e.g. an authorized_keys line (an RSA 16384-bit key is ~2.8 KB); longer ones are ignored. */
const MAX_KEY_LINE = 16 * 1024;

export class HostOptions {
  sessionName: string | null = null;
  sessionNameRo: string | null = null;
  apiKey: string | null = null;
  foreground = false;
  keyRestricted = false;
  /** Session lifetime the host asked for (`tmate-relay-ttl`), or null for the relay's default. */
  ttlMs: number | null = null;
  /** `tmate-relay host --read-only`: every viewer watches, even with the read-write token. */
  readOnlySession = false;
  readonly authorizedKeys: AuthorizedKey[] = [];

  set(name: string, value: string): void {
    if (value === '' || value.length > MAX_KEY_LINE) return;
    switch (name) {
      case 'tmate-session-name':
        this.sessionName = value;
        break;
      case 'tmate-session-name-ro':
        this.sessionNameRo = value;
        break;
      case 'tmate-api-key':
        this.apiKey = value;
        break;
      case 'tmate-authorized-keys':
        this.keyRestricted = true;
        break;
      case 'tmate-set':
        this.applySet(value);
        break;
      case 'tmate-relay-read-only':
        this.readOnlySession = value === 'true';
        break;
      case 'tmate-relay-ttl':
      case 'tmate-session-ttl': {
        const ms = parseDuration(value);
        if (ms !== null && ms > 0) this.ttlMs = ms;
        break;
      }
    }
  }

  allowsKey(type: string, base64: string): boolean {
    return this.authorizedKeys.some((k) => k.type === type && k.base64 === base64);
  }

  private applySet(assignment: string): void {
    const eq = assignment.indexOf('=');
    if (eq < 0) return;
    const key = assignment.slice(0, eq);
    const value = assignment.slice(eq + 1);
    if (key === 'foreground') this.foreground = value === 'true';
    if (key === 'authorized_keys') this.addAuthorizedKey(value);
  }

  private addAuthorizedKey(line: string): void {
    this.keyRestricted = true;
    if (line.length > MAX_KEY_LINE) return;
    const parsed = parseAuthorizedKeyLine(line);
    if (parsed && this.authorizedKeys.length < MAX_AUTHORIZED_KEYS && !this.allowsKey(parsed.type, parsed.base64)) {
      this.authorizedKeys.push(parsed);
    }
  }
}

/** `[options] type base64 [comment]` → the key, or null when no key type/base64 pair is found. */
export function parseAuthorizedKeyLine(line: string): AuthorizedKey | null {
  const fields = line.trim().split(/\s+/);
  for (let i = 0; i + 1 < fields.length; i++) {
    const type = fields[i] ?? '';
    const base64 = fields[i + 1] ?? '';
    if (/^(ssh-|ecdsa-|sk-)/.test(type) && /^[A-Za-z0-9+/]+={0,3}$/.test(base64)) return { type, base64 };
  }
  return null;
}
