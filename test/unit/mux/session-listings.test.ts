// list-windows, list-panes, list-sessions and display-message as the relay answers them for a
// viewer. The default lines are tmux 2.4's templates: each expected line has the shape tmate
// 2.4.0 printed for a session like this one.
import { describe, expect, it } from 'vitest';
import { displayText, runListing, type ListedPane, type ListedSession } from '../../../src/core/mux/session-listings.js';
import { ctime } from '../../../src/core/mux/message-log.js';

const pane = (id: number, cols: number, rows: number, xoff: number, yoff: number, historySize = 0): ListedPane => ({
  id, cols, rows, xoff, yoff, historySize, historyLimit: 2000, historyBytes: () => historySize * 40,
  inMode: false, cursorX: 0, cursorY: 0, alternateOn: false,
});

const created = Date.UTC(2026, 11, 3, 16, 22, 54);
const session: ListedSession = {
  name: 'demo',
  createdMs: created,
  attached: 2,
  cols: 100,
  rows: 29,
  windows: [
    { index: 0, name: 'bash', flags: '-', active: false, last: true, zoomed: false, bell: false, activePaneId: 1,
      panes: [pane(0, 100, 14, 0, 0, 73), pane(1, 100, 14, 0, 15)] },
    { index: 1, name: 'second', flags: '*', active: true, last: false, zoomed: false, bell: false, activePaneId: 2,
      panes: [pane(2, 100, 29, 0, 0)] },
  ],
};
const client = { cols: 100, rows: 30, readOnly: false };
const lines = (argv: string[]): string[] => {
  const result = runListing(argv, session, client);
  if ('error' in result) throw new Error(result.error);
  return result.lines;
};
const error = (argv: string[]): string => {
  const result = runListing(argv, session, client);
  return 'error' in result ? result.error : `no error: ${result.lines.join('\n')}`;
};

describe('listing commands', () => {
  it("list-windows: tmux 2.4's lines, with -a the session's name first and no layout", () => {
    expect(lines(['list-windows'])).toEqual([
      '0: bash- (2 panes) [100x29] [layout 2093,100x29,0,0[100x14,0,0,0,100x14,0,15,1]] @0',
      '1: second* (1 panes) [100x29] [layout ca7f,100x29,0,0,2] @1 (active)',
    ]);
    expect(lines(['list-windows', '-a'])).toEqual(['demo:0: bash- (2 panes) [100x29] ', 'demo:1: second* (1 panes) [100x29] ']);
    expect(lines(['list-windows', '-F', '#{window_index}=#{window_name}'])).toEqual(['0=bash', '1=second']);
  });

  it('list-panes: the active window, another window with -t, all with -s and -a', () => {
    expect(lines(['list-panes'])).toEqual(['0: [100x29] [history 0/2000, 0 bytes] %2 (active)']);
    expect(lines(['list-panes', '-t', '0'])).toEqual([
      '0: [100x14] [history 73/2000, 2920 bytes] %0',
      '1: [100x14] [history 0/2000, 0 bytes] %1 (active)',
    ]);
    expect(lines(['list-panes', '-t', 'demo:sec'])).toEqual(lines(['list-panes', '-t', '@1']));
    expect(lines(['list-panes', '-t', '%0'])).toEqual(lines(['list-panes', '-t', 'bash']));
    expect(lines(['list-panes', '-s', '-F', '#{pane_id}'])).toEqual(['%0', '%1', '%2']);
    expect(lines(['list-panes', '-s']).map((l) => l.slice(0, 4))).toEqual(['0.0:', '0.1:', '1.0:']);
    expect(lines(['list-panes', '-a']).map((l) => l.slice(0, 9))).toEqual(['demo:0.0:', 'demo:0.1:', 'demo:1.0:']);
  });

  it('list-sessions: windows, creation time, size and attached', () => {
    expect(lines(['list-sessions'])).toEqual([`demo: 2 windows (created ${ctime(created)}) [100x29] (attached)`]);
  });

  it("answers a bad flag with the command's usage and an unknown target with tmux's message", () => {
    expect(error(['list-windows', '-x'])).toBe('usage: list-windows [-a] [-F format] [-t target-session]');
    expect(error(['list-panes', 'extra'])).toBe('usage: list-panes [-as] [-F format] [-t target-window]');
    expect(error(['list-sessions', '-a'])).toBe('usage: list-sessions [-F format]');
    expect(error(['list-windows', '-t', 'other'])).toBe("can't find session other");
    expect(error(['list-panes', '-t', '7'])).toBe("can't find window 7");
    expect(error(['list-panes', '-t', 'nope:1'])).toBe("can't find session nope");
    expect(error(['list-panes', '-t', '%9'])).toBe("can't find pane %9");
  });
});

describe('displayText', () => {
  it('expands for the active pane, or for the pane a target names', () => {
    const show = (template: string, target?: string): string => {
      const result = displayText(template, target, session, client);
      return 'error' in result ? result.error : result.lines.join('\n');
    };
    expect(show('#S:#I.#P #{pane_id} #{session_attached} #{client_width}x#{client_height}')).toBe('demo:1.0 %2 2 100x30');
    expect(show('#{pane_index} #{pane_top} #{history_size}', '0.0')).toBe('0 0 73');
    expect(show('#{pane_id} #{?pane_active,active,}', '%1')).toBe('%1 active');
    expect(show('#{window_visible_layout}', '1')).toBe('ca7f,100x29,0,0,2');
    expect(show('x', '0.5')).toBe("can't find pane 5");
  });
});
