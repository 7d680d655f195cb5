/**
 * A simulated tmate host, for the bench's load generator and the soak: one SSH connection like the
 * stock tmate 2.4.0 client's (user `tmate`, auth `none`, zlib compression requested, subsystem
 * `tmate`, protocol 6), the same connect burst (HEADER, the 85 replicated commands, UNAME, READY),
 * then one window with one pane: a layout, a short login screen and a prompt (after an optional
 * history of log lines that fills the pane's scrollback). The pane behaves like a shell:
 * - PANE_KEY: printable keys are echoed as PTY_DATA, BSpace erases, Enter "runs" the line (a few
 *   lines of output and a new prompt);
 * - RESIZE: answered with a new layout, as tmate does;
 * - burst(): a burst of log lines and a prompt; startStreaming(): log lines at a fixed rate;
 * - finish(): FIN (every window exited), then close; drop(): close without FIN (host lost).
 *
 * Invariants: never writes after close; output is only produced in answer to the relay's keys,
 * burst() or streaming, and is skipped while the channel is congested, so the load generator's
 * memory stays bounded.
 */
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { encodeOutMessage } from '../../src/core/protocol/tmate/out-messages.js';
import { parseInMessage, type ParsedInMessage } from '../../src/core/protocol/tmate/in-messages.js';
import { TmateStreamDecoder } from '../../src/core/protocol/tmate/stream-decoder.js';
import type { OutMessage } from '../../src/core/protocol/tmate/messages.js';
import { KEYC_BASE, KEYC_BSPACE } from '../../src/core/term/key-codes.js';
import { TMATE_STARTUP_COMMANDS } from './tmate-startup.js';
import type { StreamSpec } from './protocol.js';

const { Client } = ssh2;
const PANE_ID = 0;
const ENTER = 13;
/** Log lines per PTY_DATA message of the history (about 16 KB). */
const HISTORY_CHUNK_LINES = 200;
/** Every log line is this long, CR LF included. */
const LOG_LINE_BYTES = 80;
/** How long finish() waits for the relay to close the channel after FIN before closing itself. */
const FIN_GRACE_MS = 5000;
const encoder = new TextEncoder();

const LOGIN_SCREEN =
  'Linux vm 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 x86_64\r\n\r\n' +
  'The programs included with the Debian GNU/Linux system are free software;\r\n' +
  'the exact distribution terms for each program are described in the\r\n' +
  'individual files in /usr/share/doc/*/copyright.\r\n\r\n' +
  'Last login: Mon Nov 30 08:37:28 2026 from 10.0.0.2\r\n' +
  '$ ls\r\n\x1b[0m\x1b[01;34mbin\x1b[0m  \x1b[01;34msrc\x1b[0m  README.md  package.json  tsconfig.json\r\n$ ';

export interface HostTokens {
  rw: string;
  ro: string;
}

export class SimHost {
  /** PTY_DATA payload bytes sent. */
  bytesSent = 0;
  /** The connection closed without finish() or drop() being called. */
  closedUnexpectedly = false;
  closed = false;
  onClose: () => void = () => undefined;
  private readonly conn = new Client();
  private channel: ClientChannel | null = null;
  private readonly decoder = new TmateStreamDecoder();
  private cols: number;
  private rows: number;
  private congested = false;
  private closing = false;
  private streamTimer: NodeJS.Timeout | null = null;
  private logLine = 0;
  private lineLength = 0;

  /** `historyLines`: log lines printed right after the login screen (a long-running shell's scrollback). */
  constructor(
    cols: number,
    rows: number,
    private readonly historyLines = 0,
  ) {
    this.cols = cols;
    this.rows = rows - 1; // tmate keeps a status row
  }

  /** Connects and completes the handshake; resolves with the session's tokens. */
  connect(port: number, timeoutMs = 30_000): Promise<HostTokens> {
    return new Promise((resolve, reject) => {
      const tokens: HostTokens = { rw: '', ro: '' };
      let settled = false;
      const settle = (error: Error | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          this.drop();
          reject(error);
        } else if (tokens.rw && tokens.ro) resolve(tokens);
        else reject(new Error('simulated host: READY without tmate_ssh / tmate_ssh_ro'));
      };
      const timer = setTimeout(() => settle(new Error('simulated host: no READY from the relay in time')), timeoutMs);
      this.conn.on('error', (error: Error) => settle(error));
      this.conn.on('close', () => {
        if (!this.closing) this.closedUnexpectedly = true;
        this.closed = true;
        this.stopStreaming();
        settle(new Error('simulated host: connection closed during the handshake'));
        this.onClose();
      });
      this.conn.on('ready', () => {
        this.conn.subsys('tmate', (error, channel) => {
          if (error) return settle(error);
          this.channel = channel;
          channel.on('drain', () => (this.congested = false));
          channel.on('data', (data: Buffer) => {
            for (const item of this.decoder.feed(data)) {
              if (!item.ok) continue;
              const parsed = parseInMessage(item.value);
              if (parsed.ok) this.receive(parsed.value, tokens, () => settle(null));
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

  /** Prints about `bytes` bytes of coloured log lines and a prompt, unless the channel is congested. */
  burst(bytes: number): boolean {
    if (this.congested) return false;
    return this.print(this.logLines(Math.max(1, Math.round(bytes / LOG_LINE_BYTES))) + '$ ');
  }

  /** Prints spec.bytes of log lines every spec.intervalMs (skipping ticks while congested), the first after `phaseMs`. */
  startStreaming(spec: StreamSpec, phaseMs = 0): void {
    if (this.streamTimer) return;
    const tick = (): void => {
      if (!this.congested) this.print(this.logLines(Math.ceil(spec.bytes / LOG_LINE_BYTES)));
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

  /** Every window exited: FIN, then close (the relay ends the session, reason "exited"). */
  finish(): void {
    if (this.closing) return;
    this.stopStreaming();
    const channel = this.channel;
    if (!channel || this.closed) {
      this.closing = true;
      this.conn.end();
      return;
    }
    this.send({ type: 'fin' }); // queued even when the channel is congested
    this.closing = true;
    // The relay closes the channel once it has read FIN; closing first could lose FIN in flight
    // (then the relay would count a lost host, not an exited session).
    const fallback = setTimeout(() => this.conn.end(), FIN_GRACE_MS);
    fallback.unref();
    channel.once('close', () => {
      clearTimeout(fallback);
      this.conn.end();
    });
  }

  /** The host vanishes without FIN (the relay keeps the session for --reconnect-grace). */
  drop(): void {
    this.closing = true;
    this.stopStreaming();
    this.conn.end();
  }

  private receive(m: ParsedInMessage, tokens: HostTokens, ready: () => void): void {
    if (m.type === 'set-env') {
      const token = /(\S+)@\S+$/.exec(m.value)?.[1] ?? '';
      if (m.name === 'tmate_ssh') tokens.rw = token;
      else if (m.name === 'tmate_ssh_ro') tokens.ro = token;
    } else if (m.type === 'ready') ready();
    else if (m.type === 'pane-key') this.key(m.key);
    else if (m.type === 'resize' && m.cols > 0 && m.rows > 0 && (m.cols !== this.cols || m.rows !== this.rows)) {
      this.cols = m.cols;
      this.rows = m.rows;
      this.send(this.layout());
    }
  }

  private key(key: number): void {
    if (key === ENTER) {
      const lines = 2 + (this.logLine % 12);
      let out = '\r\n';
      for (let i = 0; i < lines; i++) out += `drwxr-xr-x  2 user user 4096 Nov 30 08:37 dir-${this.logLine++ % 1000}\r\n`;
      this.lineLength = 0;
      this.print(out + '$ ');
    } else if (key === KEYC_BSPACE) {
      if (this.lineLength > 0) {
        this.lineLength--;
        this.print('\b \b');
      }
    } else if (key >= 0x20 && key < KEYC_BASE && key !== 0x7f) {
      this.lineLength++;
      this.print(String.fromCodePoint(key));
    }
  }

  /** `count` coloured log lines of LOG_LINE_BYTES each. */
  private logLines(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) {
      const n = this.logLine++;
      const level = n % 7 === 0 ? '\x1b[33mWARN\x1b[0m' : '\x1b[32mINFO\x1b[0m';
      const text = `${level} 2026-11-30T08:37:${String(n % 60).padStart(2, '0')}Z req=${(n * 2654435761) % 1e9} GET /api/items/${n % 1000} 200 ${n % 97}ms`;
      out += text.padEnd(LOG_LINE_BYTES - 2, '.') + '\r\n';
    }
    return out;
  }

  private print(text: string): boolean {
    return this.send({ type: 'pty-data', paneId: PANE_ID, data: encoder.encode(text) });
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
    if (this.historyLines === 0) return;
    for (let left = this.historyLines; left > 0; left -= HISTORY_CHUNK_LINES) this.print(this.logLines(Math.min(HISTORY_CHUNK_LINES, left)));
    this.print('$ ');
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
    if (!channel || this.closing || this.closed) return false;
    if (message.type === 'pty-data') this.bytesSent += message.data.length;
    const ok = channel.write(encodeOutMessage(message));
    if (!ok) this.congested = true;
    return ok;
  }
}
