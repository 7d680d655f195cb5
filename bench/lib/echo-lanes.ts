/**
 * Echo measurements of several targets in one stretch of time, taking turns: each target is a lane
 * (its server, one session, one `ssh` viewer at the pane's prompt), and every lane types a turn of
 * keystrokes before the next one does, the order rotating from round to round. On a shared machine
 * whose speed moves by the minute, a ratio between two targets measured one after the other
 * compares two different minutes (a baseline measured in a slow minute once made three relay
 * targets look faster than sshd+tmux); taking turns gives every target the same minutes.
 *
 * Invariants: every lane opened is closed (its terminal, session and server) by closeLane(), also
 * when opening a later lane fails; the lanes' servers all run during the whole stretch, each idle
 * while another lane types.
 */
import type { BenchContext } from './figure.js';
import { prepareShell, sampleEcho, type EchoResult } from './echo.js';
import { CpuMeter } from './proc.js';
import { SshTerminal } from './ssh-terminal.js';
import type { BenchSession, RunningTarget, TargetSpec } from './targets.js';

/** Keystrokes a lane types in one turn (about a second at the echo figure's pace). */
export const TURN_KEYSTROKES = 50;
/**
 * Untimed keystrokes that open each measured turn: after the seconds the other lanes typed, a
 * lane's first echo pays for caches the others evicted, which the earlier one-target-at-a-time
 * figure (5–15 ms between keystrokes) never did.
 */
const TURN_OPENING_KEYSTROKES = 2;

export interface EchoLane {
  readonly target: TargetSpec;
  readonly running: RunningTarget;
  readonly session: BenchSession;
  readonly term: SshTerminal;
  /** Warm-up keystrokes' echo times, ms. */
  readonly warmup: number[];
  /** Measured echo times, ms. */
  readonly samples: number[];
  lost: number;
  /** Why this lane stopped typing (a whole turn without any echo), or null. */
  dead: string | null;
  /** Server CPU and wall time while this lane's samples were taken (its own turns only). */
  cpuSeconds: number;
  wallSeconds: number;
}

/** Starts the target's server, opens a session and a viewer, and waits for a quiet prompt. */
export async function openLane(target: TargetSpec, ctx: BenchContext, size: { cols: number; rows: number }, cpuProfDir?: string): Promise<EchoLane> {
  const running = await target.start({ cpuProfDir });
  let session: BenchSession | null = null;
  let term: SshTerminal | null = null;
  try {
    session = await running.newSession(size);
    term = new SshTerminal({ join: session.join, identityFile: ctx.key.privatePath, ...size });
    await prepareShell(term, Date.now());
    return { target, running, session, term, warmup: [], samples: [], lost: 0, dead: null, cpuSeconds: 0, wallSeconds: 0 };
  } catch (error) {
    await term?.close().catch(() => undefined);
    await session?.close().catch(() => undefined);
    await running.stop().catch(() => null);
    throw error;
  }
}

/** Closes the viewer, the session and the server; returns the relay's CPU profile path, if profiled. */
export async function closeLane(lane: EchoLane): Promise<string | null> {
  await lane.term.close().catch(() => undefined);
  await lane.session.close().catch(() => undefined);
  return lane.running.stop();
}

/** Types `count` warm-up keystrokes on every lane, in turns. */
export async function warmUp(lanes: readonly EchoLane[], count: number): Promise<void> {
  await inTurns(lanes, count, async (lane, n) => {
    lane.warmup.push(...(await typeTurn(lane, n)).samples);
  });
}

/** Takes `count` samples on every lane, in turns, metering each lane's server CPU during its own turns (opening keystrokes excluded). */
export async function sample(lanes: readonly EchoLane[], count: number): Promise<void> {
  await inTurns(lanes, count, async (lane, n) => {
    await typeTurn(lane, TURN_OPENING_KEYSTROKES);
    const cpu = new CpuMeter(() => lane.running.serverPids());
    const result = await typeTurn(lane, n);
    const used = cpu.read();
    lane.samples.push(...result.samples);
    lane.lost += result.lost;
    lane.cpuSeconds += used.cpuSeconds;
    lane.wallSeconds += used.wallSeconds;
  });
}

/** `n` timed keystrokes; a lane that echoes none of them is dead (each lost one costs seconds). */
async function typeTurn(lane: EchoLane, n: number): Promise<EchoResult> {
  const result = await sampleEcho(lane.term, n, 0);
  if (n > 0 && result.lost === n) lane.dead = `no echo for ${n} keystrokes in a row; stopped measuring it`;
  return result;
}

/** Runs `turn` for up to TURN_KEYSTROKES keystrokes per live lane and round until each lane typed `count`. */
async function inTurns(lanes: readonly EchoLane[], count: number, turn: (lane: EchoLane, keystrokes: number) => Promise<void>): Promise<void> {
  for (let done = 0, round = 0; done < count; done += TURN_KEYSTROKES, round++) {
    const n = Math.min(TURN_KEYSTROKES, count - done);
    for (let i = 0; i < lanes.length; i++) {
      const lane = lanes[(round + i) % lanes.length]!;
      if (lane.dead === null) await turn(lane, n);
    }
  }
}
