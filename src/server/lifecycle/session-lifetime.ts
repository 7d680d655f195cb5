/**
 * How long one session may live: a TTL (extendable), an optional idle limit (no viewer input and no
 * host output), an optional "nobody joined" limit, warnings before the TTL runs out, and a tick at
 * each change of the "time left" text so status lines stay current. Sans-IO: time comes from the
 * injected Clock, and what happens is reported through LifetimeEvents.
 *
 * Invariants:
 * - At most one timer is pending at any time; `dispose()` cancels it and nothing fires afterwards.
 * - `expire` fires at most once; nothing else fires after it.
 * - Each warning threshold fires at most once per arming; `extend` re-arms thresholds that lie in
 *   the future again. Thresholds already passed when armed are skipped, not fired late.
 * - `activity()` is O(1) and schedules nothing: the idle deadline is checked lazily when the timer
 *   fires, then pushed to the last activity + idle limit.
 */
import type { Clock, TimerHandle } from '../../core/util/clock.js';

export type ExpiryCause = 'expired' | 'idle' | 'unjoined';

export interface LifetimeRules {
  /** Time to live from creation, > 0. */
  ttlMs: number;
  /** End after this long without activity; 0 disables. */
  idleMs: number;
  /** End when nobody joined within this long after creation; 0 disables. */
  unjoinedMs: number;
  /** Remaining times at which to warn, e.g. [5 min, 1 min]. */
  warningsMs: readonly number[];
  /**
   * For a session a restarted relay takes back from its host: when it was created and whether
   * anyone had joined it (the TTL is then the time it had left). Absent: created now, unjoined.
   */
  resumed?: { createdAt: number; joined: boolean };
}

export interface LifetimeEvents {
  /** The TTL crossed a warning threshold; `remainingMs` is the actual time left. */
  warn(remainingMs: number): void;
  /** The session must end now. */
  expire(cause: ExpiryCause): void;
  /** The time-left text (whole minutes) changed. */
  tick(): void;
}

export const DEFAULT_WARNINGS_MS: readonly number[] = [5 * 60_000, 60_000];

const MINUTE = 60_000;

export class SessionLifetime {
  readonly createdAt: number;
  private expiry: number;
  private lastActivity: number;
  private joinedYet = false;
  private pendingWarnings: number[] = [];
  private timer: TimerHandle | null = null;
  private done = false;

  constructor(
    private readonly clock: Clock,
    private readonly rules: LifetimeRules,
    private readonly events: LifetimeEvents,
  ) {
    const now = clock.now();
    this.createdAt = rules.resumed?.createdAt ?? now;
    this.joinedYet = rules.resumed?.joined ?? false;
    this.lastActivity = now;
    this.expiry = now + rules.ttlMs;
    this.armWarnings();
    this.schedule();
  }

  get expiresAt(): number {
    return this.expiry;
  }

  get lastActivityAt(): number {
    return this.lastActivity;
  }

  get idleMs(): number {
    return this.rules.idleMs;
  }

  remainingMs(): number {
    return Math.max(0, this.expiry - this.clock.now());
  }

  /** Viewer input or host output. */
  activity(): void {
    this.lastActivity = this.clock.now();
  }

  /** Whether anyone has joined (then the "nobody joined" limit no longer applies). */
  get hasBeenJoined(): boolean {
    return this.joinedYet;
  }

  /** Someone joined: the "nobody joined" limit no longer applies. */
  joined(): void {
    if (this.joinedYet) return;
    this.joinedYet = true;
    this.schedule();
  }

  /** Moves the expiry `ms` later (the caller checked the upper bound). */
  extend(ms: number): void {
    if (this.done || ms <= 0) return;
    this.expiry += ms;
    this.armWarnings();
    this.schedule();
    this.events.tick();
  }

  dispose(): void {
    this.done = true;
    this.timer?.cancel();
    this.timer = null;
  }

  private armWarnings(): void {
    const remaining = this.expiry - this.clock.now();
    this.pendingWarnings = this.rules.warningsMs.filter((w) => w > 0 && w < remaining).sort((a, b) => b - a);
  }

  private schedule(): void {
    if (this.done) return;
    this.timer?.cancel();
    const at = this.nextDeadline();
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, at - this.clock.now()));
  }

  private nextDeadline(): number {
    const now = this.clock.now();
    const candidates = [this.expiry, this.nextTick(now)];
    const warning = this.pendingWarnings[0];
    if (warning !== undefined) candidates.push(this.expiry - warning);
    if (this.rules.idleMs > 0) candidates.push(this.lastActivity + this.rules.idleMs);
    if (this.rules.unjoinedMs > 0 && !this.joinedYet) candidates.push(this.createdAt + this.rules.unjoinedMs);
    return Math.min(...candidates);
  }

  /** When the whole-minute count of the time left next drops (never after the last minute starts). */
  private nextTick(now: number): number {
    const minutesLeft = Math.ceil((this.expiry - now) / MINUTE);
    return minutesLeft <= 1 ? this.expiry : this.expiry - (minutesLeft - 1) * MINUTE;
  }

  private fire(): void {
    this.timer = null;
    if (this.done) return;
    const cause = this.dueCause(this.clock.now());
    if (cause) {
      this.done = true;
      this.events.expire(cause);
      return;
    }
    this.fireWarnings();
    if (this.done) return;
    this.events.tick();
    this.schedule();
  }

  private dueCause(now: number): ExpiryCause | null {
    if (now >= this.expiry) return 'expired';
    if (this.rules.unjoinedMs > 0 && !this.joinedYet && now >= this.createdAt + this.rules.unjoinedMs) return 'unjoined';
    if (this.rules.idleMs > 0 && now >= this.lastActivity + this.rules.idleMs) return 'idle';
    return null;
  }

  private fireWarnings(): void {
    const remaining = this.expiry - this.clock.now();
    const due = this.pendingWarnings.filter((w) => remaining <= w);
    if (due.length === 0) return;
    this.pendingWarnings = this.pendingWarnings.filter((w) => remaining > w);
    this.events.warn(remaining);
  }
}

/** `29m left`, `1h05m left`, `<1m left`: whole minutes, rounded up, as the status line shows it. */
export function formatTimeLeft(ms: number): string {
  const minutes = Math.ceil(Math.max(0, ms) / MINUTE);
  if (minutes <= 0) return '<1m left';
  if (minutes < 60) return `${minutes}m left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours}h left` : `${hours}h${String(rest).padStart(2, '0')}m left`;
}

/** `5 minutes`, `1 minute`, `30 seconds`: for warnings. */
export function formatRemaining(ms: number): string {
  if (ms < MINUTE) {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    return `${seconds} second${seconds === 1 ? '' : 's'}`;
  }
  const minutes = Math.ceil(ms / MINUTE);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
