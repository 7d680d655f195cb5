/**
 * Run in a fresh Node process (`node --expose-gc --import tsx disposed-in-one-job.ts N`): creates
 * and disposes N emulators in one synchronous job, then prints the heap in use after a full GC
 * (still inside that job) minus the heap before, in bytes. Disposed emulators must not be kept
 * alive until the job ends (a WeakRef made at registration did that: the fuzz targets create
 * 100,000 emulators in one job).
 */
import { createEmulator, feedEmulator } from '../../../../src/core/term/emulator.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const count = Number(process.argv[2] ?? '2000');
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const before = heap();
const output = new TextEncoder().encode('a line of output\r\n'.repeat(50));
for (let i = 0; i < count; i++) {
  const term = createEmulator(80, 24, 100);
  feedEmulator(term, output);
  term.dispose();
}
process.stdout.write(`${heap() - before}\n`);
