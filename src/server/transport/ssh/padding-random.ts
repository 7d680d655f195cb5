/**
 * Serves small `crypto.randomFillSync` requests (SSH packet padding) from a block of random bytes
 * drawn ahead, instead of one call into OpenSSL per packet.
 *
 * ssh2 fills every outgoing packet's 4–35 padding bytes with its own `randomFillSync` call. Node
 * makes each call a C++ job object with a weak handle, so a relay writing thousands of frames a
 * second paid 3.5 µs per packet (4 % of its CPU in the bench's `scale` figure) and gave every
 * young-generation GC thousands of weak handles to process. Here requests of at most
 * MAX_POOLED_BYTES are copied out of a POOL_BYTES block that the original function fills, and
 * refilled when used up; the bytes are the same CSPRNG's, only drawn in bulk.
 *
 * ssh2 takes `randomFillSync` from `crypto` once, when its modules load, so this module must be
 * evaluated before them: every module of ours that loads ssh2 imports before-ssh2.ts first (ESM
 * evaluates imports in order).
 *
 * Invariants: a pooled byte is handed out at most once and zeroed once handed out; anything but
 * (Uint8Array, integer offset, integer size ≤ MAX_POOLED_BYTES, in bounds) goes to the original
 * function unchanged, so its checks and errors stay Node's; installing twice is a no-op.
 */
import crypto from 'node:crypto';

/** Largest request served from the pool (SSH padding is at most 255 bytes; ssh2 uses ≤ 35). */
export const MAX_POOLED_BYTES = 64;
/** Bytes drawn from the CSPRNG at a time. */
export const POOL_BYTES = 16 * 1024;

type RandomFillSync = typeof crypto.randomFillSync;

const INSTALLED = Symbol.for('tmate-relay.padding-random');

interface PoolState {
  readonly original: RandomFillSync;
  pool: Buffer;
  next: number;
  /** Requests served from the pool since installation (tests read it). */
  served: number;
}

/** Copies `size` pooled bytes into `target` at `offset`, drawing a new block when needed. */
function fillFromPool(state: PoolState, target: Uint8Array, offset: number, size: number): void {
  if (state.next + size > state.pool.length) {
    state.original(state.pool);
    state.next = 0;
  }
  const start = state.next;
  target.set(state.pool.subarray(start, start + size), offset);
  state.pool.fill(0, start, start + size);
  state.next = start + size;
  state.served++;
}

function isPoolable(buffer: unknown, offset: unknown, size: unknown): buffer is Uint8Array {
  return (
    buffer instanceof Uint8Array &&
    Number.isInteger(offset) &&
    Number.isInteger(size) &&
    (size as number) > 0 &&
    (size as number) <= MAX_POOLED_BYTES &&
    (offset as number) >= 0 &&
    (offset as number) + (size as number) <= buffer.length
  );
}

/** Replaces `crypto.randomFillSync` with the pooled version (once per process). */
export function installPaddingRandom(): void {
  const holder = globalThis as { [INSTALLED]?: PoolState };
  if (holder[INSTALLED] !== undefined) return;
  const state: PoolState = { original: crypto.randomFillSync, pool: Buffer.alloc(POOL_BYTES), next: POOL_BYTES, served: 0 };
  holder[INSTALLED] = state;
  const pooled = function randomFillSync(buffer: unknown, offset?: unknown, size?: unknown): unknown {
    if (arguments.length === 3 && isPoolable(buffer, offset, size)) {
      fillFromPool(state, buffer, offset as number, size as number);
      return buffer;
    }
    // Not ours to judge: Node's own function checks the arguments and throws as it always did.
    return Reflect.apply(state.original, crypto, arguments);
  };
  crypto.randomFillSync = pooled as RandomFillSync;
}

/** Requests served from the pool so far in this process (0 when not installed). */
export function pooledRandomRequests(): number {
  return (globalThis as { [INSTALLED]?: PoolState })[INSTALLED]?.served ?? 0;
}

installPaddingRandom();
