/**
 * Several targets measured in one stretch of time: each target is a lane (its server, one session,
 * one `ssh` viewer), and a figure lets the lanes take turns (echo: keystrokes, throughput: drains).
 * On a shared machine whose speed moves by the minute, a ratio between two targets measured one
 * after the other compares two different minutes (a baseline measured in a slow minute once made
 * three relay targets look faster than sshd+tmux); taking turns gives every target the same minutes.
 *
 * Invariants: every lane opened is closed (its terminal, session and server), also when opening a
 * later one fails or a turn throws; a lane whose turn failed keeps its `failed` reason and is
 * reported as a failed target, not as a measurement.
 */
import type { BenchContext, Outcome } from './figure.js';
import { SshTerminal } from './ssh-terminal.js';
import { errorText } from './sys.js';
import type { BenchSession, RunningTarget, TargetSpec } from './targets.js';

export interface Lane<State> {
  readonly target: TargetSpec;
  readonly running: RunningTarget;
  readonly session: BenchSession;
  readonly term: SshTerminal;
  /** What the figure records for this lane. */
  readonly state: State;
  /** Why this lane stopped taking turns, or null. */
  failed: string | null;
}

export interface LaneSetup<State> {
  size: { cols: number; rows: number };
  /** Waits until the viewer is ready for the first turn. */
  ready(term: SshTerminal): Promise<void>;
  /** A fresh state for a new lane. */
  state(): State;
}

/** Starts the target's server, opens a session and a viewer, and waits until it is ready. */
export async function openLane<State>(target: TargetSpec, ctx: BenchContext, setup: LaneSetup<State>, cpuProfDir?: string): Promise<Lane<State>> {
  const running = await target.start({ cpuProfDir });
  let session: BenchSession | null = null;
  let term: SshTerminal | null = null;
  try {
    session = await running.newSession(setup.size);
    term = new SshTerminal({ join: session.join, identityFile: ctx.key.privatePath, ...setup.size });
    await setup.ready(term);
    return { target, running, session, term, state: setup.state(), failed: null };
  } catch (error) {
    await term?.close().catch(() => undefined);
    await session?.close().catch(() => undefined);
    await running.stop().catch(() => null);
    throw error;
  }
}

/** Closes the viewer, the session and the server; returns the relay's CPU profile path, if profiled. */
export async function closeLane(lane: Lane<unknown>): Promise<string | null> {
  await lane.term.close().catch(() => undefined);
  await lane.session.close().catch(() => undefined);
  return lane.running.stop();
}

/**
 * One target alone, for a profiled re-run: opens its lane, runs `body` (which returns the measured
 * phase, in µs of nowUs()), closes the lane, and returns it with the relay's CPU profile path.
 * A lane that failed during `body` throws its reason.
 */
export async function inOneLane<State>(
  target: TargetSpec,
  ctx: BenchContext,
  setup: LaneSetup<State>,
  cpuProfDir: string | undefined,
  body: (lane: Lane<State>) => Promise<[number, number]>,
): Promise<{ lane: Lane<State>; profile: string | null; window: [number, number] }> {
  const lane = await openLane(target, ctx, setup, cpuProfDir);
  let window: [number, number];
  try {
    window = await body(lane);
  } catch (error) {
    await closeLane(lane).catch(() => null);
    throw error;
  }
  const profile = await closeLane(lane);
  if (lane.failed !== null) throw new Error(lane.failed);
  return { lane, profile, window };
}

/**
 * Opens a lane per target, runs `turns` on the lanes that opened, closes them all, and returns one
 * outcome per target: `measurement(lane)` for a lane that never failed, the reason otherwise.
 */
export async function inLanes<State, M>(
  targets: readonly TargetSpec[],
  ctx: BenchContext,
  setup: LaneSetup<State>,
  turns: (lanes: readonly Lane<State>[]) => Promise<void>,
  measurement: (lane: Lane<State>) => M,
): Promise<Outcome<M>[]> {
  const outcomes: Outcome<M>[] = [];
  const lanes: Lane<State>[] = [];
  try {
    for (const target of targets) {
      try {
        lanes.push(await openLane(target, ctx, setup));
      } catch (error) {
        outcomes.push({ target, error: errorText(error) });
      }
    }
    await turns(lanes);
  } finally {
    for (const lane of lanes) await closeLane(lane).catch(() => null);
  }
  for (const lane of lanes) outcomes.push(lane.failed === null ? { target: lane.target, value: measurement(lane) } : { target: lane.target, error: lane.failed });
  return outcomes;
}

/** Lane `k` of round `round`: the order rotates, so no target always goes first. */
export function laneInTurn<L>(lanes: readonly L[], round: number, k: number): L {
  return lanes[(round + k) % lanes.length]!;
}
