/**
 * Replays the window/pane scenarios of the recorded traces (03 new-window/split/zoom/kill,
 * 04 resize, 07 session end) against the engine and compares every SYNC_LAYOUT and FAILED_CMD
 * with what the stock tmate 2.4.0 host sent.
 */
import { describe, expect, it } from 'vitest';
import { exec, execStr, failures, lastLayout, makeEngine, readTrace, wireLayout, type Harness } from './helpers.js';

interface Segment {
  note: string;
  layout: unknown[] | null;
  failures: [number, string][];
  fin: boolean;
}

/** The trace cut at its marks: per mark, the last layout, the failures and whether FIN came. */
function segments(file: string): Segment[] {
  const out: Segment[] = [];
  for (const event of readTrace(file)) {
    if (event.dir === 'mark') {
      out.push({ note: event.note ?? '', layout: null, failures: [], fin: false });
      continue;
    }
    const current = out[out.length - 1];
    // After FIN another host session may start before the next mark: not part of this step.
    if (!current || current.fin || event.dir !== 'c2s' || !event.msg) continue;
    // The host's foreground process briefly named window 1 "tmate" (pane_current_command);
    // the engine names windows after the pane's program, so those transient layouts are skipped.
    if (event.name === 'SYNC_LAYOUT' && !JSON.stringify(event.msg).includes('"tmate"')) current.layout = event.msg;
    if (event.name === 'FAILED_CMD') current.failures.push([event.msg[1] as number, event.msg[2] as string]);
    if (event.name === 'FIN') current.fin = true;
  }
  return out;
}

function replay(h: Harness, file: string, steps: Record<string, (h: Harness) => void>, from = 0, to?: number): void {
  const list = segments(file).slice(from, to);
  for (const segment of list) {
    const step = steps[segment.note];
    if (!step) throw new Error(`no step for mark "${segment.note}"`);
    const before = h.messages.length;
    step(h);
    const produced = h.messages.slice(before);
    if (segment.layout) expect(wireLayout(lastLayout(h.messages)), segment.note).toEqual(segment.layout);
    expect(failures(produced), segment.note).toEqual(segment.failures);
  }
}

/** Trace 03 part 1: leaves the 5-pane, 3-window session that traces 04–07 continue from. */
function trace03part1(h: Harness): void {
  replay(h, '03-new-window.jsonl', {
    'trace start': () => {},
    'host: tmate new-window': (x) => exec(x, 'new-window'),
    'host: tmate split-window -h': (x) => exec(x, 'split-window', '-h'),
    'host: tmate select-window -t 0': (x) => exec(x, 'select-window', '-t', '0'),
    'server: EXEC_CMD client_id=7 argv new-window -n fromserver': (x) => exec(x, 'new-window', '-n', 'fromserver'),
    'server: EXEC_CMD_STR client_id=7 "select-window -t 1 ; split-window -v"': (x) =>
      execStr(x, 'select-window -t 1 ; split-window -v'),
    'server: EXEC_CMD client_id=7 select-pane -t 1.2 (the reference server sends win_idx.pane_id)': (x) =>
      exec(x, 'select-pane', '-t', '1.2'),
    'server: failing commands: EXEC_CMD bogus-cmd, EXEC_CMD break-pane, EXEC_CMD_STR with parse error, EXEC_CMD select-window -t 9': (x) => {
      exec(x, 'bogus-cmd');
      exec(x, 'break-pane');
      execStr(x, 'new-window "unterminated', 8);
      x.engine.handle({ type: 'exec-cmd', clientId: 9, argv: ['select-window', '-t', '9'] });
    },
    'server: EXEC_CMD client_id=-1 rename-window -t 2 renamed': (x) =>
      x.engine.handle({ type: 'exec-cmd', clientId: -1, argv: ['rename-window', '-t', '2', 'renamed'] }),
  }, 0, 9);
}

describe('trace 03: windows and panes', () => {
  it('new-window, split -h/-v, select, EXEC_CMD_STR and the FAILED_CMD causes match tmate', () => {
    const h = makeEngine();
    trace03part1(h);
    expect(h.pty.processes).toHaveLength(5);
  });

  it('part 2: zoom shows the active pane full size at 0,0, unzoom restores, kill-pane relayouts', () => {
    const h = makeEngine();
    replay(h, '03-new-window.jsonl', {
      'trace start': () => {},
      'host: split-window -v, then resize-pane -Z (zoom active pane)': (x) => {
        exec(x, 'split-window', '-v');
        exec(x, 'resize-pane', '-Z');
      },
      'host: resize-pane -Z again (unzoom)': (x) => exec(x, 'resize-pane', '-Z'),
      'host: kill-pane (pane 1)': (x) => {
        exec(x, 'kill-pane');
        expect(x.pty.pane(1).kills).toEqual(['SIGHUP']);
      },
    }, 9);
  });
});

describe('trace 04: RESIZE', () => {
  it('relayouts every window like tmux (growing and shrinking spread one cell at a time)', () => {
    const h = makeEngine();
    trace03part1(h);
    const resize = (cols: number, rows: number) => (x: Harness) => x.engine.handle({ type: 'resize', cols, rows });
    replay(h, '04-resize.jsonl', {
      'trace start': () => {},
      'server: RESIZE 100x30': resize(100, 30),
      'server: RESIZE 60x20': resize(60, 20),
      'server: RESIZE -1,-1 (no viewers)': (x) => {
        const count = x.messages.length;
        resize(-1, -1)(x);
        expect(x.messages.length).toBe(count);
      },
      'server: RESIZE 200x50': resize(200, 50),
      // The local 120x40 terminal (status line on) limits the session to 120x39.
      'host: attach a local tmate client on a 120x40 pty (status line on); server min size is still 200x50': resize(120, 39),
      'server: RESIZE 100x30 (smaller than host tty)': resize(100, 30),
      'server: RESIZE -1,-1 (no viewers) -> back to host tty size': (x) => {
        resize(120, 39)(x);
        // Unmarked in the trace: the host then selected window 0 to run `seq 1 100`.
        exec(x, 'select-window', '-t', '0');
      },
    });
    const pane1 = h.pty.pane(1);
    // Split to 40x23, then every RESIZE; the -1,-1 one left the pty alone.
    expect(pane1.resizes).toEqual([[40, 23], [50, 30], [30, 20], [100, 50], [60, 39], [50, 30], [60, 39]]);
  });
});

describe('trace 07: session end', () => {
  it('each exit shrinks the layout; the last one sends FIN and ends with its status', () => {
    const h = makeEngine();
    trace03part1(h);
    h.engine.handle({ type: 'resize', cols: 120, rows: 39 });
    exec(h, 'select-window', '-t', '0');
    const ended: number[] = [];
    h.engine.onEnd((status) => ended.push(status));
    replay(h, '07-session-end.jsonl', {
      'trace start': () => {},
      'host: send-keys -t 2.0 exit Enter': (x) => x.pty.pane(3).exit(0),
      'host: send-keys -t 1.2 exit Enter': (x) => x.pty.pane(4).exit(0),
      'host: send-keys -t 1.1 exit Enter': (x) => x.pty.pane(2).exit(0),
      'host: send-keys -t 1.0 exit Enter': (x) => x.pty.pane(1).exit(0),
      'host: send-keys -t 0.0 exit Enter (last pane)': (x) => {
        x.pty.pane(0).exit(3);
        expect(x.messages[x.messages.length - 1]).toEqual({ type: 'fin' });
      },
    });
    expect(ended).toEqual([3]);
    expect(h.engine.exitStatus).toBe(3);
  });
});
