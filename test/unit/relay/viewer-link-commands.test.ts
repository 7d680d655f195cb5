// Prefix bindings a viewer runs in the relay itself, as tmux runs them: `display-message` with
// its flags and format, `confirm-before` with `-p PROMPT` in either form and a command in tmux's
// syntax, and `refresh-client` (`C-b r`) redrawing the viewer's screen whole.
import { describe, expect, it } from 'vitest';
import { KeyTables } from '../../../src/core/mux/key-table.js';
import { ManualClock } from '../../../src/core/util/clock.js';
import type { ViewerTerminal } from '../../../src/server/relay/ports.js';
import { ViewerLink } from '../../../src/server/relay/viewer-link.js';
import type { ViewerSession } from '../../../src/server/relay/viewer-session.js';
import type { CommandArgv } from '../../../src/core/mux/key-table.js';

const PREFIX = '\x02';

function viewerWith(binding: string[]): { press: (keys: string) => void; status: () => string | null; ran: CommandArgv[]; written: string[] } {
  const keys = new KeyTables();
  keys.apply(['bind-key', 'X', ...binding]);
  const ran: CommandArgv[] = [];
  const written: string[] = [];
  let status: string | null = null;
  const session: ViewerSession = {
    keys,
    requestRender: () => undefined,
    viewerResized: () => undefined,
    statusFor: (_viewer, message) => {
      status = message;
      return { left: '', windows: [], right: '', message };
    },
    detach: () => undefined,
    sendKey: () => undefined,
    runOnHost: (_viewer, argv) => void ran.push(argv),
    wantsBracketedPaste: () => false,
    noteActivity: () => undefined,
    describe: () => '[s] 0:bash',
    clientLines: () => [],
    expandFormat: (text) => text.replaceAll('#{pane_index}', '1').replaceAll('#S', 'tmate'),
  };
  const terminal: ViewerTerminal = { kind: 'test', remoteAddress: '127.0.0.1', write: (data) => written.push(data) > 0, onDrain: () => undefined, close: () => undefined };
  const viewer = new ViewerLink(1, { ip: '127.0.0.1', fingerprint: null, readOnly: false }, 80, 24, terminal, session, new ManualClock());
  return {
    press: (text) => viewer.input(Buffer.from(text)),
    status: () => {
      viewer.render(null, '');
      return status;
    },
    ran,
    written,
  };
}

describe('commands a viewer runs in the relay', () => {
  it('display-message expands its format and skips its flags and their values', () => {
    const v = viewerWith(['display-message', '-t', '%3', '-c', '/dev/pts/1', 'pane #{pane_index} in #S']);
    v.press(`${PREFIX}X`);
    expect(v.status()).toBe('pane 1 in tmate');
  });

  it("answers tmux 2.4's usage line for flags it does not take or a second message", () => {
    for (const binding of [['display-message', '-d', '500', 'hi'], ['display', 'one', 'two']]) {
      const v = viewerWith(binding);
      v.press(`${PREFIX}X`);
      expect(v.status()).toBe('usage: display-message [-p] [-c target-client] [-F format] [-t target-pane] [message]');
    }
    const v = viewerWith(['confirm-before', '-x', 'kill-window']);
    v.press(`${PREFIX}X`);
    expect(v.status()).toBe('usage: confirm-before [-p prompt] [-t target-client] command');
    v.press('y');
    expect(v.ran).toEqual([]);
  });

  it('confirm-before takes -p PROMPT as one word or two, and runs the command in tmux syntax on y', () => {
    for (const prompt of [['-p', 'really kill #S? (y/n)'], ['-preally kill #S? (y/n)']]) {
      const v = viewerWith(['confirm-before', ...prompt, 'kill-window -t "my window"']);
      v.press(`${PREFIX}X`);
      expect(v.status()).toBe('really kill tmate? (y/n)');
      v.press('y');
      expect(v.ran).toEqual([['kill-window', '-t', 'my window']]);
    }
  });

  it("confirm-before without -p asks as tmux 2.4 does", () => {
    const v = viewerWith(['confirm-before', 'kill-window']);
    v.press(`${PREFIX}X`);
    expect(v.status()).toBe("Confirm 'kill-window'? (y/n)");
    v.press('n');
    expect(v.ran).toEqual([]);
  });

  it('refresh-client (C-b r) redraws the whole screen', () => {
    const v = viewerWith(['refresh-client']);
    v.status();
    v.written.length = 0;
    v.press(`${PREFIX}X`);
    v.status();
    expect(v.written.join('')).toContain('\x1b[2J');
  });
});
