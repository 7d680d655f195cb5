// What one viewer sees over the window, as tmux 2.4 draws it for a client. display-panes
// (`C-b q`): each pane's index in large digits (active red, others blue) and its size at its top
// right, gone after a second or at the next key; a digit runs the template (select-pane -t '%%')
// for that pane and is used up, any other key goes on to be handled as usual. choose-window
// (`C-b w`): the windows listed over the active pane, the current one selected; Enter or a label
// key runs select-window for it. show-messages (`C-b ~`): the messages the viewer's status line
// showed, with their times. clock-mode (`C-b t`): the time in big blocks over the active pane.
// Checked on the screen the viewer's frames draw.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyTables } from '../../../src/core/mux/key-table.js';
import type { CommandArgv } from '../../../src/core/mux/key-table.js';
import type { StatusWindow, WindowScene } from '../../../src/core/render/scene.js';
import { ManualClock } from '../../../src/core/util/clock.js';
import { ctime } from '../../../src/core/mux/message-log.js';
import type { SearchableWindow } from '../../../src/core/mux/find-window.js';
import type { ViewerTerminal } from '../../../src/server/relay/ports.js';
import { ViewerLink } from '../../../src/server/relay/viewer-link.js';
import type { ViewerSession } from '../../../src/server/relay/viewer-session.js';
import { bgOf, cellAt, fgOf, makeTerm, pane, replay, screen, write } from '../render/helpers.js';

const PREFIX = '\x02';
const COLS = 60;
const ROWS = 21;

/** Two side-by-side panes (%4 left, %7 right and active) of a 60×20 window, and a viewer of it. */
async function viewerOfTwoPanes(opts: { readOnly?: boolean; binding?: string[]; windows?: StatusWindow[]; start?: number; searchable?: SearchableWindow[] } = {}) {
  const left = makeTerm(29, 20);
  const right = makeTerm(30, 20);
  await write(left, 'left pane text');
  await write(right, 'right pane text');
  const window: WindowScene = {
    cols: COLS, rows: ROWS - 1, activePaneId: 7,
    panes: [pane(4, left, { xoff: 0, yoff: 0, cols: 29, rows: 20 }), pane(7, right, { xoff: 30, yoff: 0, cols: 30, rows: 20 })],
  };
  const keys = new KeyTables();
  keys.apply(['bind-key', 'q', 'display-panes']);
  keys.apply(['bind-key', 'w', 'choose-window']);
  keys.apply(['bind-key', '~', 'show-messages']);
  keys.apply(['bind-key', 't', 'clock-mode']);
  keys.apply(['bind-key', 's', 'choose-tree']);
  keys.apply(['bind-key', 'f', 'command-prompt', "find-window '%%'"]);
  const windows = opts.windows ?? [{ index: 0, name: 'bash', active: true, last: false, panes: 2 }];
  if (opts.binding) keys.apply(['bind-key', 'X', ...opts.binding]);
  const ran: CommandArgv[] = [];
  const sent: number[] = [];
  const written: string[] = [];
  const session: ViewerSession = {
    keys,
    requestRender: () => undefined,
    viewerResized: () => undefined,
    statusFor: (_viewer, message) => ({ left: '', windows, right: '', message }),
    detach: () => undefined,
    sendKey: (key) => void sent.push(key),
    runOnHost: (_viewer, argv) => void ran.push(argv),
    wantsBracketedPaste: () => false,
    noteActivity: () => undefined,
    describe: () => '',
    clientLines: () => [],
    expandFormat: (text) => text.replaceAll('#S', 'tmate'),
    searchableWindows: () => opts.searchable ?? [],
  };
  const terminal: ViewerTerminal = { kind: 'test', remoteAddress: '127.0.0.1', write: (data) => written.push(data) > 0, onDrain: () => undefined, close: () => undefined };
  const clock = new ManualClock(opts.start ?? 0);
  const viewer = new ViewerLink(1, { ip: '127.0.0.1', fingerprint: null, readOnly: opts.readOnly ?? false }, COLS, ROWS, terminal, session, clock);
  const render = () => viewer.render(window, '');
  render();
  return {
    press: (text: string) => {
      viewer.input(Buffer.from(text));
      render();
    },
    /** What the viewer's terminal shows after every frame so far. */
    shown: () => replay(COLS, ROWS, ...written),
    advance: (ms: number) => {
      clock.advance(ms);
      render();
    },
    ran,
    sent,
  };
}

describe('display-panes for a viewer', () => {
  it("draws each pane's index in large digits and its size, the active pane in red", async () => {
    const v = await viewerOfTwoPanes();
    v.press(`${PREFIX}q`);
    const term = await v.shown();
    const rows = screen(term);
    // The left pane (index 0, 29×20) centred at column 14, row 10: a 5×5 zero from column 11, rows 8–12.
    expect(bgOf(cellAt(term, 11, 8))).toBe(4);
    expect(bgOf(cellAt(term, 13, 10))).toBe(-1); // the hole in the 0
    expect(bgOf(cellAt(term, 15, 12))).toBe(4);
    // The right pane (index 1, active) centred at column 45: a 1 is its right-hand column only.
    expect(bgOf(cellAt(term, 46, 8))).toBe(1);
    expect(bgOf(cellAt(term, 45, 8))).toBe(-1);
    expect(rows[0]).toMatch(/^left pane text\s+29x20│right pane text\s+30x20$/);
    expect(fgOf(cellAt(term, 25, 0))).toBe(4);
    expect(fgOf(cellAt(term, 55, 0))).toBe(1);
  });

  it('hides the numbers after a second', async () => {
    const v = await viewerOfTwoPanes();
    v.press(`${PREFIX}q`);
    expect(screen(await v.shown())[0]).toContain('30x20');
    v.advance(999);
    expect(screen(await v.shown())[0]).toContain('30x20');
    v.advance(1);
    const term = await v.shown();
    expect(screen(term)[0]).not.toContain('30x20');
    expect(bgOf(cellAt(term, 11, 8))).toBe(-1);
  });

  it("runs select-pane for the pane whose digit is pressed, and the digit goes no further", async () => {
    const v = await viewerOfTwoPanes();
    v.press(`${PREFIX}q`);
    v.press('0');
    expect(v.ran).toEqual([['select-pane', '-t', '%4']]);
    expect(v.sent).toEqual([]);
    expect(screen(await v.shown())[0]).not.toContain('29x20');
  });

  it("ignores a digit with no pane, and hands any other key on to the pane", async () => {
    const v = await viewerOfTwoPanes();
    v.press(`${PREFIX}q`);
    v.press('5');
    expect(v.ran).toEqual([]);
    v.press(`${PREFIX}q`);
    v.press('x');
    expect(v.sent).toEqual([0x78]);
    v.press('1');
    expect(v.sent).toEqual([0x78, 0x31]); // the numbers are gone: a digit is typed again
    expect(v.ran).toEqual([]);
  });

  it('runs a template with %% as the pane id, and rejects extra arguments with the usage', async () => {
    const v = await viewerOfTwoPanes({ binding: ['display-panes', 'kill-pane -t %%'] });
    v.press(`${PREFIX}X`);
    v.press('1');
    expect(v.ran).toEqual([['kill-pane', '-t', '%7']]);
    const bad = await viewerOfTwoPanes({ binding: ['display-panes', 'a', 'b'] });
    bad.press(`${PREFIX}X`);
    expect(screen(await bad.shown())[ROWS - 1]).toContain('usage: display-panes [-d duration] [-t target-client]');
  });

  it('keeps the numbers until a key with -d 0, for -d milliseconds otherwise', async () => {
    const forever = await viewerOfTwoPanes({ binding: ['display-panes', '-d', '0'] });
    forever.press(`${PREFIX}X`);
    forever.advance(60_000);
    expect(screen(await forever.shown())[0]).toContain('30x20');
    forever.press('1');
    expect(forever.ran).toEqual([['select-pane', '-t', '%7']]);
    const brief = await viewerOfTwoPanes({ binding: ['display-panes', '-d', '200'] });
    brief.press(`${PREFIX}X`);
    brief.advance(200);
    expect(screen(await brief.shown())[0]).not.toContain('30x20');
    const bad = await viewerOfTwoPanes({ binding: ['display-panes', '-d', 'soon'] });
    bad.press(`${PREFIX}X`);
    expect(screen(await bad.shown())[ROWS - 1]).toContain('delay invalid: soon');
  });

  it('shows the numbers to a read-only viewer, whose digits choose nothing', async () => {
    const v = await viewerOfTwoPanes({ readOnly: true });
    v.press(`${PREFIX}q`);
    expect(screen(await v.shown())[0]).toContain('30x20');
    v.press('0');
    expect(v.ran).toEqual([]);
    expect(v.sent).toEqual([]);
  });
});

describe('choose-window for a viewer', () => {
  const threeWindows: StatusWindow[] = [
    { index: 0, name: 'bash', active: false, last: true, panes: 1 },
    { index: 1, name: 'logs', active: false, last: false, panes: 3, bell: true },
    { index: 3, name: 'vim', active: true, last: false, panes: 2 },
  ];

  it('lists the windows over the active pane, the current one selected in mode-style', async () => {
    const v = await viewerOfTwoPanes({ windows: threeWindows });
    v.press(`${PREFIX}w`);
    const term = await v.shown();
    const rows = screen(term);
    // Cut at the 30-column pane's last column, which tmux leaves blank.
    expect(rows.slice(0, 4).map((row) => row.slice(30))).toEqual([
      '(0)  0: bash- (1 panes) [60x2 ',
      '(1)  1: logs! (3 panes) [60x2 ',
      '(2)  3: vim* (2 panes) [60x20 ',
      ' '.repeat(30),
    ]);
    expect(rows[0]!.slice(0, 14)).toBe('left pane text'); // the other pane stays as it was
    expect([fgOf(cellAt(term, 30, 2)), bgOf(cellAt(term, 30, 2)), bgOf(cellAt(term, 58, 2)), bgOf(cellAt(term, 59, 2))]).toEqual([0, 3, 3, -1]);
    expect(bgOf(cellAt(term, 30, 0))).toBe(-1);
    expect(cellAt(term, 30, 1).isBold()).toBeTruthy(); // the window that rang a bell
  });

  it('runs select-window for the window chosen with the arrows and Enter, wrapping round', async () => {
    const v = await viewerOfTwoPanes({ windows: threeWindows });
    v.press(`${PREFIX}w`);
    v.press('\x1b[B'); // Down from the last item wraps to the first
    v.press('\x1b[B');
    expect(v.ran).toEqual([]);
    v.press('\r');
    expect(v.ran).toEqual([['select-window', '-t', ':1']]);
    expect(screen(await v.shown())[0]).not.toContain('(0)');
    expect(v.sent).toEqual([]);
  });

  it("chooses by a label key, leaves with q without choosing, and the prefix still works", async () => {
    const v = await viewerOfTwoPanes({ windows: threeWindows, binding: ['choose-window', 'kill-window -t %%'] });
    v.press(`${PREFIX}X`);
    v.press('0');
    expect(v.ran).toEqual([['kill-window', '-t', ':0']]);
    v.press(`${PREFIX}w`);
    v.press('x'); // not a chooser key: ignored, the list stays
    expect(screen(await v.shown())[0]).toContain('(0)');
    v.press('q');
    expect(screen(await v.shown())[0]).not.toContain('(0)');
    v.press(`${PREFIX}w`);
    v.press(`${PREFIX}q`);
    expect(screen(await v.shown())[0]).toContain('30x20');
    expect(v.ran).toEqual([['kill-window', '-t', ':0']]);
    expect(v.sent).toEqual([]);
  });

  it('choose-tree lists the windows under the session, and choosing the session runs nothing', async () => {
    const v = await viewerOfTwoPanes({ windows: threeWindows, binding: ['choose-tree', '-c', 'kill-window -t %%'] });
    v.press(`${PREFIX}s`);
    const rows = screen(await v.shown());
    expect(rows.slice(0, 4).map((row) => row.slice(30))).toEqual([
      '(0)  tmate: 3 windows (attach ',
      '(1)  ├─> 0: bash- (1 panes) [ ',
      '(2)  ├─> 1: logs! (3 panes) [ ',
      '(3)  └─> 3: vim* (2 panes) [6 ',
    ]);
    v.press('\r'); // the current window is selected
    expect(v.ran).toEqual([['select-window', '-t', ':3']]);
    v.press(`${PREFIX}s`);
    v.press('0');
    expect(screen(await v.shown())[0]).not.toContain('tmate: 3 windows');
    v.press(`${PREFIX}X`);
    v.press('2');
    expect(v.ran).toEqual([['select-window', '-t', ':3'], ['kill-window', '-t', ':1']]);
  });

  it('lets read-only viewers look through the windows, and tells them they cannot switch', async () => {
    const v = await viewerOfTwoPanes({ readOnly: true, windows: threeWindows });
    v.press(`${PREFIX}w`);
    expect(screen(await v.shown())[0]).toContain('(0)');
    v.press('\r');
    const rows = screen(await v.shown());
    expect(rows[rows.length - 1]).toContain('select-window is not available to read-only viewers');
    expect(v.ran).toEqual([]);
  });
});

describe('show-messages for a viewer', () => {
  it("lists the messages its status line showed, with tmux's ctime stamp, until q", async () => {
    const v = await viewerOfTwoPanes({ binding: ['display-message', 'first note'] });
    v.press(`${PREFIX}~`);
    expect(screen(await v.shown())[0]).toContain('left pane text'); // nothing shown yet: no list
    v.press(`${PREFIX}X`);
    v.advance(5000);
    v.press(`${PREFIX}X`);
    v.press(`${PREFIX}~`);
    const rows = screen(await v.shown());
    // (The list view's position indicator, `[0/0]`, stands at the top right.)
    expect(rows.slice(0, 3).map((row) => row.slice(0, 40).trimEnd())).toEqual([`${ctime(0)} first note`, `${ctime(5000)} first note`, '']);
    v.press('q');
    expect(screen(await v.shown())[0]).toContain('left pane text');
  });

  it('answers the usage for an argument, and lists nothing for -J or -T', async () => {
    const v = await viewerOfTwoPanes({ binding: ['show-messages', 'extra'] });
    v.press(`${PREFIX}X`);
    expect(screen(await v.shown())[ROWS - 1]).toContain('usage: show-messages [-JT] [-t target-client]');
    const jobs = await viewerOfTwoPanes({ binding: ['show-messages', '-J'] });
    jobs.press(`${PREFIX}X`);
    expect(screen(await jobs.shown())[0]).toContain('left pane text');
  });
});

describe('clock-mode for a viewer', () => {
  // 14:59:58 local time on some day: the minute turns two seconds after the clock is shown.
  const start = new Date(2026, 11, 3, 14, 59, 58).getTime();

  it("draws the time in big blocks over the active pane, turns with the minute, and leaves at a key", async () => {
    const v = await viewerOfTwoPanes({ start });
    v.press(`${PREFIX}t`);
    let term = await v.shown();
    // The right pane (30×20 at column 30): "14:59" is 5 glyphs of 6 columns from column 30, rows 7–11.
    const glyphColumns = (t: typeof term, glyph: number): string =>
      [0, 1, 2, 3, 4].map((r) => [0, 1, 2, 3, 4].map((c) => (bgOf(cellAt(t, 30 + glyph * 6 + c, 7 + r)) === 4 ? '#' : '.')).join('')).join('/');
    expect(glyphColumns(term, 0)).toBe('....#/....#/....#/....#/....#'); // 1
    expect(glyphColumns(term, 2)).toBe('...../..#../...../..#../.....'); // :
    expect(glyphColumns(term, 4)).toBe('#####/#...#/#####/....#/#####'); // 9
    expect(screen(term)[0]!.slice(30).trim()).toBe(''); // the pane is blank around it
    expect(screen(term)[0]!.slice(0, 14)).toBe('left pane text');
    v.advance(2000);
    term = await v.shown();
    expect(glyphColumns(term, 0)).toBe('....#/....#/....#/....#/....#');
    expect(glyphColumns(term, 3)).toBe('#####/#...#/#...#/#...#/#####'); // 15:00
    expect(glyphColumns(term, 4)).toBe('#####/#...#/#...#/#...#/#####');
    v.press('x');
    term = await v.shown();
    expect(screen(term)[0]).toContain('right pane text');
    expect(v.sent).toEqual([]); // the key that left was used up
  });

  it('lets the prefix through, closing the clock', async () => {
    const v = await viewerOfTwoPanes({ start });
    v.press(`${PREFIX}t`);
    v.press(`${PREFIX}q`);
    const rows = screen(await v.shown());
    expect(rows[0]).toContain('right pane text');
    expect(rows[0]).toContain('30x20');
  });
});

describe('find-window for a viewer', () => {
  const windows: StatusWindow[] = [
    { index: 0, name: 'bash', active: true, last: false, panes: 1 },
    { index: 1, name: 'build', active: false, last: true, panes: 2 },
    { index: 2, name: 'logs', active: false, last: false, panes: 1, zoomed: true },
  ];
  const searchable: SearchableWindow[] = [
    { index: 0, name: 'bash', panes: [['$ ls']] },
    { index: 1, name: 'build', panes: [['$ make'], ['cc -o app', 'error: x undeclared']] },
    { index: 2, name: 'logs', panes: [['GET /error 500']] },
  ];

  it('switches at once to the one window that matches, from the C-b f prompt', async () => {
    const v = await viewerOfTwoPanes({ windows, searchable });
    v.press(`${PREFIX}f`);
    v.press('make\r');
    expect(v.ran).toEqual([['select-window', '-t', ':1']]);
  });

  it('lists several matches with where they matched, and choosing selects the pane that matched too', async () => {
    const v = await viewerOfTwoPanes({ windows, searchable });
    v.press(`${PREFIX}f`);
    v.press('error\r');
    const rows = screen(await v.shown());
    expect(rows.slice(0, 2).map((row) => row.slice(30))).toEqual(['(0)  1: build [60x20] (2 pane ', '(1)  2: logs [60x20] (1 panes ']);
    v.press('0');
    expect(v.ran).toEqual([['select-pane', '-t', ':1.1'], ['select-window', '-t', ':1']]);
    v.press(`${PREFIX}f`);
    v.press('error\r');
    v.press('1'); // window 2 is zoomed: only the window is selected
    expect(v.ran.slice(2)).toEqual([['select-window', '-t', ':2']]);
  });

  it('says so when nothing matches', async () => {
    const v = await viewerOfTwoPanes({ windows, searchable });
    v.press(`${PREFIX}f`);
    v.press('absent\r');
    expect(screen(await v.shown())[ROWS - 1]).toContain('No windows matching: absent');
    expect(v.ran).toEqual([]);
  });
});

describe('command names', () => {
  it("take tmux's aliases and unique prefixes, so a screen the relay draws never goes to the host", async () => {
    for (const [binding, shows] of [[['displayp'], '30x20'], [['display-p'], '30x20'], [['choose-w'], '(0)  0: bash*'], [['findw', 'pane'], '(1)  1: top [60x20]']] as const) {
      const v = await viewerOfTwoPanes({
        binding: [...binding],
        windows: [{ index: 0, name: 'bash', active: true, last: false, panes: 2 }, { index: 1, name: 'top', active: false, last: false, panes: 1 }],
        searchable: [{ index: 0, name: 'bash', panes: [['left pane'], ['right pane']] }, { index: 1, name: 'top', panes: [['a pane']] }],
      });
      v.press(`${PREFIX}X`);
      const rows = screen(await v.shown());
      expect(rows.some((row) => row.includes(shows)), `${binding.join(' ')}: ${rows.slice(0, 3).join(' / ')}`).toBe(true);
      expect(v.ran).toEqual([]);
    }
  });
});

describe('the overlays under random keys', () => {
  const searchable: SearchableWindow[] = [
    { index: 0, name: 'bash', panes: [['$ ls', 'a b c']] },
    { index: 1, name: 'logs', panes: [['error one'], ['error two']] },
  ];
  const windows: StatusWindow[] = [
    { index: 0, name: 'bash', active: true, last: false, panes: 1 },
    { index: 1, name: 'logs', active: false, last: true, panes: 2 },
  ];
  const keys = [PREFIX, 'q', 'w', 's', 'f', 't', '~', '0', '1', '7', 'j', 'k', 'x', ':', 'e', '*', '\r', '\x1b', '\x1b[A', '\x1b[B', '\x1b[5~', '\x03'];

  it('never throw, always draw, and only ever run select-pane or select-window (randomized)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...keys), { minLength: 1, maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 5 }), async (typed, waits) => {
        const v = await viewerOfTwoPanes({ windows, searchable });
        typed.forEach((key, i) => {
          v.press(key);
          if (i % 12 === 0 && waits.length > 0) v.advance(waits[i % waits.length]!);
        });
        const rows = screen(await v.shown());
        expect(rows).toHaveLength(ROWS);
        for (const argv of v.ran) expect(['select-pane', 'select-window']).toContain(argv[0]);
      }),
      { numRuns: 150 },
    );
  });
});
