/**
 * Adds simulated sessions, each with one simulated viewer, to a running target through the load
 * generator: for the relay, simulated tmate hosts (tmate protocol over SSH) and SSH viewers joining
 * with their tokens; for the baseline, real tmux sessions (the pane programs are real: bash, or a
 * bash loop printing log lines at the streaming rate) and SSH viewers running `tmux attach`.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LoadGenerator } from '../loadgen/loadgen-client.js';
import type { StreamSpec } from '../loadgen/protocol.js';
import { SHELL_COMMAND } from './host-drivers.js';
import type { SshdBaseline } from './sshd-baseline.js';
import { runChecked } from './sys.js';
import type { RunningTarget, Size } from './targets.js';

/** 10 log lines of ~80 bytes every 100 ms per streaming session (8 KB/s), like a busy build log. */
export const STREAM: StreamSpec = { intervalMs: 100, bytes: 800 };

export interface LoadAdded {
  sessions: number;
  viewers: number;
  failures: string[];
  setupMs: number;
}

function goFile(base: SshdBaseline): string {
  return join(dirname(base.socket), 'stream.go');
}

async function baselineStreamCommand(base: SshdBaseline, spec: StreamSpec): Promise<string> {
  const dir = dirname(base.socket);
  const fifo = join(dir, 'tick.fifo');
  const script = join(dir, 'stream.sh');
  await runChecked('mkfifo', [fifo]).catch(() => undefined);
  const lines = Math.max(1, Math.round(spec.bytes / 80));
  const seconds = (spec.intervalMs / 1000).toFixed(3);
  // `read -t` on a FIFO nobody writes is a sleep without forking a process per tick.
  await writeFile(
    script,
    [
      `exec 3<>${JSON.stringify(fifo)}`,
      `while [ ! -e ${JSON.stringify(goFile(base))} ]; do read -t 0.5 -u 3; done`,
      'n=0',
      'while :; do',
      '  i=0',
      `  while [ $i -lt ${lines} ]; do`,
      '    n=$((n+1)); i=$((i+1))',
      `    printf '\\033[32mINFO\\033[0m 2026-11-30T08:37:00Z req=%09d GET /api/items/%03d 200 %02dms ..............\\n' $n $((n%1000)) $((n%97))`,
      '  done',
      `  read -t ${seconds} -u 3`,
      'done',
      '',
    ].join('\n'),
  );
  return `bash --norc --noprofile ${script}`;
}

/** Starts the streaming sessions added by addSessions (quiet until now, so setup is not slowed down). */
export async function startStreaming(lg: LoadGenerator, running: RunningTarget): Promise<void> {
  if (running.load.kind === 'relay') await lg.startStreaming();
  else await writeFile(goFile(running.load.base), '');
}

/**
 * Adds `count` sessions with one viewer each; the first `streaming` of them stream log output
 * once startStreaming() is called.
 */
export async function addSessions(
  lg: LoadGenerator,
  running: RunningTarget,
  keyPath: string,
  count: number,
  streaming: number,
  size: Size,
): Promise<LoadAdded> {
  const started = Date.now();
  const failures: string[] = [];
  if (count <= 0) return { sessions: 0, viewers: 0, failures, setupMs: 0 };
  const load = running.load;
  if (load.kind === 'relay') {
    const hosts = await lg.hosts(load.port, count, streaming, STREAM, size);
    if (hosts.firstError) failures.push(`${hosts.failed} simulated hosts failed: ${hosts.firstError}`);
    const tokens = hosts.tokens.filter((t) => t !== '');
    const viewers = await lg.viewers(load.port, keyPath, tokens.map((user) => ({ user, command: null })), size);
    if (viewers.firstError) failures.push(`${viewers.failed} simulated viewers failed: ${viewers.firstError}`);
    return { sessions: hosts.ok, viewers: viewers.ok, failures, setupMs: Date.now() - started };
  }
  const base = load.base;
  const streamCommand = streaming > 0 ? await baselineStreamCommand(base, STREAM) : SHELL_COMMAND;
  const names = await base.newSessions(count, size, (i) => (i < streaming ? streamCommand : SHELL_COMMAND));
  const viewers = await lg.viewers(
    base.port,
    keyPath,
    names.map((name) => ({ user: base.user, command: base.attachCommand(name).join(' ') })),
    size,
  );
  if (viewers.firstError) failures.push(`${viewers.failed} simulated viewers failed: ${viewers.firstError}`);
  return { sessions: names.length, viewers: viewers.ok, failures, setupMs: Date.now() - started };
}
