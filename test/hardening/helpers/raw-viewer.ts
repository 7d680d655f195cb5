// RawViewer: an SSH viewer driven from this process (ssh2 client: public key, pty, shell), for
// tests that need thousands of joins, a viewer that stops reading, or window-change storms, where
// an OpenSSH process per viewer would be too slow or could not be steered that finely. Tests that
// check what a person sees use the real OpenSSH client (test/helpers/ssh-viewer.ts) instead.
//
// Invariants: `output` holds everything received (as latin1 text, enough for markers), unless
// `keepOutput` is false (then only `bytes` counts it); `closed` resolves once the connection is
// gone; close() never throws.
import { connect as tcpConnect, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { waitFor } from '../../helpers/wait.js';

const { Client } = ssh2;

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
    private readonly conn: InstanceType<typeof Client>,
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

  static connect(options: RawViewerOptions): Promise<RawViewer> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host: '127.0.0.1', port: options.port, localAddress: options.from });
      const conn = new Client();
      conn.on('error', () => undefined); // errors after the first are reported by 'close'
      const fail = (error: Error): void => {
        socket.destroy();
        reject(error);
      };
      conn.once('error', fail);
      const lost = (): void => fail(new Error('connection closed before it was ready'));
      conn.once('close', lost);
      conn.once('ready', () => {
        conn.off('close', lost);
        conn.shell({ term: 'xterm-256color', cols: options.cols ?? 80, rows: options.rows ?? 24 }, (error, channel) => {
          if (error) return fail(error);
          conn.off('error', fail);
          channel.on('error', () => undefined);
          resolve(new RawViewer(conn, socket, channel, options.keepOutput ?? true));
        });
      });
      conn.connect({
        sock: socket,
        username: options.token,
        ...(options.privateKey ? { privateKey: options.privateKey } : {}),
        readyTimeout: 10_000,
      });
    });
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
