/**
 * Event-loop stall probe, preloaded into a relay under measurement:
 *   npm run bench -- scale --relay-node-options="--require ./bench/probes/loop-stalls.cjs"
 * with BENCH_RELAY_LOG=FILE, then `node --import tsx bench/probes/stall-report.ts FILE`.
 *
 * A 5 ms interval timer notes every tick that came more than 8 ms late (the loop was held, or the
 * thread waited for a CPU), with the main thread's time on a CPU and in the run queue over that
 * tick from /proc/self/task/PID/schedstat (Linux; both 0 where it cannot be read), and every
 * garbage collection (start, duration, kind). Once a second it writes what it saw as one line
 * `LOOPSTALLS {"stalls":[[t,lateMs,onCpuMs,queuedMs],…],"gcs":[[t,ms,kind],…]}` to stdout, times
 * in ms since the probe loaded. Plain CommonJS so that `node --require` loads it into any build;
 * its own cost is one timer every 5 ms and a 100-byte read from /proc per tick.
 */
'use strict';
const fs = require('node:fs');
const { performance, PerformanceObserver } = require('node:perf_hooks');

const TICK_MS = 5;
const LATE_MS = 8;
const schedPath = `/proc/self/task/${process.pid}/schedstat`;

/** [ns on a CPU, ns waiting in the run queue] of the main thread, or zeros. */
function schedTimes() {
  try {
    const [onCpu, queued] = fs.readFileSync(schedPath, 'utf8').split(' ').map(Number);
    return [onCpu || 0, queued || 0];
  } catch {
    return [0, 0];
  }
}

const origin = performance.now();
let lastTick = origin;
let lastSched = schedTimes();
const stalls = [];
const gcs = [];

setInterval(() => {
  const now = performance.now();
  const sched = schedTimes();
  const late = now - lastTick - TICK_MS;
  if (late > LATE_MS) {
    stalls.push([
      Math.round(lastTick - origin),
      Math.round(late),
      Math.round((sched[0] - lastSched[0]) / 1e6),
      Math.round((sched[1] - lastSched[1]) / 1e6),
    ]);
  }
  lastTick = now;
  lastSched = sched;
}, TICK_MS).unref();

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcs.push([Math.round(entry.startTime - origin), Number(entry.duration.toFixed(1)), entry.detail ? entry.detail.kind : 0]);
  }
}).observe({ entryTypes: ['gc'] });

setInterval(() => {
  if (stalls.length === 0 && gcs.length === 0) return;
  process.stdout.write(`LOOPSTALLS ${JSON.stringify({ stalls: stalls.splice(0), gcs: gcs.splice(0) })}\n`);
}, 1000).unref();
