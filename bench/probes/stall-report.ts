/**
 * Prints what bench/probes/loop-stalls.cjs recorded in one relay (bench/lib/loop-stalls.ts says
 * how each stall is put down to a cause):
 *   node --import tsx bench/probes/stall-report.ts STALLS.PID.jsonl [--from MS] [--to MS]
 * with --from/--to in ms since the probe loaded, to cut the report to a figure's measured phase.
 */
import { parseArgs } from 'node:util';
import { readStallProbe, stallsMarkdown, summarizeStalls } from '../lib/loop-stalls.js';

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' } },
  });
  const file = positionals[0];
  const fromMs = Number(values.from ?? 0);
  const toMs = Number(values.to ?? Number.MAX_SAFE_INTEGER / 1000);
  if (file === undefined || positionals.length > 1 || !Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    process.stderr.write('usage: stall-report.ts STALLS_FILE [--from MS] [--to MS]\n');
    return 2;
  }
  const probe = readStallProbe(file);
  if (probe.startUs === null) {
    process.stderr.write(`${file}: not a loop-stalls record (no start line)\n`);
    return 1;
  }
  const summary = summarizeStalls(probe, [probe.startUs + fromMs * 1000, probe.startUs + toMs * 1000]);
  process.stdout.write(stallsMarkdown(summary, `${file}`).join('\n'));
  return 0;
}

process.exitCode = main();
