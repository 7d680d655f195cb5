/**
 * A viewer's publickey signature: valid signatures of each key type pass, and nothing else does:
 * not a signature of other data, not garbage, not a key blob of another type than the request
 * names, and not a check that fails with an error (which ssh2's own verify() returns as a truthy
 * Error: an Ed25519 key "verified" with the SHA-256 digest a request naming rsa-sha2-256 asks for).
 */
import crypto from 'node:crypto';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { verifyClientSignature, type SignedRequest } from '../../../src/server/transport/ssh/client-signature.js';
import { generateUsableKeyPair } from '../../../src/server/keys/host-keys.js';

const { utils } = ssh2;
const data = crypto.randomBytes(120);

function keyPair(type: 'ed25519' | 'rsa' | 'ecdsa'): { blob: Buffer; sign(data: Buffer, algo?: string): Buffer; type: string } {
  const pair = type === 'ed25519' ? generateUsableKeyPair('ed25519') : utils.generateKeyPairSync(type, { bits: type === 'rsa' ? 2048 : 256 });
  const priv = utils.parseKey(pair.private);
  const pub = utils.parseKey(pair.public);
  if (priv instanceof Error || pub instanceof Error) throw new Error('key generation failed');
  return { blob: pub.getPublicSSH(), type: pub.type, sign: (d, algo) => priv.sign(d, algo) as Buffer };
}

function request(key: { blob: Buffer; type: string }, signature: Buffer, changes: Partial<SignedRequest> = {}): SignedRequest {
  return { keyType: key.type, keyBlob: key.blob, data, signature, hashAlgo: undefined, ...changes };
}

describe('viewer publickey signatures', () => {
  const ed = keyPair('ed25519');
  const rsa = keyPair('rsa');
  const ecdsa = keyPair('ecdsa');

  it('accepts valid signatures of Ed25519, RSA (SHA-1, SHA-256, SHA-512) and ECDSA keys', () => {
    expect(verifyClientSignature(request(ed, ed.sign(data)))).toBe(true);
    expect(verifyClientSignature(request(rsa, rsa.sign(data)))).toBe(true);
    expect(verifyClientSignature(request(rsa, rsa.sign(data, 'sha256'), { hashAlgo: 'sha256' }))).toBe(true);
    expect(verifyClientSignature(request(rsa, rsa.sign(data, 'sha512'), { hashAlgo: 'sha512' }))).toBe(true);
    expect(verifyClientSignature(request(ecdsa, ecdsa.sign(data)))).toBe(true);
  });

  it('refuses signatures of other data, garbage and the wrong digest', () => {
    const other = crypto.randomBytes(120);
    for (const key of [ed, rsa, ecdsa]) {
      expect(verifyClientSignature(request(key, key.sign(other)))).toBe(false);
      for (const garbage of [Buffer.alloc(0), Buffer.alloc(64), crypto.randomBytes(256), Buffer.from('3006020100020100', 'hex')]) {
        expect(verifyClientSignature(request(key, garbage))).toBe(false);
      }
    }
    expect(verifyClientSignature(request(rsa, rsa.sign(data, 'sha256'), { hashAlgo: 'sha512' }))).toBe(false);
  });

  it('refuses an Ed25519 key presented as ssh-rsa with a digest, whatever the signature (ssh2 verify() gives a truthy Error there)', () => {
    const forged = request(ed, crypto.randomBytes(64), { keyType: 'ssh-rsa', hashAlgo: 'sha256' });
    const parsed = utils.parseKey(ed.blob);
    if (parsed instanceof Error) throw parsed;
    expect(parsed.verify(forged.data, forged.signature, forged.hashAlgo)).toBeInstanceOf(Error); // what made this necessary
    expect(verifyClientSignature(forged)).toBe(false);
    expect(verifyClientSignature(request(ed, ed.sign(data), { hashAlgo: 'sha256' }))).toBe(false);
    expect(verifyClientSignature(request(ed, ed.sign(data), { keyType: 'ssh-rsa' }))).toBe(false);
  });

  it('refuses malformed key blobs without throwing', () => {
    const sig = ed.sign(data);
    const blobs = [Buffer.alloc(0), Buffer.from([0, 0, 0]), ed.blob.subarray(0, ed.blob.length - 1), Buffer.concat([ed.blob, Buffer.from([0])]), Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2])];
    for (const keyBlob of blobs) expect(verifyClientSignature(request(ed, sig, { keyBlob }))).toBe(false);
    expect(verifyClientSignature(request({ blob: rsa.blob.subarray(0, 40), type: rsa.type }, rsa.sign(data)))).toBe(false);
  });
});
