// Bracketed paste through a viewer link (SSH and web viewers alike): the paste markers a viewer's
// terminal wraps around a paste reach the host as raw keys (ESC [ 2 0 0 ~ … ESC [ 2 0 1 ~) only
// when the active pane asked for bracketed paste; otherwise only the pasted text does. Read-only
// viewers send nothing. And the line a viewer's terminal gets when the link ends is printed
// outside the relay's screen grid, so it carries no control characters of whoever named things.
import { describe, expect, it } from 'vitest';
import { KeyTables } from '../../../src/core/mux/key-table.js';
import { ManualClock } from '../../../src/core/util/clock.js';
import type { ViewerTerminal } from '../../../src/server/relay/ports.js';
import { ViewerLink } from '../../../src/server/relay/viewer-link.js';
import type { ViewerSession } from '../../../src/server/relay/viewer-session.js';

const E = '\x1b';

function link(options: { bracketed: boolean; readOnly?: boolean }): { viewer: ViewerLink; sent: number[]; written: string[] } {
  const sent: number[] = [];
  const written: string[] = [];
  const session: ViewerSession = {
    keys: new KeyTables(),
    requestRender: () => undefined,
    viewerResized: () => undefined,
    statusFor: () => ({ left: '', windows: [], right: '', message: null }),
    detach: () => undefined,
    sendKey: (key) => void sent.push(key),
    runOnHost: () => undefined,
    wantsBracketedPaste: () => options.bracketed,
    noteActivity: () => undefined,
    describe: () => '',
    clientLines: () => [],
    expandFormat: (text) => text,
  };
  const terminal: ViewerTerminal = { kind: 'test', remoteAddress: '127.0.0.1', write: (data) => written.push(data) > 0, onDrain: () => undefined, close: () => undefined };
  const identity = { ip: '127.0.0.1', fingerprint: null, readOnly: options.readOnly ?? false };
  return { viewer: new ViewerLink(1, identity, 80, 24, terminal, session, new ManualClock()), sent, written };
}

const text = (keys: number[]): string => String.fromCharCode(...keys);

describe('viewer link: bracketed paste', () => {
  it('forwards the markers as raw keys when the pane asked for bracketed paste', () => {
    const { viewer, sent } = link({ bracketed: true });
    viewer.input(Buffer.from(`${E}[200~ls -l\recho${E}[201~`));
    expect(text(sent)).toBe(`${E}[200~ls -l\recho${E}[201~`);
  });

  it('drops the markers when it did not', () => {
    const { viewer, sent } = link({ bracketed: false });
    viewer.input(Buffer.from(`${E}[200~ls -l${E}[201~`));
    expect(text(sent)).toBe('ls -l');
  });

  it('sends nothing for a read-only viewer', () => {
    const { viewer, sent } = link({ bracketed: true, readOnly: true });
    viewer.input(Buffer.from(`${E}[200~ls${E}[201~`));
    expect(sent).toEqual([]);
  });
});

describe('viewer link: the closing line', () => {
  it('prints the reason with control characters shown as ?, so a host-chosen session name cannot drive the terminal', () => {
    const { viewer, written } = link({ bracketed: false, readOnly: true });
    written.length = 0;
    viewer.end(`detached (from session x${E}]52;c;cm0gLXJmIH4K\x07${E}[2J\x9b31mFAKE $ )`);
    const line = written.join('').split(`${E}[?1049l`).pop() ?? '';
    expect(line).toBe('[detached (from session x?]52;c;cm0gLXJmIH4K??[2J?31mFAKE $ )]\r\n');
  });
});
