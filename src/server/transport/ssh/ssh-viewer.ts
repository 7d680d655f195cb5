/**
 * Adapts an SSH shell channel to the relay's ViewerTerminal port: frames out (with backpressure),
 * keystrokes and window-change requests in, and a clean close that reports an exit status.
 *
 * Backpressure: the terminal reports "not keeping up" once its backlog (ssh2's buffer plus the
 * socket's, see backlog.ts) is over VIEWER_HIGH_WATER, and drains below VIEWER_LOW_WATER; the
 * viewer link skips frames meanwhile. Input can be paused (a big paste waiting for the host):
 * ssh2 then stops granting the client SSH window, so the client stops sending.
 *
 * Invariant: whichever side ends first (viewer link or SSH peer), the viewer is removed from its
 * session exactly once; a closed viewer's socket is destroyed after the hang-up grace even if the
 * peer never reads again.
 */
import type { Connection, ServerChannel, Session as SshSession } from 'ssh2';
import type { Relay } from '../../relay/relay.js';
import type { ViewerTerminal } from '../../relay/ports.js';
import type { ViewerLink } from '../../relay/viewer-link.js';
import { Backlog } from './backlog.js';
import type { SshConnection } from './ssh-server.js';
import type { OfferedKey } from '../../relay/relay.js';
import type { ColourDepth } from '../../../core/render/colour-depth.js';

/** Output queued beyond this marks an SSH viewer as not keeping up (about 25 full 100×30 frames). */
export const VIEWER_HIGH_WATER = 256 * 1024;
const VIEWER_LOW_WATER = 64 * 1024;
/** How long a closed viewer's channel may take to close before the relay hangs up anyway. */
const CLOSE_GRACE_MS = 5000;

export function attachViewerChannel(
  relay: Relay,
  client: Connection,
  conn: SshConnection,
  channel: ServerChannel,
  session: SshSession,
  identity: { ip: string; fingerprint: string | null; key: OfferedKey | null },
  token: string,
  { size, colourDepth }: { size: { cols: number; rows: number }; colourDepth: ColourDepth },
): ViewerLink | string {
  let closed = false;
  // With `ssh -C`, ssh2 frees the zlib stream as soon as the peer ends the socket, before 'close'
  // (mscdex/ssh2#1178); any write in between throws and would take the whole relay down.
  let peerEnded = false;
  const onPeerEnd = (): void => {
    closed = true;
    peerEnded = true;
  };
  client.once('end', onPeerEnd);
  const metrics = relay.services.metrics;
  const backlog = new Backlog(channel, conn.socket, VIEWER_HIGH_WATER, VIEWER_LOW_WATER);
  // What listens on the connection goes with the channel: a shared connection (ControlMaster)
  // opens and closes many channels.
  channel.once('close', () => {
    client.off('end', onPeerEnd);
    backlog.dispose();
  });
  const terminal: ViewerTerminal = {
    kind: 'ssh',
    remoteAddress: identity.ip,
    colourDepth,
    write: (data) => {
      if (closed) return true;
      metrics.bytesSent('viewer', Buffer.byteLength(data));
      try {
        return backlog.write(data);
      } catch {
        closed = true;
        return true;
      }
    },
    onDrain: (callback) => backlog.onDrain(callback),
    close: (exitStatus) => {
      if (closed) return;
      closed = true;
      // The exit status goes out at once (not through the channel's queue): send it only after
      // whatever is queued (the last frame, the reason), or a client that was not reading would
      // get it first and close the channel without them.
      const finish = (): void => {
        // Both write packets; with compression (`ssh -C`) they throw once the peer ended.
        if (peerEnded) return;
        try {
          channel.exit(exitStatus);
          channel.end();
        } catch {
          conn.hangUp(client);
        }
      };
      if (channel.writableLength === 0) finish();
      else channel.write(Buffer.alloc(0), finish);
      // ssh2 reports the close only after the input side ended: input paused for a paste must flow.
      channel.resume();
      // The connection is hung up once its last channel closed (viewer-channels.ts), so the last
      // lines are not overtaken by the disconnect; a peer that stopped reading never closes the
      // channel, so hang up after a grace period regardless.
      const fallback = setTimeout(() => conn.hangUp(client), CLOSE_GRACE_MS);
      fallback.unref();
      channel.once('close', () => clearTimeout(fallback));
    },
    pauseInput: () => void channel.pause(),
    resumeInput: () => void channel.resume(),
  };
  const { key, ...shown } = identity;
  const viewer = relay.attachViewer(token, terminal, shown, size.cols, size.rows, key);
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
  channel.once('close', () => {
    client.off('close', gone);
    gone();
  });
  client.on('close', gone);
  return viewer;
}
