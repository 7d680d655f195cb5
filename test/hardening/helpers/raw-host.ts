// RawHost: a scripted tmate host for hardening tests, speaking protocol 6 by hand over a real SSH
// connection (ssh2 client in this process: user `tmate`, auth `none`, subsystem `tmate`, exactly
// how the stock client connects). Unlike the real tmate it sends whatever the test says: typed
// OUT messages (through the codec's own encoder), or raw bytes (hand-crafted msgpack, garbage,
// half a message), and it can cut its TCP connection at any byte.
//
// Invariants: every IN message the relay sends is decoded and kept in `received`; `closed`
// resolves once the SSH connection is gone, whoever ended it; close() never throws.
import type { Socket } from 'node:net';
import type { ClientChannel } from 'ssh2';
import { encodeOutMessage } from '../../../src/core/protocol/tmate/out-messages.js';
import { parseInMessage } from '../../../src/core/protocol/tmate/in-messages.js';
import { TmateStreamDecoder } from '../../../src/core/protocol/tmate/stream-decoder.js';
import type { InMessage, OutMessage } from '../../../src/core/protocol/tmate/messages.js';
import { waitFor } from '../../helpers/wait.js';
import { connectSsh2, type Ssh2Client } from './ssh2-connect.js';

const encoder = new TextEncoder();

export interface RawHostOptions {
  port: number;
  /** Source address (several loopback addresses keep per-address limits apart). */
  from?: string;
  /** Answer RESIZE with a new layout, as tmate does. Default true. */
  followResize?: boolean;
}

export interface Tokens {
  rw: string;
  ro: string;
}

/** One window with one pane (id 0) of the given size: what a fresh tmate session sends. */
export function singlePaneLayout(cols: number, rows: number, paneId = 0): OutMessage {
  return {
    type: 'sync-layout',
    cols,
    rows,
    windows: [{ index: 0, name: 'bash', panes: [{ id: paneId, cols, rows, xoff: 0, yoff: 0 }], activePaneId: paneId }],
    activeWindowIndex: 0,
  };
}

export function ptyData(text: string, paneId = 0): OutMessage {
  return { type: 'pty-data', paneId, data: encoder.encode(text) };
}

export class RawHost {
  readonly received: InMessage[] = [];
  readonly closed: Promise<void>;
  /** RESIZE messages received, in order. */
  readonly resizes: { cols: number; rows: number }[] = [];
  /** Total PANE_KEY messages received. */
  paneKeys = 0;
  cols = 80;
  rows = 23;
  private readonly decoder = new TmateStreamDecoder();
  private isClosed = false;
  private channelDrain: (() => void)[] = [];

  private constructor(
    private readonly conn: Ssh2Client,
    private readonly socket: Socket,
    private readonly channel: ClientChannel,
    private readonly options: RawHostOptions,
  ) {
    this.closed = new Promise((resolve) => {
      const done = (): void => {
        this.isClosed = true;
        resolve();
      };
      conn.once('close', done);
      socket.once('close', done);
    });
    channel.on('data', (data: Buffer) => this.onData(data));
    channel.on('drain', () => {
      for (const callback of this.channelDrain.splice(0)) callback();
    });
  }

  /** Connects and opens the `tmate` subsystem; sends nothing yet. */
  static async connect(options: RawHostOptions): Promise<RawHost> {
    const { conn, socket, channel } = await connectSsh2(options, { username: 'tmate' }, (c, cb) => c.subsys('tmate', cb));
    return new RawHost(conn, socket, channel, options);
  }

  /** Connects, sends HEADER + READY, and waits for the relay's answer; then draws a prompt. */
  static async start(options: RawHostOptions & { cols?: number; rows?: number; prompt?: string }): Promise<RawHost & { tokens: Tokens }> {
    const host = await RawHost.connect(options);
    host.cols = options.cols ?? 80;
    host.rows = options.rows ?? 23;
    const tokens = await host.handshake();
    host.send(singlePaneLayout(host.cols, host.rows));
    host.send(ptyData(options.prompt ?? '$ '));
    return Object.assign(host, { tokens });
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /**
   * HEADER, one replicated binding (`C-b d` detaches, as in tmate's defaults) and READY, then waits
   * for the tokens and the relay's READY.
   */
  async handshake(): Promise<Tokens> {
    this.send({ type: 'header', protocol: 6, clientVersion: '2.4.0' });
    this.send({ type: 'exec-cmd', argv: ['bind-key', 'd', 'detach-client'] });
    this.send({ type: 'ready' });
    return this.tokens();
  }

  async tokens(timeoutMs = 10_000): Promise<Tokens> {
    return waitFor(
      () => {
        const env = (name: string): string | undefined => {
          for (const m of this.received) if (m.type === 'set-env' && m.name === name) return /(\S+)@\S+$/.exec(m.value)?.[1];
          return undefined;
        };
        const ready = this.received.some((m) => m.type === 'ready');
        const rw = env('tmate_ssh');
        const ro = env('tmate_ssh_ro');
        return ready && rw && ro ? { rw, ro } : undefined;
      },
      { timeoutMs, describe: () => `the relay's READY and tokens; received ${JSON.stringify(this.received.slice(-5))}; ${this.isClosed ? 'closed' : 'open'}` },
    );
  }

  /** Sends one typed OUT message; returns what the channel's write returned (false: congested). */
  send(message: OutMessage): boolean {
    return this.sendRaw(encodeOutMessage(message));
  }

  sendRaw(bytes: Uint8Array): boolean {
    if (this.isClosed) return false;
    return this.channel.write(bytes);
  }

  /** Resolves when the channel's buffered output has drained (at once if nothing is buffered). */
  drained(): Promise<void> {
    if (this.isClosed || this.channel.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.channelDrain.push(resolve);
      void this.closed.then(resolve);
    });
  }

  /** Stops reading what the relay sends (its output backs up to this host's TCP window). */
  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  /** Notifies received whose text contains `text`. */
  notices(text: string): string[] {
    return this.received.flatMap((m) => (m.type === 'notify' && m.message.includes(text) ? [m.message] : []));
  }

  async waitForClose(timeoutMs = 10_000): Promise<void> {
    await waitFor(() => this.isClosed, { timeoutMs, describe: () => `the relay to close the raw host; received ${JSON.stringify(this.received.slice(-5))}` });
  }

  /** Cuts the TCP connection at once, like a network failure (no SSH disconnect). */
  cut(): void {
    this.socket.destroy();
  }

  async close(): Promise<void> {
    if (!this.isClosed) {
      this.conn.end();
      this.socket.destroySoon?.();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    for (const item of this.decoder.feed(data)) {
      if (!item.ok) continue;
      const parsed = parseInMessage(item.value);
      if (!parsed.ok || parsed.value.type === 'unknown') continue;
      const message = parsed.value;
      if (message.type === 'pane-key') {
        this.paneKeys++;
        continue; // not kept: a paste sends millions
      }
      this.received.push(message);
      if (message.type === 'resize') {
        this.resizes.push({ cols: message.cols, rows: message.rows });
        if ((this.options.followResize ?? true) && message.cols > 0 && message.rows > 0) {
          this.cols = message.cols;
          this.rows = message.rows;
          this.send(singlePaneLayout(this.cols, this.rows));
        }
      }
    }
  }
}
