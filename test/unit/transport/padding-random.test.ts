/**
 * The padding pool: small randomFillSync requests are served from a block drawn ahead, never the
 * same bytes twice; everything else reaches Node's function unchanged (same results, same
 * errors); and ssh2, loaded the way the relay loads it, really uses the pooled function.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MAX_POOLED_BYTES, POOL_BYTES, installPaddingRandom, pooledRandomRequests } from '../../../src/server/transport/ssh/padding-random.js';

installPaddingRandom();

describe('padding random pool', () => {
  it('serves small requests in bounds, each with bytes no other request got', () => {
    const served = pooledRandomRequests();
    const seen = new Set<string>();
    const count = Math.ceil((3 * POOL_BYTES) / 32); // crosses two refills
    for (let i = 0; i < count; i++) {
      const packet = Buffer.alloc(48, 0xee);
      crypto.randomFillSync(packet, 8, 32);
      expect(packet.subarray(0, 8).every((b) => b === 0xee)).toBe(true);
      expect(packet.subarray(40).every((b) => b === 0xee)).toBe(true);
      seen.add(packet.subarray(8, 40).toString('hex'));
    }
    expect(seen.size).toBe(count);
    expect(pooledRandomRequests() - served).toBe(count);
  });

  it('fills pooled requests with random bytes, not zeros or a constant', () => {
    const packet = Buffer.alloc(MAX_POOLED_BYTES);
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 400; i++) {
      crypto.randomFillSync(packet, 0, MAX_POOLED_BYTES);
      for (const b of packet) counts[b]!++;
    }
    // 25 600 bytes: every value should occur ~100 times; a pool handing out zeros fails this.
    expect(Math.min(...counts)).toBeGreaterThan(40);
    expect(Math.max(...counts)).toBeLessThan(180);
  });

  it('passes other requests to Node: large sizes, whole buffers, and bad arguments with their errors', () => {
    const served = pooledRandomRequests();
    const large = Buffer.alloc(MAX_POOLED_BYTES + 1);
    crypto.randomFillSync(large, 0, large.length);
    expect(large.some((b) => b !== 0)).toBe(true);
    const whole = new Uint32Array(8);
    expect(crypto.randomFillSync(whole)).toBe(whole);
    expect(whole.some((v) => v !== 0)).toBe(true);
    expect(() => crypto.randomFillSync(Buffer.alloc(4), 2, 8)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => crypto.randomFillSync(Buffer.alloc(4), -1, 2)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(pooledRandomRequests()).toBe(served);
  });

  it('is what ssh2 uses when loaded the way the relay loads it', async () => {
    const script = fileURLToPath(new URL('./helpers/ssh2-as-the-relay-loads-it.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 30_000 });
    const result = JSON.parse(stdout) as { output: string; served: number };
    expect(result.output).toBe('pong\n');
    expect(result.served).toBeGreaterThan(5);
  });
});
