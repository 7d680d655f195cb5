/**
 * The SSH listener (ssh2): user `tmate` with the `tmate` subsystem is a host; any other user name
 * is a viewer token, attached with a pty + shell. Hosts authenticate with `none` or a public key;
 * viewers need a public key unless the relay allows keyless viewers, and only listed keys when
 * the session is key-restricted.
 *
 * Invariants:
 * - One session channel per connection; exec, extra channels and forwarding are refused.
 * - A connection that has not finished authentication within PRE_AUTH_MS is dropped.
 * - Every socket error is contained to its connection.
 */
import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, AuthContext, ServerChannel, Session as SshSession } from 'ssh2';
import type { Clock } from '../../../core/util/clock.js';
import type { HostKeys } from '../../keys/host-keys.js';
import { fingerprintOfBlob } from '../../keys/host-keys.js';
import type { Relay, OfferedKey } from '../../relay/relay.js';
import { HostLink } from '../../relay/host-link.js';
import { isWellFormedToken } from '../../registry/tokens.js';
import { attachViewerChannel } from './ssh-viewer.js';

const { Server, utils } = ssh2;

const HOST_USER = 'tmate';
const PRE_AUTH_MS = 20_000;
const KEEPALIVE_MS = 30_000;

export interface SshListener {
  port: number;
  close(): Promise<void>;
}

export async function startSshServer(relay: Relay, keys: HostKeys, listen: string, port: number, clock: Clock): Promise<SshListener> {
  const server = new Server(
    {
      hostKeys: [keys.ed25519.privateKey, keys.rsa.privateKey],
      ident: 'tmate-relay',
      keepaliveInterval: KEEPALIVE_MS,
      keepaliveCountMax: 4,
    } as ssh2.ServerConfig,
    (client, info) => handleConnection(relay, client, info.ip, clock),
  );
  const clients = new Set<Connection>();
  server.on('connection', (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, listen, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error: Error) => relay.log.error({ event: 'ssh-server-error', message: error.message }));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.end();
        server.close(() => resolve());
      }),
  };
}

interface AuthenticatedAs {
  user: string;
  key: OfferedKey | null;
  fingerprint: string | null;
}

function handleConnection(relay: Relay, client: Connection, ip: string, clock: Clock): void {
  let auth: AuthenticatedAs | null = null;
  let channelTaken = false;
  const preAuth = clock.setTimeout(() => client.end(), PRE_AUTH_MS);
  client.on('error', (error: Error) => relay.log.debug({ event: 'ssh-client-error', ip, message: error.message }));
  client.on('close', () => preAuth.cancel());
  client.on('authentication', (ctx) => {
    const result = authenticate(relay, ctx);
    if (result) auth = result;
  });
  client.on('ready', () => {
    preAuth.cancel();
    (client as unknown as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    client.on('session', (accept, reject) => {
      if (channelTaken || !auth) return reject();
      channelTaken = true;
      const session = accept();
      const who = auth;
      if (who.user === HOST_USER) serveHost(relay, client, session, ip);
      else serveViewer(relay, client, session, ip, who, clock);
    });
  });
  client.on('request', (accept, reject) => reject?.());
  client.on('tcpip', (accept, reject) => reject());
  client.on('openssh.streamlocal', (accept, reject) => reject());
}

/** Returns who authenticated when the attempt is accepted; answers ctx either way. */
function authenticate(relay: Relay, ctx: AuthContext): AuthenticatedAs | null {
  const user = ctx.username;
  if (ctx.method !== 'none' && ctx.method !== 'publickey') {
    ctx.reject(['publickey']);
    return null;
  }
  const key = ctx.method === 'publickey' ? { type: ctx.key.algo, base64: ctx.key.data.toString('base64') } : null;
  if (user !== HOST_USER && relay.authorizeViewer(user, key) === 'deny') {
    ctx.reject(['publickey']);
    return null;
  }
  if (ctx.method === 'publickey' && ctx.signature) {
    const parsed = utils.parseKey(ctx.key.data);
    if (parsed instanceof Error || !parsed.verify(ctx.blob ?? Buffer.alloc(0), ctx.signature, ctx.hashAlgo)) {
      ctx.reject(['publickey']);
      return null;
    }
  }
  ctx.accept();
  return { user, key, fingerprint: ctx.method === 'publickey' ? fingerprintOfBlob(ctx.key.data) : null };
}

function serveHost(relay: Relay, client: Connection, session: SshSession, ip: string): void {
  session.on('pty', (accept, reject) => reject?.());
  session.on('shell', (accept, reject) => reject());
  session.on('exec', (accept, reject) => reject());
  session.on('subsystem', (accept, reject, info) => {
    if (info.name !== 'tmate') return reject();
    const channel = accept();
    const link = new HostLink(
      {
        kind: 'ssh',
        remoteAddress: ip,
        write: (data) => void channel.write(data),
        close: () => {
          channel.end();
          client.end();
        },
      },
      relay,
    );
    channel.on('data', (data: Buffer) => link.receive(data));
    channel.on('close', () => link.disconnected());
    client.on('close', () => link.disconnected());
  });
}

function serveViewer(relay: Relay, client: Connection, session: SshSession, ip: string, who: AuthenticatedAs, clock: Clock): void {
  let size = { cols: 80, rows: 24 };
  session.on('pty', (accept, reject, info) => {
    size = { cols: clampSize(info.cols, 80), rows: clampSize(info.rows, 24) };
    accept?.();
  });
  session.on('env', (accept) => accept?.());
  session.on('exec', (accept, reject) => reject());
  session.on('subsystem', (accept, reject) => reject());
  session.on('shell', (accept) => {
    const channel: ServerChannel = accept();
    if (!isWellFormedToken(who.user)) return closeWithLine(channel, client, 'Invalid session token', clock);
    const attached = attachViewerChannel(relay, client, channel, session, { ip, fingerprint: who.fingerprint }, who.user, size);
    if (typeof attached === 'string') closeWithLine(channel, client, attached, clock);
  });
}

function clampSize(value: number, fallback: number): number {
  return Number.isInteger(value) && value > 0 ? Math.min(value, 1000) : fallback;
}

/** Prints one line and closes, after a short random delay against token timing probes. */
function closeWithLine(channel: ServerChannel, client: Connection, line: string, clock: Clock): void {
  clock.setTimeout(() => {
    channel.write(`${line}\r\n`);
    channel.exit(1);
    channel.end();
    // Disconnect only once the channel closed, so the line is not overtaken by the disconnect.
    channel.once('close', () => client.end());
  }, randomInt(50, 200));
}

export type { ServerChannel };
