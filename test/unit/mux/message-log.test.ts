// The show-messages log: tmux's ctime stamps, its message-limit of 100, and a bound on each text.
import { describe, expect, it } from 'vitest';
import { MESSAGE_LIMIT, MESSAGE_MAX_LENGTH, MessageLog, ctime } from '../../../src/core/mux/message-log.js';

describe('message log', () => {
  it('stamps each message as ctime(3) does, in local time', () => {
    const at = new Date(2026, 11, 3, 9, 5, 7).getTime();
    expect(ctime(at)).toBe('Thu Dec  3 09:05:07 2026');
    const log = new MessageLog();
    log.add(at, 'A mate has joined');
    expect(log.lines()).toEqual(['Thu Dec  3 09:05:07 2026 A mate has joined']);
  });

  it('keeps the newest MESSAGE_LIMIT messages, each cut to MESSAGE_MAX_LENGTH', () => {
    const log = new MessageLog();
    for (let i = 0; i < MESSAGE_LIMIT + 5; i++) log.add(0, `m${i}`);
    const lines = log.lines();
    expect(lines).toHaveLength(MESSAGE_LIMIT);
    expect(lines[0]).toMatch(/ m5$/);
    log.add(0, 'x'.repeat(100_000));
    expect(log.lines().at(-1)!.length).toBe(ctime(0).length + 1 + MESSAGE_MAX_LENGTH);
  });
});
