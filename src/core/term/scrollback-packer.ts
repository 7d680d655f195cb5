/**
 * Packs the scrollback of every live emulator in the background (packed-lines.ts): once a second,
 * the emulators that received output or were resized since the last sweep (all of them, after
 * any line was unpacked, e.g. by copy mode) get every scrollback line but the newest
 * KEEP_RECENT_LINES packed (the cells they give up are kept by the pane's line arena for its next
 * lines, as many as it used in the last second), and a parse buffer that a burst of output grew
 * handed back (shrinkParseBuffer). Panes that still keep spare cells are visited too, until the
 * sweeps have trimmed them to none.
 *
 * Why a sweep and not at the moment a line scrolls up: in a flood (`seq 1 8000000`) a scrollback
 * line lives for a fraction of a second, and packing each would cost more than the flood's
 * parsing; a sweep packs at most one scrollback per emulator per second, and lines that are
 * about to be recycled are packed rarely. Lines that scrolled up recently are the ones copy mode
 * reads first, so they wait for a later sweep.
 *
 * Invariants: packing never changes what an emulator holds (it is lossless), so when a sweep runs
 * does not matter to correctness, only to memory; a sweep works in slices of about SLICE_MS (at
 * most LINES_PER_TURN lines of one emulator at a time) and yields between them, so it never holds
 * the event loop for long; a sweep visits only the emulators due (output, a resize or spare cells
 * since the last), but all of them after a packed line was read back; emulators are held weakly
 * (see PackState) and dropped when disposed.
 */
import type { Terminal } from '@xterm/headless';
import { giveBackCells, hasSpareCells, trimSpareCells } from './line-arena.js';
import { isPacked, packLine, packsLines, unpackedLines } from './packed-lines.js';
import { normalBuffer } from './xterm-buffer-line.js';

/** Time between two sweeps. */
export const SWEEP_INTERVAL_MS = 1000;
/** Newest scrollback lines a sweep leaves unpacked. */
export const KEEP_RECENT_LINES = 50;
/** Longest stretch of one sweep before it yields to the event loop. */
const SLICE_MS = 1;
/**
 * Lines packed in one go (~1–5 µs each): a scrollback that filled since the last sweep (2000
 * lines) is packed in several turns, each within about a slice.
 */
const LINES_PER_TURN = 100;
/** Sweeps between two visits of every emulator (which drop disposed ones). */
const PRUNE_EVERY = 60;

/** Size of xterm's own parse buffer for a new terminal (Uint32 code points). */
const PARSE_BUFFER_CELLS = 4096;

/** The xterm internals read here (@xterm/headless 6.0.0). */
interface PackerInternals {
  _core?: {
    _store?: { _isDisposed?: boolean };
    _inputHandler?: { _parseBuffer?: unknown; _parseStack?: { paused?: boolean } };
  };
}

interface PackState {
  /**
   * The emulator, held strongly from registration to the next sweep, weakly after: a WeakRef
   * keeps its target alive until the end of the job that made it, so one made at registration
   * kept every emulator a long synchronous run created (the fuzz targets: 100,000 in one job)
   * until that run ended, disposed or not; made in a sweep's own job, it costs nothing.
   */
  fresh: Terminal | null;
  term: WeakRef<Terminal> | null;
  /** The sweep that last trimmed its spares (once per sweep: a pane may take several turns). */
  trimmedIn: number;
}

const stateOf = new WeakMap<Terminal, PackState>();
const states = new Set<PackState>();
/** Registered since the last sweep (held strongly until then, see PackState). */
const freshStates = new Set<PackState>();
/**
 * The emulators the next sweep visits: output or a resize since the last one, or spare cells
 * still kept. A set of its own, so that a sweep costs nothing per idle pane (visiting all 1000
 * panes of the scale benchmark took the event loop 1.3–2.9 ms once a second).
 */
let due = new Set<PackState>();
/** This sweep's emulators, packed from `next` on. */
let pending: PackState[] = [];
let next = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
let unpackedAtLastSweep = 0;
let sweeps = 0;

/** Packs `term`'s scrollback from now on (sweeps start with the first emulator registered). */
export function packScrollbackOf(term: Terminal): void {
  if (!packsLines(term) || stateOf.has(term)) return;
  const state: PackState = { fresh: term, term: null, trimmedIn: -1 };
  stateOf.set(term, state);
  states.add(state);
  freshStates.add(state);
  term.onResize(() => {
    due.add(state);
  });
  const dispose = term.dispose.bind(term);
  term.dispose = (): void => {
    forget(state);
    dispose();
  };
  scheduleSweep();
}

/** Drops `state` from every set (its emulator is disposed or gone). */
function forget(state: PackState): void {
  states.delete(state);
  freshStates.delete(state);
  due.delete(state);
  state.fresh = null;
  state.term = null;
}

function emulatorOf(state: PackState): Terminal | undefined {
  return state.fresh ?? state.term?.deref();
}

/** `term` got output: its scrollback may have grown (called by feedEmulator). */
export function noteOutput(term: Terminal): void {
  const state = stateOf.get(term);
  if (state !== undefined) due.add(state);
}

/**
 * Packs `term`'s scrollback lines but the newest `keepRecent` now, at most `budget` of them;
 * returns how many it packed. (The sweeps call this; tests call it directly.)
 */
export function packScrollback(term: Terminal, keepRecent = KEEP_RECENT_LINES, budget = Infinity): number {
  const normal = normalBuffer(term);
  if (normal === null) return 0;
  const lines = normal.lines;
  // Never a screen line (from ybase on): xterm prints into those without unpacking (packed-lines.ts).
  const end = Math.min(normal.ybase - Math.max(0, keepRecent), lines.length);
  const release = (cells: Uint32Array): void => giveBackCells(term, cells);
  let packed = 0;
  for (let i = 0; i < end && packed < budget; i++) {
    const line = lines.get(i);
    if (line !== undefined && !isPacked(line) && packLine(line, release)) packed++;
  }
  return packed;
}

/** Emulators still registered (tests check that disposed ones are dropped). */
export function packedEmulatorCount(): number {
  return states.size;
}

/** Runs one sweep now, in one go (tests; the timer runs it in slices). */
export function sweepNow(): void {
  queueSweep();
  while (next < pending.length) packNext();
}

function scheduleSweep(): void {
  if (timer !== null || states.size === 0) return;
  timer = setTimeout(() => {
    timer = null;
    queueSweep();
    runSlice();
  }, SWEEP_INTERVAL_MS);
  (timer as { unref?: () => void }).unref?.();
}

/**
 * Queues the emulators this sweep packs: the due ones, or all of them after a packed line was
 * read back (where is not known) and every PRUNE_EVERY sweeps, which also drops disposed ones.
 */
function queueSweep(): void {
  const everything = unpackedLines() !== unpackedAtLastSweep || sweeps % PRUNE_EVERY === 0;
  unpackedAtLastSweep = unpackedLines();
  sweeps++;
  for (const state of freshStates) {
    state.term = state.fresh === null ? null : new WeakRef(state.fresh);
    state.fresh = null;
  }
  freshStates.clear();
  pending = [];
  next = 0;
  for (const state of everything ? states : due) {
    const term = emulatorOf(state);
    if (term === undefined || (term as unknown as PackerInternals)._core?._store?._isDisposed === true) forget(state);
    else pending.push(state);
  }
  due = new Set();
}

function runSlice(): void {
  const start = performance.now();
  while (next < pending.length && performance.now() - start < SLICE_MS) packNext();
  if (next < pending.length) setTimeout(runSlice, 0);
  else scheduleSweep();
}

function packNext(): void {
  const state = pending[next++];
  const term = state === undefined ? undefined : emulatorOf(state);
  if (state === undefined || term === undefined) return;
  if (state.trimmedIn !== sweeps) {
    state.trimmedIn = sweeps;
    trimSpareCells(term);
  }
  // A scrollback with more to pack than one turn's share goes back in the queue.
  if (packScrollback(term, KEEP_RECENT_LINES, LINES_PER_TURN) === LINES_PER_TURN) pending.push(state);
  // A pane that keeps spare cells (line-arena.ts) is visited until the sweeps trimmed them to none.
  else if (hasSpareCells(term)) due.add(state);
  shrinkParseBuffer(term);
}

/**
 * xterm decodes each chunk of output into a parse buffer that grows to the largest chunk seen (up
 * to 512 KB; the relay parses up to 64 KB at once, 256 KB of buffer) and never shrinks: after one
 * burst, an idle pane would keep it for good. Between two parses nothing in it is needed (we never
 * pause a parse: no async handlers), so a sweep gives a grown one back.
 */
function shrinkParseBuffer(term: Terminal): void {
  const handler = (term as unknown as PackerInternals)._core?._inputHandler;
  const buffer = handler?._parseBuffer;
  if (!(buffer instanceof Uint32Array) || buffer.length <= PARSE_BUFFER_CELLS || handler?._parseStack?.paused !== false) return;
  handler._parseBuffer = new Uint32Array(PARSE_BUFFER_CELLS);
}
