// Host keys that sign with a KeyObject parsed once give exactly ssh2's own signatures (ed25519 and
// RSA PKCS#1 v1.5 are deterministic), verify with the public key, and report failures as a
// returned Error, as ssh2's key exchange expects.
import { describe, expect, it } from 'vitest';
import ssh2 from 'ssh2';
import { generateUsableKeyPair } from '../../../src/server/keys/host-keys.js';
import { signingHostKey } from '../../../src/server/transport/ssh/signing-host-key.js';

const { utils } = ssh2;

function reference(privateKey: string): ssh2.ParsedKey {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('reference key did not parse');
  return parsed;
}

describe('signing host keys', () => {
  const exchangeHash = Buffer.from('an exchange hash, 32 bytes long!');

  it('ed25519: the same signature as ssh2, verifiable', () => {
    const { private: pem } = generateUsableKeyPair('ed25519');
    const key = signingHostKey(pem);
    const signature = key.sign(exchangeHash);
    expect(signature).toBeInstanceOf(Buffer);
    expect(signature.equals(reference(pem).sign(exchangeHash))).toBe(true);
    expect(key.verify(exchangeHash, signature)).toBe(true);
    expect(key.verify(Buffer.from('another hash'), signature)).toBe(false);
  });

  it('RSA: the same signatures as ssh2 for each hash the key exchange names, and SHA-1 by default', () => {
    const { private: pem } = generateUsableKeyPair('rsa');
    const key = signingHostKey(pem);
    const ref = reference(pem);
    for (const hash of ['sha256', 'sha512', undefined]) {
      const signature = key.sign(exchangeHash, hash);
      expect(signature).toBeInstanceOf(Buffer);
      expect(signature.equals(ref.sign(exchangeHash, hash)), String(hash)).toBe(true);
      expect(key.verify(exchangeHash, signature, hash)).toBe(true);
    }
  });

  it('returns an Error instead of throwing for a hash OpenSSL does not know', () => {
    const key = signingHostKey(generateUsableKeyPair('rsa').private);
    expect(key.sign(exchangeHash, 'no-such-hash')).toBeInstanceOf(Error);
  });

  it('refuses text that is not a key', () => {
    expect(() => signingHostKey('not a key')).toThrow(/unreadable/);
  });
});
