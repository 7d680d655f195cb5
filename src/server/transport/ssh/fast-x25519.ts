/**
 * X25519 key exchange without OpenSSL's DER decoder and encoder.
 *
 * In its curve25519-sha256 key exchange (every SSH connection: viewers and hosts), ssh2 wraps the
 * peer's 32-byte public key in SPKI DER and imports it with `crypto.createPublicKey`, and takes
 * its own public key from `publicKey.export({ type: 'spki', format: 'der' })`. OpenSSL 3 runs
 * both through its generic decoder and encoder: on this project's bench machine ~0.1–0.2 ms a call
 * when hot, and ~0.8 ms for the import in a relay, where connections come too seldom for that
 * code to stay hot. Both sit between the client's ECDH init and the relay's reply, so every join
 * and every host connection waited for them. The same key goes in and out as JWK in ~0.02 ms.
 *
 * Here `crypto.createPublicKey` imports exactly that input (a 44-byte X25519 SPKI DER buffer) as
 * the equivalent JWK, and `crypto.generateKeyPairSync('x25519')` (no options) returns a pair
 * whose public key exports SPKI DER as the fixed 12-byte SPKI header followed by its 32 raw bytes
 * (taken from its JWK). The keys and the bytes are the same: the SPKI DER of an X25519 key is
 * always that header and the key (RFC 8410).
 *
 * ssh2 takes these functions from `crypto` once, when its modules load, so this module must be
 * evaluated before them (see before-ssh2.ts).
 *
 * Invariants: any other call goes to Node's function unchanged, so its results and its errors stay
 * Node's; installing twice is a no-op.
 */
import crypto, { KeyObject } from 'node:crypto';

/** SPKI DER header of an X25519 public key: SEQUENCE { SEQUENCE { OID 1.3.101.110 }, BIT STRING (33 bytes) }. */
export const X25519_SPKI_HEADER = Buffer.from('302a300506032b656e032100', 'hex');
const RAW_KEY_BYTES = 32;

type CreatePublicKey = typeof crypto.createPublicKey;
type GenerateKeyPairSync = (...args: unknown[]) => unknown;

const INSTALLED = Symbol.for('tmate-relay.fast-x25519');

interface FastPathState {
  readonly createPublicKey: CreatePublicKey;
  readonly generateKeyPairSync: GenerateKeyPairSync;
  /** Imports and exports that took the fast path (tests read them). */
  imports: number;
  exports: number;
}

/** The raw key of `{ key: <X25519 SPKI DER>, format: 'der', type: 'spki' }` and nothing else, or null. */
function x25519SpkiDerKey(input: unknown): Buffer | null {
  if (typeof input !== 'object' || input === null || Object.getPrototypeOf(input) !== Object.prototype) return null;
  const { key, format, type, ...rest } = input as Record<string, unknown>;
  if (format !== 'der' || type !== 'spki' || Object.keys(rest).length > 0 || !(key instanceof Uint8Array)) return null;
  if (key.length !== X25519_SPKI_HEADER.length + RAW_KEY_BYTES) return null;
  const der = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  if (!der.subarray(0, X25519_SPKI_HEADER.length).equals(X25519_SPKI_HEADER)) return null;
  return der.subarray(X25519_SPKI_HEADER.length);
}

function isSpkiDer(options: unknown): boolean {
  if (typeof options !== 'object' || options === null) return false;
  const { type, format, ...rest } = options as Record<string, unknown>;
  return type === 'spki' && format === 'der' && Object.keys(rest).length === 0;
}

/** Gives `publicKey` (an X25519 key) an SPKI DER export built from its JWK; other exports unchanged. */
function withFastSpkiExport(state: FastPathState, publicKey: KeyObject): void {
  // Node defines export() on KeyObject's subclasses (PublicKeyObject …), not on KeyObject itself.
  const exportKey = (Object.getPrototypeOf(publicKey) as KeyObject).export;
  Object.defineProperty(publicKey, 'export', {
    configurable: true,
    writable: true,
    value: function exportFast(this: KeyObject, options?: unknown): unknown {
      if (arguments.length !== 1 || !isSpkiDer(options)) return Reflect.apply(exportKey, this, arguments);
      const jwk = this.export({ format: 'jwk' });
      if (typeof jwk.x !== 'string') return Reflect.apply(exportKey, this, arguments);
      state.exports++;
      return Buffer.concat([X25519_SPKI_HEADER, Buffer.from(jwk.x, 'base64url')]);
    },
  });
}

/** Replaces `crypto.createPublicKey` and `crypto.generateKeyPairSync` with the fast paths (once per process). */
export function installFastX25519(): void {
  const holder = globalThis as { [INSTALLED]?: FastPathState };
  if (holder[INSTALLED] !== undefined) return;
  const state: FastPathState = {
    createPublicKey: crypto.createPublicKey,
    generateKeyPairSync: crypto.generateKeyPairSync as GenerateKeyPairSync,
    imports: 0,
    exports: 0,
  };
  holder[INSTALLED] = state;

  const createPublicKey = function createPublicKey(input: unknown): KeyObject {
    const raw = arguments.length === 1 ? x25519SpkiDerKey(input) : null;
    if (raw === null) return Reflect.apply(state.createPublicKey, crypto, arguments) as KeyObject;
    state.imports++;
    return state.createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
  };
  const generateKeyPairSync = function generateKeyPairSync(type: unknown): unknown {
    const pair = Reflect.apply(state.generateKeyPairSync, crypto, arguments);
    if (arguments.length === 1 && type === 'x25519') withFastSpkiExport(state, (pair as { publicKey: KeyObject }).publicKey);
    return pair;
  };
  crypto.createPublicKey = createPublicKey as CreatePublicKey;
  crypto.generateKeyPairSync = generateKeyPairSync as typeof crypto.generateKeyPairSync;
}

/** Fast-path imports and exports so far in this process (zeros when not installed). */
export function fastX25519Calls(): { imports: number; exports: number } {
  const state = (globalThis as { [INSTALLED]?: FastPathState })[INSTALLED];
  return { imports: state?.imports ?? 0, exports: state?.exports ?? 0 };
}

installFastX25519();
