/**
 * Which rows of an emulator's screen changed, and when: lets a renderer repaint only the rows of a
 * pane that changed since its own previous frame instead of the whole pane.
 *
 * The source is xterm's own damage tracking, the one its browser renderer relies on: after every
 * parse the input handler reports the range of screen rows it touched (scrolls mark the whole
 * scroll region), or "everything". Not in xterm's public API: this subscribes to
 * `_core._inputHandler.onRequestRefreshRows` and `onRequestReset`, which exist in @xterm/headless
 * 6.0.0; where they are missing the tracker says it is not `tracked` and renderers repaint fully.
 * A resize, a switch between the normal and the alternate buffer and a full reset count as
 * "everything changed" (xterm 6.0.0 reports the last two as refreshes of every row itself; the
 * extra subscriptions keep that true should a version not).
 *
 * Invariants: `version` only grows; a row whose cells may differ from what they were when a reader
 * saw version v has `rowChangedSince(row, v)` true, or `allChangedSince(v)` is true. Rows are
 * screen rows (0 = top of the active buffer's screen, as the live pane is painted).
 */
import type { Terminal } from '@xterm/headless';

interface RowRange {
  start: number;
  end: number;
}

interface Subscribable<T> {
  (listener: (event: T) => void): unknown;
}

/** The two events of xterm's input handler this reads (@xterm/headless 6.0.0). */
interface InputHandlerEvents {
  onRequestRefreshRows?: Subscribable<RowRange | undefined>;
  onRequestReset?: Subscribable<void>;
}

export class PaneDamage {
  private seq = 1;
  private everythingAt = 1;
  private rowAt: Int32Array;

  private constructor(
    rows: number,
    /** False when xterm's damage events were not found: every row counts as changed, always. */
    readonly tracked: boolean,
  ) {
    this.rowAt = new Int32Array(Math.max(0, rows));
  }

  /** Starts tracking `term`'s damage (call before anything is written to it). */
  static attach(term: Terminal): PaneDamage {
    const events = inputHandlerEvents(term);
    const tracked = events !== null;
    const damage = new PaneDamage(term.rows, tracked);
    if (events === null) return damage;
    events.refresh((range) => (range === undefined ? damage.markAll() : damage.markRows(range.start, range.end)));
    events.reset(() => damage.markAll());
    term.onResize(({ rows }) => damage.resized(rows));
    term.buffer.onBufferChange(() => damage.markAll());
    return damage;
  }

  /** Grows with every change; a reader keeps the version it last saw. */
  get version(): number {
    return this.seq;
  }

  /** True when every row may have changed since the reader saw `version` (or nothing is tracked). */
  allChangedSince(version: number): boolean {
    return !this.tracked || this.everythingAt > version;
  }

  /** True when screen row `row` may have changed since the reader saw `version`. */
  rowChangedSince(row: number, version: number): boolean {
    if (this.allChangedSince(version)) return true;
    return row < 0 || row >= this.rowAt.length || this.rowAt[row]! > version;
  }

  private markRows(start: number, end: number): void {
    const seq = ++this.seq;
    const rows = this.rowAt;
    if (!Number.isInteger(start) || !Number.isInteger(end)) {
      this.everythingAt = seq;
      return;
    }
    const from = Math.max(0, Math.min(start, end));
    const to = Math.min(rows.length - 1, Math.max(start, end));
    for (let r = from; r <= to; r++) rows[r] = seq;
  }

  private markAll(): void {
    this.everythingAt = ++this.seq;
  }

  private resized(rows: number): void {
    if (rows !== this.rowAt.length) this.rowAt = new Int32Array(Math.max(0, rows));
    this.markAll();
  }
}

const damageOf = new WeakMap<Terminal, PaneDamage>();

/** Tracks `term`'s damage from now on; returns the tracker (the same one if already tracking). */
export function trackDamage(term: Terminal): PaneDamage {
  let damage = damageOf.get(term);
  if (damage === undefined) {
    damage = PaneDamage.attach(term);
    damageOf.set(term, damage);
  }
  return damage;
}

/** The tracker of an emulator made by createEmulator(), or null for any other terminal. */
export function paneDamage(term: Terminal): PaneDamage | null {
  return damageOf.get(term) ?? null;
}

function inputHandlerEvents(term: Terminal): { refresh: Subscribable<RowRange | undefined>; reset: Subscribable<void> } | null {
  const handler = (term as unknown as { _core?: { _inputHandler?: InputHandlerEvents } })._core?._inputHandler;
  const refresh = handler?.onRequestRefreshRows;
  const reset = handler?.onRequestReset;
  if (typeof refresh !== 'function' || typeof reset !== 'function') return null;
  return { refresh: refresh.bind(handler), reset: reset.bind(handler) };
}
