/**
 * Host keys for ssh2 that sign with an OpenSSL key object parsed once.
 *
 * Why: ssh2's parsed keys sign from their PEM text, so OpenSSL parses the private key again in
 * every key exchange: 0.6 ms of relay CPU per join with ed25519, 4.6 ms with RSA-3072, the
 * largest single cost of a handshake. Signing with a KeyObject made at start gives the same
 * signatures (ed25519 and RSA PKCS#1 v1.5 are deterministic) without the parse.
 *
 * Invariants:
 * - The result is ssh2's own parsed key: type, public blob, verify() are untouched; only sign()
 *   is replaced, with ssh2's contract (a Buffer, or an Error returned, never thrown).
 * - With no hash named, the hash is the key type's own (none for ed25519, SHA-1 for ssh-rsa,
 *   the curve's for ECDSA), as in ssh2.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import './before-ssh2.js'; // before ssh2 loads: see that module
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';

const { utils } = ssh2;

/** The hash each key type signs with when the caller names none (ssh2's defaults). */
const DEFAULT_HASH: Readonly<Record<string, string | null>> = {
  'ssh-ed25519': null,
  'ssh-rsa': 'sha1',
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
};

/** Signatures made by keys from signingHostKey() in this process (for tests and diagnostics). */
let signaturesMade = 0;

export function fastSignatures(): number {
  return signaturesMade;
}

/** Parses a private key (PEM or OpenSSH format) into an ssh2 host key whose sign() reuses one KeyObject. */
export function signingHostKey(privateKeyText: string): ParsedKey {
  const parsed = utils.parseKey(privateKeyText);
  if (parsed instanceof Error) throw new Error(`host key is unreadable: ${parsed.message}`);
  const key = Array.isArray(parsed) ? (parsed as ParsedKey[])[0] : parsed;
  if (!key) throw new Error('host key is unreadable: no key in the file');
  const pem = key.getPrivatePEM();
  // Anything else is left to ssh2 as it is (and a key without its private half refused by it).
  if (!pem || !(key.type in DEFAULT_HASH)) return key;
  const keyObject: KeyObject = createPrivateKey(pem);
  const defaultHash = DEFAULT_HASH[key.type] ?? null;
  const fastSign = (data: Buffer | string, hash?: string): Buffer | Error => {
    try {
      const signature = sign(hash || defaultHash, typeof data === 'string' ? Buffer.from(data) : data, keyObject);
      signaturesMade++;
      return signature;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  };
  // @types/ssh2 says sign() returns a Buffer; ssh2 itself returns (and its key exchange checks
  // for) an Error on failure, which is the contract kept here.
  key.sign = fastSign as ParsedKey['sign'];
  return key;
}
