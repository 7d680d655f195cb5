/**
 * Summarizes a V8 .cpuprofile (written by `node --cpu-prof`) for the report: where the relay's
 * busy time went, by area of the code (our layers, xterm, ssh2, msgpack, GC …) and by function
 * (self time). Idle time is left out of the percentages, so they read as "share of the time the
 * relay was working".
 */
import { readFile } from 'node:fs/promises';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Which part of the system a frame belongs to (first match wins). */
const AREAS: readonly [RegExp, string][] = [
  [/@xterm\//, '@xterm/headless (pane emulators)'],
  [/\/ssh2\//, 'ssh2 (SSH protocol, crypto glue)'],
  [/@msgpack\//, '@msgpack/msgpack'],
  [/node_modules\//, 'other dependencies'],
  [/\/(?:src|dist)\/core\/render\//, 'relay: render (core/render)'],
  [/\/(?:src|dist)\/core\/mux\//, 'relay: replica (core/mux)'],
  [/\/(?:src|dist)\/core\/protocol\//, 'relay: tmate codec (core/protocol)'],
  [/\/(?:src|dist)\/core\/term\//, 'relay: terminal layer (core/term)'],
  [/\/(?:src|dist)\/server\/relay\//, 'relay: sessions/links (server/relay)'],
  [/\/(?:src|dist)\/server\/transport\//, 'relay: transports (server/transport)'],
  [/\/(?:src|dist)\//, 'relay: other'],
  [/^node:|^internal\//, 'Node.js core (streams, net, timers)'],
];

function areaOf(frame: CallFrame): string {
  const name = frame.functionName;
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)') return 'V8/native (program)';
  if (name === '(idle)') return 'idle';
  const url = frame.url;
  for (const [re, area] of AREAS) if (re.test(url)) return area;
  return url === '' ? 'native / builtins' : 'other';
}

function shortUrl(url: string): string {
  const m = /(?:node_modules\/(.+)|\/(src\/.+)|\/(dist\/.+))$/.exec(url);
  return m ? (m[1] ?? m[2] ?? m[3] ?? url) : url.replace(/^file:\/\//, '');
}

export interface ProfileSummary {
  file: string;
  /** Wall time covered (the measurement window when one was given), ms. */
  totalMs: number;
  /** Time not idle, ms. */
  busyMs: number;
  windowed: boolean;
  areas: { area: string; ms: number; share: number }[];
  functions: { name: string; where: string; ms: number; share: number }[];
  /** The longest stretches without an idle sample: how long the event loop was held at once. */
  stretches: { ms: number; top: string }[];
}

/**
 * Summarizes `file`; with `windowUs` ([start, end] in microseconds of CLOCK_MONOTONIC, the clock of
 * both process.hrtime and V8's profile timestamps), only samples inside that window count.
 */
export async function summarizeProfile(file: string, windowUs?: readonly [number, number], top = 12): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const areas = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; us: number }>();
  let idle = 0;
  let total = 0;
  let t = profile.startTime;
  const stretches: { us: number; counts: Map<string, number> }[] = [];
  let current: { us: number; counts: Map<string, number> } | null = null;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (windowUs && (t < windowUs[0] || t > windowUs[1])) continue;
    const frame = byId.get(profile.samples[i]!)?.callFrame;
    if (!frame) continue;
    // A sample's delta is the time since the previous one: attribute it to this sample.
    const us = delta;
    total += us;
    const area = areaOf(frame);
    if (area === 'idle') {
      idle += us;
      if (current) stretches.push(current);
      current = null;
      continue;
    }
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const f = functions.get(key) ?? { name, where, us: 0 };
    f.us += us;
    functions.set(key, f);
    current ??= { us: 0, counts: new Map() };
    current.us += us;
    current.counts.set(area, (current.counts.get(area) ?? 0) + us);
  }
  if (current) stretches.push(current);
  const busy = total - idle;
  const share = (us: number): number => (busy > 0 ? us / busy : 0);
  const topOf = (counts: Map<string, number>): string => {
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    const sum = [...counts.values()].reduce((a, b) => a + b, 0);
    return sorted.map(([area, us]) => `${area} ${Math.round((100 * us) / sum)} %`).join(', ');
  };
  return {
    file,
    totalMs: total / 1000,
    busyMs: busy / 1000,
    windowed: windowUs !== undefined,
    areas: [...areas.entries()].map(([area, us]) => ({ area, ms: us / 1000, share: share(us) })).sort((a, b) => b.ms - a.ms),
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, share: share(f.us) })),
    stretches: stretches
      .sort((a, b) => b.us - a.us)
      .slice(0, 3)
      .map((st) => ({ ms: st.us / 1000, top: topOf(st.counts) })),
  };
}

/** Markdown lines for the report. */
export function profileMarkdown(summary: ProfileSummary, heading: string): string[] {
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  const lines = [
    `${heading} (\`node --cpu-prof\`${summary.windowed ? ', during the measurement only' : ''}: the relay was busy ${(summary.busyMs / 1000).toFixed(2)} s of ${(summary.totalMs / 1000).toFixed(2)} s, ` +
      `${pct(summary.totalMs > 0 ? summary.busyMs / summary.totalMs : 0)} of one core; shares of busy time):`,
    '',
    '| area | share |',
    '|---|---:|',
    ...summary.areas.slice(0, 8).map((a) => `| ${a.area} | ${pct(a.share)} |`),
    '',
    '| top self time | where | share |',
    '|---|---|---:|',
    ...summary.functions.map((f) => `| \`${f.name}\` | ${f.where || '—'} | ${pct(f.share)} |`),
    '',
    `Longest stretches without an idle sample (the event loop held): ${summary.stretches.map((st) => `${st.ms.toFixed(0)} ms (${st.top})`).join('; ') || 'none'}.`,
    '',
  ];
  return lines;
}
