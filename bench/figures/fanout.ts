/**
 * Figure: fan-out. One session with 1, 10 and 50 real `ssh` viewers (read-write, same size); the
 * first viewer starts `seq 1 N` + an end marker in the pane, and every viewer waits for the marker.
 * Per viewer count: the slowest viewer's lag (Enter → marker on the last viewer to get it), the
 * median viewer's, the spread between fastest and slowest, and server CPU over the slowest lag.
 * No fixed target; compared with sshd+tmux serving the same number of viewers.
 */
import type { Figure } from '../lib/figure.js';
import { nowUs, withTarget } from '../lib/figure.js';
import { CpuMeter } from '../lib/proc.js';
import type { Row } from '../lib/report.js';
import { SshTerminal } from '../lib/ssh-terminal.js';
import { median } from '../lib/stats.js';
import { sleep } from '../lib/sys.js';
import { SIZE } from './echo.js';
import { seqBytes, typeCommand } from './throughput.js';

interface FanoutPoint {
  viewers: number;
  slowestMs: number;
  medianMs: number;
  fastestMs: number;
  serverCpuPercent: number;
}

interface FanoutMeasurement {
  points: FanoutPoint[];
}

export const fanoutFigure: Figure<FanoutMeasurement> = {
  id: 'fanout',
  title: 'Fan-out (one streaming session, many viewers)',
  method: (ctx) =>
    `One session, ${ctx.options.fanoutViewers.join(' / ')} real \`ssh\` viewers (${SIZE.cols}×${SIZE.rows}); viewer 1 runs \`seq 1 ${ctx.options.fanoutSeq}\` ` +
    `(${(seqBytes(ctx.options.fanoutSeq) / 1e6).toFixed(1)} MB) + an end marker. Lag of a viewer = Enter → the marker arrives at that viewer; ` +
    `"slowest" is the last viewer to get it. Server CPU over the slowest lag.`,
  async measure(target, ctx, cpuProfDir) {
    return withTarget(target, cpuProfDir, async (running) => {
      const points: FanoutPoint[] = [];
      let window: [number, number] | undefined;
      for (const count of ctx.options.fanoutViewers) {
        const session = await running.newSession(SIZE);
        const terms: SshTerminal[] = [];
        try {
          for (let i = 0; i < count; i++) {
            const term = new SshTerminal({ join: session.join, identityFile: ctx.key.privatePath, ...SIZE });
            terms.push(term);
            await term.expectAnyData(30_000);
            await sleep(20);
          }
          await Promise.all(terms.map((t) => t.settle(500)));
          const driver = terms[0]!;
          await typeCommand(driver, `clear; seq 1 ${ctx.options.fanoutSeq}; printf '@@FO%sEND@@\\n' ${count}`);
          await Promise.all(terms.map((t) => t.settle(300)));
          const marker = `@@FO${count}END@@`;
          const arrivals = terms.map((t) => t.expectText(marker, 300_000));
          const cpu = new CpuMeter(() => running.serverPids());
          const t0 = process.hrtime.bigint();
          const start = nowUs();
          driver.write('\r');
          const lags = (await Promise.all(arrivals)).map((at) => Number(at - t0) / 1e6).sort((a, b) => a - b);
          const used = cpu.read();
          window = [start, nowUs()]; // the largest viewer count, measured last
          const slowest = lags[lags.length - 1]!;
          points.push({
            viewers: count,
            slowestMs: slowest,
            medianMs: median(lags) ?? slowest,
            fastestMs: lags[0]!,
            serverCpuPercent: (100 * used.cpuSeconds) / (slowest / 1000),
          });
        } finally {
          await Promise.all(terms.map((t) => t.close()));
          await session.close();
        }
      }
      return window ? { points, window } : { points };
    });
  },
  build(results) {
    const rows: Row[] = [];
    for (const { target, value } of results) {
      for (const p of value.points) {
        rows.push({
          target: target.id,
          label: target.label,
          baseline: target.baseline,
          group: `${p.viewers} viewer${p.viewers === 1 ? '' : 's'}`,
          values: { slowest: p.slowestMs, median: p.medianMs, spread: p.slowestMs - p.fastestMs, cpu: p.serverCpuPercent },
        });
      }
    }
    const order = (r: Row): number => Number(/^\d+/.exec(r.group ?? '0')?.[0] ?? 0);
    rows.sort((a, b) => order(a) - order(b) || Number(a.baseline) - Number(b.baseline));
    return {
      columns: [
        { key: 'slowest', label: 'slowest viewer lag (ms)', digits: 0, ratio: true },
        { key: 'median', label: 'median viewer lag (ms)', digits: 0 },
        { key: 'spread', label: 'slowest − fastest (ms)', digits: 0 },
        { key: 'cpu', label: 'server CPU (% of a core)', digits: 0 },
      ],
      rows,
      checks: [],
      notes: ['All viewers run on the same 2 cores as the servers, so with 50 viewers the ssh clients compete with the server for CPU in both setups.'],
    };
  },
};
