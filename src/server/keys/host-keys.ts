/**
 * The relay's SSH host keys (ed25519 and RSA): generated into the keys directory on first start
 * (files mode 0600, directory 0700), reused afterwards, and their fingerprints in the exact form
 * the tmate client compares: `SHA256:` + unpadded standard base64 of SHA-256 over the key blob.
 *
 * Invariant: on every start the keys directory is 0700 and every secret in it 0600, also when
 * it was created by hand with looser modes (`ensurePrivateDir`, `tightenPrivateFile`).
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import '../transport/ssh/before-ssh2.js'; // before ssh2 loads: see that module
import ssh2 from 'ssh2';

const { utils } = ssh2;

export interface HostKey {
  type: 'ed25519' | 'rsa';
  privateKey: string;
  publicLine: string;
  fingerprint: string;
}

export interface HostKeys {
  ed25519: HostKey;
  rsa: HostKey;
}

const KEY_FILES = { ed25519: 'ssh_host_ed25519_key', rsa: 'ssh_host_rsa_key' } as const;

export function fingerprintOfPublicLine(publicLine: string): string {
  const base64 = publicLine.trim().split(/\s+/)[1] ?? '';
  return fingerprintOfBlob(Buffer.from(base64, 'base64'));
}

export function fingerprintOfBlob(blob: Uint8Array): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

export async function loadOrCreateHostKeys(dir: string): Promise<HostKeys> {
  await ensurePrivateDir(dir);
  return { ed25519: await loadOrCreate(dir, 'ed25519'), rsa: await loadOrCreate(dir, 'rsa') };
}

export async function ensurePrivateDir(dir: string): Promise<void> {
  await makeDirs(resolve(dir));
  await chmod(dir, 0o700);
}

/**
 * `mkdir -p` one level at a time. Node 20's `mkdir(…, { recursive: true })` loops forever (at
 * full CPU) where mkdir answers ENOENT although the parent exists, e.g. under /proc; here such a
 * path fails with that ENOENT.
 */
async function makeDirs(dir: string): Promise<void> {
  const make = (): Promise<void> =>
    mkdir(dir, { mode: 0o700 }).then(
      () => undefined,
      async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
        if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error(`${dir} exists and is not a directory`), { code: 'EEXIST' });
      },
    );
  try {
    await make();
  } catch (error) {
    const parent = dirname(dir);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === dir) throw error;
    await makeDirs(parent);
    await make();
  }
}

/** A secret found on disk is made owner-only (0600), whatever mode it was written with. */
export async function tightenPrivateFile(path: string): Promise<void> {
  await chmod(path, 0o600);
}

const GENERATION_ATTEMPTS = 20;

/**
 * ssh2 1.17's generator drops a leading zero byte of an ed25519 public key (about 1 key in 300),
 * writing a key its own parser then rejects as malformed. Generate until the pair parses and the
 * public line carries the same key as the private one.
 */
export function generateUsableKeyPair(type: HostKey['type']): { private: string; public: string } {
  for (let attempt = 0; attempt < GENERATION_ATTEMPTS; attempt++) {
    const pair = type === 'ed25519' ? utils.generateKeyPairSync('ed25519') : utils.generateKeyPairSync('rsa', { bits: 3072 });
    const parsed = utils.parseKey(pair.private);
    const publicBlob = Buffer.from(pair.public.trim().split(/\s+/)[1] ?? '', 'base64');
    if (!(parsed instanceof Error) && parsed.getPublicSSH().equals(publicBlob)) return pair;
  }
  throw new Error(`could not generate a usable ${type} host key`);
}

async function loadOrCreate(dir: string, type: HostKey['type']): Promise<HostKey> {
  const path = join(dir, KEY_FILES[type]);
  let privateKey: string;
  let publicLine: string;
  try {
    privateKey = await readFile(path, 'utf8');
    publicLine = (await readFile(`${path}.pub`, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const pair = generateUsableKeyPair(type);
    privateKey = pair.private;
    publicLine = `${pair.public.trim()} tmate-relay`;
    await writeFile(path, privateKey, { mode: 0o600, flag: 'wx' });
    await writeFile(`${path}.pub`, `${publicLine}\n`, { mode: 0o644, flag: 'wx' });
  }
  await tightenPrivateFile(path);
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) throw new Error(`host key ${path} is unreadable: ${parsed.message}`);
  return { type, privateKey, publicLine, fingerprint: fingerprintOfPublicLine(publicLine) };
}

/** The ready-to-paste `~/.tmate.conf` lines for hosts using this relay. */
export function tmateConfSnippet(keys: HostKeys, hostname: string, port: number): string {
  return [
    `set -g tmate-server-host ${hostname}`,
    `set -g tmate-server-port ${port}`,
    `set -g tmate-server-ed25519-fingerprint ${keys.ed25519.fingerprint}`,
    `set -g tmate-server-rsa-fingerprint ${keys.rsa.fingerprint}`,
  ].join('\n');
}
