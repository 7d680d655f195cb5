/**
 * X25519 key exchange without OpenSSL's DER decoder for the peer's key.
 *
 * In its curve25519-sha256 key exchange (every SSH connection: viewers and hosts), ssh2 wraps the
 * peer's 32-byte public key in SPKI DER and imports it with `crypto.createPublicKey`. OpenSSL 3
 * runs that through its generic decoder: ~0.8 ms in a relay, where connections come too seldom
 * for that code to stay hot, between the client's ECDH init and the relay's reply, so every join
 * and every host connection waited for it. The same key goes in as JWK in ~0.02 ms.
 *
 * Here `crypto.createPublicKey` imports exactly that input (a 44-byte X25519 SPKI DER buffer) as
 * the equivalent JWK: the key is the same, since the SPKI DER of an X25519 key is always a fixed
 * 12-byte header followed by its 32 raw bytes (RFC 8410).
 *
 * The relay's own public key is exported the way ssh2 does it (SPKI DER, Node's encoder, ~0.08 ms
 * more than JWK). Taking it from a JWK export instead deadlocked the relay (Node 20): exporting
 * an X25519 key as JWK holds the key's mutex while it allocates, an allocation may collect the
 * key-generation job that made the key, and that job's destructor takes the same mutex. A freshly
 * generated key's job is garbage at once, so under load (the bench's scale figure) the relay hung
 * for good in its first minute; a test runs that pattern against what is installed here.
 *
 * ssh2 takes `createPublicKey` from `crypto` once, when its modules load, so this module must be
 * evaluated before them (see before-ssh2.ts).
 *
 * Invariants: any other call goes to Node's function unchanged, so its results and its errors stay
 * Node's; installing twice is a no-op.
 */
import crypto, { type KeyObject } from 'node:crypto';

/** SPKI DER header of an X25519 public key: SEQUENCE { SEQUENCE { OID 1.3.101.110 }, BIT STRING (33 bytes) }. */
export const X25519_SPKI_HEADER = Buffer.from('302a300506032b656e032100', 'hex');
const RAW_KEY_BYTES = 32;

type CreatePublicKey = typeof crypto.createPublicKey;

const INSTALLED = Symbol.for('tmate-relay.fast-x25519');

interface FastPathState {
  readonly createPublicKey: CreatePublicKey;
  /** Imports that took the fast path (tests read them). */
  imports: number;
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

/** Replaces `crypto.createPublicKey` with the fast path (once per process). */
export function installFastX25519(): void {
  const holder = globalThis as { [INSTALLED]?: FastPathState };
  if (holder[INSTALLED] !== undefined) return;
  const state: FastPathState = { createPublicKey: crypto.createPublicKey, imports: 0 };
  holder[INSTALLED] = state;
  const createPublicKey = function createPublicKey(input: unknown): KeyObject {
    const raw = arguments.length === 1 ? x25519SpkiDerKey(input) : null;
    if (raw === null) return Reflect.apply(state.createPublicKey, crypto, arguments) as KeyObject;
    state.imports++;
    return state.createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
  };
  crypto.createPublicKey = createPublicKey as CreatePublicKey;
}

/** Fast-path imports so far in this process (zero when not installed). */
export function fastX25519Calls(): { imports: number } {
  const state = (globalThis as { [INSTALLED]?: FastPathState })[INSTALLED];
  return { imports: state?.imports ?? 0 };
}

installFastX25519();
