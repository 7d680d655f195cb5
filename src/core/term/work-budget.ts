/**
 * A budget for the control sequences whose work is out of all proportion to their bytes, so that
 * a few kilobytes of pane output cannot hold the relay (and every other session) for seconds.
 * In a 1000×1000 pane, DECALN (`ESC # 8`, 3 bytes) fills a million cells (~3 ms); 5000 of them in
 * one 15 KB message held the event loop for 13 s. Scrolling a partial scroll region moves every
 * line of the region, inserting or deleting lines and switching to the alternate screen touch the
 * whole screen, and so on. count-clamp.ts caps each sequence's repeat count; this caps their sum.
 *
 * Each emulator has a bucket of cell-sized work units. Output earns units as it is fed
 * (EARN_PER_BYTE per byte, plus REFILL_PER_SECOND of time since the last feed, up to CAPACITY);
 * an expensive operation spends its cost (below, in cells touched). One the bucket cannot pay
 * for is skipped, whole: the pane's screen may then differ from the host's, which only output
 * far beyond what programs print can cause (a full-screen program redrawing a 300×100 screen 60
 * times a second spends ~2M units a second and earns more from its own bytes).
 *
 * Costs: a scroll (line feed at the bottom, IND, NEL, a cleared screen pushed into the history)
 * of the whole screen the columns of the line it clears beyond FREE_SCROLL_COLS; of a partial
 * scroll region the line plus ROW_WEIGHT per line of the region it moves; DECALN, erase-in-display, RIS and an alternate-screen switch the screen's cells; SU, SD,
 * IL and DL per line the region's lines plus the line; erase-in-line, ICH, DCH and ECH a line;
 * REP its count; RI at the top of the region a scroll.
 *
 * Invariants: costs are read from the terminal's size at the time of the operation; a skipped
 * operation changes nothing; without xterm's internals of the checked shape, nothing is limited.
 */
import type { Terminal } from '@xterm/headless';

/** Largest amount of work one emulator can spend at once (~25 ms of DECALN on a slow machine). */
export const CAPACITY = 8_000_000;
/** Units earned per byte of output fed. */
export const EARN_PER_BYTE = 8;
/** Units earned per second, whatever the output. */
export const REFILL_PER_SECOND = 4_000_000;
/** Cost of moving one line of a partial scroll region, in cells (measured: ~8 cells' fill time). */
const ROW_WEIGHT = 8;
/**
 * Columns of a line scrolled off the whole screen that cost nothing: the common scroll (every
 * line of output) stays free in any pane up to this wide, so that plain output never runs short.
 */
const FREE_SCROLL_COLS = 256;

interface RawParams {
  length: number;
  params: Int32Array;
}

interface BufferState {
  y: number;
  scrollTop: number;
  scrollBottom: number;
}

interface CoreInternals {
  registerCsiHandler?(id: { final: string; prefix?: string }, callback: (params: RawParams) => boolean): unknown;
  registerEscHandler?(id: { final: string; intermediates?: string }, callback: () => boolean): unknown;
  _bufferService?: { buffer?: Partial<BufferState>; scroll?: (eraseAttr: unknown, isWrapped: unknown) => unknown };
}

class Bucket {
  units = CAPACITY;
  skipped = 0;
  lastFeed: number;

  constructor(private readonly now: () => number) {
    this.lastFeed = now();
  }

  earn(bytes: number): void {
    const now = this.now();
    const refill = Math.max(0, now - this.lastFeed) * (REFILL_PER_SECOND / 1000);
    this.lastFeed = now;
    this.units = Math.min(CAPACITY, this.units + refill + bytes * EARN_PER_BYTE);
  }

  /** Spends `cost` and returns true, or counts a skipped operation and returns false. */
  spend(cost: number): boolean {
    if (cost <= this.units) {
      this.units -= cost;
      return true;
    }
    this.skipped++;
    return false;
  }
}

const buckets = new WeakMap<Terminal, Bucket>();

const defaultNow = (): number => globalThis.performance.now();

/** Installs the budget on `term`; `now` (milliseconds) is for tests. */
export function limitAmplifiedWork(term: Terminal, now: () => number = defaultNow): void {
  const core = (term as unknown as { _core?: CoreInternals })._core;
  const service = core?._bufferService;
  const original = service?.scroll;
  if (typeof core?.registerCsiHandler !== 'function' || typeof core.registerEscHandler !== 'function' || typeof original !== 'function') return;
  const bucket = new Bucket(now);
  buckets.set(term, bucket);
  // Read in place, not copied: the scroll wrapper runs for every line of output.
  const scrollTop = (): number => service?.buffer?.scrollTop ?? 0;
  const scrollBottom = (): number => service?.buffer?.scrollBottom ?? term.rows - 1;
  const regionCost = (): number => term.cols + (scrollBottom() - scrollTop() + 1) * ROW_WEIGHT;
  const scrollCost = (): number => {
    const partial = scrollTop() > 0 || scrollBottom() < term.rows - 1;
    return partial ? regionCost() : Math.max(0, term.cols - FREE_SCROLL_COLS);
  };
  // xterm's scroll(eraseAttr, isWrapped), passed on without a rest array (one per line otherwise).
  (service as { scroll: (eraseAttr: unknown, isWrapped: unknown) => unknown }).scroll = function (this: unknown, eraseAttr: unknown, isWrapped: unknown) {
    return bucket.spend(scrollCost()) ? original.call(this, eraseAttr, isWrapped) : undefined;
  };
  const screen = (): number => term.cols * term.rows;
  const line = (): number => term.cols;
  const count = (params: RawParams, cap: number): number => Math.min(cap, Math.max(1, params.length > 0 ? params.params[0]! : 1));
  const lines = (params: RawParams): number => count(params, term.rows) * (term.rows * ROW_WEIGHT + term.cols);
  const csi: [string, string | undefined, (params: RawParams) => number][] = [
    ['J', undefined, screen],
    ['J', '?', screen],
    ['K', undefined, line],
    ['K', '?', line],
    ['S', undefined, lines],
    ['T', undefined, lines],
    ['L', undefined, lines],
    ['M', undefined, lines],
    ['@', undefined, line],
    ['P', undefined, line],
    ['X', undefined, line],
    ['b', undefined, (params) => count(params, screen())],
    ['h', '?', (params) => (switchesScreen(params) ? screen() : 0)],
    ['l', '?', (params) => (switchesScreen(params) ? screen() : 0)],
  ];
  for (const [final, prefix, cost] of csi) {
    core.registerCsiHandler(prefix === undefined ? { final } : { final, prefix }, (params) => !bucket.spend(cost(params)));
  }
  core.registerEscHandler({ intermediates: '#', final: '8' }, () => !bucket.spend(screen()));
  core.registerEscHandler({ final: 'c' }, () => !bucket.spend(screen()));
  core.registerEscHandler({ final: 'M' }, () => service?.buffer?.y === scrollTop() && !bucket.spend(regionCost()));
}

/** DEC private modes 47, 1047 and 1049 switch between the normal and the alternate screen. */
function switchesScreen(params: RawParams): boolean {
  for (let i = 0; i < params.length; i++) {
    const mode = params.params[i];
    if (mode === 47 || mode === 1047 || mode === 1049) return true;
  }
  return false;
}

/** Credits `bytes` of output about to be fed to `term`. */
export function earnWork(term: Terminal, bytes: number): void {
  buckets.get(term)?.earn(bytes);
}

/** How many operations `term` skipped for want of budget since it was created. */
export function skippedOperations(term: Terminal): number {
  return buckets.get(term)?.skipped ?? 0;
}
