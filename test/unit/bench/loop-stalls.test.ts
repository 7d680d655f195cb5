/**
 * The bench's loop-stall summary (bench/lib/loop-stalls.ts): each stall goes to one cause, only the
 * measured window counts, and a record cut short or tampered with is skipped rather than thrown on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStallProbe, stallsFileFor, stallsMarkdown, summarizeStalls } from '../../../bench/lib/loop-stalls.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function probeFile(lines: string[], name = 'STALLS.4242.jsonl'): string {
  const dir = mkdtempSync(join(tmpdir(), 'loop-stalls-'));
  dirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const S = 1_000_000; // one second in µs

describe('loop-stall summary', () => {
  it('puts each stall down to collections, the run queue or the relay itself', () => {
    const file = probeFile([
      JSON.stringify({ start: 0 }),
      JSON.stringify({
        stalls: [
          [1 * S, 20, 20, 0], // a 19 ms scavenge inside: GC
          [2 * S, 30, 5, 25], // mostly queued: waiting for a CPU
          [3 * S, 40, 39, 0], // busy, with only a 1 ms scavenge inside: own work
        ],
        gcs: [
          [1 * S + 2000, 19, 1],
          [3 * S + 1000, 1, 1],
        ],
      }),
    ]);
    const summary = summarizeStalls(readStallProbe(file));
    const over15 = summary.over.find((o) => o.limitMs === 15)!;
    expect(over15.count).toBe(3);
    expect(Object.fromEntries(over15.causes.map((c) => [c.cause, c.count]))).toEqual({
      'GC (scavenge)': 1,
      'waiting for a CPU': 1,
      "the relay's own work": 1,
    });
    expect(summary.over.find((o) => o.limitMs === 20)!.count).toBe(2);
    expect(summary.longest[0]).toEqual({ lateMs: 40, onCpuMs: 39, queuedMs: 0, cause: "the relay's own work" });
    expect(summary.gcs).toEqual([{ kind: 'scavenge', count: 2, medianMs: 19, maxMs: 19 }]);
    expect(stallsMarkdown(summary, 'stalls')[0]).toContain('3 stalls of more than 8 ms; 3 over 10 ms');
  });

  it('counts only what began inside the measured window', () => {
    const file = probeFile([
      JSON.stringify({ start: 0 }),
      JSON.stringify({ stalls: [[1 * S, 50, 50, 0], [5 * S, 12, 12, 0]], gcs: [[1 * S, 3, 4], [5 * S, 2, 1]] }),
    ]);
    const summary = summarizeStalls(readStallProbe(file), [4 * S, 6 * S]);
    expect(summary.stalls).toBe(1);
    expect(summary.longest.map((s) => s.lateMs)).toEqual([12]);
    expect(summary.gcs.map((g) => g.kind)).toEqual(['scavenge']);
  });

  it('skips lines cut short or of the wrong shape', () => {
    const file = probeFile([
      JSON.stringify({ start: 7 }),
      '{"stalls":[[1,2',
      JSON.stringify({ stalls: [[1, 'x', 3, 4], [1, 2, 3], null], gcs: 'no' }),
      'null',
      JSON.stringify({ stalls: [[S, 9, 9, 0]] }),
    ]);
    const probe = readStallProbe(file);
    expect(probe.startUs).toBe(7);
    expect(probe.stalls).toEqual([[S, 9, 9, 0]]);
    expect(probe.gcs).toEqual([]);
  });

  it('finds the record beside the profile of the same relay process', () => {
    const file = probeFile([JSON.stringify({ start: 0 })]);
    const dir = file.slice(0, file.lastIndexOf('/'));
    expect(stallsFileFor(join(dir, 'CPU.20261202.011332.4242.0.001.cpuprofile'))).toBe(file);
    expect(stallsFileFor(join(dir, 'CPU.20261202.011332.999.0.001.cpuprofile'))).toBeNull();
    expect(stallsFileFor(join(dir, 'profile.cpuprofile'))).toBeNull();
  });
});
