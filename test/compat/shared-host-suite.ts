// One suite of relay-side expectations that every kind of host must meet: the stock tmate 2.4.0
// client, and our own host engine over SSH and over WebSocket. A viewer (real OpenSSH) must not be
// able to tell them apart.
import { describe, expect, it } from 'vitest';
import { onCleanup, startTestRelay, type RelayFixture } from '../helpers/relay-fixture.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import type { CellInfo, SshViewer } from '../helpers/ssh-viewer.js';
import { EngineHost } from '../helpers/engine-host.js';
import { ApiClient } from '../helpers/api-client.js';
import { waitFor } from '../helpers/wait.js';

export interface HostHandle {
  rw: string;
  ro: string;
  isRunning(): boolean;
  /** Resolves when the host process has exited. */
  gone(): Promise<void>;
}

export interface HostDriver {
  name: string;
  /** Starts a host against the relay; `port` overrides the relay port it connects to (a proxy). */
  start(f: RelayFixture, port?: number): Promise<HostHandle>;
  /** The relay port this driver connects to (SSH or HTTP), for putting a proxy in front. */
  relayPort(f: RelayFixture): number;
}

const PROMPT = /^\$ ?$/m;

export async function waitForPrompt(viewer: SshViewer): Promise<void> {
  await viewer.waitForScreen((screen) => PROMPT.test(screen), 'the shell prompt "$ "');
}

export async function run(viewer: SshViewer, command: string, expected: string | RegExp): Promise<void> {
  await waitForPrompt(viewer);
  viewer.type(`${command}\r`);
  await viewer.waitForText(expected);
}

function statusLine(viewer: SshViewer): string {
  return viewer.line(viewer.rows - 1);
}

/** A relay, a host of this driver's kind and one viewer at the shell prompt. */
async function viewerAtPrompt(driver: HostDriver): Promise<{ f: RelayFixture; host: HostHandle; viewer: SshViewer }> {
  const f = await startTestRelay();
  const host = await driver.start(f);
  const viewer = await f.viewer(host.rw);
  await waitForPrompt(viewer);
  return { f, host, viewer };
}

/** A viewer at the prompt after `seq 1 300`: history to scroll through. */
async function viewerAfterSeq300(driver: HostDriver): Promise<SshViewer> {
  const { viewer } = await viewerAtPrompt(driver);
  await run(viewer, 'seq 1 300', /^300$/m);
  await waitForPrompt(viewer);
  return viewer;
}

/** A 100×30 viewer at the prompt after C-b % split the window into two panes side by side. */
async function viewerAfterSplit(driver: HostDriver): Promise<SshViewer> {
  const f = await startTestRelay();
  const host = await driver.start(f);
  const viewer = await f.viewer(host.rw, { cols: 100, rows: 30 });
  await waitForPrompt(viewer);
  viewer.press('C-b', '%');
  await viewer.waitForScreen(() => viewer.lines().slice(0, 5).every((line) => line.includes('│')), 'a vertical border');
  return viewer;
}

/** Copy mode scrolled up from the bottom by about a page of the 30-row viewer. */
function showsEarlierPage(screen: string): boolean {
  return /\[[1-9]\d*\/\d+\]/.test(screen) && !/^300$/m.test(screen) && /^250$/m.test(screen);
}

export function defineHostSuite(driver: HostDriver): void {
  describe(`relay expectations with ${driver.name}`, () => {
    it('registers, and a viewer sees the prompt and runs a command', async () => {
      const f = await startTestRelay();
      const host = await driver.start(f);
      const viewer = await f.viewer(host.rw);
      await run(viewer, 'echo shared-$((2*21))', 'shared-42');
      await viewer.waitForScreen(() => /0:\S+\*/.test(statusLine(viewer)), 'the status line with window 0 active');
    });

    it("counts the host's bytes both ways in the relay's metrics", async () => {
      const f = await startTestRelay();
      const host = await driver.start(f);
      const viewer = await f.viewer(host.rw);
      await run(viewer, 'echo counted-$((6*7))', 'counted-42');
      const api = ApiClient.of(f);
      // The host sent a screen with the output; the relay sent it keys (one PANE_KEY per byte typed).
      expect(await api.metric('tmate_relay_bytes_received_total', 'peer="host"')).toBeGreaterThan(200);
      expect(await api.metric('tmate_relay_bytes_sent_total', 'peer="host"')).toBeGreaterThan(20);
    });

    it("draws colours as each viewer's terminal shows them (TERM, COLORTERM), as tmux does", async () => {
      const { f, host, viewer } = await viewerAtPrompt(driver);
      const truecolour = await f.viewer(host.rw, { env: { COLORTERM: 'truecolor' }, extraArgs: ['-o', 'SendEnv=COLORTERM'] });
      const eightColour = await f.viewer(host.rw, { env: { TERM: 'xterm' } });
      await run(viewer, "printf '\\033[38;2;255;0;0m%s\\033[0m \\033[92m%s\\033[0m\\n' TRUE''RED BRIGHT''GREEN", /^TRUERED BRIGHTGREEN$/m);
      const cells = async (v: SshViewer): Promise<[CellInfo, CellInfo]> => {
        await v.waitForText(/^TRUERED BRIGHTGREEN$/m);
        const y = v.lines().findIndex((line) => line.startsWith('TRUERED BRIGHTGREEN'));
        return [v.cellAt(0, y), v.cellAt(8, y)];
      };
      // xterm-256color (the default here): the nearest palette entry, as tmux draws for that TERM.
      const [red256, green256] = await cells(viewer);
      expect([red256.fgMode, red256.fg, green256.fgMode, green256.fg]).toEqual(['palette', 196, 'palette', 10]);
      const [redRgb] = await cells(truecolour);
      expect([redRgb.fgMode, redRgb.fg]).toEqual(['rgb', 0xff0000]);
      // xterm has 8 colours: bright red and green become red and green, drawn bold.
      const [red8, green8] = await cells(eightColour);
      expect([red8.fgMode, red8.fg, red8.bold, green8.fg, green8.bold]).toEqual(['palette', 1, true, 2, true]);
    });

    it("draws a pane program's standout (screen's smso, SGR 3) in reverse video, as tmux and tmate do", async () => {
      const { viewer } = await viewerAtPrompt(driver);
      // The pane's TERM is screen(-256color), whose smso is SGR 3: less and man highlight with it.
      await run(viewer, 'printf "%s%s%s %s\\n" "$(tput smso)" STAND\'\'OUT "$(tput rmso)" plain', /^STANDOUT plain$/m);
      const y = viewer.lines().findIndex((line) => line.startsWith('STANDOUT plain'));
      const standout = viewer.cellAt(0, y);
      const plain = viewer.cellAt(9, y);
      expect([standout.chars, standout.inverse, standout.italic]).toEqual(['S', true, false]);
      expect([plain.chars, plain.inverse, plain.italic]).toEqual(['p', false, false]);
    });

    it("rings the viewers' terminals for a bell, and marks a window that rang in the background with !", async () => {
      const { viewer } = await viewerAtPrompt(driver);
      const bells = (): number => viewer.rawOutput().split('\x07').length - 1;
      await run(viewer, "printf 'ring\\a%s\\n' -here", /^ring-here$/m);
      await viewer.waitForScreen(() => bells() === 1, 'one BEL written to the viewer');
      viewer.press('C-b', 'c');
      await viewer.waitForScreen(() => /0:\S+- 1:\S+\*/.test(statusLine(viewer)), 'window 1 active');
      await run(viewer, "sleep 2; printf 'late\\a%s\\n' -ring", /^\$ sleep 2/m);
      viewer.press('C-b', '0');
      await viewer.waitForScreen(() => /0:\S+\* 1:\S+!-/.test(statusLine(viewer)) && bells() === 2, 'window 1 flagged ! after its bell');
      viewer.press('C-b', '1');
      await viewer.waitForScreen(() => /0:\S+- 1:\S+\*(\s|$)/.test(statusLine(viewer)) && viewer.screen().includes('late-ring'), 'the flag gone once window 1 is shown');
    });

    it('switches windows with C-b c, C-b 1 and C-b 0', async () => {
      const { viewer } = await viewerAtPrompt(driver);
      viewer.press('C-b', 'c');
      await viewer.waitForScreen(() => /0:\S+- 1:\S+\*/.test(statusLine(viewer)), 'window 1 active');
      await run(viewer, 'echo in-window-one', 'in-window-one');
      viewer.press('C-b', '0');
      await viewer.waitForScreen((s) => /0:\S+\* 1:\S+-/.test(statusLine(viewer)) && !s.includes('in-window-one'), 'window 0 active');
      viewer.press('C-b', '1');
      await viewer.waitForScreen((s) => /1:\S+\*/.test(statusLine(viewer)) && s.includes('in-window-one'), 'window 1 again');
    });

    it('lists the windows with C-b w (and under the session with C-b s), and switches to the one chosen', async () => {
      const { viewer } = await viewerAtPrompt(driver);
      viewer.press('C-b', 'c');
      await viewer.waitForScreen(() => /0:\S+- 1:\S+\*/.test(statusLine(viewer)), 'window 1 active');
      await run(viewer, 'echo in-window-one', 'in-window-one');
      viewer.press('C-b', 'w');
      await viewer.waitForScreen(() => /^\(0\)  0: \S+- \(1 panes\) \[\d+x\d+\]/.test(viewer.line(0)) && /^\(1\)  1: \S+\* \(1 panes\)/.test(viewer.line(1)), 'both windows listed');
      const selected = viewer.cellAt(0, 1);
      expect([selected.bgMode, selected.bg]).toEqual(['palette', 3]); // the current window, in mode-style
      viewer.press('Up');
      await viewer.waitForScreen(() => viewer.cellAt(0, 0).bg === 3 && viewer.cellAt(0, 1).bg !== 3, 'window 0 selected');
      viewer.press('Enter');
      await viewer.waitForScreen((s) => /0:\S+\* 1:\S+-/.test(statusLine(viewer)) && !s.includes('(1 panes)') && !s.includes('in-window-one'), 'window 0 shown, the list gone');
      viewer.press('C-b', 's');
      await viewer.waitForScreen(() => /^\(0\)  \S+: 2 windows \(attached\)/.test(viewer.line(0)) && /^\(2\)  └─> 1: /.test(viewer.line(2)), 'the session tree (C-b s)');
      viewer.press('Down', 'Enter');
      await viewer.waitForScreen((s) => /0:\S+- 1:\S+\*/.test(statusLine(viewer)) && s.includes('in-window-one'), 'window 1 chosen from the tree');
    });

    it('finds a window by what it shows with C-b f, and lists several matches to choose from', async () => {
      const { viewer } = await viewerAtPrompt(driver);
      await run(viewer, 'echo needle-$((6*7))', 'needle-42');
      viewer.press('C-b', 'c');
      await viewer.waitForScreen(() => /0:\S+- 1:\S+\*/.test(statusLine(viewer)), 'window 1 active');
      await run(viewer, 'echo other-$((6*7))', 'other-42');
      viewer.press('C-b', 'f');
      await viewer.waitForScreen(() => statusLine(viewer).startsWith('(find-window)'), 'the find-window prompt');
      viewer.type('needle\r');
      await viewer.waitForScreen((s) => /0:\S+\* 1:\S+-/.test(statusLine(viewer)) && s.includes('needle-42'), 'window 0, the one that shows the needle');
      viewer.press('C-b', 'f');
      await viewer.waitForScreen(() => statusLine(viewer).startsWith('(find-window)'), 'the find-window prompt again');
      viewer.type('[er]-42\r'); // fnmatch; a bare -42 would be read as flags, as tmux reads it
      await viewer.waitForScreen(() => /^\(0\)  0: .*pane 0 line \d+: "needle-42"/.test(viewer.line(0)) && /^\(1\)  1: .*"other-42"/.test(viewer.line(1)), 'both windows listed with their matching lines');
      viewer.press('1');
      await viewer.waitForScreen((s) => /0:\S+- 1:\S+\*/.test(statusLine(viewer)) && s.includes('other-42') && !s.includes('(1)'), 'window 1 chosen');
    });

    it("lists a viewer's past status-line messages with C-b ~: who joined, and when", async () => {
      const { f, host, viewer } = await viewerAtPrompt(driver);
      await f.viewer(host.rw);
      await viewer.waitForScreen(() => statusLine(viewer).includes('A mate has joined'), 'the join notice');
      viewer.press('C-b', '~');
      await viewer.waitForScreen(() => /^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} A mate has joined \(127\.0\.0\.1/.test(viewer.line(0)), 'the notice listed with its time');
      viewer.press('q');
      await run(viewer, 'echo after-messages-$((6*7))', 'after-messages-42');
    });

    it('says which keys need a screen of their own (C-b D), and the session goes on', async () => {
      const { viewer } = await viewerAtPrompt(driver);
      viewer.press('C-b', 'D');
      await viewer.waitForScreen(() => statusLine(viewer).includes('choose-client is not available to viewers'), 'the choose-client notice');
      await run(viewer, 'echo no-mode-$((6*7))', 'no-mode-42');
    });

    it('lists the key bindings with C-b ?, scrolls through them, and leaves with q', async () => {
      const { viewer } = await viewerAtPrompt(driver);
      viewer.press('C-b', '?');
      // The end of the list first, as tmux shows command output: the root table sorts after prefix.
      await viewer.waitForScreen((s) => /^bind-key\s+(-r\s+)?-T root\s+\S+/m.test(s) && /\[\d+\/\d+\]/.test(s), 'the last bindings, root table');
      viewer.press('g');
      await viewer.waitForScreen((s) => /^bind-key\s+-T prefix C-b\s+send-prefix /.test(s) && /\[(\d+)\/\1\]/.test(s), 'the top: C-b send-prefix');
      viewer.press('PageDown');
      await viewer.waitForScreen((s) => /^bind-key\s+-T prefix c\s+new-window\s*$/m.test(s), 'the next page: c new-window');
      viewer.press('q');
      await viewer.waitForScreen((s) => PROMPT.test(s) && !s.includes('bind-key'), 'the pane again');
      await run(viewer, 'echo after-keys-$((6*7))', 'after-keys-42');
    });

    it('renames the window from its prompt (C-b ,) and runs a typed command (C-b :)', async () => {
      const { viewer } = await viewerAtPrompt(driver);
      viewer.press('C-b', ',');
      await viewer.waitForScreen(() => /^\(rename-window\) \S+/.test(statusLine(viewer)), 'the rename prompt holding the window name');
      viewer.press('C-u');
      viewer.type('logs\r');
      await viewer.waitForScreen(() => /0:logs\*/.test(statusLine(viewer)), 'window 0 named logs');
      viewer.press('C-b', ':');
      await viewer.waitForScreen(() => /^:\s*$/.test(statusLine(viewer)), 'the empty command prompt');
      viewer.type('new-window -n second\r');
      await viewer.waitForScreen(() => /0:logs- 1:second\*/.test(statusLine(viewer)), 'a second window, named by the typed command');
      viewer.press('C-b', ',');
      await viewer.waitForScreen(() => statusLine(viewer).startsWith('(rename-window) second'), 'the prompt for window 1');
      viewer.press('Escape');
      await viewer.waitForScreen(() => /0:logs- 1:second\*/.test(statusLine(viewer)), 'the status line again, nothing renamed');
      await run(viewer, 'echo after-prompt-$((6*7))', 'after-prompt-42');
    });

    it('splits the window with C-b % and draws the border', async () => {
      const viewer = await viewerAfterSplit(driver);
      viewer.type('echo right-side\r');
      await viewer.waitForScreen(() => viewer.lines().some((line) => line.indexOf('right-side') > 50), 'output in the right pane');
    });

    it("passes the mouse to a pane's program that asked for it, in the pane's coordinates, as tmux does with mouse off", async () => {
      const viewer = await viewerAfterSplit(driver);
      const xoff = viewer.line(0).indexOf('│') + 1;
      expect(viewer.rawOutput()).not.toContain('\x1b[?1000h');
      // The right pane's program turns on press/release reports in SGR, then shows what it reads.
      viewer.type("printf '\\033[?1000h\\033[?1006h'; stty -icanon -echo; cat -v\r");
      await waitFor(() => viewer.rawOutput().includes('\x1b[?1000h\x1b[?1006h'), { describe: () => "the viewer's terminal asked to report the mouse" });
      // A click in the left pane is not the active pane's: nothing goes.
      viewer.type('\x1b[<0;3;4M\x1b[<0;3;4m');
      // Press and release at viewer column xoff + 9 (1-based), row 4: the pane's column 9.
      viewer.type(`\x1b[<0;${xoff + 9};4M\x1b[<0;${xoff + 9};4m`);
      await viewer.waitForText('^[[<0;9;4M^[[<0;9;4m');
      expect(viewer.screen()).not.toContain(';3;4M');
    });

    it('shows the pane numbers (display-panes, C-b q), and a digit pressed meanwhile selects that pane', async () => {
      const viewer = await viewerAfterSplit(driver);
      // -d 0 keeps the numbers until a key is pressed (C-b q shows them for a second: a slow machine
      // could miss that window; the unit tests time it with a manual clock).
      viewer.press('C-b', ':');
      await viewer.waitForScreen(() => /^:\s*$/.test(statusLine(viewer)), 'the empty command prompt');
      viewer.type('display-panes -d 0\r');
      // Two 50-column panes side by side (one is 50×29, the other 49×29); the right one is active.
      await viewer.waitForScreen(() => /\d\dx29│.*\d\dx29\s*$/.test(viewer.line(0)), "both panes' sizes at their top right");
      const red = viewer.cellAt(76, 12);
      expect([red.bgMode, red.bg]).toEqual(['palette', 1]); // the right side of the active pane's "1"
      viewer.press('0');
      await viewer.waitForScreen(() => !/x29/.test(viewer.line(0)), 'the numbers gone');
      viewer.type('echo left-side\r');
      await viewer.waitForScreen(() => viewer.lines().some((line) => /^left-side/.test(line)), 'output in the left pane, now active');
    });

    it('answers list-windows, list-panes and display -p at the C-b : prompt in the output view, as tmux prints them', async () => {
      const viewer = await viewerAfterSplit(driver);
      const command = async (text: string): Promise<void> => {
        viewer.press('C-b', ':');
        await viewer.waitForScreen(() => /^:\s*$/.test(statusLine(viewer)), 'the empty command prompt');
        viewer.type(`${text}\r`);
      };
      // A line of the output view, without the position indicator at the top right.
      const output = (y: number): string => viewer.line(y).replace(/\s*\[\d+\/\d+\]\s*$/, '').trimEnd();
      await command('list-windows');
      // Two 100-column panes side by side: 50 + border + 49 columns, tmux's layout string and checksum.
      const window = /^0: \S+\* \(2 panes\) \[100x29\] \[layout [0-9a-f]{4},100x29,0,0\{50x29,0,0,(\d+),49x29,51,0,(\d+)\}\] @0 \(active\)$/;
      await viewer.waitForScreen(() => window.test(output(0)), 'the window with its layout');
      viewer.press('q');
      await command('list-panes');
      await viewer.waitForScreen(
        () => /^0: \[50x29\] \[history \d+\/2000, \d+ bytes\] %\d+$/.test(output(0)) && /^1: \[49x29\] \[history \d+\/2000, \d+ bytes\] %\d+ \(active\)$/.test(output(1)),
        'both panes, the right one active',
      );
      viewer.press('q');
      await command("display -p '#{window_panes} panes, #{?pane_active,active,idle} #{pane_index} at #{pane_left}'");
      await viewer.waitForScreen(() => output(0) === '2 panes, active 1 at 51', 'the expanded format');
      viewer.press('q');
      viewer.type('echo after-lists-$((6*7))\r');
      await viewer.waitForScreen(() => viewer.lines().some((line) => line.indexOf('after-lists-42') > 50), 'the right pane typed into again');
    });

    it('marks the window Z while its pane is zoomed (C-b z)', async () => {
      const { viewer } = await viewerAtPrompt(driver);
      viewer.press('C-b', '%');
      await viewer.waitForScreen((s) => s.includes('│'), 'the split');
      viewer.press('C-b', 'z');
      await viewer.waitForScreen((s) => /0:\S+\*Z/.test(statusLine(viewer)) && !s.includes('│'), 'the zoomed pane alone, window marked *Z');
      viewer.press('C-b', 'z');
      await viewer.waitForScreen((s) => /0:\S+\*(\s|$)/.test(statusLine(viewer)) && s.includes('│'), 'both panes again, no Z');
    });

    it('scrolls back with C-b [ and PgUp, and leaves with q', async () => {
      const viewer = await viewerAfterSeq300(driver);
      viewer.press('C-b', '[');
      await viewer.waitForText(/\[0\/\d+\]/);
      viewer.press('PageUp');
      await viewer.waitForScreen(showsEarlierPage, 'an earlier page');
      viewer.press('q');
      await viewer.waitForScreen((s) => /^300$/m.test(s) && !/\[\d+\/\d+\]/.test(s), 'the live pane again');
    });

    it.each([
      ['clear', 'clear'],
      ['reset (RIS)', "printf '\\033c'"],
    ])('keeps what %s wiped in the scrollback, as tmux does, and scrolls back to it', async (what, command) => {
      const { viewer } = await viewerAtPrompt(driver);
      // One command line, so nothing typed ahead lands between the output and the clear.
      await run(viewer, `seq 1 100; ${command}; echo after''clear`, /^afterclear\s*$/m);
      viewer.press('C-b', '[');
      await viewer.waitForText(/\[0\/\d+\]/);
      viewer.press('PageUp');
      // The lines on screen when it was cleared come right before what was printed after it
      // (without the fix, a screenful of older lines comes before it, or none at all).
      const after100 = (): string | undefined => {
        const lines = viewer.lines();
        const at = lines.findIndex((line) => /^100\s*$/.test(line));
        return at < 0 ? undefined : lines[at + 1];
      };
      await viewer.waitForScreen(() => /^afterclear\s*$/.test(after100() ?? ''), `seq up to 100, then what was printed after the ${what}`);
    });

    it('enters copy mode one page up with C-b PgUp, as tmux binds it, and pages on with it', async () => {
      const viewer = await viewerAfterSeq300(driver);
      viewer.press('C-b', 'PageUp');
      await viewer.waitForScreen(showsEarlierPage, 'copy mode on an earlier page, without another key');
      const paged = viewer.screen().match(/\[\d+\/\d+\]/)?.[0];
      // The host's own report after the next key (the cursor moves, the view stays) must agree.
      const row = viewer.cursor().y;
      expect(row).toBeGreaterThan(0);
      viewer.press('Up');
      await viewer.waitForScreen(() => viewer.cursor().y === row - 1, 'the copy cursor one row up');
      expect(paged).toBeDefined();
      expect(viewer.screen()).toContain(paged);
      // Once more, already in copy mode (tmate reports nothing for it): the next page at once, and
      // the host's report after the next key agrees with it.
      const offset = (screen: string): number => Number(/\[(\d+)\/\d+\]/.exec(screen)?.[1] ?? -1);
      const first = offset(viewer.screen());
      viewer.press('C-b', 'PageUp');
      await viewer.waitForScreen((s) => offset(s) > first, 'a second page up, without another key');
      const second = viewer.screen().match(/\[\d+\/\d+\]/)?.[0];
      const row2 = viewer.cursor().y;
      expect(row2).toBeGreaterThan(0);
      viewer.press('Up');
      await viewer.waitForScreen(() => viewer.cursor().y === row2 - 1, 'the copy cursor one row up again');
      expect(viewer.screen()).toContain(second);
      viewer.press('q');
      await viewer.waitForScreen((s) => /^300$/m.test(s) && !/\[\d+\/\d+\]/.test(s), 'the live pane again');
    });

    it('ends the session when every window exits, telling viewers why', async () => {
      const { host, viewer } = await viewerAtPrompt(driver);
      viewer.type('exit\r');
      await viewer.waitForExit();
      expect(viewer.rawOutput()).toContain('session ended: every window exited');
      await host.gone();
      expect(host.isRunning()).toBe(false);
    });

    it('keeps its tokens and viewers when the connection to the relay is cut', async () => {
      const f = await startTestRelay();
      const proxy = await startTcpProxy(driver.relayPort(f));
      onCleanup(() => proxy.close());
      const host = await driver.start(f, proxy.port);
      const viewer = await f.viewer(host.rw);
      await run(viewer, 'echo before-cut', 'before-cut');
      proxy.cut();
      await viewer.waitForText(/host disconnected|\[host away\]/);
      await viewer.waitForScreen((s) => !/host disconnected|\[host away\]/.test(s), 'the host to come back', 20_000);
      expect(viewer.screen()).toContain('before-cut');
      await run(viewer, 'echo after-cut', 'after-cut');
      expect(proxy.accepted).toBeGreaterThanOrEqual(2);
    });
  });
}

/** Our host engine, started through the built CLI. */
export function engineDriver(transport: 'ssh' | 'ws'): HostDriver {
  return {
    name: `our host engine over ${transport === 'ssh' ? 'SSH' : 'WebSocket'}`,
    relayPort: (f) => (transport === 'ssh' ? f.port : f.running.httpPort),
    async start(f, port) {
      const server = transport === 'ssh' ? `127.0.0.1:${port ?? f.port}` : `ws://127.0.0.1:${port ?? f.running.httpPort}`;
      const host = EngineHost.start({ server, fingerprint: transport === 'ssh' ? f.running.keys.ed25519.fingerprint : undefined });
      onCleanup(() => host.close());
      const tokens = await host.tokens();
      return {
        rw: tokens.rw,
        ro: tokens.ro,
        isRunning: () => host.isRunning(),
        gone: async () => void (await host.exited),
      };
    },
  };
}

/** The stock tmate 2.4.0 binary. */
export const stockTmateDriver: HostDriver = {
  name: 'the stock tmate 2.4.0 client',
  relayPort: (f) => f.port,
  async start(f, port) {
    const { host, rw, ro } = await f.readyHost(port === undefined ? {} : { port });
    return { rw, ro, isRunning: () => host.isRunning(), gone: () => host.exited };
  },
};
