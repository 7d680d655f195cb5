// Measurements of this process for hardening tests (the relay under test runs in it): event-loop
// stalls, open file descriptors, active handles and timers, heap after a full collection.
//
// Invariants: nothing here sleeps to "let things settle" — callers wait for conditions; gc() is
// real (V8's collector, exposed at run time through --expose-gc set by flag, no vitest config).
import { EventEmitter } from 'node:events';
import { readdirSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collector: (() => void) | null = null;

/** V8's full garbage collection (the same as `node --expose-gc`'s global gc()). */
export function fullGc(): void {
  if (!collector) {
    setFlagsFromString('--expose-gc');
    collector = runInNewContext('gc') as () => void;
  }
  collector();
  collector();
}

/** Heap in use plus array buffers (where Buffers live), after a full collection, in bytes. */
export function liveMemory(): number {
  fullGc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

interface ProcessInternals {
  _getActiveHandles(): unknown[];
}

export function activeHandles(): number {
  return (process as unknown as ProcessInternals)._getActiveHandles().length;
}

/**
 * Event listeners registered on the process's live handles (listening servers, open sockets):
 * per-connection listeners piling up on a long-lived object show here.
 */
export function handleListeners(): number {
  let total = 0;
  for (const handle of (process as unknown as ProcessInternals)._getActiveHandles()) {
    if (handle instanceof EventEmitter) for (const name of handle.eventNames()) total += handle.listenerCount(name);
  }
  return total;
}

/** Live timers (setTimeout/setInterval/setImmediate) of this process. */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout' || kind === 'Immediate').length;
}

/**
 * The longest the event loop was blocked while the monitor ran: a 10 ms histogram of loop delays
 * (what a keystroke for another session would have waited at worst).
 */
export class LoopMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.histogram.enable();
  }

  /** Longest stall seen, in ms. */
  get maxMs(): number {
    return this.histogram.max / 1e6;
  }

  get p99Ms(): number {
    return this.histogram.percentile(99) / 1e6;
  }

  stop(): void {
    this.histogram.disable();
  }
}
