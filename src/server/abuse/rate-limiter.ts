/**
 * A token-bucket rate limiter keyed by client address: each key may spend `limit` tokens per
 * `windowMs`, refilled continuously (so it behaves like a sliding window of that length). Used
 * twice: for connection attempts (`tryTake` on every connection) and for failed authentication
 * attempts (`spend` on every failure, `isExhausted` before serving).
 *
 * Invariants:
 * - Time comes only from the injected Clock; nothing is scheduled (refill is computed on use).
 * - Memory is bounded: at most `maxKeys` buckets; full buckets are dropped by `sweep`, and the
 *   oldest bucket is evicted when the table is full.
 * - `limit` 0 disables the limiter: every attempt is allowed, nothing is stored.
 */
import type { Clock } from '../../core/util/clock.js';

interface Bucket {
  tokens: number;
  at: number;
}

export interface RateLimit {
  /** Attempts allowed per window; 0 disables the limiter. */
  limit: number;
  windowMs: number;
}

const DEFAULT_MAX_KEYS = 100_000;
const SWEEP_EVERY = 1000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private operations = 0;

  constructor(
    private readonly clock: Clock,
    private readonly rule: RateLimit,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  get enabled(): boolean {
    return this.rule.limit > 0 && this.rule.windowMs > 0;
  }

  /** Spends one token if there is one; false means the attempt is over the limit. */
  tryTake(key: string): boolean {
    if (!this.enabled) return true;
    const bucket = this.refilled(key);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Spends one token, if any is left (a failure was observed). */
  spend(key: string): void {
    if (!this.enabled) return;
    const bucket = this.refilled(key);
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  /** True when the key has no whole token left. */
  isExhausted(key: string): boolean {
    if (!this.enabled) return false;
    const bucket = this.buckets.get(key);
    if (!bucket) return false;
    return this.refill(bucket) < 1;
  }

  /** Milliseconds until the key has a whole token again (0 when it has one now). */
  retryAfterMs(key: string): number {
    const bucket = this.buckets.get(key);
    if (!this.enabled || !bucket) return 0;
    const tokens = this.refill(bucket);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.ratePerMs());
  }

  /** Number of keys currently tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that have refilled completely: they carry no information. */
  sweep(): void {
    for (const [key, bucket] of this.buckets) {
      if (this.refill(bucket) >= this.rule.limit) this.buckets.delete(key);
    }
  }

  private refilled(key: string): Bucket {
    if (++this.operations % SWEEP_EVERY === 0) this.sweep();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.evictOldest();
      bucket = { tokens: this.rule.limit, at: this.clock.now() };
      this.buckets.set(key, bucket);
      return bucket;
    }
    this.refill(bucket);
    // Re-insert so the map's order is least-recently-used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    return bucket;
  }

  private refill(bucket: Bucket): number {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(this.rule.limit, bucket.tokens + elapsed * this.ratePerMs());
    bucket.at = now;
    return bucket.tokens;
  }

  private ratePerMs(): number {
    return this.rule.limit / this.rule.windowMs;
  }

  private evictOldest(): void {
    const oldest = this.buckets.keys().next().value;
    if (oldest !== undefined) this.buckets.delete(oldest);
  }
}
