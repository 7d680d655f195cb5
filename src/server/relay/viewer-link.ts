/**
 * One attached viewer: parses its keystrokes into tmux key codes, runs prefix bindings from the
 * host's key table (most go to the host as EXEC_CMD, a few run here), and renders the session
 * for its terminal size with its own status line.
 *
 * Prompts (`command-prompt`, `confirm-before`) are this viewer's own, drawn in its status line;
 * what they make is run like a binding's commands.
 *
 * Relay bindings: where the host's prefix table has no binding, `C-b W` shows who is connected
 * (the relay's `list-clients` view: id, address, key fingerprint, rw/ro, since when); any key
 * returns to the session.
 *
 * Invariants:
 * - A read-only viewer never sends anything to the host; it can only detach (`C-b d`) and list
 *   the clients (`C-b W`).
 * - While the terminal is not keeping up, frames are skipped (coalesced), never queued. A terminal
 *   that stays blocked for `stallTimeoutMs` (no drain at all) is dropped with a message.
 * - Input is handled in slices of INPUT_SLICE bytes, one slice per event-loop turn, and only while
 *   the host keeps up: a 10 MB paste never blocks the loop for long and never piles up as host
 *   messages. Input waiting here is capped at MAX_QUEUED_INPUT bytes (the transport is paused above
 *   INPUT_HIGH_WATER, so the cap only bites when it cannot pause); the excess is dropped and the
 *   viewer told.
 * - A viewer is drawn at most MAX_VIEWER_CELLS cells (rows beyond are left blank), and its size
 *   changes at most once per RESIZE_INTERVAL_MS (changes in between are coalesced into the last
 *   one): each size change costs a full redraw and two new grids, so neither a claimed 1000×1000
 *   terminal nor a storm of window changes can take the relay's memory or CPU.
 * - After `end()` or `dispose()` nothing more is written and every timer is cancelled.
 */
import type { Clock, TimerHandle } from '../../core/util/clock.js';
import { InputParser, isPasteMarker, pasteMarkerKeys } from '../../core/term/input-parser.js';
import { mouseKeysForPane } from './viewer-mouse.js';
import { KEYC_BASE, KEYC_MOUSE } from '../../core/term/key-codes.js';
import { ViewerRenderer } from '../../core/render/viewer-renderer.js';
import type { Scene, WindowScene } from '../../core/render/scene.js';
import { PREFIX_TABLE, ROOT_TABLE, type Binding, type CommandArgv } from '../../core/mux/key-table.js';
import type { ViewerTerminal } from './ports.js';
import type { ViewerSession } from './viewer-session.js';
import { parseCommandLine } from '../../core/host/command-line.js';
import { CommandPrompt, commandPromptArgs, fillTemplate } from '../../core/mux/command-prompt.js';
import { ViewerOverlays } from './viewer-overlays.js';
import { stringWidth } from '../../core/render/text-width.js';
import { KeyListView, listKeyLines } from '../../core/render/key-list-view.js';
import { MessageLog } from '../../core/mux/message-log.js';
import { parseArgs, usageOf } from '../../core/host/commands/command-args.js';
import { tmuxCommandName } from '../../core/host/commands/registry.js';
import { displayMessage } from '../../core/host/commands/display-message.js';
import { displayText, LISTING_COMMANDS, runListing, type ListedClient } from '../../core/mux/session-listings.js';

/**
 * tmux commands that draw on the screen of the client that ran them and that the relay does not
 * draw for viewers (it draws display-panes, choose-window, choose-tree, find-window, clock-mode,
 * list-keys and show-messages itself): on the host they would run without a client (tmate answers "No client
 * available") or put the pane in a mode viewers cannot see.
 */
const CLIENT_SCREEN_COMMANDS = new Set([
  'choose-session', 'choose-client', 'choose-buffer',
]);

/** tmux 2.4's confirm-before: `-p PROMPT`, `-t target-client`, one command. */
const CONFIRM_BEFORE_FLAGS = 'p:t:';
const CONFIRM_BEFORE_USAGE = 'usage: confirm-before [-p prompt] [-t target-client] command';
/** tmux 2.4's list-keys: `-t mode-table`, `-T key-table`, no arguments. */
const LIST_KEYS_FLAGS = 't:T:';
const LIST_KEYS_USAGE = 'usage: list-keys [-t mode-table] [-T key-table]';
/** tmux 2.4's show-messages: `-J` jobs, `-T` terminals, `-t target-client`, no arguments. */
const SHOW_MESSAGES_FLAGS = 'JTt:';
const SHOW_MESSAGES_USAGE = 'usage: show-messages [-JT] [-t target-client]';

export interface ViewerIdentity {
  ip: string;
  /** SHA256 fingerprint of the key the viewer authenticated with, or null for keyless. */
  fingerprint: string | null;
  readOnly: boolean;
}

/** Bytes of viewer input handled per event-loop turn (at most that many PANE_KEYs in one burst). */
export const INPUT_SLICE = 16 * 1024;
/** Queued input above this pauses the viewer's transport until the queue is empty again. */
export const INPUT_HIGH_WATER = 64 * 1024;
/** Queued input beyond this is dropped (a transport that cannot pause). */
export const MAX_QUEUED_INPUT = 1024 * 1024;

export interface ViewerLimits {
  /** Drop a viewer whose terminal stays blocked this long; 0 or absent: never. */
  stallTimeoutMs?: number;
}

const ESCAPE_TIMEOUT_MS = 50;
/** Largest area a viewer is drawn at: a 4K screen at a tiny font is ~120 000 cells. */
export const MAX_VIEWER_CELLS = 250_000;
/** Least time between two size changes of one viewer. */
export const VIEWER_RESIZE_INTERVAL_MS = 100;
const REPEAT_TIME_MS = 500;
const MESSAGE_TIME_MS = 3000;
const BEL = '\x07';
/** Keys below this are characters; mouse and focus events sit just above KEYC_BASE. */
const FIRST_NON_MOUSE_KEY = KEYC_BASE + 45;

/** Prefix-table bindings the relay adds where the host has none. `W` (0x57) is unbound in tmux 2.4. */
const RELAY_PREFIX_BINDINGS: ReadonlyMap<number, Binding> = new Map([[0x57, { commands: [['list-clients']], repeat: false }]]);

type InputState =
  | { mode: 'normal' }
  | { mode: 'prefix' }
  | { mode: 'repeat'; until: number }
  | { mode: 'confirm'; commands: CommandArgv[] }
  | { mode: 'command-prompt'; prompt: CommandPrompt }
  | { mode: 'list' }
  | { mode: 'keys'; view: KeyListView };

export class ViewerLink {
  readonly since: number;
  private readonly parser = new InputParser({ reportPaste: true, keepMouseReports: true });
  private readonly renderer: ViewerRenderer;
  private state: InputState = { mode: 'normal' };
  /** display-panes, choose-window, choose-tree and clock-mode, drawn over the window for this viewer. */
  private readonly overlays: ViewerOverlays;
  private readonly messageLog = new MessageLog();
  private escapeTimer: TimerHandle | null = null;
  private message: { text: string; timer: TimerHandle } | null = null;
  private blocked = false;
  private stallTimer: TimerHandle | null = null;
  private resizeTimer: TimerHandle | null = null;
  private lastResizeAt = -Infinity;
  private wantedSize: { cols: number; rows: number } | null = null;
  private dirty = true;
  private ended = false;
  /** Input not handled yet (a paste waiting for its turn or for the host), oldest first. */
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  /** Input bytes handled in the current event-loop turn (reset by the next turn). */
  private spent = 0;
  private turnScheduled = false;
  private inputPaused = false;
  private droppedInput = 0;

  constructor(
    readonly id: number,
    readonly identity: ViewerIdentity,
    private cols: number,
    private rows: number,
    private readonly terminal: ViewerTerminal,
    private readonly session: ViewerSession,
    private readonly clock: Clock,
    private readonly limits: ViewerLimits = {},
  ) {
    this.since = clock.now();
    this.rows = drawnRows(cols, rows);
    this.renderer = new ViewerRenderer(this.cols, this.rows, terminal.colourDepth ?? 'rgb');
    this.renderer.mouseAllowed = !identity.readOnly;
    this.overlays = new ViewerOverlays({
      readOnly: identity.readOnly,
      lastWindow: () => this.lastWindow,
      windows: () => session.statusFor(this, null).windows,
      sessionName: () => session.expandFormat('#S', this),
      isPrefix: (key) => session.keys.isPrefix(key),
      runTemplate: (template, target) => this.runTemplate(template, target),
      runCommand: (argv) => this.runCommand(argv),
      searchableWindows: () => session.searchableWindows?.() ?? [],
      flash: (text) => this.flash(text),
      markDirty: () => this.markDirty(),
    }, clock);
    terminal.onDrain(() => {
      this.blocked = false;
      this.stallTimer?.cancel();
      this.stallTimer = null;
      if (this.dirty) this.session.requestRender();
    });
    this.write(this.renderer.enter());
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.cols, rows: this.rows };
  }

  get readOnly(): boolean {
    return this.identity.readOnly;
  }

  input(bytes: Uint8Array): void {
    if (this.ended || bytes.length === 0) return;
    this.escapeTimer?.cancel();
    this.escapeTimer = null;
    this.session.noteActivity();
    const room = MAX_QUEUED_INPUT - this.queuedBytes;
    if (bytes.length > room) {
      this.dropInput(bytes.length - Math.max(0, room));
      bytes = bytes.subarray(0, Math.max(0, room));
      if (bytes.length === 0) return;
    }
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    if (this.queuedBytes > INPUT_HIGH_WATER && !this.inputPaused) {
      this.inputPaused = true;
      this.terminal.pauseInput?.();
    }
    this.pump();
  }

  /** The host caught up: queued input may flow again. */
  hostDrained(): void {
    if (this.queuedBytes > 0) this.pump();
  }

  /** Bytes of input waiting to be handled. */
  get pendingInput(): number {
    return this.queuedBytes;
  }

  resize(cols: number, rows: number): void {
    if (this.ended) return;
    this.wantedSize = { cols, rows: drawnRows(cols, rows) };
    const wait = this.lastResizeAt + VIEWER_RESIZE_INTERVAL_MS - this.clock.now();
    if (wait <= 0) return this.applySize();
    this.resizeTimer ??= this.clock.setTimeout(() => {
      this.resizeTimer = null;
      this.applySize();
    }, wait);
  }

  private applySize(): void {
    const size = this.wantedSize;
    this.wantedSize = null;
    if (this.ended || size === null || (size.cols === this.cols && size.rows === this.rows)) return;
    this.lastResizeAt = this.clock.now();
    this.cols = size.cols;
    this.rows = size.rows;
    this.renderer.resize(size.cols, size.rows);
    this.dirty = true;
    this.session.viewerResized(this);
  }

  /** Shows a message in this viewer's status line for a few seconds. */
  flash(text: string): void {
    if (this.ended) return;
    this.messageLog.add(this.clock.now(), text);
    this.message?.timer.cancel();
    const timer = this.clock.setTimeout(() => {
      this.message = null;
      this.markDirty();
    }, MESSAGE_TIME_MS);
    this.message = { text, timer };
    this.markDirty();
  }

  /** Rings the viewer's terminal (a bell in the session, as tmux rings its clients'); not while it lags. */
  bell(): void {
    if (this.ended || this.blocked) return;
    this.write(BEL);
  }

  markDirty(): void {
    this.dirty = true;
    this.session.requestRender();
  }

  /** Draws the current scene if something changed and the terminal keeps up. */
  render(window: WindowScene | null, waiting: string): void {
    if (this.ended || this.blocked) return;
    const prompt = this.promptText();
    const status = this.session.statusFor(this, prompt?.line ?? this.message?.text ?? null);
    status.prompt = prompt !== null;
    if (prompt !== null) status.promptCursor = stringWidth(prompt.beforeCursor);
    this.lastWindow = window;
    if (window !== null) {
      this.windowCols = window.cols;
      this.windowRows = window.rows;
    }
    const shown = this.state.mode === 'keys' && window !== null ? this.state.view.window(window, window.panes[0]!.terminal) : window;
    const scene: Scene = this.state.mode === 'list' ? { window: null, status, waiting: this.clientList() } : { window: shown, status, waiting, overlay: this.overlays.current() };
    const frame = this.renderer.render(scene);
    this.dirty = false;
    if (frame.length > 0) this.write(frame);
  }

  /** The terminal went away by itself: stop every timer and drop queued input; nothing is written. */
  dispose(): void {
    if (this.ended) return;
    this.ended = true;
    this.escapeTimer?.cancel();
    this.message?.timer.cancel();
    this.stallTimer?.cancel();
    this.resizeTimer?.cancel();
    this.overlays.dispose();
    this.queue = [];
    this.queuedBytes = 0;
  }

  /** Restores the viewer's terminal, prints why it ends, and closes it. */
  end(reason: string, exitStatus = 0): void {
    if (this.ended) return;
    this.dispose();
    this.terminal.write(this.renderer.leave() + `[${printable(reason)}]\r\n`);
    this.terminal.close(exitStatus);
  }

  private write(data: string): void {
    if (this.terminal.write(data) || this.blocked) return;
    this.blocked = true;
    const timeout = this.limits.stallTimeoutMs ?? 0;
    if (timeout > 0) this.stallTimer = this.clock.setTimeout(() => this.stalled(timeout), timeout);
  }

  /** The terminal has not drained for the whole stall timeout: it is not reading at all. */
  private stalled(timeout: number): void {
    this.stallTimer = null;
    if (this.ended || !this.blocked) return;
    this.session.dropViewer?.(this, `disconnected: your terminal read nothing for ${Math.round(timeout / 1000)}s`);
  }

  /**
   * Handles queued input until this turn's INPUT_SLICE is spent, the queue is empty or the host is
   * not keeping up; the next turn continues (hostDrained() does, after the host caught up).
   */
  private pump(): void {
    while (this.queue.length > 0 && this.spent < INPUT_SLICE && !this.ended) {
      if (this.session.hostBusy?.()) break;
      const room = INPUT_SLICE - this.spent;
      const chunk = this.queue[0]!;
      const piece = chunk.length <= room ? chunk : chunk.subarray(0, room);
      if (piece === chunk) this.queue.shift();
      else this.queue[0] = chunk.subarray(room);
      this.queuedBytes -= piece.length;
      this.spent += piece.length;
      for (const key of this.parser.feed(piece)) this.handleKey(key);
    }
    if (this.ended) return;
    if (this.spent > 0 && !this.turnScheduled) {
      this.turnScheduled = true;
      setImmediate(() => {
        this.turnScheduled = false;
        this.spent = 0;
        if (this.queuedBytes > 0) this.pump();
      });
    }
    if (this.queue.length > 0) return;
    if (this.inputPaused) {
      this.inputPaused = false;
      this.terminal.resumeInput?.();
    }
    if (this.parser.hasPending() && !this.escapeTimer) {
      this.escapeTimer = this.clock.setTimeout(() => {
        this.escapeTimer = null;
        for (const key of this.parser.flush()) this.handleKey(key);
      }, ESCAPE_TIMEOUT_MS);
    }
  }

  /** A mouse report goes to the active pane's program when it asked for one (viewer-mouse.ts). */
  private forwardMouse(report: string | undefined): void {
    if (this.readOnly || this.state.mode !== 'normal' || this.overlays.current() !== undefined) return;
    for (const key of mouseKeysForPane(report, this.lastWindow) ?? []) this.session.sendKey(key);
  }

  private dropInput(bytes: number): void {
    this.droppedInput += bytes;
    this.session.inputDropped?.(this, bytes);
    this.flash(`Input arrives faster than the host takes it: ${this.droppedInput} bytes dropped`);
  }

  private handleKey(key: number): void {
    if (key === KEYC_MOUSE) return this.forwardMouse(this.parser.takeMouseReport());
    if (key >= KEYC_BASE && key < FIRST_NON_MOUSE_KEY) return; // focus reports
    if (isPasteMarker(key)) {
      if (this.state.mode === 'command-prompt') return; // the pasted text goes into the prompt
      // Bracketed-paste markers reach the pane as raw keys only when its program asked for them.
      if (!this.readOnly && this.session.wantsBracketedPaste()) for (const k of pasteMarkerKeys(key)) this.session.sendKey(k);
      return;
    }
    if (this.overlays.handleKey(key)) return;
    const state = this.state;
    this.state = { mode: 'normal' };
    if (state.mode === 'list') return this.markDirty(); // any key leaves the list
    if (state.mode === 'keys') {
      if (!this.session.keys.isPrefix(key)) return this.scrollKeys(key, state.view);
      this.markDirty(); // the prefix leaves the list, as in tmux's copy mode it still works
    }
    if (state.mode === 'confirm') return this.answerConfirm(key, state.commands);
    if (state.mode === 'command-prompt') return this.editPrompt(key, state.prompt);
    if (state.mode === 'prefix') return this.afterPrefix(key);
    if (state.mode === 'repeat' && this.clock.now() < state.until) {
      const binding = this.session.keys.lookup(PREFIX_TABLE, key);
      if (binding?.repeat) return this.runBinding(binding);
    }
    if (this.session.keys.isPrefix(key)) {
      this.state = { mode: 'prefix' };
      return;
    }
    const rootBinding = this.session.keys.lookup(ROOT_TABLE, key);
    if (rootBinding && !this.readOnly) return this.runBinding(rootBinding);
    if (!this.readOnly) this.session.sendKey(key);
  }

  private afterPrefix(key: number): void {
    const binding = this.session.keys.lookup(PREFIX_TABLE, key) ?? RELAY_PREFIX_BINDINGS.get(key);
    if (!binding) return;
    if (binding.repeat) this.state = { mode: 'repeat', until: this.clock.now() + REPEAT_TIME_MS };
    this.runBinding(binding);
  }

  private runBinding(binding: Binding): void {
    for (const argv of binding.commands) this.runCommand(argv);
  }

  private runCommand(argv: CommandArgv): void {
    // tmux's names: an alias or a unique prefix (`findw`, `find-w`) is the command it names, so
    // the commands the relay runs itself are never sent to the host under another name.
    const name = tmuxCommandName(argv[0] ?? '') ?? argv[0] ?? '';
    if (name === 'detach-client') return this.session.detach(this);
    if (name === 'list-clients') return this.showClientList();
    if (name === 'refresh-client') return this.redraw();
    if (name === 'list-keys') return this.showKeys(argv);
    if (name === 'display-panes') return this.overlays.showPaneNumbers(argv);
    if (name === 'clock-mode') return this.overlays.showClock();
    if (name === 'show-messages') return this.showMessages(argv);
    if (LISTING_COMMANDS.has(name)) return this.showListing([name, ...argv.slice(1)]);
    // Browsing the windows changes nothing; what is chosen there is refused below like any command.
    if (name === 'choose-window') return this.overlays.openWindowChooser(argv, this.windowCols, this.windowRows);
    if (name === 'choose-tree') return this.overlays.openSessionTree(argv, this.windowCols, this.windowRows);
    if (this.readOnly) return this.flash(`${name} is not available to read-only viewers`);
    switch (name) {
      case 'send-prefix':
        return this.session.sendKey(this.session.keys.prefix);
      case 'display-message':
        return this.displayMessage(argv);

      case 'confirm-before':
        return this.askConfirm(argv);
      case 'command-prompt':
        return this.openPrompt(argv);
      case 'find-window':
        return this.overlays.findWindow(argv, this.windowCols, this.windowRows);
      default:
        if (CLIENT_SCREEN_COMMANDS.has(name)) return this.flash(`${name} is not available to viewers of a shared session`);
        this.session.runOnHost(this, argv);
    }
  }

  /** `confirm-before [-p PROMPT] [-t target] COMMAND`: the prompt here, the command (tmux syntax) on `y`. */
  private askConfirm(argv: CommandArgv): void {
    const args = parseArgs(CONFIRM_BEFORE_FLAGS, argv.slice(1));
    const command = args?.args[0];
    if (args === null || command === undefined || args.args.length > 1) return this.flash(CONFIRM_BEFORE_USAGE);
    const parsed = parseCommandLine(command);
    if (!parsed.ok) return this.flash(parsed.error);
    const commands = parsed.commands.filter((c) => c.length > 0);
    if (commands.length === 0) return;
    this.state = { mode: 'confirm', commands };
    this.confirmPrompt = this.session.expandFormat(args.flags.get('p') ?? `Confirm '${commands[0]![0]}'? (y/n)`, this);
    this.markDirty();
  }

  private confirmPrompt = '';
  /** The session window's size at the last render (what the key list scrolls by). */
  private windowCols = 80;
  private windowRows = 23;
  /** The window as last drawn (what display-panes' digits choose from). */
  private lastWindow: WindowScene | null = null;

  /** `list-keys [-T key-table]` (`C-b ?`): this viewer's own scrollable list (core/render/key-list-view.ts). */
  private showKeys(argv: CommandArgv): void {
    const args = parseArgs(LIST_KEYS_FLAGS, argv.slice(1));
    if (args === null || args.args.length > 0) return this.flash(LIST_KEYS_USAGE);
    const table = args.flags.get('t') ?? args.flags.get('T');
    // -t names a copy-mode key table, which hosts do not send: none exists here.
    if (table !== undefined && (args.flags.has('t') || !this.session.keys.hasTable(table))) return this.flash(`table ${table} doesn't exist`);
    this.state = { mode: 'keys', view: new KeyListView(listKeyLines(this.session.keys, table)) };
    this.markDirty();
  }

  /** Runs `template` with `%%` as `target`, as tmux runs a chooser's or display-panes' template. */
  private runTemplate(template: string, target: string): void {
    const parsed = parseCommandLine(fillTemplate(template, target));
    if (!parsed.ok) return this.flash(parsed.error);
    for (const argv of parsed.commands) if (argv.length > 0) this.runCommand(argv);
  }

  private scrollKeys(key: number, view: KeyListView): void {
    if (view.handleKey(key, this.windowCols, this.windowRows)) this.state = { mode: 'keys', view };
    this.markDirty();
  }

  /**
   * `show-messages` (`C-b ~`): the messages this viewer's status line showed, in the list view of
   * list-keys. tmux's `-J` and `-T` list its jobs and terminals; a relay has none to list.
   */
  private showMessages(argv: CommandArgv): void {
    const args = parseArgs(SHOW_MESSAGES_FLAGS, argv.slice(1));
    if (args === null || args.args.length > 0) return this.flash(SHOW_MESSAGES_USAGE);
    this.showOutput(args.flags.has('J') || args.flags.has('T') ? [] : this.messageLog.lines());
  }

  /** Lines a command printed, in this viewer's output view (tmux shows them in the pane until `q`). */
  private showOutput(lines: string[]): void {
    if (lines.length === 0) return;
    this.state = { mode: 'keys', view: new KeyListView(lines) };
    this.markDirty();
  }

  /** `list-windows`, `list-panes`, `list-sessions`: answered by the relay (core/mux/session-listings.ts). */
  private showListing(argv: CommandArgv): void {
    const session = this.session.listedSession?.(this);
    if (!session) return this.flash(`${argv[0] ?? ''} is not available to viewers of a shared session`);
    const result = runListing(argv, session, this.listedClient());
    if ('error' in result) return this.flash(result.error);
    this.showOutput(result.lines);
  }

  /** `display-message [-p] [-F format] [-t pane] [message]`: -p prints to the output view, else the status line. */
  private displayMessage(argv: CommandArgv): void {
    const parsed = parseArgs(displayMessage.flags, argv.slice(1));
    if (parsed === null || parsed.args.length > 1) return this.flash(usageOf(displayMessage));
    const message = parsed.args[0] ?? parsed.flags.get('F');
    const template = message === '' ? undefined : message;
    const session = this.session.listedSession?.(this);
    if (template === undefined || session === undefined) {
      return this.flash(template === undefined ? this.session.describe(this) : this.session.expandFormat(template, this));
    }
    const result = displayText(template, parsed.flags.get('t'), session, this.listedClient());
    if ('error' in result) return this.flash(result.error);
    if (parsed.flags.has('p')) return this.showOutput(result.lines);
    this.flash(result.lines[0] ?? '');
  }

  private listedClient(): ListedClient {
    return { cols: this.size.cols, rows: this.size.rows, readOnly: this.readOnly };
  }

  /** `C-b r`: this viewer's screen is drawn again whole (a terminal that got garbled). */
  private redraw(): void {
    this.renderer.invalidate();
    this.markDirty();
  }

  private showClientList(): void {
    this.state = { mode: 'list' };
    this.markDirty();
  }

  /** The list view: the session's client table, lines padded to one width so they stay aligned. */
  private clientList(): string {
    const lines = [...this.session.clientLines(this), '', 'Press any key to return'];
    const width = Math.max(...lines.map((l) => l.length));
    return lines.map((l) => l.padEnd(width)).join('\n');
  }

  /** The prompt this viewer is answering, as its status line shows it. */
  private promptText(): { line: string; beforeCursor: string } | null {
    if (this.state.mode === 'command-prompt') return this.state.prompt.display();
    return this.state.mode === 'confirm' ? { line: this.confirmPrompt, beforeCursor: this.confirmPrompt } : null;
  }

  /** `command-prompt [-I inputs] [-p prompts] [template]`: edited here, run on Enter (core/mux/command-prompt.ts). */
  private openPrompt(argv: CommandArgv): void {
    const args = commandPromptArgs(argv);
    const prompt = new CommandPrompt(args.template, args.prompt, this.session.expandFormat(args.input, this));
    this.state = { mode: 'command-prompt', prompt };
    this.markDirty();
  }

  private editPrompt(key: number, prompt: CommandPrompt): void {
    this.markDirty();
    const result = prompt.handleKey(key);
    if (result.kind === 'editing') {
      this.state = { mode: 'command-prompt', prompt };
      return;
    }
    if (result.kind === 'cancel' || result.commandLine.trim() === '') return;
    const parsed = parseCommandLine(result.commandLine);
    if (!parsed.ok) return this.flash(parsed.error);
    for (const argv of parsed.commands) if (argv.length > 0) this.runCommand(argv);
  }

  private answerConfirm(key: number, commands: CommandArgv[]): void {
    this.markDirty();
    if (key !== 0x79 /* y */) return;
    for (const argv of commands) this.runCommand(argv);
  }
}

/** `rows`, or fewer so that the viewer is drawn at most MAX_VIEWER_CELLS cells. */
function drawnRows(cols: number, rows: number): number {
  return Math.max(1, Math.min(rows, Math.floor(MAX_VIEWER_CELLS / Math.max(1, cols))));
}

/**
 * `text` with C0 and C1 control characters (and DEL) shown as `?`: the closing line is written
 * to the viewer's terminal as is, outside the screen grid that otherwise keeps them out, and it can
 * quote names a host chose (a session name `x ESC ] 52 ; …` would write the viewer's clipboard).
 */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
