/**
 * A simulated SSH viewer, for the bench's load generator and the soak: one SSH connection like
 * OpenSSH's (public-key auth with an ed25519 key, no compression), a pty and either a shell
 * (joining a relay session: the user name is the token) or a remote command (the baseline's
 * `tmux attach`). It reads and counts everything it receives, so the server never sees it stall;
 * it can type (write()), resize its terminal (resize(), an SSH window-change) and leave (leave()).
 *
 * Invariants: `closedUnexpectedly` is true only when the connection ended without leave() being
 * called; nothing is written after the connection closed or leave().
 */
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';

const { Client } = ssh2;

export class SimViewer {
  /** Bytes received (stdout and stderr). */
  bytes = 0;
  closed = false;
  /** The server ended the connection (leave() was not called). */
  closedUnexpectedly = false;
  onClose: () => void = () => undefined;
  private readonly conn = new Client();
  private channel: ClientChannel | null = null;
  private leaving = false;

  constructor(
    readonly readOnly: boolean,
    private cols: number,
    private rows: number,
  ) {}

  /** Resolves once the first output arrived; `command` null opens a shell. */
  connect(port: number, user: string, privateKey: Buffer | string, command: string | null = null, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          this.leave();
          reject(error);
        } else resolve();
      };
      const timer = setTimeout(() => finish(new Error('simulated viewer: no output in time')), timeoutMs);
      this.conn.on('error', (error: Error) => finish(error));
      this.conn.on('close', () => {
        if (!this.leaving) this.closedUnexpectedly = true;
        this.closed = true;
        finish(new Error('simulated viewer: connection closed before any output'));
        this.onClose();
      });
      this.conn.on('ready', () => {
        const pty = { term: 'xterm-256color', cols: this.cols, rows: this.rows, width: 0, height: 0 };
        const opened = (error: Error | undefined, channel: ClientChannel): void => {
          if (error) return finish(error);
          this.channel = channel;
          channel.on('data', (data: Buffer) => {
            this.bytes += data.length;
            finish(null);
          });
          channel.stderr.on('data', (data: Buffer) => (this.bytes += data.length));
          channel.on('close', () => {
            if (!this.leaving) this.closedUnexpectedly = true;
            this.conn.end();
          });
        };
        if (command === null) this.conn.shell(pty, opened);
        else this.conn.exec(command, { pty }, opened);
      });
      this.conn.connect({ host: '127.0.0.1', port, username: user, privateKey, readyTimeout: timeoutMs });
    });
  }

  get canWrite(): boolean {
    return this.channel !== null && !this.closed && !this.leaving;
  }

  write(text: string): void {
    if (this.canWrite) this.channel!.write(text);
  }

  resize(cols: number, rows: number): void {
    if (!this.canWrite) return;
    this.cols = cols;
    this.rows = rows;
    this.channel!.setWindow(rows, cols, 0, 0);
  }

  leave(): void {
    if (this.leaving) return;
    this.leaving = true;
    this.channel?.close();
    this.conn.end();
  }
}
