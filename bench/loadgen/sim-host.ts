/**
 * A simulated tmate host: one SSH connection like the stock tmate 2.4.0 client's (user `tmate`,
 * auth `none`, zlib compression requested, subsystem `tmate`), the same connect burst (HEADER,
 * the 85 replicated commands, UNAME, READY), then one window with one pane: a layout, a short
 * login screen and a prompt. It reads the relay's IN messages only to learn its token and to
 * follow RESIZE with a new layout (as tmate does); it answers nothing else (keys are dropped).
 * When streaming, it sends log lines as PTY_DATA at a fixed rate from a given phase, skipping
 * ticks while the channel is congested (so the load generator's memory stays bounded).
 */
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { encodeOutMessage } from '../../src/core/protocol/tmate/out-messages.js';
import { parseInMessage } from '../../src/core/protocol/tmate/in-messages.js';
import { TmateStreamDecoder } from '../../src/core/protocol/tmate/stream-decoder.js';
import type { OutMessage } from '../../src/core/protocol/tmate/messages.js';
import { TMATE_STARTUP_COMMANDS } from './tmate-startup.js';
import type { StreamSpec } from './protocol.js';

const { Client } = ssh2;
const PANE_ID = 0;
const encoder = new TextEncoder();

const LOGIN_SCREEN =
  'Linux vm 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 x86_64\r\n\r\n' +
  'The programs included with the Debian GNU/Linux system are free software;\r\n' +
  'the exact distribution terms for each program are described in the\r\n' +
  'individual files in /usr/share/doc/*/copyright.\r\n\r\n' +
  'Last login: Mon Nov 30 08:37:28 2026 from 10.0.0.2\r\n' +
  '$ ls\r\n\x1b[0m\x1b[01;34mbin\x1b[0m  \x1b[01;34msrc\x1b[0m  README.md  package.json  tsconfig.json\r\n$ ';

export class SimHost {
  token = '';
  bytesSent = 0;
  closedUnexpectedly = false;
  private readonly conn = new Client();
  private channel: ClientChannel | null = null;
  private readonly decoder = new TmateStreamDecoder();
  private cols: number;
  private rows: number;
  private streamTimer: NodeJS.Timeout | null = null;
  private congested = false;
  private line = 0;
  private closing = false;

  constructor(cols: number, rows: number) {
    this.cols = cols;
    this.rows = rows - 1; // tmate keeps a status row
  }

  /** Connects and completes the handshake; resolves with the rw token. */
  connect(port: number, timeoutMs = 30_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.close();
        reject(new Error('simulated host: no READY from the relay in time'));
      }, timeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      this.conn.on('error', fail);
      this.conn.on('close', () => {
        if (!this.closing) this.closedUnexpectedly = true;
        this.stopStreaming();
      });
      this.conn.on('ready', () => {
        this.conn.subsys('tmate', (error, channel) => {
          if (error) return fail(error);
          this.channel = channel;
          channel.on('drain', () => (this.congested = false));
          channel.on('data', (data: Buffer) => {
            for (const item of this.decoder.feed(data)) {
              if (!item.ok) continue;
              const parsed = parseInMessage(item.value);
              if (!parsed.ok) continue;
              const m = parsed.value;
              if (m.type === 'set-env' && m.name === 'tmate_ssh') this.token = /(\S+)@\S+$/.exec(m.value)?.[1] ?? '';
              else if (m.type === 'ready') {
                clearTimeout(timer);
                this.conn.off('error', fail);
                this.conn.on('error', () => undefined);
                if (this.token) resolve(this.token);
                else reject(new Error('simulated host: READY without tmate_ssh'));
              } else if (m.type === 'resize' && m.cols > 0 && m.rows > 0 && (m.cols !== this.cols || m.rows !== this.rows)) {
                this.cols = m.cols;
                this.rows = m.rows;
                this.send(this.layout());
              }
            }
          });
          this.sendBurst();
        });
      });
      this.conn.connect({
        host: '127.0.0.1',
        port,
        username: 'tmate',
        readyTimeout: timeoutMs,
        algorithms: { compress: ['zlib@openssh.com', 'zlib', 'none'] },
      });
    });
  }

  private sendBurst(): void {
    const burst: OutMessage[] = [
      { type: 'header', protocol: 6, clientVersion: '2.4.0' },
      ...TMATE_STARTUP_COMMANDS.map((argv): OutMessage => ({ type: 'exec-cmd', argv: [...argv] })),
      { type: 'uname', sysname: 'Linux', nodename: 'loadgen', release: '6.1.0', version: '#1 SMP', machine: 'x86_64' },
      { type: 'ready' },
      this.layout(),
      { type: 'pty-data', paneId: PANE_ID, data: encoder.encode(LOGIN_SCREEN) },
    ];
    for (const m of burst) this.send(m);
  }

  private layout(): OutMessage {
    return {
      type: 'sync-layout',
      cols: this.cols,
      rows: this.rows,
      windows: [{ index: 0, name: 'bash', panes: [{ id: PANE_ID, cols: this.cols, rows: this.rows, xoff: 0, yoff: 0 }], activePaneId: PANE_ID }],
      activeWindowIndex: 0,
    };
  }

  private send(message: OutMessage): boolean {
    const channel = this.channel;
    if (!channel || this.closing) return false;
    const bytes = encodeOutMessage(message);
    if (message.type === 'pty-data') this.bytesSent += message.data.length;
    const ok = channel.write(bytes);
    if (!ok) this.congested = true;
    return ok;
  }

  /** Sends spec.bytes of log lines every spec.intervalMs, the first after `phaseMs`. */
  startStreaming(spec: StreamSpec, phaseMs = 0): void {
    if (this.streamTimer) return;
    const tick = (): void => {
      if (this.congested) return;
      this.send({ type: 'pty-data', paneId: PANE_ID, data: encoder.encode(this.logLines(spec.bytes)) });
    };
    this.streamTimer = setTimeout(() => {
      this.streamTimer = setInterval(tick, spec.intervalMs);
      tick();
    }, phaseMs);
  }

  stopStreaming(): void {
    if (this.streamTimer) clearTimeout(this.streamTimer); // clears the interval as well
    this.streamTimer = null;
  }

  private logLines(bytes: number): string {
    let out = '';
    while (out.length < bytes) {
      const n = this.line++;
      const level = n % 7 === 0 ? '\x1b[33mWARN\x1b[0m' : '\x1b[32mINFO\x1b[0m';
      const text = `${level} 2026-11-30T08:37:${String(n % 60).padStart(2, '0')}Z req=${(n * 2654435761) % 1e9} GET /api/items/${n % 1000} 200 ${n % 97}ms`;
      out += text.padEnd(78, '.') + '\r\n';
    }
    return out;
  }

  close(): void {
    this.closing = true;
    this.stopStreaming();
    this.conn.end();
  }
}
