/**
 * The HTTP API token check (api-token.ts): right token accepted as `token …` or `Bearer …`;
 * wrong tokens refused whether they have the right length or not; and every check, whatever the
 * input, is one crypto.timingSafeEqual over two SHA-256 digests (32 bytes each), so the time it
 * takes does not depend on where a guess differs or on its length. Also the generated token:
 * 24 random bytes (192 bits) in base64url.
 */
import { timingSafeEqual } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { describe, expect, it, vi, beforeEach } from 'vitest';
import { isAuthorized, resolveApiToken } from '../../../src/server/transport/http/api-token.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const TOKEN = 'Zq3xR8mN2pL5vK9wT4yH7bC6dF1gJ0sA';
const spy = vi.mocked(timingSafeEqual);

beforeEach(() => {
  spy.mockClear();
});

describe('isAuthorized', () => {
  it('accepts the token with either scheme, any case, extra blanks', () => {
    for (const header of [`token ${TOKEN}`, `Bearer ${TOKEN}`, `TOKEN ${TOKEN}`, `bearer   ${TOKEN}  `]) {
      expect(isAuthorized(header, TOKEN), header).toBe(true);
    }
  });

  it('refuses wrong tokens of the same length, of other lengths, and malformed headers', () => {
    const sameLength = [`${TOKEN.slice(0, -1)}B`, `X${TOKEN.slice(1)}`, TOKEN.toLowerCase(), 'A'.repeat(TOKEN.length)];
    for (const guess of sameLength) expect(guess).toHaveLength(TOKEN.length);
    const otherLength = [TOKEN.slice(0, -1), `${TOKEN}A`, `${TOKEN}${TOKEN}`, 'x', TOKEN.slice(0, 16)];
    for (const guess of [...sameLength, ...otherLength]) expect(isAuthorized(`token ${guess}`, TOKEN), guess).toBe(false);
    for (const header of [undefined, '', 'token', `token`, `Basic ${TOKEN}`, `${TOKEN}`, `token ${TOKEN} extra`, `tokenn ${TOKEN}`, `token\n${TOKEN}x`]) {
      expect(isAuthorized(header, TOKEN), String(header)).toBe(false);
    }
  });

  it('compares in constant time: one timingSafeEqual over two 32-byte digests for every input', () => {
    const inputs = [`token ${TOKEN}`, `token ${TOKEN.slice(0, -1)}B`, `token ${TOKEN}A`, 'token x', undefined, `Basic ${TOKEN}`, `token ${'y'.repeat(5000)}`];
    for (const header of inputs) {
      spy.mockClear();
      isAuthorized(header, TOKEN);
      expect(spy, String(header)).toHaveBeenCalledTimes(1);
      const [a, b] = spy.mock.calls[0]!;
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });
});

describe('the generated API token', () => {
  it('is 24 random bytes in base64url (192 bits), different per keys directory, kept 0600', async () => {
    const values = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const dir = await makeTempDir('apitok-');
      try {
        const token = await resolveApiToken(null, dir.path);
        expect(token.generated).toBe(true);
        expect(token.value).toMatch(/^[A-Za-z0-9_-]{32}$/);
        expect(Buffer.from(token.value, 'base64url')).toHaveLength(24);
        expect((await stat(token.path!)).mode & 0o777).toBe(0o600);
        values.add(token.value);
      } finally {
        await dir.cleanup();
      }
    }
    expect(values.size).toBe(3);
  });
});
