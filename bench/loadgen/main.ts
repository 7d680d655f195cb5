/**
 * The load generator process: simulated tmate hosts and simulated SSH viewers (sim-host.ts,
 * sim-viewer.ts), driven by the bench over the fork() IPC channel (protocol.ts). It runs in its
 * own process so its CPU is not the bench's nor the relay's.
 *
 * Bounds (it always stops by itself):
 * - loopback only: every connection goes to 127.0.0.1;
 * - at most MAX_CONNECTIONS connections in total, at most SETUP_CONCURRENCY being set up at once;
 * - it exits after --max-seconds (default 900), or when the bench closes the IPC channel.
 *
 * Run by the bench as `node --import tsx bench/loadgen/main.ts --max-seconds N`.
 */
import { readFileSync } from 'node:fs';
import type { LoadCommand, LoadReply, LoadStats, SetupResult, StreamSpec } from './protocol.js';
import { SimHost } from './sim-host.js';
import { SimViewer } from './sim-viewer.js';
import { errorText } from '../lib/sys.js';

const MAX_CONNECTIONS = 5000;
const SETUP_CONCURRENCY = 24;
/** A viewer's first screen may take long while a thousand are set up at once. */
const VIEWER_TIMEOUT_MS = 60_000;

const maxSecondsArg = process.argv.indexOf('--max-seconds');
const maxSeconds = maxSecondsArg >= 0 ? Number(process.argv[maxSecondsArg + 1]) : 900;

const hosts: SimHost[] = [];
const viewers: SimViewer[] = [];
/** Hosts that stream once told to, with their rate. */
const streamers: { host: SimHost; spec: StreamSpec }[] = [];
let streamingCount = 0;

function stopAll(): void {
  for (const h of hosts) h.drop();
  for (const v of viewers) v.leave();
}

function exitSoon(code: number): void {
  stopAll();
  setTimeout(() => process.exit(code), 300).unref();
}

const deadline = setTimeout(() => {
  process.stderr.write(`loadgen: --max-seconds ${maxSeconds} reached, stopping\n`);
  exitSoon(3);
}, Math.max(1, maxSeconds) * 1000);
deadline.unref();

process.on('disconnect', () => exitSoon(0));

function reply(message: LoadReply): void {
  process.send?.(message);
}

/** Runs `tasks` with at most SETUP_CONCURRENCY in flight. */
async function pool<T>(count: number, task: (i: number) => Promise<T>): Promise<(T | Error)[]> {
  const results: (T | Error)[] = new Array<T | Error>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      try {
        results[i] = await task(i);
      } catch (error) {
        results[i] = error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SETUP_CONCURRENCY, count) }, worker));
  return results;
}

function checkBudget(extra: number): void {
  if (hosts.length + viewers.length + extra > MAX_CONNECTIONS) {
    throw new Error(`loadgen: more than ${MAX_CONNECTIONS} connections requested`);
  }
}

function setupResult<T>(results: (T | Error)[], started: number, token: (r: T) => string): SetupResult {
  const errors = results.filter((r): r is Error => r instanceof Error);
  return {
    ok: results.length - errors.length,
    failed: errors.length,
    ms: Date.now() - started,
    tokens: results.map((r) => (r instanceof Error ? '' : token(r))),
    firstError: errors[0]?.message ?? null,
  };
}

async function handle(command: LoadCommand): Promise<SetupResult | LoadStats | null> {
  switch (command.type) {
    case 'hosts': {
      checkBudget(command.count);
      const started = Date.now();
      const results = await pool(command.count, async (i) => {
        const host = new SimHost(command.cols, command.rows);
        hosts.push(host);
        const tokens = await host.connect(command.port);
        if (i < command.streaming) streamers.push({ host, spec: command.stream });
        return tokens.rw;
      });
      return setupResult(results, started, (t) => t);
    }
    case 'viewers': {
      checkBudget(command.targets.length);
      const key = readFileSync(command.keyPath);
      const started = Date.now();
      const results = await pool(command.targets.length, async (i) => {
        const target = command.targets[i]!;
        const viewer = new SimViewer(false, command.cols, command.rows);
        viewers.push(viewer);
        await viewer.connect(command.port, target.user, key, target.command, VIEWER_TIMEOUT_MS);
        return '';
      });
      return setupResult(results, started, () => '');
    }
    case 'stream':
      if (command.on) {
        // Spread over one interval, as independent hosts would be: started in phase, every
        // streaming host would send in the same millisecond, a burst no real load has.
        streamers.forEach(({ host, spec }, i) => host.startStreaming(spec, (i * spec.intervalMs) / streamers.length));
        streamingCount = streamers.length;
      } else {
        for (const h of hosts) h.stopStreaming();
        streamingCount = 0;
      }
      return null;
    case 'stats':
      return {
        hosts: hosts.length,
        hostsStreaming: streamingCount,
        viewers: viewers.length,
        viewerBytes: viewers.reduce((s, v) => s + v.bytes, 0),
        hostBytes: hosts.reduce((s, h) => s + h.bytesSent, 0),
        dropped: hosts.filter((h) => h.closedUnexpectedly).length + viewers.filter((v) => v.closedUnexpectedly).length,
      };
  }
}

process.on('message', (raw: unknown) => {
  const command = raw as LoadCommand; // the bench is the only sender (fork IPC)
  handle(command).then(
    (result) => reply({ type: 'done', id: command.id, ok: true, result }),
    (error: unknown) => reply({ type: 'done', id: command.id, ok: false, error: errorText(error) }),
  );
});
