// Host keys: ssh2's generator sometimes writes an ed25519 key its own parser rejects (a dropped
// leading zero byte, ~1 in 300); ours must never hand out such a key. 1500 keys make a regression
// show up with near certainty.
import { describe, expect, it } from 'vitest';
import ssh2 from 'ssh2';
import { generateUsableKeyPair, loadOrCreateHostKeys } from '../../../src/server/keys/host-keys.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

describe('host key generation', () => {
  it('only returns ed25519 pairs that parse, with the same key in the public line', () => {
    for (let i = 0; i < 1500; i++) {
      const pair = generateUsableKeyPair('ed25519');
      const parsed = ssh2.utils.parseKey(pair.private);
      expect(parsed).not.toBeInstanceOf(Error);
      if (parsed instanceof Error) return;
      expect(parsed.getPublicSSH().toString('base64')).toBe(pair.public.trim().split(/\s+/)[1]);
    }
  });

  it('creates the keys once and reuses them', async () => {
    const dir = await makeTempDir('thk-');
    const generated = await loadOrCreateHostKeys(dir.path);
    const again = await loadOrCreateHostKeys(dir.path);
    expect(again.ed25519.fingerprint).toBe(generated.ed25519.fingerprint);
    expect(again.rsa.fingerprint).toBe(generated.rsa.fingerprint);
    await dir.cleanup();
  });
});
