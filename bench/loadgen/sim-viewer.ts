/**
 * A simulated viewer: one SSH connection like OpenSSH's (public-key auth with an ed25519 key, no
 * compression), a pty and either a shell (joining a relay session: the user name is the token) or
 * a remote command (the baseline's `tmux attach`). It reads and counts everything it receives and
 * never types.
 */
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';

const { Client } = ssh2;

export class SimViewer {
  bytes = 0;
  closedUnexpectedly = false;
  private readonly conn = new Client();
  private channel: ClientChannel | null = null;
  private closing = false;

  connect(port: number, user: string, command: string | null, privateKey: Buffer, cols: number, rows: number, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => finish(new Error('simulated viewer: no output in time')), timeoutMs);
      const finish = (error: Error | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          this.close();
          reject(error);
        } else resolve();
      };
      this.conn.on('error', (error: Error) => finish(error));
      this.conn.on('close', () => {
        if (!this.closing) this.closedUnexpectedly = true;
        finish(new Error('simulated viewer: connection closed before output'));
      });
      this.conn.on('ready', () => {
        const pty = { term: 'xterm-256color', cols, rows, width: 0, height: 0 };
        const opened = (error: Error | undefined, channel: ClientChannel): void => {
          if (error) return finish(error);
          this.channel = channel;
          channel.on('data', (data: Buffer) => {
            this.bytes += data.length;
            // Joined once the first screen arrives.
            finish(null);
          });
          channel.stderr.on('data', () => undefined);
          channel.on('close', () => {
            if (!this.closing) this.closedUnexpectedly = true;
          });
        };
        if (command === null) this.conn.shell(pty, opened);
        else this.conn.exec(command, { pty }, opened);
      });
      this.conn.connect({ host: '127.0.0.1', port, username: user, privateKey, readyTimeout: timeoutMs });
    });
  }

  close(): void {
    this.closing = true;
    this.channel?.close();
    this.conn.end();
  }
}
