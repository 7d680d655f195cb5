/**
 * A plain HTTP answer written straight to a socket that no framework serves: a connection refused
 * when it connected, or an upgrade refused before any WebSocket exists. The client reads why in a
 * one-line text body instead of seeing its connection cut.
 *
 * Invariants: the socket is ended after the answer (`Connection: close`) and destroyed if the
 * client has not closed its side within ANSWER_LINGER_MS; a client that already went away costs
 * nothing (its socket errors are swallowed).
 */
import type { Duplex } from 'node:stream';

/** How long a refused client may take to read its answer before its connection is cut. */
export const ANSWER_LINGER_MS = 2000;

export type AnswerStatus = 400 | 403 | 404 | 429;

const REASONS: Record<AnswerStatus, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
};

/** Writes `status` with `text` (one line, or empty for no body) and closes the connection. */
export function answerAndClose(socket: Duplex, status: AnswerStatus, text = ''): void {
  socket.on('error', () => undefined); // the client may already have gone
  const body = text === '' ? '' : `${text}\n`;
  const typeLine = body === '' ? '' : 'Content-Type: text/plain; charset=utf-8\r\n';
  const linger = setTimeout(() => socket.destroy(), ANSWER_LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\nConnection: close\r\n${typeLine}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
