/**
 * Two costs of the machine itself, measured before the figures, so that a run's absolute numbers
 * can be read against the machine it ran on (virtual machines here differ by an order of
 * magnitude in both, between days):
 * - the first touch of a fresh 4 KiB page (a minor page fault): what a filling scrollback, a
 *   growing heap and every exec'd program pay per page;
 * - starting and reaping a trivial program (`/bin/true`): the floor under every `ssh` a join
 *   spawns and every host a setup starts.
 * Both are medians over a few rounds; neither depends on the relay.
 */
import { spawn } from 'node:child_process';
import { median } from './stats.js';

export interface Calibration {
  /** Microseconds per first touch of a 4 KiB page. */
  pageFaultUs: number;
  /** Milliseconds from spawning /bin/true until it has exited. */
  spawnMs: number;
}

const PAGE = 4096;
/** Above glibc's largest mmap threshold (32 MiB): every round gets freshly mapped memory, never pages a previous round touched. */
const TOUCH_BYTES = 64 * 1024 * 1024;
const ROUNDS = 5;
const SPAWNS = 20;

export async function calibrateMachine(): Promise<Calibration> {
  const faults: number[] = [];
  for (let round = 0; round < ROUNDS; round++) faults.push(firstTouchUs());
  const spawns: number[] = [];
  for (let i = 0; i < SPAWNS; i++) spawns.push(await spawnTrueMs());
  return { pageFaultUs: median(faults) ?? 0, spawnMs: median(spawns) ?? 0 };
}

/** Microseconds per page to write one byte into each page of a buffer never touched before. */
function firstTouchUs(): number {
  const buffer = Buffer.allocUnsafeSlow(TOUCH_BYTES);
  const start = process.hrtime.bigint();
  for (let offset = 0; offset < TOUCH_BYTES; offset += PAGE) buffer[offset] = 1;
  const elapsedNs = Number(process.hrtime.bigint() - start);
  return elapsedNs / 1000 / (TOUCH_BYTES / PAGE);
}

function spawnTrueMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('/bin/true', [], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
  });
}

export function describeCalibration(calibration: Calibration): string {
  return (
    `first touch of a 4 KiB page ${calibration.pageFaultUs.toFixed(1)} µs; ` +
    `spawn and exit of /bin/true ${calibration.spawnMs.toFixed(1)} ms (medians)`
  );
}
