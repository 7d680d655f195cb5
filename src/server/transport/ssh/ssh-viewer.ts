/**
 * Adapts an SSH shell channel to the relay's ViewerTerminal port: frames out (with backpressure),
 * keystrokes and window-change requests in, and a clean close that reports an exit status.
 *
 * Invariant: whichever side ends first (viewer link or SSH peer), the viewer is removed from its
 * session exactly once.
 */
import type { Connection, ServerChannel, Session as SshSession } from 'ssh2';
import type { Relay } from '../../relay/relay.js';
import type { ViewerTerminal } from '../../relay/ports.js';
import type { ViewerLink } from '../../relay/viewer-link.js';

export function attachViewerChannel(
  relay: Relay,
  client: Connection,
  channel: ServerChannel,
  session: SshSession,
  identity: { ip: string; fingerprint: string | null },
  token: string,
  size: { cols: number; rows: number },
): ViewerLink | string {
  let closed = false;
  // With `ssh -C`, ssh2 frees the zlib stream as soon as the peer ends the socket, before 'close'
  // (mscdex/ssh2#1178); any write in between throws and would take the whole relay down.
  client.once('end', () => (closed = true));
  const metrics = relay.services.metrics;
  const terminal: ViewerTerminal = {
    kind: 'ssh',
    remoteAddress: identity.ip,
    write: (data) => {
      if (closed) return true;
      metrics.bytesSent('viewer', Buffer.byteLength(data));
      try {
        return channel.write(data);
      } catch {
        closed = true;
        return true;
      }
    },
    onDrain: (callback) => void channel.on('drain', callback),
    close: (exitStatus) => {
      if (closed) return;
      closed = true;
      channel.exit(exitStatus);
      channel.end();
      channel.once('close', () => client.end());
    },
  };
  const viewer = relay.attachViewer(token, terminal, identity, size.cols, size.rows);
  if (typeof viewer === 'string') return viewer;
  const sessionOfViewer = relay.registry.lookup(token)?.session;
  channel.on('data', (data: Buffer) => {
    metrics.bytesReceived('viewer', data.length);
    viewer.input(data);
  });
  session.on('window-change', (accept, reject, info) => {
    accept?.();
    if (Number.isInteger(info.cols) && Number.isInteger(info.rows) && info.cols > 0 && info.rows > 0) {
      viewer.resize(Math.min(info.cols, 1000), Math.min(info.rows, 1000));
    }
  });
  const gone = (): void => {
    closed = true;
    sessionOfViewer?.removeViewer(viewer);
  };
  channel.on('close', gone);
  client.on('close', gone);
  return viewer;
}
