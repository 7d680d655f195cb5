/**
 * Figure: scale. One server with N sessions and N viewers (relay: N = 1000), 10 % of the sessions
 * streaming log output (8 KB/s each); one of the idle sessions has a real host (stock tmate / our
 * engine; the baseline: a tmux session) and a real `ssh` viewer that measures keystroke echo as in
 * the echo figure. The rest are simulated by the load generator. Reported: echo p50/p95/p99 of that
 * idle session, server CPU during the echo samples, server memory at the end.
 * Target: 1000 sessions + 1000 viewers in one relay process, echo p99 ≤ 10 ms.
 */
import type { Figure } from '../lib/figure.js';
import { nowUs, withTarget } from '../lib/figure.js';
import { prepareShell, recordSamples, sampleEcho } from '../lib/echo.js';
import { addSessions, startStreaming, STREAM } from '../lib/load.js';
import { CpuMeter, sumMemory } from '../lib/proc.js';
import type { Check, Row } from '../lib/report.js';
import { SshTerminal } from '../lib/ssh-terminal.js';
import { fmtAgainst, summarize, type Summary } from '../lib/stats.js';
import { sleep } from '../lib/sys.js';
import { LoadGenerator } from '../loadgen/loadgen-client.js';
import { SIZE } from './echo.js';

const LOAD_SIZE = { cols: 80, rows: 24 };
/** Echo sampling stops after this long even if fewer samples were taken (a saturated server). */
const ECHO_BUDGET_MS = 180_000;

interface ScaleMeasurement {
  sessions: number;
  viewers: number;
  streaming: number;
  summary: Summary;
  lost: number;
  serverCpuPercent: number;
  pss: number;
  rss: number;
  setupS: number;
  failures: string[];
  dropped: number;
}

export const scaleFigure: Figure<ScaleMeasurement> = {
  id: 'scale',
  title: 'Scale (1000 sessions + 1000 viewers, 10 % streaming)',
  method: (ctx) =>
    `${ctx.options.scaleSessions} sessions with one viewer each on one relay process (baseline: ${ctx.options.baselineScaleSessions} tmux sessions behind sshd), ` +
    `10 % of them streaming ${STREAM.bytes} B of log lines every ${STREAM.intervalMs} ms (from when every session and viewer is set up, their phases spread evenly over the interval). One idle session has a real host and a real \`ssh\` viewer measuring echo ` +
    `(${ctx.options.echoSamples} samples, or as many as fit in ${ECHO_BUDGET_MS / 60_000} minutes); the other sessions and viewers come from the load generator (separate process).`,
  async measure(target, ctx, cpuProfDir) {
    return withTarget(target, cpuProfDir, async (running) => {
      const total = target.baseline ? ctx.options.baselineScaleSessions : ctx.options.scaleSessions;
      const streaming = Math.round(total / 10);
      const session = await running.newSession(SIZE);
      const term = new SshTerminal({ join: session.join, identityFile: ctx.key.privatePath, ...SIZE });
      const lg = LoadGenerator.start(2400);
      try {
        await prepareShell(term, Date.now());
        const started = Date.now();
        const added = await addSessions(lg, running, ctx.key.privatePath, total - 1, streaming, LOAD_SIZE);
        const setupS = (Date.now() - started) / 1000;
        await startStreaming(lg, running);
        await sleep(3000);
        await term.settle(200);
        const cpu = new CpuMeter(() => running.serverPids());
        const start = nowUs();
        const echo = await sampleEcho(term, ctx.options.echoSamples, 20, Date.now() + ECHO_BUDGET_MS);
        const window: [number, number] = [start, nowUs()];
        recordSamples('scale', target.id, echo.samples);
        const used = cpu.read();
        const mem = sumMemory(running.serverPids());
        const stats = await lg.stats();
        return {
          sessions: added.sessions + 1,
          viewers: added.viewers + 1,
          streaming: Math.min(streaming, added.sessions),
          summary: summarize(echo.samples),
          lost: echo.lost,
          serverCpuPercent: used.percent,
          pss: mem.pss,
          rss: mem.rss,
          setupS,
          failures: added.failures,
          dropped: stats.dropped,
          window,
        };
      } finally {
        await lg.stop();
        await term.close();
        await session.close();
      }
    });
  },
  build(results) {
    const rows: Row[] = results.map(({ target, value }) => ({
      target: target.id,
      label: target.label,
      baseline: target.baseline,
      values: {
        sessions: value.sessions,
        viewers: value.viewers,
        p50: value.summary.p50,
        p95: value.summary.p95,
        p99: value.summary.p99,
        cpu: value.serverCpuPercent,
        pss: value.pss / 1e6,
        setup: value.setupS,
      },
      note:
        [
          value.lost > 0 ? `${value.lost} echo samples lost` : '',
          value.dropped > 0 ? `${value.dropped} simulated connections dropped during the run` : '',
          ...value.failures,
        ]
          .filter(Boolean)
          .join('; ') || undefined,
    }));
    const checks: Check[] = results
      .filter(({ target }) => !target.baseline)
      .map(({ target, value }) => ({
        figure: 'scale',
        target: target.id,
        goal: '1000 sessions + 1000 viewers, echo p99 ≤ 10 ms',
        measured: `${value.sessions} sessions, ${value.viewers} viewers, p99 ${fmtAgainst(value.summary.p99, 10)} ms`,
        pass: value.summary.p99 === null ? null : value.sessions >= 1000 && value.viewers >= 1000 && value.summary.p99 <= 10,
      }));
    const notes: string[] = [];
    const base = results.find((r) => r.target.baseline)?.value;
    const relay = results.find((r) => !r.target.baseline)?.value;
    if (base && relay && base.sessions !== relay.sessions) {
      notes.push(`The baseline ran ${base.sessions} sessions, the relay ${relay.sessions}: ratios compare unequal loads (use --full for the baseline at full scale).`);
    }
    return {
      columns: [
        { key: 'sessions', label: 'sessions', digits: 0 },
        { key: 'viewers', label: 'viewers', digits: 0 },
        { key: 'p50', label: 'echo p50 (ms)', ratio: true },
        { key: 'p95', label: 'echo p95 (ms)' },
        { key: 'p99', label: 'echo p99 (ms)', ratio: true },
        { key: 'cpu', label: 'server CPU (% of a core)', digits: 0 },
        { key: 'pss', label: 'server PSS (MB)', digits: 0 },
        { key: 'setup', label: 'load setup (s)', digits: 1 },
      ],
      rows,
      checks,
      notes,
    };
  },
};
