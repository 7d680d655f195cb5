/**
 * Figure: throughput. The viewer types `seq 1 8000000; printf '@@TP%sEND@@\n' X` and presses
 * Enter; the drain time runs from Enter to the arrival of the chunk holding `@@TPXEND@@` on the
 * viewer (the typed line spells the marker differently, and every cell of it differs from a digit
 * or a blank, so a renderer that only redraws changed cells still sends it whole). Server CPU over
 * the drain comes from /proc: the relay process, or for the baseline every sshd process plus the
 * tmux server; the host's CPU (tmate server / our engine) is shown separately. For relay+tmate,
 * the same output is also drained by tmate with no server at all (lib/tmate-alone.ts): the floor
 * that target cannot go below, whatever the relay does. Every target runs at once and they drain
 * in turns, run by run (the order rotating), tmate alone after each round, so that each ratio to
 * the baseline compares the same minutes; a profiled re-run measures one target alone.
 * Target: relay drain ≤ sshd+tmux drain in the same run.
 */
import type { BenchContext, Figure } from '../lib/figure.js';
import { nowUs } from '../lib/figure.js';
import { CpuMeter } from '../lib/proc.js';
import type { Check, Row } from '../lib/report.js';
import type { SshTerminal } from '../lib/ssh-terminal.js';
import { fmt, median, ratio } from '../lib/stats.js';
import { errorText } from '../lib/sys.js';
import { SIZE } from './echo.js';
import { tmateAloneDrainMs } from '../lib/tmate-alone.js';
import { inLanes, inOneLane, laneInTurn, type Lane, type LaneSetup } from '../lib/lanes.js';

interface ThroughputMeasurement {
  drainMs: number[];
  serverCpuPercent: number[];
  serverCpuSeconds: number[];
  hostCpuSeconds: number[];
  viewerBytes: number[];
  /** relay+tmate only: the same output drained by tmate with no server at all (its own floor). */
  hostAloneMs: number[];
}

/** Bytes `seq 1 n` prints (digits plus a newline per number). */
export function seqBytes(n: number): number {
  let total = 0;
  for (let digits = 1, lo = 1; lo <= n; digits++, lo *= 10) {
    const hi = Math.min(n, lo * 10 - 1);
    total += (hi - lo + 1) * (digits + 1);
  }
  return total;
}

function seqCommand(n: number): string {
  return `seq 1 ${n}`;
}

/** Types `command` without Enter and waits until its echo settled. */
export async function typeCommand(term: SshTerminal, command: string): Promise<void> {
  term.write(command);
  await term.settle(300);
}

/** "; tmate alone …": its drains, and how they compare with the baseline's and with this target's. */
function hostAloneNote(value: ThroughputMeasurement, base: ThroughputMeasurement | undefined): string {
  if (value.hostAloneMs.length === 0) return '';
  const alone = median(value.hostAloneMs);
  const vsBaseline = ratio(alone, base ? median(base.drainMs) : null);
  const vsTarget = ratio(median(value.drainMs), alone);
  return (
    `; tmate alone ${value.hostAloneMs.map((d) => fmt(d, 0)).join(', ')} ms ` +
    `(median ${fmt(vsBaseline)}× the baseline's drain; this target's drain is ${fmt(vsTarget)}× it)`
  );
}

type DrainLane = Lane<ThroughputMeasurement>;

/** A lane with the viewer's first screen drawn and quiet. */
const DRAIN_SETUP: LaneSetup<ThroughputMeasurement> = {
  size: SIZE,
  ready: async (term) => {
    await term.expectAnyData(20_000);
    await term.settle(300);
  },
  state: () => ({ drainMs: [], serverCpuPercent: [], serverCpuSeconds: [], hostCpuSeconds: [], viewerBytes: [], hostAloneMs: [] }),
};

/** Run `i`: clears the screen, prints the output and its end marker, and records the drain. */
async function drainOnce(lane: DrainLane, ctx: BenchContext, i: number): Promise<void> {
  const { term, state: m } = lane;
  await typeCommand(term, `clear; ${seqCommand(ctx.options.throughputSeq)}; printf '@@TP%sEND@@\\n' ${i}`);
  const done = term.expectText(`@@TP${i}END@@`, 300_000);
  const server = new CpuMeter(() => lane.running.serverPids());
  const host = new CpuMeter(() => lane.session.hostPids());
  const bytesBefore = term.bytes;
  const t0 = process.hrtime.bigint();
  term.write('\r');
  const t1 = await done;
  const cpu = server.read();
  m.drainMs.push(Number(t1 - t0) / 1e6);
  m.serverCpuPercent.push((100 * cpu.cpuSeconds) / (Number(t1 - t0) / 1e9));
  m.serverCpuSeconds.push(cpu.cpuSeconds);
  m.hostCpuSeconds.push(host.read().cpuSeconds);
  m.viewerBytes.push(term.bytes - bytesBefore);
  await term.settle(500);
}

/** One drain per live lane and round, the order rotating; tmate alone once after each round. */
async function drainInTurns(lanes: readonly DrainLane[], ctx: BenchContext): Promise<void> {
  const tmateLane = lanes.find((lane) => lane.target.id === 'relay+tmate');
  for (let i = 0; i < ctx.options.throughputRuns; i++) {
    for (let k = 0; k < lanes.length; k++) {
      const lane = laneInTurn(lanes, i, k);
      if (lane.failed === null) await drainOnce(lane, ctx, i).catch((error: unknown) => (lane.failed = errorText(error)));
    }
    if (tmateLane?.failed === null) tmateLane.state.hostAloneMs.push(...(await tmateAloneDrainMs(seqCommand(ctx.options.throughputSeq), SIZE, 1)));
  }
}

export const throughputFigure: Figure<ThroughputMeasurement> = {
  id: 'throughput',
  title: 'Throughput (host prints ~60 MB)',
  method: (ctx) =>
    `The pane runs \`seq 1 ${ctx.options.throughputSeq}\` (${(seqBytes(ctx.options.throughputSeq) / 1e6).toFixed(1)} MB) followed by an end marker; ` +
    `the drain time runs from pressing Enter in the viewer until the marker arrives at the viewer. ` +
    `Median of ${ctx.options.throughputRuns} runs; every target runs at once and they drain in turns, one run each per round (the order rotating), so that every target gets the same minutes of the machine. Server CPU: the relay process (relay targets) or sshd + the tmux server (baseline); host CPU: the tmate server or our engine.`,
  async measure(target, ctx, cpuProfDir) {
    const { lane, profile, window } = await inOneLane(target, ctx, DRAIN_SETUP, cpuProfDir, async (lane) => {
      const start = nowUs();
      for (let i = 0; i < ctx.options.throughputRuns; i++) await drainOnce(lane, ctx, i);
      const end = nowUs();
      // After the profiled window: the relay idles meanwhile.
      if (target.id === 'relay+tmate') lane.state.hostAloneMs = await tmateAloneDrainMs(seqCommand(ctx.options.throughputSeq), SIZE, ctx.options.throughputRuns);
      return [start, end];
    });
    return { ...lane.state, profile, window };
  },
  measureTogether(targets, ctx) {
    return inLanes(targets, ctx, DRAIN_SETUP, (lanes) => drainInTurns(lanes, ctx), (lane) => lane.state);
  },
  build(results, ctx) {
    const mb = seqBytes(ctx.options.throughputSeq) / 1e6;
    const base = results.find((r) => r.target.baseline)?.value;
    const rows: Row[] = results.map(({ target, value }) => {
      const drain = median(value.drainMs);
      return {
        target: target.id,
        label: target.label,
        baseline: target.baseline,
        values: {
          drain,
          mbps: drain ? mb / (drain / 1000) : null,
          cpu: median(value.serverCpuPercent),
          cpuS: median(value.serverCpuSeconds),
          hostS: target.baseline ? null : median(value.hostCpuSeconds),
          viewerMB: (median(value.viewerBytes) ?? 0) / 1e6,
          hostAlone: value.hostAloneMs.length > 0 ? median(value.hostAloneMs) : null,
        },
        note: `drain times ${value.drainMs.map((d) => fmt(d, 0)).join(', ')} ms` + hostAloneNote(value, base),
      };
    });
    const checks: Check[] = [];
    for (const { target, value } of results) {
      if (target.baseline) continue;
      const r = ratio(median(value.drainMs), base ? median(base.drainMs) : null);
      checks.push({
        figure: 'throughput',
        target: target.id,
        goal: 'drain ≤ sshd+tmux drain',
        measured: `${fmt(median(value.drainMs), 0)} ms vs ${fmt(base ? median(base.drainMs) : null, 0)} ms (${fmt(r)}×)`,
        pass: r === null ? null : r <= 1,
      });
    }
    return {
      columns: [
        { key: 'drain', label: 'drain (ms)', digits: 0, ratio: true },
        { key: 'mbps', label: 'MB/s', digits: 1 },
        { key: 'cpu', label: 'server CPU (% of a core)', digits: 0 },
        { key: 'cpuS', label: 'server CPU (s)', ratio: true },
        { key: 'hostS', label: 'host CPU (s)' },
        { key: 'viewerMB', label: 'bytes to viewer (MB)', digits: 1 },
        { key: 'hostAlone', label: 'host alone, no server: drain (ms)', digits: 0 },
      ],
      rows,
      checks,
      notes: [
        'Host alone: the stock tmate host draining the same output with no server at all (headless, its server port closed), once after each round of the targets’ drains. No server can make a tmate-hosted session drain faster than that.',
        'Both the relay and tmux skip intermediate output when the viewer cannot keep up (they redraw the screen as it is), so the viewer receives far fewer bytes than the pane printed; every byte is still parsed on the server side (by the relay’s pane emulator and the tmate host, or by tmux).',
      ],
    };
  },
};
