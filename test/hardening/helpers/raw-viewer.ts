// RawViewer: an SSH viewer driven from this process (ssh2 client: public key, pty, shell), for
// tests that need thousands of joins, a viewer that stops reading, or window-change storms, where
// an OpenSSH process per viewer would be too slow or could not be steered that finely. Tests that
// check what a person sees use the real OpenSSH client (test/helpers/ssh-viewer.ts) instead.
//
// Invariants: `output` holds everything received (as latin1 text, enough for markers), unless
// `keepOutput` is false (then only `bytes` counts it); `closed` resolves once the connection is
// gone; close() never throws.
import type { Socket } from 'node:net';
import type { ClientChannel } from 'ssh2';
import { waitFor } from '../../helpers/wait.js';
import { connectSsh2, type Ssh2Client } from './ssh2-connect.js';


export interface RawViewerOptions {
  port: number;
  token: string;
  /** OpenSSH private key file contents (ed25519); null: no key (keyless relay). */
  privateKey: Buffer | null;
  cols?: number;
  rows?: number;
  from?: string;
  /** Keep the received text (default true). */
  keepOutput?: boolean;
}

export class RawViewer {
  output = '';
  bytes = 0;
  exitCode: number | null = null;
  readonly closed: Promise<void>;
  private isClosed = false;

  private constructor(
    private readonly conn: Ssh2Client,
    readonly socket: Socket,
    readonly channel: ClientChannel,
    keepOutput: boolean,
  ) {
    this.closed = new Promise((resolve) => {
      const done = (): void => {
        this.isClosed = true;
        resolve();
      };
      conn.once('close', done);
      socket.once('close', done);
    });
    channel.on('data', (data: Buffer) => {
      this.bytes += data.length;
      if (keepOutput) this.output += data.toString('latin1');
    });
    channel.on('exit', (code: number | null) => (this.exitCode = code));
  }

  static async connect(options: RawViewerOptions): Promise<RawViewer> {
    const pty = { term: 'xterm-256color', cols: options.cols ?? 80, rows: options.rows ?? 24 };
    // Keyless: the relay admits keyless viewers with keyboard-interactive (no prompts), not `none`.
    const key = options.privateKey ? { privateKey: options.privateKey } : { tryKeyboard: true };
    const { conn, socket, channel } = await connectSsh2(options, { username: options.token, ...key }, (c, cb) => c.shell(pty, cb));
    return new RawViewer(conn, socket, channel, options.keepOutput ?? true);
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  type(text: string | Buffer): boolean {
    if (this.isClosed) return false;
    return this.channel.write(text);
  }

  /** A window-change request (what a terminal resize sends). */
  resize(cols: number, rows: number): void {
    if (!this.isClosed) this.channel.setWindow(rows, cols, 0, 0);
  }

  /** Stops reading from the socket: the relay's output backs up until the TCP window is full. */
  stopReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  async waitForOutput(text: string | RegExp, timeoutMs = 10_000): Promise<void> {
    const test = typeof text === 'string' ? (s: string) => s.includes(text) : (s: string) => text.test(s);
    await waitFor(() => test(this.output), {
      timeoutMs,
      describe: () => `viewer output to contain ${String(text)}; ${this.isClosed ? 'closed' : 'open'}; tail: ${JSON.stringify(this.output.slice(-400))}`,
    });
  }

  async waitForClose(timeoutMs = 10_000): Promise<void> {
    await waitFor(() => this.isClosed, { timeoutMs, describe: () => `the viewer connection to close; tail: ${JSON.stringify(this.output.slice(-400))}` });
  }

  async close(): Promise<void> {
    if (!this.isClosed) this.conn.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    this.socket.destroy();
  }
}
