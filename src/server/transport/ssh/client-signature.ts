/**
 * Checks the signature of a viewer's publickey authentication (RFC 4252 §7).
 *
 * A viewer is admitted with a key only when this returns true, and its key's fingerprint is what
 * join notices and the who-is-connected list show, so:
 * - the key blob must be of the type the request names (`ssh-rsa` for `rsa-sha2-256/512`): ssh2
 *   leaves that to its caller;
 * - only a verification that returned exactly `true` counts. ssh2's `verify()` returns an Error,
 *   which is truthy, when the check itself fails, e.g. an Ed25519 key checked with the SHA-256
 *   digest that a request naming `rsa-sha2-256` asks for; taken as a success, anyone could
 *   present someone else's public key and be shown as them.
 * - Ed25519 keys (what `ssh-keygen` makes by default) are verified by Node's crypto with the key
 *   imported as JWK: ssh2 turns every key into PEM text that OpenSSL parses again on each check
 *   (~0.2 ms more per join). Other key types go through ssh2's parser and verifier.
 *
 * Invariant: never throws; anything malformed is `false`.
 */
import crypto from 'node:crypto';
import './before-ssh2.js'; // before ssh2 loads: see that module
import ssh2 from 'ssh2';

const { utils } = ssh2;

const ED25519 = 'ssh-ed25519';
const ED25519_KEY_BYTES = 32;

export interface SignedRequest {
  /** The key type the request names, as ssh2 reports it (`ssh-rsa` for `rsa-sha2-*`). */
  keyType: string;
  /** The public key blob (SSH wire format). */
  keyBlob: Buffer;
  /** The signed data: session id and the request up to the signature. */
  data: Buffer;
  /** The signature without its SSH framing (ssh2's form). */
  signature: Buffer;
  /** `sha256` / `sha512` for `rsa-sha2-*`, else undefined (the key type's own). */
  hashAlgo: string | undefined;
}

export function verifyClientSignature(request: SignedRequest): boolean {
  const blobType = sshString(request.keyBlob, 0);
  if (blobType === null || blobType.toString('latin1') !== request.keyType) return false;
  try {
    if (request.keyType === ED25519) return verifyEd25519(request, 4 + blobType.length);
    const parsed = utils.parseKey(request.keyBlob);
    if (parsed instanceof Error) return false;
    return parsed.verify(request.data, request.signature, request.hashAlgo) === true;
  } catch {
    return false;
  }
}

/** `keyAt`: where the key's own string starts in the blob, after the type string. */
function verifyEd25519(request: SignedRequest, keyAt: number): boolean {
  if (request.hashAlgo !== undefined) return false;
  const key = sshString(request.keyBlob, keyAt);
  if (key === null || key.length !== ED25519_KEY_BYTES || keyAt + 4 + key.length !== request.keyBlob.length) return false;
  const publicKey = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.toString('base64url') }, format: 'jwk' });
  return crypto.verify(null, request.data, publicKey, request.signature);
}

/** The SSH `string` at `offset` (uint32 length, then the bytes), or null if it does not fit. */
function sshString(buffer: Buffer, offset: number): Buffer | null {
  if (offset + 4 > buffer.length) return null;
  const length = buffer.readUInt32BE(offset);
  if (offset + 4 + length > buffer.length) return null;
  return buffer.subarray(offset + 4, offset + 4 + length);
}
