// Opens one ssh2 client connection to the relay on loopback and one channel on it, for the raw
// hosts and viewers of the hardening tests: `open` asks for the channel once the connection is
// ready (a subsystem for a host, a pty + shell for a viewer).
//
// Invariants: the promise settles once; on failure the socket is destroyed; errors after the
// channel is open are left to the caller (reported by 'close'), never thrown.
import { connect as tcpConnect, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig } from 'ssh2';

const { Client } = ssh2;

export type Ssh2Client = InstanceType<typeof Client>;

export interface Ssh2Connection {
  conn: Ssh2Client;
  socket: Socket;
  channel: ClientChannel;
}

export function connectSsh2(
  target: { port: number; from?: string },
  config: Omit<ConnectConfig, 'sock'>,
  open: (conn: Ssh2Client, callback: (error: Error | undefined, channel: ClientChannel) => void) => void,
): Promise<Ssh2Connection> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: '127.0.0.1', port: target.port, localAddress: target.from });
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
      open(conn, (error, channel) => {
        if (error) return fail(error);
        conn.off('error', fail);
        channel.on('error', () => undefined);
        resolve({ conn, socket, channel });
      });
    });
    conn.connect({ readyTimeout: 10_000, ...config, sock: socket });
  });
}
