/**
 * The host engine: a headless tmux-like multiplexer that speaks tmate protocol 6 as the HOST, so
 * the relay sees what the stock tmate 2.4.0 client would send. It owns the one session (windows,
 * panes, layouts), runs each pane's program through the PTY port with an emulator per pane, runs
 * the relay's commands and keys, and produces the OUT messages.
 *
 * Invariants:
 * - `handle()` never throws, whatever the message; odd input is ignored or answered with
 *   FAILED_CMD exactly as tmate words it.
 * - Every change visible in the layout is followed by one SYNC_LAYOUT (identical consecutive
 *   layouts are sent once). PTY_DATA chunks are at most 16 KiB, in the order the pane wrote them.
 * - FIN is the last message: after it (every window gone, kill-session or stop()) the engine
 *   emits nothing and ignores input; `exitStatus` is set before the end listeners run.
 * - Pane ids (`%N`) and window ids (`@N`) are never reused.
 */
import type { InMessage, OutMessage } from '../protocol/tmate/messages.js';
import { keyToBytes } from '../term/key-bytes.js';
import { isMouseKey } from '../term/key-codes.js';
import { runArgv, runCommandLine } from './command-runner.js';
import type { CommandContext, NewWindowRequest, SplitRequest } from './commands/command-spec.js';
import { connectBurst } from './connect-burst.js';
import { CopyMode } from './copy-mode/copy-mode.js';
import { HostPane } from './host-pane.js';
import { HostSession } from './host-session.js';
import { HostWindow } from './host-window.js';
import {
  DEFAULT_UNAME, KILL_SIGNAL, MAX_PTY_DATA, PREFIX_KEY, clampSize, signalStatus, type HostEngineOptions,
} from './host-engine-options.js';
import { Listeners } from './listeners.js';
import { paneArgv, paneProgramName } from './pane-command.js';
import { snapshotPane } from './snapshot.js';
import { PasteBuffers } from './paste-buffers.js';
import type { TimerHandle } from '../util/clock.js';

export type { HostEngineOptions } from './host-engine-options.js';
export { MAX_PTY_DATA, MAX_SESSION_SIZE } from './host-engine-options.js';

const encoder = new TextEncoder();
/** How long after output a window's automatic name is checked again (tmux checks on output, at most this often). */
const NAME_CHECK_MS = 500;

export class HostEngine {
  private readonly session: HostSession;
  private readonly context: CommandContext;
  private readonly envValues = new Map<string, string>();
  private readonly messages = new Listeners<[OutMessage]>();
  private readonly envListeners = new Listeners<[string, string]>();
  private readonly readyListeners = new Listeners<[]>();
  private readonly notifyListeners = new Listeners<[string]>();
  private readonly endListeners = new Listeners<[number]>();
  private readonly outputListeners = new Listeners<[number, Uint8Array]>();
  private readonly buffers = new PasteBuffers();
  private nextPaneId = 0;
  private nextWindowId = 0;
  private lastLayout = '';
  private nameCheck: TimerHandle | null = null;
  private lastExit = 0;
  private started = false;
  private ended = false;
  private status: number | null = null;
  private relayEnded = false;

  constructor(private readonly options: HostEngineOptions) {
    this.session = new HostSession(clampSize(options.cols), clampSize(options.rows));
    this.context = this.makeContext();
  }

  get exitStatus(): number | null {
    return this.status;
  }

  /** True when the relay ended the session (kill-session / kill-server), not the shells. */
  get endedByRelay(): boolean {
    return this.relayEnded;
  }

  /** Spawns window 0. @throws Error if its program cannot be started at all. */
  start(): void {
    if (this.started || this.ended) return;
    this.started = true;
    const error = this.newWindow({ index: 0, name: null, detached: false, command: [] });
    if (error !== null) throw new Error(`cannot start the first window: ${error}`);
    this.flush();
  }

  connectMessages(reconnectData: string | null): OutMessage[] {
    const o = this.options;
    const burst = connectBurst(
      {
        clientVersion: o.clientVersion ?? '2.4.0',
        keyMode: o.keyMode,
        uname: o.uname ?? DEFAULT_UNAME,
        tmateOptions: o.tmateOptions ?? {},
        relayOptions: o.relayOptions ?? {},
      },
      reconnectData,
    );
    if (this.ended || this.session.isEmpty) return burst;
    this.settle();
    const layout = this.session.layoutMessage();
    this.lastLayout = JSON.stringify(layout);
    burst.push(layout);
    const panes = this.allPanes();
    // Always, not only on reconnects: output printed before the first connection (or during an
    // outage) was never sent, and the snapshot is how the relay's panes catch up.
    burst.push({ type: 'snapshot', panes: panes.map((p) => snapshotPane(p.id, p.terminal)) });
    for (const pane of panes.filter((p) => p.copyMode !== null)) burst.push(this.copyModeMessage(pane));
    return burst;
  }

  handle(message: InMessage): void {
    if (this.ended) return;
    // A key for a pane's program changes no size, name or window, so it skips the layout check
    // (a paste is one message per key: the check per key made pastes crawl).
    const programKey = (message.type === 'pane-key' || message.type === 'legacy-pane-key') && this.keyTarget(message)?.copyMode === null;
    this.guard(() => this.dispatch(message), !programKey);
    if (!programKey) this.scheduleNameCheck();
  }

  onMessage(listener: (message: OutMessage) => void): () => void {
    return this.messages.add(listener);
  }

  env(name: string): string | undefined {
    return this.envValues.get(name);
  }

  onEnv(listener: (name: string, value: string) => void): () => void {
    return this.envListeners.add(listener);
  }

  onReady(listener: () => void): () => void {
    return this.readyListeners.add(listener);
  }

  onNotify(listener: (text: string) => void): () => void {
    return this.notifyListeners.add(listener);
  }

  onEnd(listener: (exitStatus: number) => void): () => void {
    return this.endListeners.add(listener);
  }

  onPaneOutput(listener: (paneId: number, data: Uint8Array) => void): () => void {
    return this.outputListeners.add(listener);
  }

  /** Kills every pane with `signal` and ends the session (FIN). */
  stop(signal = KILL_SIGNAL): void {
    if (this.ended) return;
    for (const pane of this.allPanes()) pane.close(signal);
    this.end(signalStatus(signal));
  }

  private dispatch(message: InMessage): void {
    switch (message.type) {
      case 'pane-key':
      case 'legacy-pane-key': {
        const pane = this.keyTarget(message);
        if (pane) this.paneKey(pane, message.key);
        return;
      }
      case 'resize':
        return this.resize(message.cols, message.rows);
      case 'exec-cmd':
        return this.failed(message.clientId, runArgv(this.context, message.argv));
      case 'exec-cmd-str':
        return this.failed(message.clientId, runCommandLine(this.context, message.command, (n) => this.options.env[n]));
      case 'set-env':
        this.envValues.set(message.name, message.value);
        return this.envListeners.emit(message.name, message.value);
      case 'ready':
        return this.readyListeners.emit();
      case 'notify':
        return this.notifyListeners.emit(message.message);
    }
  }

  /** The pane a key goes to: by id, or the active one for -1 and LEGACY_PANE_KEY. */
  private keyTarget(message: Extract<InMessage, { type: 'pane-key' | 'legacy-pane-key' }>): HostPane | undefined {
    const id = message.type === 'pane-key' ? message.paneId : -1;
    return id === -1 ? this.session.current?.active : this.session.findPane(id)?.pane;
  }

  private failed(clientId: number, causes: string[]): void {
    if (causes.length === 0) return;
    this.flush();
    for (const cause of causes) this.emit({ type: 'failed-cmd', clientId, cause });
  }

  /** RESIZE: both values > 0 set the session size; otherwise (no viewers) the size stays. */
  private resize(cols: number, rows: number): void {
    if (!(cols > 0 && rows > 0)) return;
    this.session.sx = clampSize(cols);
    this.session.sy = clampSize(rows);
    for (const { window } of this.session.windows()) window.resize(this.session.sx, this.session.sy);
  }

  private emit(message: OutMessage): void {
    if (!this.ended) this.messages.emit(message);
  }

  /** Gives panes their sizes and windows their automatic names. */
  private settle(): void {
    for (const pane of this.allPanes()) pane.applySize();
    for (const { window } of this.session.windows()) window.refreshName();
  }

  /** Settles, then sends the layout if it changed. */
  private flush(): void {
    if (this.ended || !this.started || this.session.isEmpty) return;
    this.settle();
    const layout = this.session.layoutMessage();
    const key = JSON.stringify(layout);
    if (key === this.lastLayout) return;
    this.lastLayout = key;
    this.emit(layout);
  }

  private allPanes(): HostPane[] {
    return this.session.windows().flatMap(({ window }) => window.panes);
  }

  // -------------------------------------------------------------------------------------------
  // Panes and windows

  private createPane(sx: number, sy: number, command: readonly string[]): HostPane {
    const name = paneProgramName(command, this.options.command, this.options.env);
    return new HostPane(this.nextPaneId++, name, sx, sy, this.options.scrollback);
  }

  /** Starts the pane's program; the cause on failure. */
  private launch(pane: HostPane, command: readonly string[]): string | null {
    try {
      const process = this.options.pty.spawn({
        cols: Math.max(1, pane.sx),
        rows: Math.max(1, pane.sy),
        command: paneArgv(command, this.options.command, this.options.env),
        env: { ...this.options.env },
      });
      pane.attach(process);
      // Output changes no size, name or window, so it skips the layout check (a flood is
      // thousands of chunks a second).
      process.onData((data) => this.guard(() => this.paneOutput(pane, data), false));
      process.onExit((code, signal) => this.guard(() => this.paneExited(pane, code, signal)));
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /**
   * Runs a relay message or pty event, then flushes unless told not to; nothing escapes to the
   * caller's loop.
   */
  private guard(action: () => void, flush = true): void {
    if (this.ended) return;
    try {
      action();
    } catch {
      // A bug here must not take the session (or the relay link / pty loop) down.
    }
    if (!flush) return;
    try {
      this.flush();
    } catch {
      // Same: the next event will try to send the layout again.
    }
  }

  private newWindow(request: NewWindowRequest): string | null {
    const s = this.session;
    const index = request.index < 0 ? s.firstFreeIndex(0) : request.index;
    if (s.windowAt(index)) return `create window failed: index in use: ${index}`;
    const pane = this.createPane(s.sx, s.sy, request.command);
    const error = this.launch(pane, request.command);
    if (error !== null) {
      pane.close(null);
      return `create window failed: ${error}`;
    }
    const window = new HostWindow(this.nextWindowId++, pane, s.sx, s.sy, request.name, s.counter);
    s.link(window, index);
    if (!request.detached) s.setCurrent(window);
    return null;
  }

  private splitWindow(request: SplitRequest): string | null {
    const { window, pane: target } = request;
    window.unzoom();
    if (!window.canSplit(target, request.type)) return 'create pane failed: pane too small';
    const pane = this.createPane(target.sx, target.sy, request.command);
    if (!window.split(target, pane, request.type, request.size, request.before)) {
      pane.close(null);
      return 'create pane failed: pane too small';
    }
    pane.applySize(); // the emulator only: the pty is spawned at this size
    const error = this.launch(pane, request.command);
    if (error !== null) {
      window.removePane(pane);
      pane.close(null);
      return `create pane failed: ${error}`;
    }
    if (!request.detached) {
      window.setActive(pane);
      this.session.setCurrent(window);
    }
    return null;
  }

  /** server_destroy_pane / kill-pane: the last pane takes its window with it. */
  private destroyPane(pane: HostPane, signal: string | null, status: number): void {
    const found = this.session.findPane(pane.id);
    if (!found) return pane.close(signal);
    const { window } = found;
    window.unzoom();
    if (window.panes.length === 1) return this.destroyWindow(window, signal, status);
    window.removePane(pane);
    pane.close(signal);
  }

  private destroyWindow(window: HostWindow, signal: string | null, status: number): void {
    for (const pane of window.panes) pane.close(signal);
    if (this.session.detach(window)) this.end(status);
  }

  private paneOutput(pane: HostPane, data: Uint8Array): void {
    if (pane.closed) return;
    this.scheduleNameCheck();
    // Sent before our own emulator parses it: the viewers' echo does not wait for that parse.
    for (let at = 0; at < data.length; at += MAX_PTY_DATA) {
      const chunk = data.length <= MAX_PTY_DATA ? data : data.slice(at, at + MAX_PTY_DATA);
      this.emit({ type: 'pty-data', paneId: pane.id, data: chunk });
    }
    pane.feed(data);
    this.outputListeners.emit(pane.id, data);
    if (pane.copyMode !== null) {
      pane.copyMode.outputAdded();
      this.syncCopyMode(pane, false);
    }
  }

  /**
   * After output or a command, window names are checked again a little later (tmux's
   * automatic-rename: a program started or ended, another pane became active), at most once per
   * NAME_CHECK_MS: the foreground lookup reads /proc, and output itself skips the layout check
   * (a flood is thousands of chunks a second).
   */
  private scheduleNameCheck(): void {
    if (this.nameCheck !== null) return;
    this.nameCheck = this.options.clock.setTimeout(() => {
      this.nameCheck = null;
      this.guard(() => {
        for (const { window } of this.session.windows()) window.active.lookForeground();
      });
    }, NAME_CHECK_MS);
  }

  private paneExited(pane: HostPane, code: number, signal: number | null): void {
    this.lastExit = signal ? 128 + signal : code;
    if (!pane.closed) this.destroyPane(pane, null, this.lastExit);
  }

  private end(status: number): void {
    if (this.ended) return;
    this.emit({ type: 'fin' });
    this.ended = true;
    this.nameCheck?.cancel();
    this.nameCheck = null;
    this.status = status;
    this.session.clear(); // later commands of the same line find nothing to act on
    this.endListeners.emit(status);
  }

  // -------------------------------------------------------------------------------------------
  // Keys and copy mode

  /** window_pane_key: mouse keys dropped, copy mode first, else bytes for the pty. */
  private paneKey(pane: HostPane, key: number): void {
    if (isMouseKey(key) || pane.closed) return;
    const copy = pane.copyMode;
    if (copy === null) {
      const bytes = keyToBytes(key, () => pane.keyModes());
      if (bytes !== null) pane.write(bytes);
      return;
    }
    pane.applySize();
    const result = copy.handleKey(key);
    if (result.copied !== null) this.buffers.add(result.copied);
    if (!result.exit) return this.syncCopyMode(pane, true);
    pane.copyMode = null;
    this.syncCopyMode(pane, true);
    this.syncCopyMode(pane, true);
  }

  private paneText(pane: HostPane, text: string): void {
    if (pane.copyMode === null) return pane.write(encoder.encode(text));
    for (const char of text) this.paneKey(pane, char.codePointAt(0) ?? 0);
  }

  private copyMode(pane: HostPane, pageUp: boolean): void {
    if (pane.closed) return;
    pane.applySize();
    if (pane.copyMode === null) {
      pane.copyMode = new CopyMode(pane.terminal, this.options.keyMode);
      this.syncCopyMode(pane, true);
    }
    if (pageUp) {
      pane.copyMode.pageUp();
      this.syncCopyMode(pane, true);
    }
  }

  private copyModeMessage(pane: HostPane): OutMessage {
    return { type: 'sync-copy-mode', paneId: pane.id, state: pane.copyMode?.state() ?? null };
  }

  /** SYNC_COPY_MODE; unless `always`, only when the state differs from the last one sent. */
  private syncCopyMode(pane: HostPane, always: boolean): void {
    const message = this.copyModeMessage(pane);
    const key = JSON.stringify(message);
    if (!always && key === pane.lastCopySync) return;
    pane.lastCopySync = key;
    this.emit(message);
  }

  private makeContext(): CommandContext {
    return {
      session: this.session,
      prefixKey: PREFIX_KEY,
      newWindow: (request) => this.newWindow(request),
      splitWindow: (request) => this.splitWindow(request),
      killPane: (_window, pane) => this.destroyPane(pane, KILL_SIGNAL, signalStatus(KILL_SIGNAL)),
      killWindow: (window) => this.destroyWindow(window, KILL_SIGNAL, signalStatus(KILL_SIGNAL)),
      copyMode: (pane, pageUp) => this.copyMode(pane, pageUp),
      paneKey: (pane, key) => this.paneKey(pane, key),
      paneText: (pane, text) => this.paneText(pane, text),
      buffers: this.buffers,
      endSession: () => {
        this.relayEnded = !this.ended;
        this.stop(KILL_SIGNAL);
      },
    };
  }
}
