/**
 * Keystroke echo measurement on a viewer's ssh (used by the echo and scale figures).
 *
 * One sample: register a wait for the character, take t0 = hrtime, write one printable character
 * to the viewer's pty, t1 = arrival time of the first output chunk containing it (the shell's
 * echo, drawn by tmux or by the relay). Then BSpace erases it (its echo is awaited, untimed) so
 * the line stays short, the output must be quiet for a moment, and a random 5–15 ms pause keeps
 * samples from locking onto any periodic activity. The characters avoid every letter the status
 * lines show, so a status redraw cannot pass for an echo.
 */
import { appendFileSync } from 'node:fs';
import type { SshTerminal } from './ssh-terminal.js';
import { sleep } from './sys.js';

const ECHO_CHARS = 'xzqjkw';

export interface EchoResult {
  samples: number[];
  lost: number;
}

/** Waits for the first screen, then runs one command through the shell to prove keys reach it. */
export async function prepareShell(term: SshTerminal, joinedAt: number, timeoutMs = 20_000): Promise<void> {
  await term.expectAnyData(timeoutMs).catch(() => undefined);
  await term.settle(200);
  const warm = term.expectText('WARMUP', timeoutMs);
  term.write("echo WARM''UP\r");
  await warm;
  // The relay shows "A mate has joined" for 3 s: start sampling after it is gone.
  const wait = joinedAt + 3500 - Date.now();
  if (wait > 0) await sleep(wait);
  await term.settle(200);
}

/** Takes `count` samples after `warmup`, or as many as fit before `deadline` (Date.now() ms), if given. */
export async function sampleEcho(term: SshTerminal, count: number, warmup = 20, deadline = Infinity): Promise<EchoResult> {
  const samples: number[] = [];
  let lost = 0;
  for (let i = 0; i < warmup + count && Date.now() < deadline; i++) {
    const c = ECHO_CHARS[i % ECHO_CHARS.length]!;
    const echoed = term.expectText(c, 2000);
    const t0 = process.hrtime.bigint();
    term.writeNow(c);
    try {
      const t1 = await echoed;
      if (i >= warmup) samples.push(Number(t1 - t0) / 1e6);
    } catch {
      if (i >= warmup) lost++;
      await term.settle(200);
      continue;
    }
    const erased = term.expectAnyData(2000);
    term.write('\x7f');
    await erased.catch(() => undefined);
    await term.settle(3);
    await sleep(5 + Math.random() * 10);
  }
  return { samples, lost };
}

/**
 * For experiments: with BENCH_SAMPLES_FILE set, appends one JSON line (figure, target, the
 * BENCH_TAG label, every sample in ms) per measurement, so that runs of alternating builds can be
 * pooled; a p99 of 300 samples is the third-largest and moves by several ms from run to run.
 */
export function recordSamples(figure: string, target: string, samples: readonly number[]): void {
  const file = process.env.BENCH_SAMPLES_FILE;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ figure, target, tag: process.env.BENCH_TAG ?? '', samples })}\n`);
}
