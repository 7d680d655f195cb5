import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReconnectionSigner } from '../../../src/server/relay/reconnection-data.js';

describe('reconnection data', () => {
  const started = { createdAt: 1_700_000_000_000, joined: true };
  const claim = { sessionId: 's_abc', rw: 'a'.repeat(25), ro: `ro-${'b'.repeat(25)}`, expiresAt: 1_700_000_123_456, started: null };

  it('round-trips a signed claim, with its start (version 3), with only its expiry (2) or with neither (1)', () => {
    const signer = new ReconnectionSigner(randomBytes(32));
    for (const joined of [true, false]) {
      const full = { ...claim, started: { ...started, joined } };
      expect(signer.verify(signer.sign(full))).toEqual(full);
    }
    expect(signer.verify(signer.sign(claim))).toEqual(claim);
    const withoutExpiry = { ...claim, expiresAt: null };
    expect(signer.verify(signer.sign(withoutExpiry))).toEqual(withoutExpiry);
  });

  it('refuses a correctly signed body of an unknown shape', () => {
    const secret = randomBytes(32);
    const signer = new ReconnectionSigner(secret);
    const signed = (fields: unknown[]): string => {
      const body = Buffer.from(JSON.stringify(fields)).toString('base64url');
      return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
    };
    expect(signer.verify(signed([2, claim.sessionId, claim.rw, claim.ro, claim.expiresAt]))).toEqual(claim);
    expect(signer.verify(signed([2, claim.sessionId, claim.rw, claim.ro, 'soon']))).toBeNull();
    expect(signer.verify(signed([2, claim.sessionId, claim.rw, claim.ro, 1.5]))).toBeNull();
    expect(signer.verify(signed([2, claim.sessionId, claim.rw, claim.ro]))).toBeNull();
    expect(signer.verify(signed([3, claim.sessionId, claim.rw, claim.ro, claim.expiresAt]))).toBeNull();
    expect(signer.verify(signed([3, claim.sessionId, claim.rw, claim.ro, claim.expiresAt, started.createdAt, 2]))).toBeNull();
    expect(signer.verify(signed([3, claim.sessionId, claim.rw, claim.ro, claim.expiresAt, 'then', 1]))).toBeNull();
    expect(signer.verify(signed([4, claim.sessionId, claim.rw, claim.ro, claim.expiresAt, started.createdAt, 1]))).toBeNull();
    expect(signer.verify(signed([1, claim.sessionId, claim.rw, 7]))).toBeNull();
  });

  it('refuses data signed with another secret, tampered data and garbage', () => {
    const signer = new ReconnectionSigner(randomBytes(32));
    const other = new ReconnectionSigner(randomBytes(32));
    const data = signer.sign(claim);
    expect(other.verify(data)).toBeNull();
    const [body, mac] = data.split('.');
    const forged = Buffer.from(JSON.stringify([1, 's_abc', 'x'.repeat(25), claim.ro])).toString('base64url');
    expect(signer.verify(`${forged}.${mac}`)).toBeNull();
    expect(signer.verify(`${body}.`)).toBeNull();
    for (const junk of ['', '.', 'abc', 'a.b.c', '\u0000'.repeat(5000)]) expect(signer.verify(junk)).toBeNull();
  });
});
