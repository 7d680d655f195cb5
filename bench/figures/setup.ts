/**
 * Figure: session setup, from starting the host to the session being ready for viewers.
 * - relay + tmate: `tmate new-session -d` spawned → `tmate wait tmate-ready` returned (tmate
 *   connects, the relay answers the handshake with tokens and READY);
 * - relay + engine: `tmate-relay host` spawned → its ssh line printed;
 * - relay + local: `POST /api/sessions` sent → its 201 answer (the shell starts inside the relay);
 * - sshd + tmux: `tmux new-session -d` spawned → returned (the server already runs; there is no
 *   network step, so this is the floor, not a like-for-like peer).
 * No target; reported for comparison.
 */
import type { Figure } from '../lib/figure.js';
import { withTarget } from '../lib/figure.js';
import type { Row } from '../lib/report.js';
import { summarize, type Summary } from '../lib/stats.js';
import { SIZE } from './echo.js';

interface SetupMeasurement {
  summary: Summary;
}

export const setupFigure: Figure<SetupMeasurement> = {
  id: 'setup',
  title: 'Session setup (start the host → session ready)',
  method: (ctx) =>
    `relay + tmate: from spawning \`tmate new-session -d\` until \`tmate wait tmate-ready\` returns; relay + engine: from spawning \`tmate-relay host\` until it prints the ssh line; relay + local: from sending \`POST /api/sessions\` until its 201 answer; ` +
    `baseline: \`tmux new-session -d\` on the running tmux server (no network step: a floor rather than a peer). ${ctx.options.setupSamples} sessions per target, one at a time, on one server.`,
  async measure(target, ctx, cpuProfDir) {
    return withTarget(target, cpuProfDir, async (running) => {
      const samples: number[] = [];
      // One untimed session first: the first process spawns of a run pay for cold caches.
      for (let i = 0; i < ctx.options.setupSamples + 1; i++) {
        const session = await running.newSession(SIZE);
        if (i > 0) samples.push(session.setupMs);
        await session.close();
      }
      return { summary: summarize(samples) };
    });
  },
  build(results) {
    const rows: Row[] = results.map(({ target, value }) => ({
      target: target.id,
      label: target.label,
      baseline: target.baseline,
      values: { p50: value.summary.p50, p95: value.summary.p95, max: value.summary.max, n: value.summary.n },
    }));
    return {
      columns: [
        { key: 'p50', label: 'p50 (ms)', ratio: true },
        { key: 'p95', label: 'p95 (ms)' },
        { key: 'max', label: 'max (ms)' },
        { key: 'n', label: 'samples', digits: 0 },
      ],
      rows,
      checks: [],
      notes: [],
    };
  },
};
