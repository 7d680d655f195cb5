// The relay as a drop-in tmate server: the real Debian tmate 2.4.0 client hosts, the real OpenSSH
// client views, and every assertion is on what a person would see (the viewer's bytes replayed
// into a headless xterm) or on what the host's own tmate reports.
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startTestRelay, onCleanup } from '../helpers/relay-fixture.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { ApiClient } from '../helpers/api-client.js';
import { waitFor } from '../helpers/wait.js';
import type { SshViewer } from '../helpers/ssh-viewer.js';
import type { TmateHost } from '../helpers/tmate-host.js';

const TOKEN = '[abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789]{25}';
const PROMPT = /^\$ ?$/m;

async function waitForPrompt(viewer: SshViewer): Promise<void> {
  await viewer.waitForScreen((screen) => PROMPT.test(screen), 'the shell prompt "$ "');
}

/** Types a command once the prompt is there and waits for its output. */
async function run(viewer: SshViewer, command: string, expected: string | RegExp): Promise<void> {
  await waitForPrompt(viewer);
  viewer.type(`${command}\r`);
  await viewer.waitForText(expected);
}

async function hostValue(host: TmateHost, format: string, expected: string): Promise<void> {
  await waitFor(async () => (await host.display(format)) === expected, {
    describe: () => `host ${format} to become ${expected}`,
  });
}

/**
 * Waits until the viewer shows, row for row, what tmate's own grid holds for a pane (`target`, or
 * the active one) at `top`, `width` columns wide; returns the host's rows.
 */
async function showsHostRows(host: TmateHost, viewer: SshViewer, area: { target?: string; top: number; width: number; height: number }): Promise<string[]> {
  let hostRows: string[] = [];
  const viewerRows = (): string[] => viewer.lines().slice(area.top, area.top + area.height).map((line) => line.slice(0, area.width).trimEnd());
  await waitFor(
    async () => {
      hostRows = (await host.capturePane(area.target)).split('\n').slice(0, area.height).map((line) => line.trimEnd());
      await viewer.flush();
      return viewerRows().join('\n') === hostRows.join('\n');
    },
    { describe: () => `the viewer's rows to be the host's:\n${hostRows.join('\n')}\n--- viewer ---\n${viewerRows().join('\n')}` },
  );
  return hostRows;
}

describe('stock tmate 2.4.0 host through the relay', () => {
  it('becomes ready and prints our connection strings', async () => {
    const f = await startTestRelay();
    const { host, rw, ro } = await f.readyHost();
    expect(rw).toMatch(new RegExp(`^${TOKEN}$`));
    expect(ro).toMatch(new RegExp(`^ro-${TOKEN}$`));
    expect(await host.sshCommand()).toBe(`ssh -p ${f.port} ${rw}@127.0.0.1`);
    expect(await host.sshRoCommand()).toBe(`ssh -p ${f.port} ${ro}@127.0.0.1`);
    const web = `http://127.0.0.1:${f.running.httpPort}/t/${rw}`;
    const webRo = `http://127.0.0.1:${f.running.httpPort}/t/${ro}`;
    expect(await host.display('#{tmate_web}')).toBe(web);
    expect(await host.display('#{tmate_web_ro}')).toBe(webRo);
    await host.waitForMessage(`ssh session: ssh -p ${f.port} ${rw}@127.0.0.1`);
    const messages = (await host.messages()).filter((m) => /^(web|ssh) session/.test(m));
    expect(messages).toEqual([
      `web session read only: ${webRo}`,
      `ssh session read only: ssh -p ${f.port} ${ro}@127.0.0.1`,
      `web session: ${web}`,
      `ssh session: ssh -p ${f.port} ${rw}@127.0.0.1`,
    ]);
  });

  it('shows the host output to a viewer, with a status line, and tells the host who joined', async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    await host.sendText('echo host-says-$((40+2))\n');
    const viewer = await f.viewer(rw);
    await viewer.waitForText('host-says-42');
    await viewer.waitForScreen((s) => /\[tmate\] 0:\S+\*/.test(viewer.line(viewer.rows - 1)) && s.includes('1 connected'), 'status line');
    await host.waitForMessage(/A mate has joined \(127\.0\.0\.1, SHA256:[A-Za-z0-9+/]{43}\)/);
  });

  it('runs what a viewer types on the host', async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const viewer = await f.viewer(rw);
    await run(viewer, 'echo typed-$((6*7))', 'typed-42');
    expect(await host.capturePane()).toContain('typed-42');
  });

  it('creates a window with C-b c and returns with C-b 0', async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const viewer = await f.viewer(rw);
    await waitForPrompt(viewer);
    viewer.press('C-b', 'c');
    await hostValue(host, '#{session_windows}', '2');
    await viewer.waitForScreen(() => /0:\S+- 1:\S+\*/.test(viewer.line(viewer.rows - 1)), 'window 1 active in the status line');
    await run(viewer, 'echo in-window-one', 'in-window-one');
    viewer.press('C-b', '0');
    await hostValue(host, '#{window_index}', '0');
    await viewer.waitForScreen((s) => /0:\S+\* 1:\S+-/.test(viewer.line(viewer.rows - 1)) && !s.includes('in-window-one'), 'back in window 0');
  });

  it('scrolls back through earlier output with C-b [ and PgUp', async () => {
    const f = await startTestRelay();
    const { rw } = await f.readyHost();
    const viewer = await f.viewer(rw);
    await run(viewer, 'seq 1 300', /^300$/m);
    await waitForPrompt(viewer);
    viewer.press('C-b', '[');
    await viewer.waitForText(/\[0\/\d+\]/);
    viewer.press('PageUp');
    await viewer.waitForScreen((s) => /\[[1-9]\d*\/\d+\]/.test(s) && !/^300$/m.test(s) && /^250$/m.test(s), 'an earlier page of seq output');
    viewer.press('q');
    await viewer.waitForScreen((s) => /^300$/m.test(s) && !/\[\d+\/\d+\]/.test(s), 'the live pane again');
  });

  it('sizes the session for the smallest read-write viewer, ignoring read-only ones', async () => {
    const f = await startTestRelay();
    const { host, rw, ro } = await f.readyHost();
    const big = await f.viewer(rw, { cols: 100, rows: 30 });
    await hostValue(host, '#{window_width}x#{window_height}', '100x29');
    const small = await f.viewer(rw, { cols: 70, rows: 20 });
    await hostValue(host, '#{window_width}x#{window_height}', '70x19');
    const tinyReadOnly = await f.viewer(ro, { cols: 40, rows: 10 });
    await waitForPrompt(tinyReadOnly);
    expect(await host.display('#{window_width}x#{window_height}')).toBe('70x19');
    await small.close();
    await hostValue(host, '#{window_width}x#{window_height}', '100x29');
    big.resize(90, 25);
    await hostValue(host, '#{window_width}x#{window_height}', '90x24');
  });

  it("shows the host's own rows after the session shrinks and grows back, also after a clear", async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const viewer = await f.viewer(rw, { cols: 100, rows: 30 });
    await hostValue(host, '#{window_width}x#{window_height}', '100x29');
    // One command line, so nothing typed ahead lands between the output and the clear.
    await run(viewer, "seq 1 80; clear; echo after''clear", /^afterclear\s*$/m);
    await waitForPrompt(viewer);
    const sameRows = async (rows: number): Promise<void> => {
      await hostValue(host, '#{window_width}x#{window_height}', `100x${rows}`);
      await showsHostRows(host, viewer, { top: 0, width: 100, height: rows });
    };
    await sameRows(29);
    viewer.resize(100, 15);
    await sameRows(14);
    viewer.resize(100, 30);
    // tmux pulls the lines the clear pushed into the history back down above the prompt.
    await sameRows(29);
    expect(viewer.lines().slice(0, 29).join('\n')).toMatch(/^80\nafterclear\s*\n\$ ?$/m);
  });

  it("shows the host's own rows and history after narrowing past the line the cursor is on", async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const viewer = await f.viewer(rw, { cols: 100, rows: 30 });
    await hostValue(host, '#{window_width}x#{window_height}', '100x29');
    await run(viewer, 'seq 1 60', /^60\s*$/m);
    await waitForPrompt(viewer);
    // A half-typed command longer than the new width: tmux rewraps the cursor's line too.
    viewer.type(`echo ${'x'.repeat(55)}`);
    await viewer.waitForText(`echo ${'x'.repeat(55)}`);
    viewer.resize(40, 30);
    await hostValue(host, '#{window_width}x#{window_height}', '40x29');
    await showsHostRows(host, viewer, { top: 0, width: 40, height: 29 });
    viewer.press('C-b', '[');
    const history = await host.display('#{history_size}');
    await viewer.waitForScreen((screen) => screen.includes(`[0/${history}]`), `copy mode's [0/${history}], the host's history`);
  });

  it("keeps the host's rows and history when narrowed and widened again while bash redraws a long line", async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const viewer = await f.viewer(rw, { cols: 80, rows: 24 });
    await hostValue(host, '#{window_width}x#{window_height}', '80x23');
    await run(viewer, 'clear', /^\$ ?$/m);
    // A long command, typed and not run: bash redraws it after each resize with EL over its old
    // rows, which tmux keeps joined to the rows above, so its reflow rejoins them.
    const command = `echo ${'abcdefghij'.repeat(15)}`;
    viewer.type(command);
    await viewer.waitForText(command.slice(-30));
    const sameAsHost = async (cols: number): Promise<void> => {
      viewer.resize(cols, 24);
      await hostValue(host, '#{window_width}x#{window_height}', `${cols}x23`);
      await showsHostRows(host, viewer, { top: 0, width: cols, height: 23 });
      viewer.press('C-b', '[');
      const history = await host.display('#{history_size}');
      await viewer.waitForScreen((screen) => screen.includes(`[0/${history}]`), `copy mode's [0/${history}], the host's history`);
      viewer.press('q');
      await hostValue(host, '#{pane_in_mode}', '0');
    };
    await sameAsHost(30);
    await sameAsHost(50);
  });

  it("shows a pane's own rows after a split narrows it (lines rewrapped, new pane without scrollback)", async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const viewer = await f.viewer(rw, { cols: 100, rows: 30 });
    await hostValue(host, '#{window_width}x#{window_height}', '100x29');
    await run(viewer, "clear; for i in 1 2 3; do printf 'row%d %080d\\n' $i 0; done", /^row3 /m);
    viewer.press('C-b', '"');
    await viewer.waitForScreen((s) => s.includes('─'), 'the horizontal split');
    await run(viewer, "for i in 4 5 6; do printf 'row%d %080d\\n' $i 0; done", /^row6 /m);
    viewer.press('C-b', '%');
    await viewer.waitForScreen((s) => s.includes('│'), 'the vertical split of the lower pane');
    const pane = (await host.tmateChecked(['display', '-p', '-t', '%1', '#{pane_top} #{pane_width} #{pane_height}'])).trim().split(' ').map(Number);
    const [top, width, height] = pane as [number, number, number];
    const hostRows = await showsHostRows(host, viewer, { target: '%1', top, width, height });
    expect(hostRows.join('\n')).toContain('row6');
  });

  it("lists windows and panes at a viewer's C-b : prompt as tmate itself lists them (layout string, ids, sizes, history)", async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const viewer = await f.viewer(rw, { cols: 100, rows: 30 });
    await hostValue(host, '#{window_width}x#{window_height}', '100x29');
    await run(viewer, 'seq 1 50', /^50$/m);
    viewer.press('C-b', '"');
    await viewer.waitForScreen((s) => s.includes('─'), 'the horizontal split');
    viewer.press('C-b', '%');
    await viewer.waitForScreen((s) => s.includes('│'), 'the vertical split of the lower pane');
    await hostValue(host, '#{window_panes}', '3');
    // Right after a split tmux may name the window `[tmux]` for a moment (automatic rename while
    // the new pane's shell starts): compare once its name is the shell's again.
    await hostValue(host, '#{window_name}', 'bash');
    const windows = '#{window_index} #{window_name}#{window_flags} #{window_panes} #{window_layout}';
    const panes = '#{pane_index} #{pane_id} #{pane_width}x#{pane_height} #{pane_left},#{pane_top} #{pane_active} #{history_size}/#{history_limit}';
    const compare = async (command: string[]): Promise<void> => {
      const expected = (await host.tmateChecked(command)).trimEnd().split('\n');
      viewer.press('C-b', ':');
      await viewer.waitForScreen((s) => /^:\s*$/m.test(s), 'the command prompt');
      viewer.type(`${command[0]} -F '${command[2]}'\r`);
      const shown = (): string[] => viewer.lines().slice(0, expected.length).map((line) => line.replace(/\s*\[\d+\/\d+\]\s*$/, '').trimEnd());
      await viewer.waitForScreen(() => shown().join('\n') === expected.join('\n'), `${command[0]} as the host lists it:\n${expected.join('\n')}`);
      viewer.press('q');
    };
    await compare(['list-windows', '-F', windows]);
    await compare(['list-panes', '-F', panes]);
    // Zoomed: the layout tmux keeps is the one before the zoom, the visible one is the pane alone.
    viewer.press('C-b', 'z');
    await hostValue(host, '#{window_zoomed_flag}', '1');
    await compare(['list-windows', '-F', windows]);
    await compare(['list-windows', '-F', '#{window_flags} #{window_visible_layout}']);
  });

  it('ignores what a read-only viewer types, but lets it detach', async () => {
    const f = await startTestRelay();
    const { host, ro } = await f.readyHost();
    const viewer = await f.viewer(ro);
    await waitForPrompt(viewer);
    await viewer.waitForText('[read-only]');
    viewer.type('echo ro-typed\r');
    viewer.press('C-b', 'd');
    const exit = await viewer.waitForExit();
    expect(viewer.rawOutput()).toContain('[detached (from session tmate)]');
    expect(exit.exitCode).toBe(0);
    expect(await host.capturePane()).not.toContain('ro-typed');
  });

  it('detaches a read-write viewer with C-b d and leaves the session running', async () => {
    const f = await startTestRelay();
    const { host, rw } = await f.readyHost();
    const viewer = await f.viewer(rw);
    await waitForPrompt(viewer);
    viewer.press('C-b', 'd');
    await viewer.waitForExit();
    expect(viewer.rawOutput()).toContain('[detached (from session tmate)]');
    await host.waitForMessage(/A mate has left/);
    expect(host.isRunning()).toBe(true);
  });

  it('rejects a viewer without a key, unless keyless viewers are allowed', async () => {
    const strict = await startTestRelay();
    const { rw } = await strict.readyHost();
    const keyless = await strict.viewer(rw, { identityFile: null });
    const exit = await keyless.waitForExit();
    expect(exit.exitCode).toBe(255);
    expect(keyless.rawOutput()).toContain('Permission denied (publickey)');

    const open = await startTestRelay({ allowKeyless: true });
    const session = await open.readyHost();
    const admitted = await open.viewer(session.rw, { identityFile: null });
    await waitForPrompt(admitted);
    // A viewer that has a key is known by it on a keyless relay too (OpenSSH asks with `none` first).
    const withKey = await open.viewer(session.rw, { identityFile: open.key.privatePath });
    await waitForPrompt(withKey);
    const api = ApiClient.of(open);
    const id = open.running.relay.registry.lookup(session.rw)!.session.id;
    const clients = (await api.call<{ clients: { fingerprint: string | null }[] }>('GET', `/api/sessions/${id}`)).body.clients;
    expect(clients.map((c) => c.fingerprint).sort()).toEqual([open.key.fingerprint, null].sort());
  });

  it('answers an unknown token with one clear line', async () => {
    const f = await startTestRelay();
    const viewer = await f.viewer('NoSuchTokenAbcdefghijkLMNPQ');
    const exit = await viewer.waitForExit();
    expect(viewer.rawOutput()).toContain('Invalid or expired session token');
    expect(exit.exitCode).not.toBe(0);
    const malformed = await f.viewer('a.b');
    await malformed.waitForExit();
    expect(malformed.rawOutput()).toContain('Invalid session token');
  });

  it('admits only the listed keys when the host used -a', async () => {
    const f = await startTestRelay({ allowKeyless: true });
    const keysFile = `${f.dir.path}/authorized_keys`;
    await writeFile(keysFile, `# team\n${f.key.publicLine}\n`);
    const { host, rw, ro } = await f.readyHost({ extraArgs: ['-a', keysFile] });
    // No web links: a browser has no key to check.
    expect(await host.display('#{tmate_web}')).toBe('');
    expect(await host.display('#{tmate_web_ro}')).toBe('');
    expect(await host.display('#{tmate_ssh_ro}')).toBe(`ssh -p ${f.port} ${ro}@127.0.0.1`);
    for (const [user, identityFile] of [
      [rw, f.otherKey.privatePath],
      [ro, f.otherKey.privatePath],
      [rw, null],
    ] as const) {
      const denied = await f.viewer(user, { identityFile });
      expect((await denied.waitForExit()).exitCode).toBe(255);
      expect(denied.rawOutput()).toContain('Permission denied (publickey)');
    }
    const listed = await f.viewer(rw, { identityFile: f.key.privatePath });
    await waitForPrompt(listed);
  });

  it('honours -n and -r session names', async () => {
    const f = await startTestRelay();
    const { host, rw, ro } = await f.readyHost({ extraArgs: ['-n', 'team-debug', '-r', 'team-watch'] });
    expect(rw).toBe('team-debug');
    expect(ro).toBe('team-watch');
    expect(await host.sshCommand()).toBe(`ssh -p ${f.port} team-debug@127.0.0.1`);
    const watcher = await f.viewer('team-watch');
    await watcher.waitForText('[read-only]');
    // The session's name is its read-write token: read-only viewers see the read-only name.
    await watcher.waitForScreen(() => watcher.line(watcher.rows - 1).startsWith('[team-watch] '), 'the read-only name in the status line');
    watcher.press('C-b', 'W');
    await watcher.waitForText('connected to [team-watch]');
    expect(watcher.screen()).not.toContain('team-debug');
    const page = await fetch(`http://127.0.0.1:${f.running.httpPort}/t/team-watch`).then((r) => r.text());
    expect(page).toContain('team-watch');
    expect(page).not.toContain('team-debug');
    const member = await f.viewer('team-debug');
    await member.waitForScreen(() => member.line(member.rows - 1).startsWith('[team-debug] '), 'the session name for a read-write viewer');
  });

  it('gives a read-write name that starts with ro- a random token instead (it would pass for a read-only one)', async () => {
    const f = await startTestRelay();
    const { host, rw, ro } = await f.readyHost({ extraArgs: ['-n', 'ro-looks-safe'] });
    expect(rw).toMatch(new RegExp(`^${TOKEN}$`));
    expect(ro).toMatch(new RegExp(`^ro-${TOKEN}$`));
    await waitFor(async () => (await host.messages()).some((m) => m.includes('"ro-looks-safe" starts with ro-')), { describe: () => 'the note about the name' });
  });

  it('disconnects viewers with the reason when every window exits', async () => {
    const f = await startTestRelay();
    const { host, rw, ro } = await f.readyHost();
    const writer = await f.viewer(rw);
    const watcher = await f.viewer(ro);
    await waitForPrompt(watcher);
    await waitForPrompt(writer);
    writer.type('exit\r');
    for (const viewer of [writer, watcher]) {
      await viewer.waitForExit();
      expect(viewer.rawOutput()).toContain('session ended: every window exited');
    }
    await host.exited;
    const late = await f.viewer(rw);
    await late.waitForExit();
    expect(late.rawOutput()).toContain('Invalid or expired session token');
  });

  it('keeps the tokens and the viewers when the host connection drops and comes back', async () => {
    const f = await startTestRelay();
    const proxy = await startTcpProxy(f.port);
    onCleanup(() => proxy.close());
    const { host, rw } = await f.readyHost({ port: proxy.port });
    const before = await host.sshCommand();
    const viewer = await f.viewer(rw);
    await run(viewer, 'echo before-drop', 'before-drop');
    proxy.cut();
    await viewer.waitForText(/host disconnected|\[host away\]/);
    await viewer.waitForScreen((s) => /host reconnected/.test(s) || !/host disconnected|\[host away\]/.test(s), 'the host to come back', 20_000);
    expect(await host.sshCommand()).toBe(before);
    // The relay rebuilt the pane from the host's SNAPSHOT: output from before the drop is still there.
    expect(viewer.screen()).toContain('before-drop');
    expect(proxy.accepted).toBeGreaterThanOrEqual(2);
    await run(viewer, 'echo after-reconnect', 'after-reconnect');
    await host.waitForMessage('Reconnected');
  });
});
