/**
 * A simulated SSH viewer for the soak: like OpenSSH joining a relay session (ssh2, public-key auth
 * with an ed25519 key, a pty, a shell; the user name is the token). Unlike bench/loadgen's viewer
 * it also types (write()), resizes its terminal (resize(), an SSH window-change) and leaves
 * (leave()). It reads and counts everything it receives, so the relay never sees it stall.
 *
 * Invariants: `closedByRelay` is true only when the connection ended without leave() being called;
 * nothing is written after the connection closed.
 */
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';

const { Client } = ssh2;

export class SoakViewer {
  bytes = 0;
  closed = false;
  /** The relay ended the connection (leave() was not called). */
  closedByRelay = false;
  onClose: () => void = () => undefined;
  private readonly conn = new Client();
  private channel: ClientChannel | null = null;
  private leaving = false;

  constructor(
    readonly readOnly: boolean,
    private cols: number,
    private rows: number,
  ) {}

  /** Resolves once the first screen arrived. */
  connect(port: number, token: string, privateKey: Buffer | string, timeoutMs = 30_000): Promise<void> {
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
      const timer = setTimeout(() => finish(new Error('simulated viewer: no screen in time')), timeoutMs);
      this.conn.on('error', (error: Error) => finish(error));
      this.conn.on('close', () => {
        if (!this.leaving) this.closedByRelay = true;
        this.closed = true;
        finish(new Error('simulated viewer: connection closed before the first screen'));
        this.onClose();
      });
      this.conn.on('ready', () => {
        const pty = { term: 'xterm-256color', cols: this.cols, rows: this.rows, width: 0, height: 0 };
        this.conn.shell(pty, (error, channel) => {
          if (error) return finish(error);
          this.channel = channel;
          channel.on('data', (data: Buffer) => {
            this.bytes += data.length;
            finish(null);
          });
          channel.stderr.on('data', (data: Buffer) => (this.bytes += data.length));
          channel.on('close', () => {
            if (!this.leaving) this.closedByRelay = true;
            this.conn.end();
          });
        });
      });
      this.conn.connect({ host: '127.0.0.1', port, username: token, privateKey, readyTimeout: timeoutMs });
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
