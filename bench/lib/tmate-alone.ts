/**
 * The stock tmate host by itself, with no server to talk to: how long it takes to drain output
 * that its pane prints. No relay can make a tmate-hosted session faster than this, so the
 * throughput figure reports it beside the relay + tmate drain.
 *
 * tmate runs headless (`new-session -d`, as in the relay target) with its server pointed at a port
 * nobody listens on (it keeps retrying in the background and works as a plain multiplexer). The
 * pane runs the command and then `tmate wait-for -S`; the time runs from sending Enter to our
 * `tmate wait-for` returning.
 */
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { SHELL_COMMAND } from './host-drivers.js';
import { makeTempDir, onCleanup, run, runChecked, sleep } from './sys.js';

/** A port on loopback where nothing listens (discard); tmate's connection attempts fail at once. */
const NO_SERVER_PORT = 9;

/** Drain times (ms) of `command` in a lone tmate pane, one per run. */
export async function tmateAloneDrainMs(command: string, size: { cols: number; rows: number }, runs: number): Promise<number[]> {
  const dir = await makeTempDir('bta-');
  const socket = join(dir.path, 's');
  const conf = join(dir.path, 'tmate.conf');
  await writeFile(conf, `set -g tmate-server-host 127.0.0.1\nset -g tmate-server-port ${NO_SERVER_PORT}\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir.path, TERM: 'xterm-256color' };
  for (const k of ['TMUX', 'TMUX_PANE', 'SSH_AUTH_SOCK', 'TMATE']) delete env[k];
  const tmate = (args: string[], timeoutMs = 15_000): Promise<string> => runChecked('tmate', ['-S', socket, ...args], { env, cwd: dir.path, timeoutMs });
  const unregister = onCleanup(() => run('tmate', ['-S', socket, 'kill-server'], { env, timeoutMs: 3000 }).then(() => undefined));
  try {
    const start = await run('tmate', ['-f', conf, '-S', socket, 'new-session', '-d', '-x', String(size.cols), '-y', String(size.rows), SHELL_COMMAND], {
      env,
      cwd: dir.path,
      resolveOnExit: true,
    });
    if (start.code !== 0) throw new Error(`tmate new-session failed: ${start.stderr}`);
    await leaveTips(tmate);
    const drains: number[] = [];
    for (let i = 0; i < runs; i++) {
      await tmate(['send-keys', `clear; ${command}; tmate -S ${socket} wait-for -S drained-${i}`]);
      const t0 = process.hrtime.bigint();
      await tmate(['send-keys', 'Enter']);
      await tmate(['wait-for', `drained-${i}`], 300_000);
      drains.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return drains;
  } finally {
    unregister();
    await run('tmate', ['-S', socket, 'kill-server'], { env, timeoutMs: 3000 }).catch(() => undefined);
    await dir.cleanup();
  }
}

/** Leaves tmate's startup tips (a copy-mode screen) so typed keys reach the shell. */
async function leaveTips(tmate: (args: string[]) => Promise<string>): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await tmate(['display', '-p', '#{pane_in_mode}'])).trim() !== '1') return;
    await tmate(['send-keys', 'q']);
    await sleep(20);
  }
}
