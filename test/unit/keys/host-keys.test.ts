// Host keys: ssh2's generator sometimes writes an ed25519 key its own parser rejects (a dropped
// leading zero byte, ~1 in 300); ours must never hand out such a key. 1500 keys make a regression
// show up with near certainty.
import { describe, expect, it, onTestFinished } from 'vitest';
import ssh2 from 'ssh2';
import { stat, writeFile } from 'node:fs/promises';
import { ensurePrivateDir, generateUsableKeyPair, loadOrCreateHostKeys } from '../../../src/server/keys/host-keys.js';
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

describe('the keys directory', () => {
  it('is created with its missing parents, owner-only; a path mkdir cannot make fails instead of spinning', async () => {
    const dir = await makeTempDir('thk-');
    onTestFinished(() => dir.cleanup());
    const nested = `${dir.path}/a/b/keys`;
    await ensurePrivateDir(nested);
    expect((await stat(nested)).mode & 0o777).toBe(0o700);
    await ensurePrivateDir(nested); // exists: fine
    await writeFile(`${dir.path}/file`, '');
    await expect(ensurePrivateDir(`${dir.path}/file`)).rejects.toMatchObject({ code: 'EEXIST', message: `${dir.path}/file exists and is not a directory` });
    // Node 20's recursive mkdir loops forever here (mkdir answers ENOENT under /proc).
    await expect(ensurePrivateDir('/proc/tmate-relay-no-such-dir/keys')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
