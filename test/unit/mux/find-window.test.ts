// find-window's matching as tmux 2.4 does it: `*TEXT*` against each window's name, then each
// pane's visible lines, first match per window, flags narrowing to name (-N) or content (-C).
import { describe, expect, it } from 'vitest';
import { SEARCH_STEPS, SearchAllowance, findWindowArgs, findWindows, type FindWindowQuery, type SearchableWindow } from '../../../src/core/mux/find-window.js';

const windows: SearchableWindow[] = [
  { index: 0, name: 'bash', panes: [['$ make', 'error: missing ;', '$']] },
  { index: 2, name: 'logs', panes: [['tail -f app.log'], ['GET /health 200', 'GET /error 500']] },
  { index: 5, name: 'error-watch', panes: [['quiet']] },
];

function query(argv: string[]): FindWindowQuery {
  const parsed = findWindowArgs(['find-window', ...argv]);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

describe('find-window', () => {
  it('matches names and visible lines, saying where, the name first', () => {
    expect(findWindows(windows, query(['error'])).matches).toEqual([
      { index: 0, paneIndex: 0, context: 'pane 0 line 2: "error: missing ;"' },
      { index: 2, paneIndex: 1, context: 'pane 1 line 2: "GET /error 500"' },
      { index: 5, paneIndex: 0, context: '' },
    ]);
  });

  it('narrows to names with -N and to content with -C; -T alone finds nothing (hosts send no titles)', () => {
    expect(findWindows(windows, query(['-N', 'error'])).matches.map((m) => m.index)).toEqual([5]);
    expect(findWindows(windows, query(['-C', 'error'])).matches.map((m) => m.index)).toEqual([0, 2]);
    expect(findWindows(windows, query(['-T', 'error'])).matches).toEqual([]);
  });

  it('takes fnmatch patterns inside the implied stars', () => {
    expect(findWindows(windows, query(['GET*500'])).matches.map((m) => m.index)).toEqual([2]);
    expect(findWindows(windows, query(['l?gs'])).matches.map((m) => m.index)).toEqual([2]);
    expect(findWindows(windows, query(['nothing-here'])).matches).toEqual([]);
  });

  it('stops after its step budget and says so, so that a hostile pattern cannot hold the relay', () => {
    const many: SearchableWindow[] = Array.from({ length: 50 }, (_, i) => ({ index: i, name: `w${i}`, panes: [Array.from({ length: 30 }, () => 'a'.repeat(200))] }));
    const hostile = query([`${'*a'.repeat(200)}*b`]);
    const result = findWindows(many, hostile, 100_000);
    expect(result).toEqual({ matches: [], incomplete: true, steps: 100_000 });
    // The same search with room enough finishes, and finds nothing.
    expect(findWindows(many.slice(0, 1), query(['*a*b']), 10_000_000)).toMatchObject({ matches: [], incomplete: false });
    expect(findWindows(many, query(['aaa'])).matches).toHaveLength(50);
  });

  it('allows SEARCH_STEPS of searching a second, refilling with time, never more than that at once', () => {
    const allowance = new SearchAllowance();
    expect(allowance.available(1000)).toBe(SEARCH_STEPS);
    allowance.spend(SEARCH_STEPS);
    expect(allowance.available(1000)).toBe(0);
    expect(allowance.available(1500)).toBe(SEARCH_STEPS / 2);
    expect(allowance.available(60_000)).toBe(SEARCH_STEPS);
    expect(allowance.available(59_000)).toBe(SEARCH_STEPS); // a clock that went back refills nothing and takes nothing
  });

  it('answers the usage without a match string', () => {
    expect(findWindowArgs(['find-window'])).toEqual({ error: 'usage: find-window [-CNT] [-F format] [-t target-window] match-string' });
    expect(findWindowArgs(['find-window', '-x', 'a'])).toHaveProperty('error');
  });
});
