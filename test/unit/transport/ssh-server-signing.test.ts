// The relay's SSH server signs its key exchanges with the host keys of signing-host-key.ts (one
// parsed KeyObject each), not with ssh2's own parsed keys, which would parse the PEM text again
// in every handshake. A client completes a key exchange, checks the host key is the relay's
// ed25519 key, and the signature counter of signing-host-key.ts has moved.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import ssh2 from 'ssh2';
import { fastSignatures } from '../../../src/server/transport/ssh/signing-host-key.js';
import { startTestRelay } from '../../helpers/relay-fixture.js';

function keyExchangeWith(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let fingerprint = '';
    const timer = setTimeout(() => reject(new Error('no key exchange within 10 s')), 10_000);
    client.on('handshake', () => {
      clearTimeout(timer);
      client.end();
      resolve(fingerprint);
    });
    client.on('error', () => undefined); // the refused login after the handshake
    client.connect({
      host: '127.0.0.1',
      port,
      username: 'not-a-token',
      algorithms: { serverHostKey: ['ssh-ed25519'] },
      hostVerifier: (key: Buffer) => {
        fingerprint = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        return true;
      },
    });
  });
}

describe('the SSH server signs with the pre-parsed host keys', () => {
  it('uses signing-host-key.ts for the key exchange signature', async () => {
    const relay = await startTestRelay();
    const before = fastSignatures();
    const fingerprint = await keyExchangeWith(relay.port);
    expect(fingerprint).toBe(relay.running.keys.ed25519.fingerprint);
    expect(fastSignatures()).toBe(before + 1);
  });
});
