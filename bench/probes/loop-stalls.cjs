/**
 * Event-loop stall probe, preloaded into a relay under measurement (`node --require` this file).
 * The bench loads it into every profiled re-run (bench/lib/relay-process.ts); by hand:
 *   LOOP_STALLS_DIR=/tmp/x npm run bench -- scale --relay-node-options="--require ./bench/probes/loop-stalls.cjs"
 * then `node --import tsx bench/probes/stall-report.ts /tmp/x/STALLS.PID.jsonl`.
 *
 * A 5 ms interval timer notes every tick that came more than 8 ms late (the loop was held, or the
 * thread waited for a CPU), with the main thread's time on a CPU and in the run queue over that
 * tick from /proc/self/task/PID/schedstat (Linux; both 0 where it cannot be read), and every
 * garbage collection (start, duration, kind). Once a second, and at exit, it appends what it saw
 * to LOOP_STALLS_DIR (default: the temp dir)/STALLS.<pid>.jsonl as one JSON line
 * {"stalls":[[atUs,lateMs,onCpuMs,queuedMs],…],"gcs":[[atUs,ms,kind],…]}, times in µs of
 * CLOCK_MONOTONIC (the clock of process.hrtime and of V8's CPU profiles); the first line is
 * {"start":atUs}. Plain CommonJS so that any build can load it; its own cost is one timer every
 * 5 ms and one 100-byte pread of /proc per tick.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance, PerformanceObserver } = require('node:perf_hooks');

const TICK_MS = 5;
const LATE_MS = 8;
const schedPath = `/proc/self/task/${process.pid}/schedstat`;
const outPath = path.join(process.env.LOOP_STALLS_DIR || os.tmpdir(), `STALLS.${process.pid}.jsonl`);

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

// Kept open and read from offset 0 each tick: one pread instead of open, read and close.
let schedFd = -1;
try {
  schedFd = fs.openSync(schedPath, 'r');
} catch {
  // not Linux, or no /proc: times stay 0
}
const schedBuffer = Buffer.alloc(128);

/** [ns on a CPU, ns waiting in the run queue] of the main thread, or zeros. */
function schedTimes() {
  if (schedFd < 0) return [0, 0];
  try {
    const length = fs.readSync(schedFd, schedBuffer, 0, schedBuffer.length, 0);
    const [onCpu, queued] = schedBuffer.toString('latin1', 0, length).split(' ').map(Number);
    return [onCpu || 0, queued || 0];
  } catch {
    return [0, 0];
  }
}

const stalls = [];
const gcs = [];
let lastTickUs = monotonicUs();
let lastSched = schedTimes();

function append(record) {
  try {
    fs.appendFileSync(outPath, `${JSON.stringify(record)}\n`);
  } catch {
    // a probe must never take the relay down: an unwritable directory loses the record
  }
}

function flush() {
  if (stalls.length === 0 && gcs.length === 0) return;
  append({ stalls: stalls.splice(0), gcs: gcs.splice(0) });
}

append({ start: lastTickUs });

setInterval(() => {
  const nowUs = monotonicUs();
  const sched = schedTimes();
  const lateMs = (nowUs - lastTickUs) / 1000 - TICK_MS;
  if (lateMs > LATE_MS) {
    stalls.push([
      lastTickUs,
      Math.round(lateMs),
      Math.round((sched[0] - lastSched[0]) / 1e6),
      Math.round((sched[1] - lastSched[1]) / 1e6),
    ]);
  }
  lastTickUs = nowUs;
  lastSched = sched;
}, TICK_MS).unref();

new PerformanceObserver((list) => {
  // GC entries are timed on performance.now(); shift them onto the monotonic clock.
  const offsetUs = monotonicUs() - performance.now() * 1000;
  for (const entry of list.getEntries()) {
    gcs.push([Math.round(offsetUs + entry.startTime * 1000), Number(entry.duration.toFixed(1)), entry.detail ? entry.detail.kind : 0]);
  }
}).observe({ entryTypes: ['gc'] });

setInterval(flush, 1000).unref();
process.on('exit', flush);
