// find-window's matching as tmux 2.4 does it: `*TEXT*` against each window's name, then each
// pane's visible lines, first match per window, flags narrowing to name (-N) or content (-C).
import { describe, expect, it } from 'vitest';
import { findWindowArgs, findWindows, type FindWindowQuery, type SearchableWindow } from '../../../src/core/mux/find-window.js';

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
    expect(findWindows(windows, query(['error']))).toEqual([
      { index: 0, paneIndex: 0, context: 'pane 0 line 2: "error: missing ;"' },
      { index: 2, paneIndex: 1, context: 'pane 1 line 2: "GET /error 500"' },
      { index: 5, paneIndex: 0, context: '' },
    ]);
  });

  it('narrows to names with -N and to content with -C; -T alone finds nothing (hosts send no titles)', () => {
    expect(findWindows(windows, query(['-N', 'error'])).map((m) => m.index)).toEqual([5]);
    expect(findWindows(windows, query(['-C', 'error'])).map((m) => m.index)).toEqual([0, 2]);
    expect(findWindows(windows, query(['-T', 'error']))).toEqual([]);
  });

  it('takes fnmatch patterns inside the implied stars', () => {
    expect(findWindows(windows, query(['GET*500'])).map((m) => m.index)).toEqual([2]);
    expect(findWindows(windows, query(['l?gs'])).map((m) => m.index)).toEqual([2]);
    expect(findWindows(windows, query(['nothing-here']))).toEqual([]);
  });

  it('answers the usage without a match string', () => {
    expect(findWindowArgs(['find-window'])).toEqual({ error: 'usage: find-window [-CNT] [-F format] [-t target-window] match-string' });
    expect(findWindowArgs(['find-window', '-x', 'a'])).toHaveProperty('error');
  });
});
