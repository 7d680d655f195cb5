/**
 * Host transport over WebSocket (`ws://` or `wss://`), for networks that only allow HTTP(S) out.
 * Given the relay's base URL, the endpoint path is added here: `/ws/host`. Each binary message
 * carries a slice of the same msgpack stream the SSH subsystem carries.
 *
 * Invariant: only binary frames are data; anything else closes the stream.
 */
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { HostConnectError, type HostStream, type HostTransport } from './host-transport.js';

export const HOST_WS_PATH = '/ws/host';
const HANDSHAKE_TIMEOUT_MS = 15_000;
const REASON_WAIT_MS = 2000;
const MAX_REASON = 200;

export function hostWebSocketUrl(base: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${HOST_WS_PATH}`;
  return url.toString();
}

export function wsHostTransport(baseUrl: string): HostTransport {
  const url = hostWebSocketUrl(baseUrl);
  return { describe: url, connect: () => connectWs(url) };
}

function connectWs(url: string): Promise<HostStream> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { handshakeTimeout: HANDSHAKE_TIMEOUT_MS, perMessageDeflate: false });
    socket.binaryType = 'nodebuffer';
    const onEarlyError = (error: Error): void => reject(new HostConnectError('unreachable', error.message));
    socket.once('error', onEarlyError);
    socket.once('unexpected-response', (_request, response) => {
      void readReason(response).then((reason) => {
        const why = reason === '' ? '' : `: ${reason}`;
        reject(new HostConnectError('refused', `the relay answered HTTP ${response.statusCode}${why}`));
        socket.terminate();
      });
    });
    socket.once('open', () => {
      socket.off('error', onEarlyError);
      resolve(socketStream(socket));
    });
  });
}

/**
 * The first line of a refusal's text body (the relay says why there), at most MAX_REASON
 * characters; empty when the body is not text or does not come within REASON_WAIT_MS.
 */
function readReason(response: IncomingMessage): Promise<string> {
  if (!/^text\/plain\b/.test(response.headers['content-type'] ?? '')) return Promise.resolve('');
  return new Promise((resolve) => {
    let text = '';
    const done = (): void => {
      clearTimeout(timer);
      response.destroy();
      resolve(printable(text.split('\n')[0] ?? '').slice(0, MAX_REASON));
    };
    const timer = setTimeout(done, REASON_WAIT_MS);
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n') || text.length >= MAX_REASON) done();
    });
    response.once('end', done);
    response.once('error', done);
  });
}

/** Control characters out: the reason is printed on the host's terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
}

function socketStream(socket: WebSocket): HostStream {
  const closeListeners: ((reason: string) => void)[] = [];
  let closed = false;
  const finish = (reason: string): void => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener(reason);
  };
  socket.on('close', (code, reason) => finish(`closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`));
  socket.on('error', (error) => finish(error.message));
  return {
    write: (data) => {
      if (!closed && socket.readyState === WebSocket.OPEN) socket.send(data, { binary: true });
    },
    onData: (listener) =>
      void socket.on('message', (data, isBinary) => {
        if (!isBinary) return socket.close(1003, 'binary frames only');
        listener(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer));
      }),
    onClose: (listener) => void closeListeners.push(listener),
    close: () => {
      if (closed) return;
      socket.close(1000);
      finish('closed by us');
    },
  };
}
