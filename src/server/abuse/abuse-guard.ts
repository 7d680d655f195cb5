/**
 * The brute-force guard in front of authentication, per client address: a rate limit on
 * connection attempts, and a rate limit on failed attempts (unknown tokens, refused keys, bad API
 * keys). An address over the failure limit is throttled: it is refused even with a right token
 * until the window lets it try again. Every refusal is counted and logged.
 *
 * Invariants:
 * - Loopback is not exempt: addresses are compared as given, 127.0.0.1 and 127.0.0.2 are different.
 * - Logs carry the address and the reason, never the token tried.
 * - The "throttled" log line is written once per address each time it becomes throttled.
 */
import type { Clock } from '../../core/util/clock.js';
import type { Logger } from '../observability/logger.js';
import type { AuthFailureReason, RelayMetrics } from '../observability/metrics.js';
import { RateLimiter } from './rate-limiter.js';

export interface AbuseLimits {
  /** Connection attempts per address per window; 0 disables. */
  connectionLimit: number;
  /** Failed authentication attempts per address per window; 0 disables. */
  authFailureLimit: number;
  windowMs: number;
}

export class AbuseGuard {
  private readonly connections: RateLimiter;
  private readonly failures: RateLimiter;
  private readonly throttledNow = new Set<string>();

  constructor(
    clock: Clock,
    limits: AbuseLimits,
    private readonly metrics: RelayMetrics,
    private readonly log: Logger,
  ) {
    this.connections = new RateLimiter(clock, { limit: limits.connectionLimit, windowMs: limits.windowMs });
    this.failures = new RateLimiter(clock, { limit: limits.authFailureLimit, windowMs: limits.windowMs });
  }

  /** A new connection from `ip`: false means drop it now. */
  admitConnection(ip: string): boolean {
    if (this.connections.tryTake(ip)) return true;
    this.metrics.rateLimitedAttempt('connection');
    this.log.debug({ event: 'rate-limited', kind: 'connection', ip });
    return false;
  }

  /** A failed authentication attempt from `ip`. */
  authFailed(ip: string, reason: AuthFailureReason, context: Record<string, unknown> = {}): void {
    this.metrics.authFailure(reason);
    this.log.info({ event: 'auth-failure', reason, ip, ...context });
    this.failures.spend(ip);
    if (this.failures.isExhausted(ip) && !this.throttledNow.has(ip)) {
      this.throttledNow.add(ip);
      this.log.warn({ event: 'ip-throttled', ip, retryAfterMs: this.failures.retryAfterMs(ip) });
    }
  }

  /** True while `ip` has used up its failed attempts; counts the refused attempt when it is. */
  refuseIfThrottled(ip: string): boolean {
    if (!this.failures.isExhausted(ip)) {
      this.throttledNow.delete(ip);
      return false;
    }
    this.metrics.rateLimitedAttempt('auth');
    this.log.info({ event: 'rate-limited', kind: 'auth', ip });
    return true;
  }

  /** Seconds until a throttled address may try again (for the message it gets). */
  retryAfterSeconds(ip: string): number {
    return Math.ceil(this.failures.retryAfterMs(ip) / 1000);
  }
}
