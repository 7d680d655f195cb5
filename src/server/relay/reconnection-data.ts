/**
 * The opaque `tmate_reconnection_data` value a host keeps and echoes back in RECONNECT: the
 * session id and tokens, signed with HMAC-SHA256 under a relay secret kept in the keys directory,
 * so a host can get its tokens back after a connection drop and even after a relay restart.
 *
 * Invariants: unforgeable without the secret; verification never throws and compares the MAC in
 * constant time; the value only ever goes to the host that owns those tokens.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir, tightenPrivateFile } from '../keys/host-keys.js';

export interface ReconnectionClaim {
  sessionId: string;
  rw: string;
  ro: string;
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
    const body = Buffer.from(JSON.stringify([1, claim.sessionId, claim.rw, claim.ro])).toString('base64url');
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
      const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      if (!Array.isArray(parsed) || parsed[0] !== 1 || !parsed.slice(1, 4).every((v) => typeof v === 'string')) return null;
      return { sessionId: parsed[1] as string, rw: parsed[2] as string, ro: parsed[3] as string };
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
