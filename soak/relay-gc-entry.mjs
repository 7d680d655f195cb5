/**
 * The soak's entry point for the relay process: `node soak/relay-gc-entry.mjs serve …` runs the
 * built relay (the module named by SOAK_RELAY_ENTRY, normally dist/main.js, which reads
 * process.argv like `node dist/main.js serve …`) with one addition for measuring: on SIGUSR2 it runs
 * a full garbage collection and appends one JSON line with process.memoryUsage() (bytes) and the
 * GC time to the file named by SOAK_GC_REPORT. Comparing memory after a full GC removes the noise
 * of V8's lazy collection, which otherwise dominates RSS at ~1 GB of heap.
 *
 * Plain JavaScript: the relay runs without tsx, as in production. Nothing else of the relay changes;
 * the signal is only sent by soak/run-soak.ts at its checkpoints.
 */
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const entry = process.env.SOAK_RELAY_ENTRY;
const reportPath = process.env.SOAK_GC_REPORT;
if (!entry || !reportPath) {
  process.stderr.write('relay-gc-entry: SOAK_RELAY_ENTRY and SOAK_GC_REPORT must be set\n');
  process.exit(2);
}

setFlagsFromString('--expose-gc');
/** @type {() => void} */
const gc = runInNewContext('gc');
let seq = 0;

process.on('SIGUSR2', () => {
  const started = performance.now();
  gc();
  gc(); // a second pass collects what the first one's finalizers released
  const gcMs = performance.now() - started;
  const m = process.memoryUsage();
  appendFileSync(
    reportPath,
    JSON.stringify({ seq: ++seq, gcMs, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers }) + '\n',
  );
});

await import(pathToFileURL(entry).href);
