// SshViewer: a real OpenSSH client (`ssh -tt …`) running under node-pty, its output parsed by an @xterm/headless
// Terminal of the same size, so e2e tests can assert on exactly what a human viewer would see (text, cells,
// colours, alt screen, modes). term.onData is wired back into the pty so DA/DSR queries get answered.
//
// Reads are consistent: every chunk the pty delivered is written into xterm with a sequence number, and the
// waitFor* helpers (and flush()) only evaluate once xterm has parsed everything received so far.
import { spawn as spawnPty, type IPty } from 'node-pty';
import xterm from '@xterm/headless';
import type { IBufferCell, Terminal as XTerminal } from '@xterm/headless';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { AbortWait, DEFAULT_TIMEOUT_MS, waitFor, withTimeout } from './wait.js';

const { Terminal } = xterm;

export interface SshViewerOptions {
  port: number;
  /** The SSH user name (for the relay: the session token). */
  user: string;
  host?: string;
  /** Terminal size. Default 100×30. */
  cols?: number;
  rows?: number;
  /**
   * Private key to offer (`-i`). `null` or undefined: offer no key at all (`-o PubkeyAuthentication=no`),
   * so the run never depends on keys in the developer's ~/.ssh; keyboard-interactive (OpenSSH's
   * default, how a relay with --allow-keyless admits keyless viewers, with no prompt) stays on.
   */
  identityFile?: string | null;
  /**
   * Extra ssh arguments. They are placed BEFORE the harness defaults, and ssh keeps the first value it sees for
   * an option, so `['-o', 'PasswordAuthentication=yes']` overrides a default.
   */
  extraArgs?: string[];
  /** Remote command (after the destination), e.g. `['echo', 'hi']`. Default: none (shell). */
  remoteCommand?: string[];
  /** Extra environment for the ssh process. */
  env?: Record<string, string>;
}

export interface ExitStatus {
  exitCode: number;
  signal?: number;
}

export type ColorMode = 'default' | 'palette' | 'rgb';

export interface CellInfo {
  chars: string;
  width: number;
  /** Palette index (0-255) or 0xRRGGBB, according to fgMode; -1 for default. */
  fg: number;
  bg: number;
  fgMode: ColorMode;
  bgMode: ColorMode;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  blink: boolean;
  inverse: boolean;
  invisible: boolean;
  strikethrough: boolean;
  overline: boolean;
}

/** Named keys for press(). Anything not listed (and not `C-x`/`M-x`) is sent literally. */
export const KEYS: Readonly<Record<string, string>> = {
  Enter: '\r',
  Tab: '\t',
  Escape: '\x1b',
  Esc: '\x1b',
  BSpace: '\x7f',
  Backspace: '\x7f',
  Space: ' ',
  Up: '\x1b[A',
  Down: '\x1b[B',
  Right: '\x1b[C',
  Left: '\x1b[D',
  Home: '\x1b[H',
  End: '\x1b[F',
  PageUp: '\x1b[5~',
  PPage: '\x1b[5~',
  PageDown: '\x1b[6~',
  NPage: '\x1b[6~',
  Delete: '\x1b[3~',
  DC: '\x1b[3~',
  Insert: '\x1b[2~',
  F1: '\x1bOP',
  F2: '\x1bOQ',
  F3: '\x1bOR',
  F4: '\x1bOS',
};

/** Prefix key of tmate/tmux: `C-b`. */
export const PREFIX = '\x02';

/**
 * Translates one key name to bytes: KEYS entries, `C-a`…`C-z` / `C-@` / `C-[` / `C-\` / `C-]` / `C-^` / `C-_`,
 * `M-x` (ESC + x), anything else literally.
 */
export function keyBytes(key: string): string {
  const named = KEYS[key];
  if (named !== undefined) return named;
  const ctrl = /^C-(.)$/.exec(key);
  if (ctrl) {
    const c = ctrl[1]!.toUpperCase().charCodeAt(0);
    if (c >= 0x40 && c <= 0x5f) return String.fromCharCode(c - 0x40);
    if (ctrl[1] === '?') return '\x7f';
  }
  const meta = /^M-(.+)$/.exec(key);
  if (meta) return '\x1b' + keyBytes(meta[1]!);
  return key;
}

/** Printable rendering of control bytes for failure messages. */
function visible(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

function colorMode(isDefault: boolean, isRgb: boolean): ColorMode {
  return isDefault ? 'default' : isRgb ? 'rgb' : 'palette';
}

/** ssh options of every test client: no user config, known hosts, agent or passwords, errors only. */
export const SSH_TEST_OPTIONS: readonly string[] = [
  '-F', '/dev/null',
  '-o', 'UserKnownHostsFile=/dev/null',
  '-o', 'StrictHostKeyChecking=no',
  '-o', 'LogLevel=ERROR',
  '-o', 'IdentityAgent=none',
  '-o', 'IdentitiesOnly=yes',
  '-o', 'PasswordAuthentication=no',
];

export class SshViewer {
  readonly args: readonly string[];
  /** Resolves when ssh has exited and all its output has been read (node-pty emits exit after the fd closes). */
  readonly exited: Promise<ExitStatus>;

  readonly #pty: IPty;
  readonly #term: XTerminal;
  #raw = '';
  #writtenSeq = 0;
  #parsedSeq = 0;
  #flushWaiters: { seq: number; resolve: () => void }[] = [];
  #exitStatus: ExitStatus | undefined;
  #closing: Promise<void> | undefined;
  #disposed = false;
  /** Screen captured just before the terminal was disposed, so failure messages still work after close(). */
  #finalLines: string[] | undefined;

  private constructor(args: string[], opts: SshViewerOptions) {
    const cols = opts.cols ?? 100;
    const rows = opts.rows ?? 30;
    this.args = args;
    this.#term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
    this.#term.loadAddon(new Unicode11Addon());
    this.#term.unicode.activeVersion = '11';

    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    delete env.SSH_AUTH_SOCK;
    delete env.SSH_ASKPASS;
    delete env.DISPLAY;
    Object.assign(env, { TERM: 'xterm-256color', ...opts.env });

    // node-pty sets TERM to `name`: the viewer's TERM (ssh sends it to the server) is env.TERM.
    this.#pty = spawnPty('ssh', args, { name: env.TERM ?? 'xterm-256color', cols, rows, cwd: process.cwd(), env });
    this.#pty.onData((data) => {
      this.#raw += data;
      const seq = ++this.#writtenSeq;
      this.#term.write(data, () => this.#parsed(seq));
    });
    // Answers to DA/DSR/etc. queries (and mouse reports) go back to the remote side, as a real terminal would.
    this.#term.onData((data) => this.#writeToPty(data));
    this.#term.onBinary((data) => this.#writeToPty(data));
    this.exited = new Promise<ExitStatus>((resolve) => {
      this.#pty.onExit(({ exitCode, signal }) => {
        this.#exitStatus = signal ? { exitCode, signal } : { exitCode };
        resolve(this.#exitStatus);
      });
    });
  }

  /** Spawns `ssh -tt … -p PORT user@127.0.0.1` in a pty. Resolves immediately; use waitForText() to see progress. */
  static async connect(opts: SshViewerOptions): Promise<SshViewer> {
    const host = opts.host ?? '127.0.0.1';
    const args = [
      '-tt',
      ...(opts.extraArgs ?? []),
      ...SSH_TEST_OPTIONS,
      ...(opts.identityFile ? ['-o', 'KbdInteractiveAuthentication=no', '-i', opts.identityFile] : ['-o', 'PubkeyAuthentication=no']),
      '-p', String(opts.port),
      `${opts.user}@${host}`,
      ...(opts.remoteCommand ?? []),
    ];
    return new SshViewer(args, opts);
  }

  #writeToPty(data: string): void {
    if (this.#exitStatus || this.#disposed) return;
    try {
      this.#pty.write(data);
    } catch {
      // the pty may be gone already
    }
  }

  #parsed(seq: number): void {
    this.#parsedSeq = seq;
    if (this.#flushWaiters.length === 0) return;
    const ready = this.#flushWaiters.filter((w) => w.seq <= seq);
    this.#flushWaiters = this.#flushWaiters.filter((w) => w.seq > seq);
    for (const w of ready) w.resolve();
  }

  /** Resolves once xterm has parsed everything the pty delivered up to now. */
  flush(): Promise<void> {
    const seq = this.#writtenSeq;
    if (this.#parsedSeq >= seq || this.#disposed) return Promise.resolve();
    return new Promise((resolve) => this.#flushWaiters.push({ seq, resolve }));
  }

  /** The headless terminal, for assertions the helpers don't cover (buffer.active.type, modes, …). */
  get terminal(): XTerminal {
    return this.#term;
  }

  get pid(): number {
    return this.#pty.pid;
  }

  get cols(): number {
    return this.#term.cols;
  }

  get rows(): number {
    return this.#term.rows;
  }

  /** The exit status once ssh has exited, else undefined. */
  get exitStatus(): ExitStatus | undefined {
    return this.#exitStatus;
  }

  /**
   * Viewport row `y` (0-based) via translateToString(true): trailing *empty* cells are dropped, but spaces that
   * were actually written are kept (a bash prompt reads "$ ", not "$"; tmux capture-pane would give "$").
   */
  line(y: number): string {
    if (this.#finalLines) return this.#finalLines[y] ?? '';
    const buf = this.#term.buffer.active;
    return buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '';
  }

  /** All viewport rows (see line()). */
  lines(): string[] {
    if (this.#finalLines) return [...this.#finalLines];
    const out: string[] = [];
    for (let y = 0; y < this.#term.rows; y++) out.push(this.line(y));
    return out;
  }

  /** The viewport as text (rows joined by '\n'). Call flush() first, or use the waitFor* helpers. */
  screen(): string {
    return this.lines().join('\n');
  }

  /** The last viewport row that isn't blank (useful for "is the prompt back?"). */
  lastNonEmptyLine(): string {
    const lines = this.lines();
    for (let y = lines.length - 1; y >= 0; y--) if (lines[y]!.trim() !== '') return lines[y]!;
    return '';
  }

  cursor(): { x: number; y: number } {
    if (this.#disposed) return { x: -1, y: -1 };
    const buf = this.#term.buffer.active;
    return { x: buf.cursorX, y: buf.cursorY };
  }

  /** Everything received from ssh, undecoded escapes included. */
  rawOutput(): string {
    return this.#raw;
  }

  /** Screen, exit status and the tail of the raw output, for failure messages. */
  describeState(): string {
    const status = this.#exitStatus ? `ssh exited: ${JSON.stringify(this.#exitStatus)}` : 'ssh still running';
    const raw = this.#raw.length > 3000 ? '…' + this.#raw.slice(-3000) : this.#raw;
    return (
      `${status}; ${this.cols}x${this.rows}, cursor ${JSON.stringify(this.cursor())}\n` +
      `--- screen ---\n${this.screen()}\n--- end of screen ---\n` +
      `--- raw output tail (${this.#raw.length} chars) ---\n${visible(raw)}\n` +
      `--- args: ssh ${this.args.join(' ')}`
    );
  }

  /**
   * Waits until `predicate(screen)` holds, evaluating only after xterm parsed all data received so far.
   * Fails early (with the screen) if ssh exits and the predicate still doesn't hold on its final output.
   */
  async waitForScreen(
    predicate: (screen: string, viewer: SshViewer) => boolean,
    description: string,
    timeoutMs: number = DEFAULT_TIMEOUT_MS,
  ): Promise<string> {
    return waitFor(
      async () => {
        const exitedBefore = this.#exitStatus !== undefined;
        await this.flush();
        const screen = this.screen();
        if (predicate(screen, this)) return screen;
        // ssh had already exited before this flush, so no more output can come.
        if (exitedBefore) throw new AbortWait(`ssh exited before: ${description}\n${this.describeState()}`);
        return undefined;
      },
      { timeoutMs, intervalMs: 20, describe: () => `${description}\n${this.describeState()}` },
    );
  }

  /** Waits until the screen contains `text` (or matches the regex). Resolves with the screen. */
  waitForText(text: string | RegExp, timeoutMs: number = DEFAULT_TIMEOUT_MS): Promise<string> {
    const test = typeof text === 'string' ? (s: string) => s.includes(text) : (s: string) => text.test(s);
    return this.waitForScreen(test, `screen to contain ${String(typeof text === 'string' ? JSON.stringify(text) : text)}`, timeoutMs);
  }

  /** Waits until ssh exits (and its output was parsed). */
  async waitForExit(timeoutMs: number = DEFAULT_TIMEOUT_MS): Promise<ExitStatus> {
    const status = await withTimeout(this.exited, timeoutMs, () => `ssh to exit\n${this.describeState()}`);
    await this.flush();
    return status;
  }

  /** Writes text to the pty as typed input (no translation; '\r' is Enter). */
  type(text: string): void {
    if (this.#exitStatus) throw new Error(`cannot type ${JSON.stringify(text)}: ssh has exited\n${this.describeState()}`);
    this.#pty.write(text);
  }

  /** Sends keys: `press('C-b', 'c')`, `press('\x02c')`, `press('Up', 'Enter')`. See keyBytes(). */
  press(...keys: string[]): void {
    this.type(keys.map(keyBytes).join(''));
  }

  /** Resizes the local terminal and the pty (ssh then sends window-change). */
  resize(cols: number, rows: number): void {
    if (this.#disposed) throw new Error('resize() after close()');
    this.#term.resize(cols, rows);
    if (!this.#exitStatus) this.#pty.resize(cols, rows);
  }

  /** Cell at viewport column x, row y (0-based). Call flush() first, or use it after a waitFor* helper. */
  cellAt(x: number, y: number): CellInfo {
    if (this.#disposed) throw new Error('cellAt() after close()');
    const buf = this.#term.buffer.active;
    const line = buf.getLine(buf.viewportY + y);
    const cell: IBufferCell | undefined = line?.getCell(x);
    if (!cell) throw new RangeError(`no cell at ${x},${y} (terminal is ${this.cols}x${this.rows})`);
    return {
      chars: cell.getChars(),
      width: cell.getWidth(),
      fg: cell.isFgDefault() ? -1 : cell.getFgColor(),
      bg: cell.isBgDefault() ? -1 : cell.getBgColor(),
      fgMode: colorMode(cell.isFgDefault(), cell.isFgRGB()),
      bgMode: colorMode(cell.isBgDefault(), cell.isBgRGB()),
      bold: cell.isBold() !== 0,
      dim: cell.isDim() !== 0,
      italic: cell.isItalic() !== 0,
      underline: cell.isUnderline() !== 0,
      blink: cell.isBlink() !== 0,
      inverse: cell.isInverse() !== 0,
      invisible: cell.isInvisible() !== 0,
      strikethrough: cell.isStrikethrough() !== 0,
      overline: cell.isOverline() !== 0,
    };
  }

  /** Sends a signal to ssh (default SIGTERM). No-op once it has exited. */
  kill(signal: string = 'SIGTERM'): void {
    if (this.#exitStatus) return;
    try {
      this.#pty.kill(signal);
    } catch {
      // already gone
    }
  }

  /** Kills ssh (SIGTERM, then SIGKILL after 3 s), waits for the exit, disposes the terminal. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (!this.#exitStatus) {
        this.kill('SIGTERM');
        try {
          await withTimeout(this.exited, 3000, () => 'ssh to exit after SIGTERM');
        } catch {
          this.kill('SIGKILL');
          await withTimeout(this.exited, 5000, () => `ssh (pid ${this.pid}) to exit after SIGKILL`);
        }
      }
      await this.flush();
      this.#finalLines = this.lines();
      this.#disposed = true;
      for (const w of this.#flushWaiters.splice(0)) w.resolve();
      this.#term.dispose();
    })();
    return this.#closing;
  }
}
