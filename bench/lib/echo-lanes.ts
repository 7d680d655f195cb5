/**
 * Echo measurements in lanes (lanes.ts): every lane types a turn of keystrokes before the next one
 * does, the order rotating from round to round, so every target's echoes come from the same minutes.
 *
 * Invariants: a lane that echoes none of a whole turn's keystrokes is failed and takes no more
 * turns (each lost keystroke costs seconds); CPU is metered over a lane's own timed turns only.
 */
import { prepareShell, sampleEcho, type EchoResult } from './echo.js';
import { CpuMeter } from './proc.js';
import { laneInTurn, type Lane, type LaneSetup } from './lanes.js';

/** Keystrokes a lane types in one turn (about a second at the echo figure's pace). */
export const TURN_KEYSTROKES = 50;
/**
 * Untimed keystrokes that open each measured turn: after the seconds the other lanes typed, a
 * lane's first echo pays for caches the others evicted, which the earlier one-target-at-a-time
 * figure (5–15 ms between keystrokes) never did.
 */
export const TURN_OPENING_KEYSTROKES = 2;

export interface EchoState {
  /** Warm-up keystrokes' echo times, ms. */
  warmup: number[];
  /** Measured echo times, ms. */
  samples: number[];
  lost: number;
  /** Server CPU and wall time while this lane's samples were taken (its own turns only). */
  cpuSeconds: number;
  wallSeconds: number;
}

export type EchoLane = Lane<EchoState>;

/** A lane at the pane's bash prompt, once the relay's "A mate has joined" message is gone. */
export function echoSetup(size: { cols: number; rows: number }): LaneSetup<EchoState> {
  return {
    size,
    ready: (term) => prepareShell(term, Date.now()),
    state: () => ({ warmup: [], samples: [], lost: 0, cpuSeconds: 0, wallSeconds: 0 }),
  };
}

/** Types `count` warm-up keystrokes on every lane, in turns. */
export async function warmUp(lanes: readonly EchoLane[], count: number): Promise<void> {
  await inTurns(lanes, count, async (lane, n) => {
    lane.state.warmup.push(...(await typeTurn(lane, n)).samples);
  });
}

/** Takes `count` samples on every lane, in turns, metering each lane's server CPU during its own turns (opening keystrokes excluded). */
export async function sample(lanes: readonly EchoLane[], count: number): Promise<void> {
  await inTurns(lanes, count, async (lane, n) => {
    await typeTurn(lane, TURN_OPENING_KEYSTROKES);
    const cpu = new CpuMeter(() => lane.running.serverPids());
    const result = await typeTurn(lane, n);
    const used = cpu.read();
    const state = lane.state;
    state.samples.push(...result.samples);
    state.lost += result.lost;
    state.cpuSeconds += used.cpuSeconds;
    state.wallSeconds += used.wallSeconds;
  });
}

/** `n` timed keystrokes; a lane that echoes none of them has failed. */
async function typeTurn(lane: EchoLane, n: number): Promise<EchoResult> {
  const result = await sampleEcho(lane.term, n, 0);
  if (n > 0 && result.lost === n) lane.failed = `no echo for ${n} keystrokes in a row; stopped measuring it`;
  return result;
}

/** Runs `turn` for up to TURN_KEYSTROKES keystrokes per live lane and round until each lane typed `count`. */
async function inTurns(lanes: readonly EchoLane[], count: number, turn: (lane: EchoLane, keystrokes: number) => Promise<void>): Promise<void> {
  for (let done = 0, round = 0; done < count; done += TURN_KEYSTROKES, round++) {
    const n = Math.min(TURN_KEYSTROKES, count - done);
    for (let k = 0; k < lanes.length; k++) {
      const lane = laneInTurn(lanes, round, k);
      if (lane.failed === null) await turn(lane, n);
    }
  }
}
