/**
 * Figure: join time, from starting a viewer's `ssh` to a full screen drawn. The session's pane
 * first shows a marker line (typed once by a helper viewer that then leaves); a sample is the
 * arrival time of the output chunk after which the viewer's screen (a headless xterm fed by the
 * bench) shows the marker, a `$` prompt line and a status line, minus the time ssh was spawned.
 * Each viewer leaves before the next joins. Target: p50 ≤ 25 ms.
 */
import type { Figure } from '../lib/figure.js';
import { nowUs, withTarget } from '../lib/figure.js';
import type { Check, Row } from '../lib/report.js';
import { SshTerminal, screenLines } from '../lib/ssh-terminal.js';
import { fmt, summarize, type Summary } from '../lib/stats.js';
import { sleep } from '../lib/sys.js';
import { SIZE } from './echo.js';

const MARKER = 'JOINMARK';
const WARMUP = 2;

interface JoinMeasurement {
  summary: Summary;
  /** Spawn → first output chunk: SSH connection, authentication, session and attach. */
  firstByte: Summary;
}

export function fullScreenDrawn(lines: string[]): boolean {
  const last = lines[lines.length - 1] ?? '';
  return last.trim() !== '' && lines.some((l) => l.includes(MARKER)) && lines.some((l) => /^\$\s*$/.test(l));
}

export const joinFigure: Figure<JoinMeasurement> = {
  id: 'join',
  title: 'Join time (start `ssh` → full screen drawn)',
  method: (ctx) =>
    `A viewer (\`ssh -tt\`, ${SIZE.cols}×${SIZE.rows}, ed25519 key, OpenSSH client defaults) joins a session whose pane shows a marker and a prompt; ` +
    `the time runs from spawning ssh to the arrival of the chunk after which the screen (parsed by a headless xterm in the bench) shows the marker, the prompt and the status line. ` +
    `${ctx.options.joinSamples} joins after ${WARMUP} warm-up ones, one viewer at a time.`,
  async measure(target, ctx, cpuProfDir) {
    return withTarget(target, cpuProfDir, async (running) => {
      const session = await running.newSession(SIZE);
      try {
        const helper = new SshTerminal({ join: session.join, identityFile: ctx.key.privatePath, ...SIZE });
        try {
          await helper.expectAnyData(20_000);
          await helper.settle(200);
          const marked = helper.expectText(MARKER, 20_000);
          helper.write("clear; echo JOIN''MARK\r");
          await marked;
          await helper.settle(200);
        } finally {
          await helper.close();
        }
        const samples: number[] = [];
        const firstBytes: number[] = [];
        const start = nowUs();
        for (let i = 0; i < WARMUP + ctx.options.joinSamples; i++) {
          await sleep(150);
          const term = new SshTerminal({ join: session.join, identityFile: ctx.key.privatePath, ...SIZE, screen: true });
          try {
            const at = await term.expectScreen((t) => fullScreenDrawn(screenLines(t)), 20_000, 'a full screen (marker, prompt, status line)');
            if (i >= WARMUP) {
              samples.push(Number(at - term.spawnedAt) / 1e6);
              if (term.firstDataAt !== null) firstBytes.push(Number(term.firstDataAt - term.spawnedAt) / 1e6);
            }
          } finally {
            await term.close();
          }
        }
        const window: [number, number] = [start, nowUs()];
        return { summary: summarize(samples), firstByte: summarize(firstBytes), window };
      } finally {
        await session.close();
      }
    });
  },
  build(results) {
    const rows: Row[] = results.map(({ target, value }) => ({
      target: target.id,
      label: target.label,
      baseline: target.baseline,
      values: { p50: value.summary.p50, p95: value.summary.p95, max: value.summary.max, first: value.firstByte.p50, n: value.summary.n },
    }));
    const checks: Check[] = results
      .filter(({ target }) => !target.baseline)
      .map(({ target, value }) => ({
        figure: 'join',
        target: target.id,
        goal: 'p50 ≤ 25 ms',
        measured: `${fmt(value.summary.p50)} ms`,
        pass: value.summary.p50 === null ? null : value.summary.p50 <= 25,
      }));
    return {
      columns: [
        { key: 'p50', label: 'p50 (ms)', ratio: true },
        { key: 'p95', label: 'p95 (ms)', ratio: true },
        { key: 'max', label: 'max (ms)' },
        { key: 'first', label: 'first byte p50 (ms)', ratio: true },
        { key: 'n', label: 'samples', digits: 0 },
      ],
      rows,
      checks,
      notes: ['First byte: spawn → the first output chunk (ssh start, key exchange, authentication, session, attach); the rest of the join time is drawing the screen.'],
    };
  },
};
