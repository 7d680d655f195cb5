/**
 * Structured logging: one JSON object per line on stderr (pino), the relay's audit trail.
 *
 * Invariant: session tokens never reach a log line in full; log `redactToken(token)` instead.
 */
import { pino, destination, stdTimeFunctions, type Logger } from 'pino';
import type { LogLevel } from '../config/load-config.js';

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: undefined, timestamp: stdTimeFunctions.isoTime }, destination({ fd: 2, sync: true }));
}

/** Enough of a token to correlate log lines, far too little to join the session. */
export function redactToken(token: string): string {
  const prefix = token.startsWith('ro-') ? 'ro-' : '';
  const body = token.slice(prefix.length);
  return `${prefix}${body.slice(0, 4)}…`;
}
