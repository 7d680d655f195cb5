/**
 * Window and pane commands through EXEC_CMD / EXEC_CMD_STR: indexes, names, selection, splits,
 * kills, and the FAILED_CMD causes tmate gives for each kind of error.
 */
import { describe, expect, it } from 'vitest';
import { exec, execStr, failures, lastLayout, makeEngine, type Harness } from './helpers.js';

function summary(h: Harness): string {
  const layout = lastLayout(h.messages);
  const windows = layout.windows.map((w) => `${w.index}:${w.name}[${w.panes.map((p) => `${p.id}${p.id === w.activePaneId ? '*' : ''}`).join(',')}]`);
  return `${windows.join(' ')} @${layout.activeWindowIndex}`;
}

describe('windows', () => {
  it('new-window takes the lowest free index, names the window after its program, selects it', () => {
    const h = makeEngine();
    exec(h, 'new-window');
    exec(h, 'new-window', '-d', 'vim notes.txt');
    expect(summary(h)).toBe('0:bash[0*] 1:bash[1*] 2:vim[2*] @1');
    expect(h.pty.pane(2).options.command).toEqual(['/bin/bash', '-c', 'vim notes.txt']);
    exec(h, 'kill-window', '-t', '1');
    exec(h, 'new-window', '-n', 'x', '/usr/bin/top', '-d');
    expect(summary(h)).toBe('0:bash[0*] 1:x[3*] 2:vim[2*] @1');
    expect(h.pty.pane(3).options.command).toEqual(['/usr/bin/top', '-d']);
  });

  it('new-window -t picks the index; a taken index fails as tmux says', () => {
    const h = makeEngine();
    exec(h, 'new-window', '-t', '5');
    exec(h, 'new-window', '-t', ':3', '-d');
    expect(summary(h)).toBe('0:bash[0*] 3:bash[2*] 5:bash[1*] @5');
    exec(h, 'neww', '-t', '3');
    exec(h, 'new-window', '-t', '0.1');
    expect(failures(h.messages)).toEqual([[7, 'create window failed: index in use: 3'], [7, "can't specify pane here"]]);
  });

  it('uses the engine command for new windows and its basename as the name', () => {
    const h = makeEngine({ command: ['/usr/local/bin/fish', '-l'] });
    exec(h, 'new-window');
    expect(summary(h)).toBe('0:fish[0*] 1:fish[1*] @1');
    expect(h.pty.pane(1).options.command).toEqual(['/usr/local/bin/fish', '-l']);
    expect(h.pty.pane(0).options).toMatchObject({ cols: 80, rows: 23, env: { HOME: '/home/ci' } });
  });

  it('select-window accepts :=N, :N and N; next/previous wrap; last goes back', () => {
    const h = makeEngine();
    exec(h, 'new-window');
    exec(h, 'new-window');
    exec(h, 'select-window', '-t:=0');
    expect(lastLayout(h.messages).activeWindowIndex).toBe(0);
    exec(h, 'select-window', '-t', ':2');
    expect(lastLayout(h.messages).activeWindowIndex).toBe(2);
    exec(h, 'selectw', '-t', '1');
    expect(lastLayout(h.messages).activeWindowIndex).toBe(1);
    exec(h, 'last-window');
    expect(lastLayout(h.messages).activeWindowIndex).toBe(2);
    exec(h, 'next-window');
    expect(lastLayout(h.messages).activeWindowIndex).toBe(0);
    exec(h, 'previous-window');
    expect(lastLayout(h.messages).activeWindowIndex).toBe(2);
    exec(h, 'select-window', '-p');
    expect(lastLayout(h.messages).activeWindowIndex).toBe(1);
    exec(h, 'select-window', '-t', '{start}');
    expect(lastLayout(h.messages).activeWindowIndex).toBe(0);
    expect(failures(h.messages)).toEqual([]);
  });

  it('with one window next/previous/last fail like tmux', () => {
    const h = makeEngine();
    exec(h, 'next-window');
    exec(h, 'previous-window');
    exec(h, 'last-window');
    exec(h, 'next-window', '-a');
    expect(failures(h.messages).map(([, c]) => c)).toEqual(['no next window', 'no previous window', 'no last window', 'no next window']);
  });

  it('kill-window of the current window goes to the last one, then previous, then next', () => {
    const h = makeEngine();
    exec(h, 'new-window');
    exec(h, 'new-window');
    exec(h, 'select-window', '-t', '0');
    exec(h, 'kill-window');
    expect(summary(h)).toBe('1:bash[1*] 2:bash[2*] @2');
    expect(h.pty.pane(0).kills).toEqual(['SIGHUP']);
    exec(h, 'kill-window', '-a');
    expect(summary(h)).toBe('2:bash[2*] @2');
  });

  it('rename-window fixes the name (automatic renaming stops); by name targets work', () => {
    const h = makeEngine();
    exec(h, 'new-window', '-d');
    exec(h, 'rename-window', 'main');
    exec(h, 'rename-window', '-t', '1', 'side');
    expect(summary(h)).toBe('0:main[0*] 1:side[1*] @0');
    exec(h, 'select-window', '-t', 'si');
    expect(lastLayout(h.messages).activeWindowIndex).toBe(1);
    exec(h, 'copy-mode');
    expect(summary(h)).toBe('0:main[0*] 1:side[1*] @1');
  });
});

describe('panes', () => {
  it('split -h and -v tile with one-cell borders (trace 03 geometry), nested', () => {
    const h = makeEngine();
    exec(h, 'split-window', '-h');
    exec(h, 'split-window', '-v');
    exec(h, 'split-window', '-t', '0', '-v', '-d');
    // A new pane goes after the active pane in the window's list, wherever it is on screen.
    expect(lastLayout(h.messages).windows[0]?.panes).toEqual([
      { id: 0, cols: 40, rows: 11, xoff: 0, yoff: 0 },
      { id: 1, cols: 39, rows: 11, xoff: 41, yoff: 0 },
      { id: 2, cols: 39, rows: 11, xoff: 41, yoff: 12 },
      { id: 3, cols: 40, rows: 11, xoff: 0, yoff: 12 },
    ]);
    expect(lastLayout(h.messages).windows[0]?.activePaneId).toBe(2);
    expect(h.pty.pane(3).options).toMatchObject({ cols: 40, rows: 11 });
    expect(h.pty.pane(0).resizes).toEqual([[40, 23], [40, 11]]);
  });

  it('split -l / -p / -b size the new pane; a pane too small fails', () => {
    const h = makeEngine();
    exec(h, 'split-window', '-h', '-l', '20');
    expect(lastLayout(h.messages).windows[0]?.panes.map((p) => [p.id, p.cols, p.xoff])).toEqual([[0, 59, 0], [1, 20, 60]]);
    exec(h, 'split-window', '-v', '-p', '25', '-b');
    expect(lastLayout(h.messages).windows[0]?.panes.map((p) => [p.id, p.rows, p.yoff])).toEqual([[0, 23, 0], [1, 17, 6], [2, 5, 0]]);
    exec(h, 'split-window', '-l', 'x');
    for (let i = 0; i < 2; i++) exec(h, 'split-window', '-v', '-t', '%2'); // 5 rows: 2+1+2, then no more
    expect(failures(h.messages).map(([, c]) => c)).toEqual(['create pane failed: size invalid', 'create pane failed: pane too small']);
  });

  it('select-pane by target, by direction (wrapping), -l and last-pane', () => {
    const h = makeEngine();
    exec(h, 'split-window', '-h');
    exec(h, 'split-window', '-v');
    const active = () => lastLayout(h.messages).windows[0]?.activePaneId;
    exec(h, 'select-pane', '-L');
    expect(active()).toBe(0);
    exec(h, 'select-pane', '-R');
    expect(active()).toBe(2);
    exec(h, 'select-pane', '-D');
    expect(active()).toBe(1);
    exec(h, 'select-pane', '-t', '%0');
    expect(active()).toBe(0);
    exec(h, 'last-pane');
    expect(active()).toBe(1);
    exec(h, 'select-pane', '-l');
    expect(active()).toBe(0);
    exec(h, 'select-pane', '-t', ':.+');
    expect(active()).toBe(1);
    exec(h, 'select-pane', '-t', '0.2');
    expect(active()).toBe(2);
    exec(h, 'select-pane', '-t', 'bottom');
    expect(active()).toBe(0);
    exec(h, 'select-pane', '-t', '{bottom-right}');
    expect(active()).toBe(2);
    exec(h, 'select-pane', '-t', '7');
    expect(failures(h.messages)).toEqual([[7, "can't find pane 7"]]);
  });

  it('kill-pane gives the space back; the last pane takes the window; -a keeps one', () => {
    const h = makeEngine();
    exec(h, 'new-window');
    exec(h, 'split-window', '-h');
    exec(h, 'split-window', '-v');
    exec(h, 'kill-pane', '-t', '%2');
    expect(lastLayout(h.messages).windows[1]?.panes).toEqual([
      { id: 1, cols: 40, rows: 23, xoff: 0, yoff: 0 },
      { id: 3, cols: 39, rows: 23, xoff: 41, yoff: 0 },
    ]);
    exec(h, 'kill-pane', '-a', '-t', '%3');
    expect(lastLayout(h.messages).windows[1]?.panes).toEqual([{ id: 3, cols: 80, rows: 23, xoff: 0, yoff: 0 }]);
    exec(h, 'kill-pane');
    expect(lastLayout(h.messages).windows.map((w) => w.index)).toEqual([0]);
    expect(h.engine.exitStatus).toBeNull();
  });

  it('resize-pane moves borders; -Z toggles zoom; odd arguments fail like tmux', () => {
    const h = makeEngine();
    exec(h, 'split-window', '-h');
    exec(h, 'resize-pane', '-L', '5');
    expect(lastLayout(h.messages).windows[0]?.panes.map((p) => p.cols)).toEqual([35, 44]);
    exec(h, 'resize-pane', '-t', '%0', '-R');
    expect(lastLayout(h.messages).windows[0]?.panes.map((p) => p.cols)).toEqual([36, 43]);
    exec(h, 'resize-pane', '-x', '10', '-t', '%0');
    expect(lastLayout(h.messages).windows[0]?.panes.map((p) => p.cols)).toEqual([10, 69]);
    exec(h, 'resize-pane', '-Z');
    expect(lastLayout(h.messages).windows[0]?.panes).toEqual([
      { id: 0, cols: 10, rows: 23, xoff: 0, yoff: 0 },
      { id: 1, cols: 80, rows: 23, xoff: 0, yoff: 0 },
    ]);
    exec(h, 'select-pane', '-L');
    expect(lastLayout(h.messages).windows[0]?.panes.map((p) => p.cols)).toEqual([10, 69]);
    exec(h, 'resize-pane', '-L', 'zero');
    exec(h, 'resize-pane', '-y', '1');
    expect(failures(h.messages).map(([, c]) => c)).toEqual(['adjustment invalid', 'height too small']);
  });

  it('RESIZE keeps a zoom, and each pty hears of the final size only', () => {
    const h = makeEngine();
    exec(h, 'split-window', '-v');
    exec(h, 'resize-pane', '-Z');
    h.engine.handle({ type: 'resize', cols: 100, rows: 30 });
    expect(lastLayout(h.messages).windows[0]?.panes).toEqual([
      { id: 0, cols: 100, rows: 15, xoff: 0, yoff: 0 },
      { id: 1, cols: 100, rows: 30, xoff: 0, yoff: 0 },
    ]);
    expect(h.pty.pane(0).resizes).toEqual([[80, 11], [100, 15]]);
    expect(h.pty.pane(1).options).toMatchObject({ cols: 80, rows: 11 });
    expect(h.pty.pane(1).resizes).toEqual([[80, 23], [100, 30]]);
  });

  it('swap-pane exchanges places inside a window and refuses across windows', () => {
    const h = makeEngine();
    exec(h, 'split-window', '-h');
    exec(h, 'swap-pane', '-U');
    expect(lastLayout(h.messages).windows[0]?.panes).toEqual([
      { id: 1, cols: 40, rows: 23, xoff: 0, yoff: 0 },
      { id: 0, cols: 39, rows: 23, xoff: 41, yoff: 0 },
    ]);
    exec(h, 'new-window');
    exec(h, 'swap-pane', '-s', '%0');
    expect(failures(h.messages)).toEqual([[7, 'swap pane on different window is not supported with tmate']]);
  });
});

describe('FAILED_CMD causes', () => {
  it('unknown, ambiguous, usage and tmate refusals', () => {
    const h = makeEngine();
    exec(h, 'bogus-cmd');
    exec(h, 'list-keys');
    exec(h, 'sel');
    exec(h, 'new-window', '-Q');
    exec(h, 'rename-window');
    exec(h, 'send-keys', '-X', 'cancel');
    exec(h, 'display-message', '-d', '500');
    for (const cmd of ['break-pane', 'join-pane', 'move-pane', 'move-window', 'link-window', 'swap-window', 'new-session']) {
      exec(h, cmd);
    }
    h.engine.handle({ type: 'exec-cmd', clientId: 3, argv: [] });
    expect(failures(h.messages)).toEqual([
      [7, 'unknown command: bogus-cmd'],
      [7, 'list-keys is not available in this session (tmate-relay host)'],
      [7, 'ambiguous command: sel, could be: select-layout, select-pane, select-window'],
      [7, 'usage: new-window [-adkP] [-c start-directory] [-F format] [-n window-name] [-t target-window] [command]'],
      [7, 'usage: rename-window [-t target-window] new-name'],
      [7, 'usage: send-keys [-lMR] [-t target-pane] key ...'],
      [7, 'usage: display-message [-p] [-c target-client] [-F format] [-t target-pane] [message]'],
      [7, 'break pane is not supported with tmate'],
      [7, 'join pane is not supported with tmate'],
      [7, 'join pane is not supported with tmate'],
      [7, 'move window is not supported with tmate'],
      [7, 'move window is not supported with tmate'],
      [7, 'swap window is not supported with tmate'],
      [7, 'create session failed: multi sessions is not supported with tmate'],
      [3, 'no command'],
    ]);
  });

  it('targets that do not resolve', () => {
    const h = makeEngine();
    exec(h, 'select-window', '-t', '9');
    exec(h, 'select-window', '-t', ':=9');
    exec(h, 'kill-window', '-t', 'nosuch:1');
    exec(h, 'select-pane', '-t', '%42');
    exec(h, 'select-pane', '-t', '=');
    exec(h, 'last-pane');
    expect(failures(h.messages).map(([, c]) => c)).toEqual([
      "can't find window 9",
      "can't find window 9",
      "can't find session nosuch",
      "can't find pane %42",
      'no mouse target',
      'no last pane',
    ]);
  });

  it('accepts display-message and detach-client without effect or error', () => {
    const h = makeEngine();
    const before = h.messages.length;
    exec(h, 'display-message', '-p', '#{tmate_ssh}');
    exec(h, 'display', 'hello');
    exec(h, 'detach-client');
    exec(h, 'detach');
    expect(h.messages.length).toBe(before);
  });
});

describe('EXEC_CMD_STR', () => {
  it('parses quotes and ; separators, and runs the commands in order', () => {
    const h = makeEngine();
    execStr(h, 'new-window -n "a b" ; select-window -t :0');
    expect(summary(h)).toBe('0:bash[0*] 1:a b[1*] @0');
    execStr(h, "rename-window -t 1 'it''s'\\; ; new-window -d -n \"$HOME\"");
    expect(summary(h)).toBe('0:bash[0*] 1:its;[1*] 2:/home/ci[2*] @0');
  });

  it('a parse error runs nothing and answers tmate\'s cause with the whole line', () => {
    const h = makeEngine();
    execStr(h, 'new-window ; new-window "unterminated', 8);
    expect(failures(h.messages)).toEqual([[8, 'invalid or unknown command: new-window ; new-window "unterminated']]);
    execStr(h, 'new-window ; bogus', 8);
    expect(failures(h.messages).slice(1)).toEqual([[8, 'unknown command: bogus']]);
    expect(h.pty.processes).toHaveLength(1);
  });

  it('stops at the first failing command', () => {
    const h = makeEngine();
    execStr(h, 'select-window -t 4 ; new-window');
    expect(failures(h.messages)).toEqual([[7, "can't find window 4"]]);
    expect(h.pty.processes).toHaveLength(1);
  });
});
