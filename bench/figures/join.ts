/**
 * Figure: join time, from starting a viewer's `ssh` to a full screen drawn. The session's pane
 * first shows a marker line (typed once by the lane's own viewer, which then leaves); a sample is
 * the arrival time of the output chunk after which the viewer's screen (a headless xterm fed by the
 * bench) shows the marker, a `$` prompt line and a status line, minus the time ssh was spawned.
 * Each viewer leaves before the next joins. Every target runs at once and they join in turns, one
 * join each per round (the order rotating), so that every target gets the same minutes of the
 * machine; a profiled re-run measures one target alone. After each measured join, the same ssh
 * command is run against a loopback port where nothing listens (the client's own cost on this
 * machine) and joins a bare SSH server (bench/probes/bare-ssh-server.cjs: ssh2, the relay's SSH
 * library, doing nothing but accept and write a line; the floor for any Node SSH server), both
 * reported beside the joins. Target: p50 ≤ 25 ms.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchContext, Figure } from '../lib/figure.js';
import { nowUs } from '../lib/figure.js';
import { inLanes, inOneLane, laneInTurn, type Lane, type LaneSetup } from '../lib/lanes.js';
import type { Check, Row } from '../lib/report.js';
import { SshTerminal, screenLines } from '../lib/ssh-terminal.js';
import { fmtAgainst, summarize, type Summary } from '../lib/stats.js';
import { errorText, freePort, killQuietly, onCleanup, sleep } from '../lib/sys.js';
import { SIZE } from './echo.js';

const MARKER = 'JOINMARK';
const WARMUP = 2;
/** Pause before each join, so that the previous viewer's exit is over on both sides. */
const PAUSE_MS = 150;

interface JoinMeasurement {
  summary: Summary;
  /** Spawn → first output chunk: SSH connection, authentication, session and attach. */
  firstByte: Summary;
  /** Spawn → exit of the same ssh command with no server behind its port. */
  sshAlone: Summary;
  /** Spawn → first output chunk from the bare SSH server. */
  bare: Summary;
}

interface JoinState {
  /** Spawn → full screen, ms, after the warm-up joins. */
  samples: number[];
  /** Spawn → first output chunk, ms. */
  firstBytes: number[];
  /** Spawn → exit of ssh against a port where nothing listens, ms, one after each measured join. */
  sshAlone: number[];
  /** Spawn → first output chunk of a join of the bare SSH server, ms, one after each measured join. */
  bare: number[];
}

type JoinLane = Lane<JoinState>;

export function fullScreenDrawn(lines: string[]): boolean {
  const last = lines[lines.length - 1] ?? '';
  return last.trim() !== '' && lines.some((l) => l.includes(MARKER)) && lines.some((l) => /^\$\s*$/.test(l));
}

/** A lane whose pane shows the marker and a prompt, its own viewer gone. */
const JOIN_SETUP: LaneSetup<JoinState> = {
  size: SIZE,
  ready: async (term) => {
    await term.expectAnyData(20_000);
    await term.settle(200);
    const marked = term.expectText(MARKER, 20_000);
    term.write("clear; echo JOIN''MARK\r");
    await marked;
    await term.settle(200);
    await term.close();
  },
  state: () => ({ samples: [], firstBytes: [], sshAlone: [], bare: [] }),
};

/** Join `i` of a lane: a fresh viewer until its screen is full; samples kept after the warm-up. */
async function joinOnce(lane: JoinLane, ctx: BenchContext, i: number, barePort: number): Promise<void> {
  await sleep(PAUSE_MS);
  const term = new SshTerminal({ join: lane.session.join, identityFile: ctx.key.privatePath, ...SIZE, screen: true });
  try {
    const at = await term.expectScreen((t) => fullScreenDrawn(screenLines(t)), 20_000, 'a full screen (marker, prompt, status line)');
    if (i < WARMUP) return;
    lane.state.samples.push(Number(at - term.spawnedAt) / 1e6);
    if (term.firstDataAt !== null) lane.state.firstBytes.push(Number(term.firstDataAt - term.spawnedAt) / 1e6);
  } finally {
    await term.close();
  }
  if (i < WARMUP) return;
  lane.state.sshAlone.push(await sshAloneMs(ctx));
  lane.state.bare.push(await bareJoinMs(ctx, barePort));
}

/** Spawn → first output chunk of the same ssh command joining the bare SSH server. */
async function bareJoinMs(ctx: BenchContext, port: number): Promise<number> {
  await sleep(PAUSE_MS);
  const term = new SshTerminal({ join: { port, user: 'bench', command: [] }, identityFile: ctx.key.privatePath, ...SIZE });
  try {
    await term.expectAnyData(20_000);
    return Number(term.firstDataAt! - term.spawnedAt) / 1e6;
  } finally {
    await term.close();
  }
}

/** Runs `body` with the bare SSH server (bench/probes/bare-ssh-server.cjs) listening; its port is passed in. */
async function withBareServer<T>(body: (port: number) => Promise<T>): Promise<T> {
  const script = fileURLToPath(new URL('../probes/bare-ssh-server.cjs', import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stopAtExit = onCleanup(async () => killQuietly(child.pid ?? -1), () => killQuietly(child.pid ?? -1));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(Number(out.trim()));
      });
      child.once('exit', (code) => reject(new Error(`bare SSH server exited (${code}) before listening`)));
    });
    return await body(port);
  } finally {
    stopAtExit();
    killQuietly(child.pid ?? -1);
  }
}

/**
 * The client's own share of a join on this machine: the same ssh command against a loopback port
 * where nothing listens, from spawn to exit (start-up, configuration, a refused connect, exit).
 */
async function sshAloneMs(ctx: BenchContext): Promise<number> {
  await sleep(PAUSE_MS);
  const term = new SshTerminal({ join: { port: await freePort(), user: 'nobody', command: [] }, identityFile: ctx.key.privatePath, ...SIZE });
  const timeout = setTimeout(() => void term.close(), 20_000);
  try {
    await term.exited;
    return Number(process.hrtime.bigint() - term.spawnedAt) / 1e6;
  } finally {
    clearTimeout(timeout);
  }
}

function joins(ctx: BenchContext): number {
  return WARMUP + ctx.options.joinSamples;
}

function measurement(state: JoinState): JoinMeasurement {
  return { summary: summarize(state.samples), firstByte: summarize(state.firstBytes), sshAlone: summarize(state.sshAlone), bare: summarize(state.bare) };
}

export const joinFigure: Figure<JoinMeasurement> = {
  id: 'join',
  title: 'Join time (start `ssh` → full screen drawn)',
  method: (ctx) =>
    `A viewer (\`ssh -tt\`, ${SIZE.cols}×${SIZE.rows}, ed25519 key, OpenSSH client defaults) joins a session whose pane shows a marker and a prompt; ` +
    `the time runs from spawning ssh to the arrival of the chunk after which the screen (parsed by a headless xterm in the bench) shows the marker, the prompt and the status line. ` +
    `${ctx.options.joinSamples} joins after ${WARMUP} warm-up ones, one viewer at a time; every target runs at once and they join in turns, one join each per round (the order rotating), so that every target gets the same minutes of the machine. After each measured join, the same ssh command is run once against a loopback port where nothing listens (\`ssh alone\`: spawn → exit) and once to join a bare SSH server (\`bare server\`: spawn → first byte).`,
  async measure(target, ctx, cpuProfDir) {
    const { lane, profile, window } = await withBareServer((barePort) =>
      inOneLane(target, ctx, JOIN_SETUP, cpuProfDir, async (lane) => {
        const start = nowUs();
        for (let i = 0; i < joins(ctx); i++) await joinOnce(lane, ctx, i, barePort);
        return [start, nowUs()];
      }),
    );
    return { ...measurement(lane.state), profile, window };
  },
  measureTogether(targets, ctx) {
    return withBareServer((barePort) =>
      inLanes(
        targets,
        ctx,
        JOIN_SETUP,
        async (lanes) => {
          for (let i = 0; i < joins(ctx); i++) {
            for (let k = 0; k < lanes.length; k++) {
              const lane = laneInTurn(lanes, i, k);
              if (lane.failed === null) await joinOnce(lane, ctx, i, barePort).catch((error: unknown) => (lane.failed = errorText(error)));
            }
          }
        },
        (lane) => measurement(lane.state),
      ),
    );
  },
  build(results) {
    const rows: Row[] = results.map(({ target, value }) => ({
      target: target.id,
      label: target.label,
      baseline: target.baseline,
      values: { p50: value.summary.p50, p95: value.summary.p95, max: value.summary.max, first: value.firstByte.p50, alone: value.sshAlone.p50, bare: value.bare.p50, n: value.summary.n },
    }));
    const checks: Check[] = results
      .filter(({ target }) => !target.baseline)
      .map(({ target, value }) => ({
        figure: 'join',
        target: target.id,
        goal: 'p50 ≤ 25 ms',
        measured: `${fmtAgainst(value.summary.p50, 25)} ms`,
        pass: value.summary.p50 === null ? null : value.summary.p50 <= 25,
      }));
    return {
      columns: [
        { key: 'p50', label: 'p50 (ms)', ratio: true },
        { key: 'p95', label: 'p95 (ms)', ratio: true },
        { key: 'max', label: 'max (ms)' },
        { key: 'first', label: 'first byte p50 (ms)', ratio: true },
        { key: 'alone', label: 'ssh alone p50 (ms)' },
        { key: 'bare', label: 'bare server first byte p50 (ms)' },
        { key: 'n', label: 'samples', digits: 0 },
      ],
      rows,
      checks,
      notes: [
        'First byte: spawn → the first output chunk (ssh start, key exchange, authentication, session, attach); the rest of the join time is drawing the screen.',
        'ssh alone: the same ssh command against a loopback port where nothing listens (the connection refused), spawn → exit, once after each measured join of the row: what the OpenSSH client itself costs on this machine (start-up, configuration, exit), which no server can take off a join.',
        'bare server: the same ssh command joining bench/probes/bare-ssh-server.cjs (ssh2, the SSH library the relay is built on, accepting any key and writing one line, nothing else), spawn → first byte, once after each measured join of the row: the floor for a join of an SSH server in Node on this machine; compare it with the row\'s first byte.',
      ],
    };
  },
};
