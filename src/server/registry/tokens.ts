/**
 * Session tokens: 25 characters from tmate's 55-character alphabet (no i l o I O 0 1), about
 * 144 bits of entropy from the OS CSPRNG via nanoid; read-only tokens are `ro-` + 25 more,
 * independent of the read-write token. Also the syntax check a viewer's user name must pass.
 */
import { customAlphabet } from 'nanoid';

export const TOKEN_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const TOKEN_LENGTH = 25;
export const READ_ONLY_PREFIX = 'ro-';

const randomToken = customAlphabet(TOKEN_ALPHABET, TOKEN_LENGTH);

export function newTokenPair(): { rw: string; ro: string } {
  return { rw: randomToken(), ro: READ_ONLY_PREFIX + randomToken() };
}

/** The characters the classic server accepted in a viewer's user name (PROTOCOL.md §5.2). */
export function isWellFormedToken(name: string): boolean {
  return name.length > 2 && name.length <= 128 && /^[A-Za-z0-9_/-]+$/.test(name);
}

/** Rules tmate.io applied to `-n`/`-r` session names; `tmate` is the host's user name. */
export function isValidSessionName(name: string): boolean {
  return name !== 'tmate' && name.length <= 50 && /^[a-zA-Z0-9](?:[a-zA-Z0-9]|-(?=[a-zA-Z0-9]))*$/.test(name);
}
