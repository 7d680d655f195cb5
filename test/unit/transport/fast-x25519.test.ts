/**
 * The X25519 fast path: an X25519 SPKI DER import gives the very key Node's own import gives
 * (same shared secrets), every other call reaches Node's functions with their results and errors,
 * ssh2, loaded the way the relay loads it, really takes it, and a relay's key exchanges, run as
 * fast as they go with garbage to collect, never hang (a JWK export of fresh keys did: Node's
 * mutex deadlock, see fast-x25519.ts).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { X25519_SPKI_HEADER, fastX25519Calls, installFastX25519 } from '../../../src/server/transport/ssh/fast-x25519.js';

installFastX25519();

/** The SPKI DER of an X25519 public key exported by Node itself (not through the fast path). */
function nodeSpki(key: crypto.KeyObject): Buffer {
  return Object.getPrototypeOf(key).export.call(key, { type: 'spki', format: 'der' }) as Buffer;
}

describe('X25519 fast paths', () => {
  it('imports an X25519 SPKI DER key as the same key: equal objects, equal shared secrets', () => {
    const before = fastX25519Calls().imports;
    for (let i = 0; i < 20; i++) {
      const ours = crypto.generateKeyPairSync('x25519');
      const peer = crypto.generateKeyPairSync('x25519');
      const der = nodeSpki(peer.publicKey);
      const imported = crypto.createPublicKey({ key: der, type: 'spki', format: 'der' });
      expect(imported.equals(peer.publicKey)).toBe(true);
      expect(imported.asymmetricKeyType).toBe('x25519');
      const secret = crypto.diffieHellman({ privateKey: ours.privateKey, publicKey: imported });
      expect(secret.equals(crypto.diffieHellman({ privateKey: peer.privateKey, publicKey: ours.publicKey }))).toBe(true);
    }
    expect(fastX25519Calls().imports - before).toBe(20);
  });

  it('passes every other call to Node: other key types and encodings, options, and bad input with its errors', () => {
    const before = fastX25519Calls();
    const ed = crypto.generateKeyPairSync('ed25519');
    const edDer = ed.publicKey.export({ type: 'spki', format: 'der' });
    expect(crypto.createPublicKey({ key: edDer, type: 'spki', format: 'der' }).asymmetricKeyType).toBe('ed25519');
    const x = crypto.generateKeyPairSync('x25519', { publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } });
    expect(Buffer.isBuffer(x.publicKey)).toBe(true);
    const pair = crypto.generateKeyPairSync('x25519');
    expect(pair.publicKey.export({ type: 'spki', format: 'der' }).subarray(0, X25519_SPKI_HEADER.length).equals(X25519_SPKI_HEADER)).toBe(true);
    const pem = pair.publicKey.export({ type: 'spki', format: 'pem' });
    expect(crypto.createPublicKey(pem).asymmetricKeyType).toBe('x25519');
    const tampered = Buffer.concat([X25519_SPKI_HEADER.subarray(0, 11), Buffer.from([0x22]), crypto.randomBytes(32)]);
    expect(() => crypto.createPublicKey({ key: tampered, type: 'spki', format: 'der' })).toThrow();
    expect(() => crypto.createPublicKey({ key: Buffer.alloc(44), type: 'spki', format: 'der' })).toThrow();
    expect(fastX25519Calls()).toEqual(before);
  });

  it('is what ssh2 uses when loaded the way the relay loads it', async () => {
    const script = fileURLToPath(new URL('./helpers/ssh2-as-the-relay-loads-it.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 30_000 });
    const result = JSON.parse(stdout) as { output: string; fastImports: number };
    expect(result.output).toBe('pong\n');
    // One key exchange, seen from both ends: each imports the other's key once.
    expect(result.fastImports).toBe(2);
  });

  it('runs 20,000 key exchanges with garbage to collect without hanging', async () => {
    // What ssh2 does per connection (generate, export our key, import the peer's, derive), in a
    // child process: a deadlock there would hang this test's process too. With the former JWK
    // export of fresh keys this hung within the first few thousand exchanges.
    const script = fileURLToPath(new URL('./helpers/x25519-exchanges.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, '20000'], { timeout: 90_000 });
    expect(JSON.parse(stdout)).toEqual({ exchanges: 20000, fastImports: 20000 });
  }, 100_000);
});
