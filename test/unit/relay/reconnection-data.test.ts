import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReconnectionSigner } from '../../../src/server/relay/reconnection-data.js';

describe('reconnection data', () => {
  const claim = { sessionId: 's_abc', rw: 'a'.repeat(25), ro: `ro-${'b'.repeat(25)}` };

  it('round-trips a signed claim', () => {
    const signer = new ReconnectionSigner(randomBytes(32));
    expect(signer.verify(signer.sign(claim))).toEqual(claim);
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
