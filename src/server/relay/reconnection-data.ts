/**
 * The opaque `tmate_reconnection_data` value a host keeps and echoes back in RECONNECT: the
 * session id, tokens and expiry, signed with HMAC-SHA256 under a relay secret kept in the keys
 * directory, so a host can get its tokens back after a connection drop and even after a relay
 * restart, and a restarted relay still ends the session when it was due to end.
 *
 * Invariants: unforgeable without the secret; verification never throws and compares the MAC in
 * constant time; the value only ever goes to the host that owns those tokens. Values signed
 * before expiries were included (version 1) still verify, with no expiry, and those signed before
 * creation times were (version 2) with none.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir, tightenPrivateFile } from '../keys/host-keys.js';

export interface ReconnectionClaim {
  sessionId: string;
  rw: string;
  ro: string;
  /** When the session expires (ms since the epoch); null in version-1 values. */
  expiresAt: number | null;
  /** When it was created and whether anyone had joined it; null in version-1 and -2 values. */
  started: { createdAt: number; joined: boolean } | null;
}

const SECRET_FILE = 'reconnect.secret';

export async function loadOrCreateSecret(dir: string): Promise<Buffer> {
  await ensurePrivateDir(dir);
  const path = join(dir, SECRET_FILE);
  try {
    const secret = Buffer.from((await readFile(path, 'utf8')).trim(), 'hex');
    if (secret.length >= 32) {
      await tightenPrivateFile(path);
      return secret;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32);
  await writeFile(path, `${secret.toString('hex')}\n`, { mode: 0o600 });
  return secret;
}

export class ReconnectionSigner {
  constructor(private readonly secret: Buffer) {}

  sign(claim: ReconnectionClaim): string {
    const { sessionId, rw, ro, expiresAt, started } = claim;
    const fields =
      expiresAt === null ? [1, sessionId, rw, ro]
      : started === null ? [2, sessionId, rw, ro, expiresAt]
      : [3, sessionId, rw, ro, expiresAt, started.createdAt, started.joined ? 1 : 0];
    const body = Buffer.from(JSON.stringify(fields)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  verify(data: string): ReconnectionClaim | null {
    const dot = data.indexOf('.');
    if (dot <= 0 || data.length > 4096) return null;
    const body = data.slice(0, dot);
    const given = Buffer.from(data.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      return parseClaim(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

/**
 * The fields of a verified body: version 1 `[1, id, rw, ro]`, version 2 `[2, id, rw, ro,
 * expiresAt]` or version 3 `[3, id, rw, ro, expiresAt, createdAt, joined 0|1]`.
 */
function parseClaim(parsed: unknown): ReconnectionClaim | null {
  if (!Array.isArray(parsed) || !parsed.slice(1, 4).every((v) => typeof v === 'string')) return null;
  const [version, sessionId, rw, ro, expiresAt, createdAt, joined] = parsed as [unknown, string, string, string, unknown, unknown, unknown];
  if (version === 1 && parsed.length === 4) return { sessionId, rw, ro, expiresAt: null, started: null };
  if (!Number.isSafeInteger(expiresAt)) return null;
  if (version === 2 && parsed.length === 5) return { sessionId, rw, ro, expiresAt: expiresAt as number, started: null };
  if (version === 3 && parsed.length === 7 && Number.isSafeInteger(createdAt) && (joined === 0 || joined === 1)) {
    return { sessionId, rw, ro, expiresAt: expiresAt as number, started: { createdAt: createdAt as number, joined: joined === 1 } };
  }
  return null;
}
