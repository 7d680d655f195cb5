/**
 * The screens tmux draws for one client over its window, for one viewer: display-panes' numbers
 * (`C-b q`), choose-window's, choose-tree's and find-window's lists (`C-b w`, `C-b s`, `C-b f`)
 * and clock-mode's time (`C-b t`). The drawing is in
 * core/render (pane-numbers.ts, window-chooser.ts, clock-face.ts); this keeps which one shows,
 * its timers, and how it takes keys, as tmux does:
 * - pane numbers: a digit runs the template for that pane and is used up (a read-only viewer's
 *   digits do nothing); any other key hides them and goes on; they go by themselves after their
 *   duration;
 * - the chooser takes every key until it chooses or leaves, except the prefix, which closes it and
 *   goes on;
 * - the clock leaves at any key, used up, except the prefix, which goes on.
 *
 * Invariants: at most one overlay shows; every timer is cancelled when its overlay goes or on
 * dispose(); nothing is shown after dispose().
 */
import type { Clock, TimerHandle } from '../../core/util/clock.js';
import type { CommandArgv } from '../../core/mux/key-table.js';
import { visiblePanes } from '../../core/render/border-painter.js';
import { ClockFace } from '../../core/render/clock-face.js';
import { PANE_NUMBERS, displayPanesArgs, visiblePaneAt } from '../../core/render/pane-numbers.js';
import type { StatusWindow, WindowOverlay, WindowScene } from '../../core/render/scene.js';
import {
  type ChooserItem, WindowChooser, chooseTreeArgs, chooseWindowArgs, foundWindowItems, sessionTreeItems, windowChooserItems,
} from '../../core/render/window-chooser.js';
import { SearchAllowance, findWindowArgs, findWindows, type SearchableWindow } from '../../core/mux/find-window.js';

/** How often clock mode redraws (tmux checks the time every second). */
const CLOCK_TICK_MS = 1000;

/** find-window's searching, shared by every viewer of the process (find-window.ts). */
const searchAllowance = new SearchAllowance();

/** What the overlays need from their viewer. */
export interface OverlayHost {
  readonly readOnly: boolean;
  /** The window as last drawn (what display-panes' digits choose from), or null. */
  lastWindow(): WindowScene | null;
  windows(): StatusWindow[];
  sessionName(): string;
  isPrefix(key: number): boolean;
  /** Runs a template with `%%` as `target` (a pane `%3` or window `:1`). */
  runTemplate(template: string, target: string): void;
  /** Runs one command as if the viewer had typed it. */
  runCommand(argv: CommandArgv): void;
  /** Every window's name and visible pane lines (find-window). */
  searchableWindows(): SearchableWindow[];
  flash(text: string): void;
  markDirty(): void;
}

type Shown =
  | { kind: 'none' }
  | { kind: 'panes'; template: string; timer: TimerHandle | null }
  | { kind: 'choose'; chooser: WindowChooser; onChoose: (item: ChooserItem) => void }
  | { kind: 'clock'; face: ClockFace; ticker: TimerHandle };

export class ViewerOverlays {
  private shown: Shown = { kind: 'none' };

  constructor(private readonly host: OverlayHost, private readonly clock: Clock) {}

  /** What the viewer sees over its window now, if anything. */
  current(): WindowOverlay | undefined {
    const shown = this.shown;
    if (shown.kind === 'panes') return PANE_NUMBERS;
    if (shown.kind === 'choose') return shown.chooser;
    return shown.kind === 'clock' ? shown.face : undefined;
  }

  /** A key the viewer typed: true when an overlay used it up, false when it goes on as usual. */
  handleKey(key: number): boolean {
    const shown = this.shown;
    if (shown.kind === 'none') return false;
    if (shown.kind === 'panes') return this.choosePane(key, shown.template);
    if (this.host.isPrefix(key)) {
      this.hide();
      return false;
    }
    if (shown.kind === 'clock') {
      this.hide();
      return true;
    }
    const result = shown.chooser.handleKey(key);
    this.host.markDirty();
    if (result.kind === 'stay') return true;
    this.hide();
    if (result.kind === 'choose') shown.onChoose(result.item);
    return true;
  }

  /** `display-panes [-d ms] [template]`: the pane numbers, a second by default. */
  showPaneNumbers(argv: CommandArgv): void {
    const args = displayPanesArgs(argv);
    if ('error' in args) return this.host.flash(args.error);
    if (this.shown.kind === 'panes') return;
    this.hide();
    const timer = args.duration === 0 ? null : this.clock.setTimeout(() => {
      if (this.shown.kind === 'panes' && this.shown.timer === timer) this.hide();
    }, args.duration);
    this.show({ kind: 'panes', template: args.template, timer });
  }

  /** `choose-window [template]`: the session's windows, the current one selected. */
  openWindowChooser(argv: CommandArgv, windowCols: number, windowRows: number): void {
    const args = chooseWindowArgs(argv);
    if ('error' in args) return this.host.flash(args.error);
    const windows = this.host.windows();
    if (windows.length === 0) return;
    const chooser = new WindowChooser(windowChooserItems(windows, windowCols, windowRows), windows.findIndex((w) => w.active));
    this.hide();
    this.show({ kind: 'choose', chooser, onChoose: this.templateRunner(args.template) });
  }

  /** `choose-tree [-c template]`: the session and its windows, the current window selected. */
  openSessionTree(argv: CommandArgv, windowCols: number, windowRows: number): void {
    const args = chooseTreeArgs(argv);
    if ('error' in args) return this.host.flash(args.error);
    const windows = this.host.windows();
    if (windows.length === 0) return;
    const items = sessionTreeItems(this.host.sessionName(), windows, windowCols, windowRows);
    this.hide();
    this.show({ kind: 'choose', chooser: new WindowChooser(items, windows.findIndex((w) => w.active) + 1), onChoose: this.templateRunner(args.template) });
  }

  /**
   * `find-window [-CNT] TEXT` (`C-b f`): the windows whose name or visible content matches; one
   * is switched to at once, several are listed to choose from (choosing also selects the pane
   * that matched, as tmux does), none is an error.
   */
  findWindow(argv: CommandArgv, windowCols: number, windowRows: number): void {
    const query = findWindowArgs(argv);
    if ('error' in query) return this.host.flash(query.error);
    const searchable = this.host.searchableWindows();
    const { matches, incomplete, steps } = findWindows(searchable, query, searchAllowance.available(this.clock.now()));
    searchAllowance.spend(steps);
    if (matches.length === 0 && incomplete) return this.host.flash(`Search for ${query.text} stopped: too much to search`);
    if (matches.length === 0) return this.host.flash(`No windows matching: ${query.text}`);
    if (matches.length === 1) return this.host.runCommand(['select-window', '-t', `:${matches[0]!.index}`]);
    const windows = this.host.windows();
    const items = foundWindowItems(matches, searchable, windows, windowCols, windowRows);
    const zoomed = new Set(windows.filter((w) => w.zoomed === true).map((w) => w.index));
    this.hide();
    this.show({
      kind: 'choose',
      chooser: new WindowChooser(items, 0),
      onChoose: (item) => {
        const match = matches[items.indexOf(item)];
        if (match === undefined) return;
        // tmux makes the pane that matched active when it is visible (not behind a zoomed pane).
        if (!zoomed.has(match.index)) this.host.runCommand(['select-pane', '-t', `:${match.index}.${match.paneIndex}`]);
        this.host.runCommand(['select-window', '-t', `:${match.index}`]);
      },
    });
  }

  /** Runs `template` with `%%` as the chosen item's target; items without one run nothing. */
  private templateRunner(template: string): (item: ChooserItem) => void {
    return (item) => {
      if (item.target !== null) this.host.runTemplate(template, item.target);
    };
  }

  /** `clock-mode`: the time, redrawn every second. */
  showClock(): void {
    if (this.shown.kind === 'clock') return;
    this.hide();
    const tick = (): TimerHandle =>
      this.clock.setTimeout(() => {
        if (this.shown.kind !== 'clock') return;
        this.shown.ticker = tick();
        this.host.markDirty();
      }, CLOCK_TICK_MS);
    this.show({ kind: 'clock', face: new ClockFace(() => this.clock.now()), ticker: tick() });
  }

  /** Cancels every timer; nothing shows afterwards. */
  dispose(): void {
    this.cancelTimers();
    this.shown = { kind: 'none' };
  }

  private choosePane(key: number, template: string): boolean {
    const digit = key >= 0x30 && key <= 0x39;
    if (digit && this.host.readOnly) return true;
    this.hide();
    if (!digit) return false;
    const window = this.host.lastWindow();
    const pane = window === null ? null : visiblePaneAt(window, visiblePanes(window), key - 0x30);
    if (pane !== null) this.host.runTemplate(template, `%${pane.id}`);
    return true;
  }

  private show(shown: Shown): void {
    this.shown = shown;
    this.host.markDirty();
  }

  private hide(): void {
    if (this.shown.kind === 'none') return;
    this.cancelTimers();
    this.shown = { kind: 'none' };
    this.host.markDirty();
  }

  private cancelTimers(): void {
    const shown = this.shown;
    if (shown.kind === 'panes') shown.timer?.cancel();
    if (shown.kind === 'clock') shown.ticker.cancel();
  }
}
