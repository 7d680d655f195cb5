/**
 * Summarizes what bench/probes/loop-stalls.cjs wrote into a relay's log (BENCH_RELAY_LOG):
 *   node --import tsx bench/probes/stall-report.ts FILE [--from MS] [--to MS]
 * (times in ms since the relay started, to cut the report to a figure's measured phase).
 *
 * Each stall is put down to one cause: a garbage collection that overlaps it, else the main
 * thread waiting in the run queue for at least half of it (another process or thread had the
 * CPU), else the relay's own work. A stall during incremental marking counts as "own work": V8
 * reports marking steps only inside the mark-compact that ends them.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

type Stall = [at: number, lateMs: number, onCpuMs: number, queuedMs: number];
type Gc = [at: number, ms: number, kind: number];

const TICK_MS = 5;
const GC_KINDS: Record<number, string> = { 1: 'scavenge', 4: 'mark-compact', 8: 'incremental marking', 16: 'weak callbacks' };
const THRESHOLDS = [10, 15, 20, 40];

function readProbe(file: string): { stalls: Stall[]; gcs: Gc[] } {
  const stalls: Stall[] = [];
  const gcs: Gc[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('LOOPSTALLS ');
    if (at < 0) continue;
    try {
      const entry = JSON.parse(line.slice(at + 'LOOPSTALLS '.length)) as { stalls?: Stall[]; gcs?: Gc[] };
      stalls.push(...(entry.stalls ?? []));
      gcs.push(...(entry.gcs ?? []));
    } catch {
      // a line cut short by the relay's exit: skipped
    }
  }
  return { stalls, gcs };
}

function causeOf(stall: Stall, gcs: readonly Gc[]): string {
  const [at, late, , queued] = stall;
  const end = at + TICK_MS + late;
  const gc = gcs.find(([start, ms]) => start < end && start + ms > at);
  if (gc !== undefined) return `GC: ${GC_KINDS[gc[2]] ?? `kind ${gc[2]}`}`;
  if (queued * 2 >= late) return 'waiting for a CPU';
  return "the relay's own work";
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' } },
  });
  const file = positionals[0];
  if (file === undefined) {
    process.stderr.write('usage: stall-report.ts RELAY_LOG [--from MS] [--to MS]\n');
    process.exit(2);
  }
  const from = Number(values.from ?? 0);
  const to = Number(values.to ?? Infinity);
  const probe = readProbe(file);
  const stalls = probe.stalls.filter(([at]) => at >= from && at < to);
  const gcs = probe.gcs.filter(([at]) => at >= from && at < to);
  if (probe.stalls.length === 0 && probe.gcs.length === 0) {
    process.stderr.write(`${file}: no LOOPSTALLS lines (was the relay started with --require bench/probes/loop-stalls.cjs?)\n`);
    process.exit(1);
  }
  const span = stalls.length > 0 ? `${stalls[0]![0]}–${stalls.at(-1)![0]} ms` : 'none';
  console.log(`stalls of more than 8 ms: ${stalls.length} (first to last: ${span})`);
  for (const limit of THRESHOLDS) {
    const over = stalls.filter(([, late]) => late > limit);
    const causes = new Map<string, number>();
    for (const stall of over) causes.set(causeOf(stall, probe.gcs), (causes.get(causeOf(stall, probe.gcs)) ?? 0) + 1);
    const byCause = [...causes].sort((a, b) => b[1] - a[1]).map(([cause, n]) => `${cause} ${n}`).join(', ');
    console.log(`  > ${limit} ms: ${over.length}${byCause ? ` (${byCause})` : ''}`);
  }
  const longest = [...stalls].sort((a, b) => b[1] - a[1]).slice(0, 5);
  for (const [at, late, onCpu, queued] of longest) {
    console.log(`  longest: ${late} ms at ${at} ms, on a CPU ${onCpu} ms, queued ${queued} ms, ${causeOf([at, late, onCpu, queued], probe.gcs)}`);
  }
  for (const [kind, name] of Object.entries(GC_KINDS)) {
    const pauses = gcs.filter(([, , k]) => k === Number(kind)).map(([, ms]) => ms);
    if (pauses.length === 0) continue;
    console.log(`${name}: ${pauses.length}, median ${median(pauses)} ms, max ${Math.max(...pauses)} ms`);
  }
}

main();
