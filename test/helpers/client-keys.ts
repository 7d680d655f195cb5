// SSH client keys for tests: generates ed25519 key pairs with the real `ssh-keygen` (async spawn) and computes
// OpenSSH SHA256 fingerprints ("SHA256:" + unpadded standard base64 of sha256(public key blob)), the same string
// `ssh-keygen -lf key.pub` prints and the format tmate's tmate-server-*-fingerprint options expect.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from './wait.js';

export interface ClientKey {
  /** Path of the private key (mode 0600, no passphrase). */
  privatePath: string;
  /** Path of the `.pub` file. */
  publicPath: string;
  /** The `.pub` line without the trailing newline: `ssh-ed25519 AAAA… comment`. */
  publicLine: string;
  /** `SHA256:…` without '=' padding. */
  fingerprint: string;
}

/** OpenSSH fingerprint of an SSH wire-format public key blob. */
export function fingerprintOfBlob(blob: Uint8Array): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** OpenSSH fingerprint of an authorized_keys / `.pub` line (`type base64 [comment]`). */
export function fingerprintOfPublicLine(line: string): string {
  const b64 = line.trim().split(/\s+/)[1];
  if (!b64) throw new Error(`not a public key line: ${JSON.stringify(line)}`);
  return fingerprintOfBlob(Buffer.from(b64, 'base64'));
}

/** Generates `<dir>/<name>` and `<dir>/<name>.pub` (ed25519, empty passphrase). */
export async function generateClientKey(dir: string, name = 'id_ed25519'): Promise<ClientKey> {
  const privatePath = join(dir, name);
  const publicPath = `${privatePath}.pub`;
  await runChecked('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@tmate-relay-test`, '-f', privatePath], {
    timeoutMs: 10_000,
  });
  const publicLine = (await readFile(publicPath, 'utf8')).trim();
  return { privatePath, publicPath, publicLine, fingerprint: fingerprintOfPublicLine(publicLine) };
}
