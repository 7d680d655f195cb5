/**
 * Figure: memory of idle sessions. The load generator adds idle sessions, each with one viewer,
 * in steps (1, 100, 1000 in total); after each step and a 3 s settle the server's RSS and PSS are
 * read from /proc/PID/smaps_rollup. Per session = (total − total with no session) / sessions.
 * Then (not a target) busy sessions: 100 more that stream log lines (the scale figure's stream,
 * ~100 lines a second) for 25 s, long enough to fill a 2000-line scrollback (tmux's default
 * history-limit, the relay's default --scrollback), and keep streaming while memory is read;
 * per busy session = (total − total before they were added) / their number.
 * Relay: one relay process (simulated tmate hosts: same handshake, key table and compression
 * request as the stock client; a login screen and a prompt in the pane). Baseline: sshd (every process)
 * + the tmux server, without the pane shells. Target: ≤ 1 MB (10^6 bytes) PSS per idle session
 * with one viewer at 1000 sessions.
 */
import type { Figure } from '../lib/figure.js';
import type { RunningTarget } from '../lib/targets.js';
import { withTarget } from '../lib/figure.js';
import { addSessions, startStreaming, STREAM } from '../lib/load.js';
import { sumMemory } from '../lib/proc.js';
import type { Check, Row } from '../lib/report.js';
import { fmt } from '../lib/stats.js';
import { sleep } from '../lib/sys.js';
import { LoadGenerator } from '../loadgen/loadgen-client.js';

const LOAD_SIZE = { cols: 80, rows: 24 };
const SETTLE_MS = 3000;

interface MemoryPoint {
  sessions: number;
  viewers: number;
  rss: number;
  pss: number;
  perSessionPss: number;
  perSessionRss: number;
}

interface MemoryMeasurement {
  empty: { rss: number; pss: number };
  points: MemoryPoint[];
  /** The busy step: per-session figures are over the sessions it added. */
  busy: MemoryPoint | null;
  failures: string[];
}

export const memoryFigure: Figure<MemoryMeasurement> = {
  id: 'memory',
  title: 'Memory per idle session (one viewer each)',
  method: (ctx) =>
    `A load generator (separate process) adds idle sessions with one viewer each (${LOAD_SIZE.cols}×${LOAD_SIZE.rows}) up to ${ctx.options.memoryLevels.join(' / ')} ` +
    `(baseline: ${ctx.options.baselineMemoryLevels.join(' / ')}); after each step and ${SETTLE_MS / 1000} s the server's RSS and PSS are read from /proc. ` +
    'Per session = (total − total with no session) / sessions. Relay hosts are simulated (stock tmate handshake and key table; they ask for zlib like tmate, which the relay agrees to only with --ssh-compression); ' +
    'the baseline counts every sshd process and the tmux server, not the pane shells.',
  profileable: false,
  select: (targets) => {
    const relay = targets.find((t) => !t.baseline);
    return targets.filter((t) => t.baseline || t === relay);
  },
  async measure(target, ctx, cpuProfDir) {
    return withTarget(target, cpuProfDir, async (running) => {
      const lg = LoadGenerator.start(900);
      try {
        await sleep(1000);
        const empty = sumMemory(running.serverPids());
        const points: MemoryPoint[] = [];
        const failures: string[] = [];
        let sessions = 0;
        let viewers = 0;
        const levels = target.baseline ? ctx.options.baselineMemoryLevels : ctx.options.memoryLevels;
        for (const level of levels) {
          const added = await addSessions(lg, running, ctx.key.privatePath, level - sessions, 0, LOAD_SIZE);
          sessions += added.sessions;
          viewers += added.viewers;
          failures.push(...added.failures);
          await sleep(SETTLE_MS);
          const m = sumMemory(running.serverPids());
          points.push({
            sessions,
            viewers,
            rss: m.rss,
            pss: m.pss,
            perSessionPss: sessions > 0 ? (m.pss - empty.pss) / sessions : 0,
            perSessionRss: sessions > 0 ? (m.rss - empty.rss) / sessions : 0,
          });
        }
        const busy = await measureBusy(lg, running, ctx.key.privatePath, ctx.options.busyMemorySessions, ctx.options.busyMemoryFillMs, failures);
        return { empty, points, busy, failures };
      } finally {
        await lg.stop();
      }
    });
  },
  build(results) {
    const rows: Row[] = [];
    const notes: string[] = [];
    const checks: Check[] = [];
    for (const { target, value } of results) {
      const label = target.baseline ? target.label : 'relay (simulated tmate hosts)';
      rows.push({ target: target.id, label, baseline: target.baseline, group: '0 sessions', values: { pss: value.empty.pss / 1e6, rss: value.empty.rss / 1e6, perPss: null, perRss: null } });
      for (const p of value.points) {
        rows.push({
          target: target.id,
          label,
          baseline: target.baseline,
          group: `${p.sessions} session${p.sessions === 1 ? '' : 's'}`,
          values: { pss: p.pss / 1e6, rss: p.rss / 1e6, perPss: p.perSessionPss / 1e3, perRss: p.perSessionRss / 1e3 },
          note: p.viewers !== p.sessions ? `${p.viewers} viewers attached` : undefined,
        });
      }
      if (value.busy !== null) rows.push(busyRow(target.id, label, target.baseline, value.busy));
      for (const f of value.failures) notes.push(`${label}: ${f}`);
      if (!target.baseline) {
        const at1000 = value.points.find((p) => p.sessions >= 1000);
        checks.push({
          figure: 'memory',
          target: 'relay',
          goal: '≤ 1 MB PSS per idle session with one viewer, at 1000 sessions',
          measured: at1000 ? `${fmt(at1000.perSessionPss / 1e6, 3)} MB at ${at1000.sessions}` : 'n/a',
          pass: at1000 ? at1000.perSessionPss <= 1e6 : null,
        });
      }
    }
    const order = (r: Row): number => (r.group?.startsWith(BUSY_GROUP) ? Infinity : Number(/^\d+/.exec(r.group ?? '0')?.[0] ?? 0));
    rows.sort((a, b) => order(a) - order(b) || Number(a.baseline) - Number(b.baseline));
    return {
      columns: [
        { key: 'pss', label: 'PSS total (MB)', digits: 1 },
        { key: 'rss', label: 'RSS total (MB)', digits: 1 },
        { key: 'perPss', label: 'PSS per session (KB)', digits: 0, ratio: true },
        { key: 'perRss', label: 'RSS per session (KB)', digits: 0 },
      ],
      rows,
      checks,
      notes: [
        ...notes,
        'MB and KB are decimal (10^6, 10^3 bytes). With 1 session the per-session figure is dominated by noise (heap growth, allocator pages).',
        `"${BUSY_GROUP}" (not a target): sessions added after the idle steps, streaming ~${Math.round((STREAM.bytes / 80) * (1000 / STREAM.intervalMs))} log lines a second, measured after they filled their 2000-line scrollbacks (tmux history-limit and relay --scrollback both 2000), while still streaming; per session = the growth they caused / their number.`,
      ],
    };
  },
};

const BUSY_GROUP = 'busy';

/** Adds `count` streaming sessions, lets them fill their scrollbacks, and reads memory (null: none). */
async function measureBusy(
  lg: LoadGenerator,
  running: RunningTarget,
  keyPath: string,
  count: number,
  fillMs: number,
  failures: string[],
): Promise<MemoryPoint | null> {
  if (count <= 0) return null;
  const before = sumMemory(running.serverPids());
  const added = await addSessions(lg, running, keyPath, count, count, LOAD_SIZE);
  failures.push(...added.failures);
  if (added.sessions === 0) return null;
  await startStreaming(lg, running);
  await sleep(fillMs);
  const m = sumMemory(running.serverPids());
  return {
    sessions: added.sessions,
    viewers: added.viewers,
    rss: m.rss,
    pss: m.pss,
    perSessionPss: (m.pss - before.pss) / added.sessions,
    perSessionRss: (m.rss - before.rss) / added.sessions,
  };
}

function busyRow(target: string, label: string, baseline: boolean, busy: MemoryPoint): Row {
  return {
    target,
    label,
    baseline,
    group: `${BUSY_GROUP}: +${busy.sessions} streaming, full scrollbacks`,
    values: { pss: busy.pss / 1e6, rss: busy.rss / 1e6, perPss: busy.perSessionPss / 1e3, perRss: busy.perSessionRss / 1e3 },
    note: busy.viewers !== busy.sessions ? `${busy.viewers} viewers attached` : undefined,
  };
}
