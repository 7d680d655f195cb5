/**
 * One attached viewer: parses its keystrokes into tmux key codes, runs prefix bindings from the
 * host's key table (most go to the host as EXEC_CMD, a few run here), and renders the session
 * for its terminal size with its own status line.
 *
 * Relay bindings: where the host's prefix table has no binding, `C-b W` shows who is connected
 * (the relay's `list-clients` view: id, address, key fingerprint, rw/ro, since when); any key
 * returns to the session.
 *
 * Invariants:
 * - A read-only viewer never sends anything to the host; it can only detach (`C-b d`) and list
 *   the clients (`C-b W`).
 * - While the terminal is not keeping up, frames are skipped (coalesced), never queued.
 * - After `end()` nothing more is written and every timer is cancelled.
 */
import type { Clock, TimerHandle } from '../../core/util/clock.js';
import { InputParser, isPasteMarker, pasteMarkerKeys } from '../../core/term/input-parser.js';
import { KEYC_BASE } from '../../core/term/key-codes.js';
import { ViewerRenderer } from '../../core/render/viewer-renderer.js';
import type { Scene, WindowScene } from '../../core/render/scene.js';
import { PREFIX_TABLE, ROOT_TABLE, type Binding, type CommandArgv } from '../../core/mux/key-table.js';
import type { ViewerTerminal } from './ports.js';
import type { ViewerSession } from './viewer-session.js';

export interface ViewerIdentity {
  ip: string;
  /** SHA256 fingerprint of the key the viewer authenticated with, or null for keyless. */
  fingerprint: string | null;
  readOnly: boolean;
}

const ESCAPE_TIMEOUT_MS = 50;
const REPEAT_TIME_MS = 500;
const MESSAGE_TIME_MS = 3000;
/** Keys below this are characters; mouse and focus events sit just above KEYC_BASE. */
const FIRST_NON_MOUSE_KEY = KEYC_BASE + 45;

/** Prefix-table bindings the relay adds where the host has none. `W` (0x57) is unbound in tmux 2.4. */
const RELAY_PREFIX_BINDINGS: ReadonlyMap<number, Binding> = new Map([[0x57, { commands: [['list-clients']], repeat: false }]]);

type InputState =
  | { mode: 'normal' }
  | { mode: 'prefix' }
  | { mode: 'repeat'; until: number }
  | { mode: 'confirm'; commands: CommandArgv[] }
  | { mode: 'list' };

export class ViewerLink {
  readonly since: number;
  private readonly parser = new InputParser({ reportPaste: true });
  private readonly renderer: ViewerRenderer;
  private state: InputState = { mode: 'normal' };
  private escapeTimer: TimerHandle | null = null;
  private message: { text: string; timer: TimerHandle } | null = null;
  private blocked = false;
  private dirty = true;
  private ended = false;

  constructor(
    readonly id: number,
    readonly identity: ViewerIdentity,
    private cols: number,
    private rows: number,
    private readonly terminal: ViewerTerminal,
    private readonly session: ViewerSession,
    private readonly clock: Clock,
  ) {
    this.since = clock.now();
    this.renderer = new ViewerRenderer(cols, rows);
    terminal.onDrain(() => {
      this.blocked = false;
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
    if (this.ended) return;
    this.escapeTimer?.cancel();
    this.escapeTimer = null;
    this.session.noteActivity();
    for (const key of this.parser.feed(bytes)) this.handleKey(key);
    if (this.parser.hasPending()) {
      this.escapeTimer = this.clock.setTimeout(() => {
        this.escapeTimer = null;
        for (const key of this.parser.flush()) this.handleKey(key);
      }, ESCAPE_TIMEOUT_MS);
    }
  }

  resize(cols: number, rows: number): void {
    if (this.ended || (cols === this.cols && rows === this.rows)) return;
    this.cols = cols;
    this.rows = rows;
    this.renderer.resize(cols, rows);
    this.dirty = true;
    this.session.viewerResized(this);
  }

  /** Shows a message in this viewer's status line for a few seconds. */
  flash(text: string): void {
    if (this.ended) return;
    this.message?.timer.cancel();
    const timer = this.clock.setTimeout(() => {
      this.message = null;
      this.markDirty();
    }, MESSAGE_TIME_MS);
    this.message = { text, timer };
    this.markDirty();
  }

  markDirty(): void {
    this.dirty = true;
    this.session.requestRender();
  }

  /** Draws the current scene if something changed and the terminal keeps up. */
  render(window: WindowScene | null, waiting: string): void {
    if (this.ended || this.blocked) return;
    const status = this.session.statusFor(this, this.promptText() ?? this.message?.text ?? null);
    const scene: Scene = this.state.mode === 'list' ? { window: null, status, waiting: this.clientList() } : { window, status, waiting };
    const frame = this.renderer.render(scene);
    this.dirty = false;
    if (frame.length > 0) this.write(frame);
  }

  /** Restores the viewer's terminal, prints why it ends, and closes it. */
  end(reason: string, exitStatus = 0): void {
    if (this.ended) return;
    this.ended = true;
    this.escapeTimer?.cancel();
    this.message?.timer.cancel();
    this.terminal.write(this.renderer.leave() + `[${reason}]\r\n`);
    this.terminal.close(exitStatus);
  }

  private write(data: string): void {
    if (!this.terminal.write(data)) this.blocked = true;
  }

  private handleKey(key: number): void {
    if (key >= KEYC_BASE && key < FIRST_NON_MOUSE_KEY) return; // mouse and focus reports
    if (isPasteMarker(key)) {
      // Bracketed-paste markers reach the pane as raw keys only when its program asked for them.
      if (!this.readOnly && this.session.wantsBracketedPaste()) for (const k of pasteMarkerKeys(key)) this.session.sendKey(k);
      return;
    }
    const state = this.state;
    this.state = { mode: 'normal' };
    if (state.mode === 'list') return this.markDirty(); // any key leaves the list
    if (state.mode === 'confirm') return this.answerConfirm(key, state.commands);
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
    const name = argv[0] ?? '';
    if (name === 'detach-client' || name === 'detach') return this.session.detach(this);
    if (name === 'list-clients' || name === 'lsc') return this.showClientList();
    if (this.readOnly) return;
    switch (name) {
      case 'send-prefix':
        return this.session.sendKey(this.session.keys.prefix);
      case 'display-message':
      case 'display':
        return this.flash(argv.slice(1).filter((a) => !a.startsWith('-')).join(' ') || this.session.describe());
      case 'confirm-before':
      case 'confirm':
        return this.askConfirm(argv);
      case 'command-prompt':
        return this.flash('command-prompt is not available to viewers; use tmate on the host');
      default:
        this.session.runOnHost(this, argv);
    }
  }

  private askConfirm(argv: CommandArgv): void {
    const command = argv[argv.length - 1];
    if (command === undefined || argv.length < 2) return;
    const promptFlag = argv.slice(1, -1).find((a) => a.startsWith('-p'));
    const prompt = promptFlag && promptFlag.length > 2 ? promptFlag.slice(2) : `${command}? (y/n)`;
    this.state = { mode: 'confirm', commands: [command.split(/\s+/).filter(Boolean)] };
    this.confirmPrompt = this.session.expandFormat(prompt);
    this.markDirty();
  }

  private confirmPrompt = '';

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

  private promptText(): string | null {
    return this.state.mode === 'confirm' ? this.confirmPrompt : null;
  }

  private answerConfirm(key: number, commands: CommandArgv[]): void {
    this.markDirty();
    if (key !== 0x79 /* y */) return;
    for (const argv of commands) this.runCommand(argv);
  }
}
