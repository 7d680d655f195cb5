/**
 * A web viewer's WebSocket on a raw host's session, for tests that need a long-lived upgraded
 * connection beside what they probe: resolves once the first frame arrived.
 */
import WebSocket from 'ws';
import { onCleanup } from '../../helpers/relay-fixture.js';

export interface WebViewerSocket {
  socket: WebSocket;
  /** Whether the relay (or anyone) closed it. */
  closed(): boolean;
}

export async function openWebViewer(httpPort: number, token: string): Promise<WebViewerSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${httpPort}/t/${token}/ws`);
  onCleanup(async () => socket.terminate());
  let closed = false;
  socket.once('close', () => (closed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve());
    socket.once('error', reject);
  });
  return { socket, closed: () => closed };
}
