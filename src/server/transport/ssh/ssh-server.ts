/**
 * The SSH listener (ssh2): user `tmate` with the `tmate` subsystem is a host; any other user name
 * is a viewer token, attached with a pty + shell. Hosts authenticate with `none` or a public key;
 * viewers need a public key unless the relay allows keyless viewers, and only listed keys when
 * the session (or the relay, `--authorized-keys`) is key-restricted.
 *
 * Brute-force guard (see abuse/abuse-guard.ts): connection attempts over the per-address rate are
 * dropped before key exchange; failed attempts (an unknown or malformed token, a refused key, a
 * bad signature) are counted per address, and a viewer from an address over the failure limit is
 * told to try again later, whatever token it used.
 *
 * Connections are accepted by our own TCP listener and handed to ssh2 (`injectSocket`), so limits
 * apply from the first byte, before ssh2 even reads the client's version line:
 * - the connection rate limit, and `maxUnauthenticatedPerIp`: an address may hold at most that many
 *   connections that are not yet admitted; more are closed at once;
 * - admission deadline (`authTimeoutMs`): a connection must be admitted — a viewer attached to a
 *   session, or a host whose tmate handshake gave it its session — within that time of its TCP
 *   accept, or it is destroyed. Sockets that never send a byte, clients that authenticate and then
 *   open nothing, hosts that never finish the handshake: all count and all time out.
 *
 * Compression: only `none` is offered unless `--ssh-compression` (see COMPRESSION_OFF).
 *
 * Hosts on libssh (the stock tmate client) get a keepalive request shortly after the relay writes
 * to them, which makes them read what a blocking write of theirs had stranded (host-wake.ts).
 *
 * Invariants:
 * - A host connection has one session channel. A viewer connection may have up to
 *   MAX_VIEWER_CHANNELS open at once, each its own viewer (OpenSSH's connection sharing,
 *   ControlMaster, opens one per `ssh` run), and is hung up once its last one closed. Once one of
 *   them was refused for its token, the connection opens no more. Exec, subsystems and
 *   forwarding are refused.
 * - A connection counts as at most one failed attempt for its authentication (several refused
 *   keys in one connection are one failure), plus one for a bad token.
 * - Every socket error is contained to its connection.
 * - Hanging up never depends on the peer: after an SSH disconnect, a socket that is still open
 *   HANG_UP_GRACE_MS later (a peer that stopped reading) is destroyed.
 */
import { randomInt } from 'node:crypto';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import './before-ssh2.js'; // before ssh2 loads: see that module
import ssh2 from 'ssh2';
import type { AuthenticationType, Connection, AuthContext, ClientInfo, NegotiatedAlgorithms, ServerChannel, Session as SshSession } from 'ssh2';
import type { Clock } from '../../../core/util/clock.js';
import { colourDepthOf, type ColourDepth } from '../../../core/render/colour-depth.js';
import type { HostKeys } from '../../keys/host-keys.js';
import { verifyClientSignature } from './client-signature.js';
import { fingerprintOfBlob } from '../../keys/host-keys.js';
import type { AuthFailureReason } from '../../observability/metrics.js';
import type { Relay, OfferedKey } from '../../relay/relay.js';
import { HostLink } from '../../relay/host-link.js';
import { isWellFormedToken } from '../../registry/tokens.js';
import { attachViewerChannel } from './ssh-viewer.js';
import { Backlog } from './backlog.js';
import { paceFirstKexInit } from './kexinit-pacing.js';
import { signingHostKey } from './signing-host-key.js';
import { HOST_MS_PER_TURN, InputBudget } from '../input-budget.js';
import { plainAddress } from '../client-address.js';
import { AdmissionGuard } from '../admission-guard.js';
import { HostWake, needsWakeUps } from './host-wake.js';
import { MAX_VIEWER_CHANNELS, ViewerChannels } from './viewer-channels.js';
import { ErrorCatalog } from '../../../core/errors.js';

const { Server } = ssh2;

/** Node's default number of listeners per event before it warns of a leak. */
const LISTENER_WARNING_DEFAULT = 10;

const HOST_USER = 'tmate';
const DEFAULT_AUTH_TIMEOUT_MS = 20_000;
const KEEPALIVE_MS = 30_000;
/** How long a host gets to close its channel after the relay ended it, before the relay disconnects. */
const HOST_CLOSE_GRACE_MS = 5000;
/** On close, how long connected peers get to leave by themselves before they are disconnected. */
const CLOSE_GRACE_MS = 2000;
/** After an SSH disconnect, how long the peer gets to read it before its socket is destroyed. */
const HANG_UP_GRACE_MS = 5000;
/** A host's output backlog (channel + socket) above this marks it congested; it drains below LOW. */
const HOST_HIGH_WATER = 1024 * 1024;
const HOST_LOW_WATER = 256 * 1024;

export interface SshListener {
  port: number;
  /** Stops accepting connections; connected peers stay. */
  stopAccepting(): void;
  /** Stops accepting, disconnects everyone (after a short grace), resolves when every connection closed. */
  close(): Promise<void>;
}

export interface SshServerOptions {
  /** Admission deadline from TCP accept (see the header). */
  authTimeoutMs?: number;
  /** Most connections one address may hold before admission; 0 or absent: no limit. */
  maxUnauthenticatedPerIp?: number;
  /** Offer ssh2's zlib methods; absent or false: only `none` (see COMPRESSION_OFF). */
  compression?: boolean;
}

/**
 * Without compression the relay offers only `none`. Clients that ask for compression still list
 * `none` (tmate's libssh and `ssh -C` both do), so they connect uncompressed: in the bench's 60 MB
 * drain the stock tmate host then spent 8.4 s of CPU instead of 12–14 s, and the drain took 13 s
 * instead of 16–18 s.
 */
const COMPRESSION_OFF = { compress: ['none'] } as const;

/** One TCP connection, from accept until it closes. */
export interface SshConnection {
  readonly socket: Socket;
  /** The connection became a viewer or a host with a session: it no longer counts as unadmitted. */
  admit(): void;
  /** SSH disconnect now; the socket is destroyed if it is still open HANG_UP_GRACE_MS later. */
  hangUp(client: Connection): void;
}

export async function startSshServer(
  relay: Relay,
  keys: HostKeys,
  listen: string,
  port: number,
  clock: Clock,
  options: SshServerOptions = {},
): Promise<SshListener> {
  const authTimeoutMs = options.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS;
  const connections = new Map<string, SshConnection>();
  const server = new Server(
    {
      hostKeys: [{ key: signingHostKey(keys.ed25519.privateKey) }, { key: signingHostKey(keys.rsa.privateKey) }],
      ident: 'tmate-relay',
      ...(options.compression === true ? {} : { algorithms: COMPRESSION_OFF }),
      keepaliveInterval: KEEPALIVE_MS,
      keepaliveCountMax: 4,
    } as ssh2.ServerConfig,
    (client, info) => {
      const conn = connections.get(connectionKey(info.ip, info.port));
      if (!conn) return client.end();
      logHandshakes(relay, client, info);
      handleConnection(relay, client, conn, info, clock);
    },
  );
  const clients = new Set<Connection>();
  server.on('connection', (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
  });
  const admission = new AdmissionGuard(relay, clock, authTimeoutMs, options.maxUnauthenticatedPerIp ?? 0);
  const accept = (socket: Socket): SshConnection | null => {
    const admitted = admission.accept(socket, plainAddress(socket.remoteAddress));
    return admitted && { socket, admit: admitted.admit, hangUp: hangUpAfterGrace(socket, clock) };
  };
  const tcp = createTcpServer((socket) => {
    // From the first byte: with Nagle on during the handshake, the reply after NEWKEYS waits for
    // the client's delayed ACK (~40 ms added to every join and host connect).
    socket.setNoDelay(true);
    const conn = accept(socket);
    if (!conn) return;
    const key = connectionKey(socket.remoteAddress ?? '', socket.remotePort ?? 0);
    connections.set(key, conn);
    socket.once('close', () => connections.delete(key));
    paceFirstKexInit(socket);
    server.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, listen, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  tcp.on('error', (error: Error) => relay.log.error({ event: 'ssh-server-error', message: error.message }));
  let closed: Promise<void> | null = null;
  const stopAccepting = (): Promise<void> => (closed ??= new Promise<void>((resolve) => tcp.close(() => resolve())));
  return {
    port: (tcp.address() as AddressInfo).port,
    stopAccepting: () => void stopAccepting(),
    close: () => {
      const done = stopAccepting();
      // Peers whose sessions just ended close by themselves once their last lines are out;
      // whoever is still connected after the grace period is disconnected, and whoever does not
      // even read the disconnect is cut off after the hang-up grace.
      const force = clock.setTimeout(() => {
        for (const client of clients) client.end();
      }, CLOSE_GRACE_MS);
      const cut = clock.setTimeout(() => {
        for (const conn of connections.values()) conn.socket.destroy();
      }, CLOSE_GRACE_MS + HANG_UP_GRACE_MS);
      return done.then(() => {
        force.cancel();
        cut.cancel();
      });
    },
  };
}

function connectionKey(ip: string, port: number): string {
  return `${ip}|${port}`;
}

/** Ends the SSH connection, and destroys its socket if the peer has not closed it HANG_UP_GRACE_MS later. */
function hangUpAfterGrace(socket: Socket, clock: Clock): (client: Connection) => void {
  let hungUp = false;
  return (client) => {
    if (hungUp) return;
    hungUp = true;
    client.end();
    if (socket.destroyed) return;
    const cut = clock.setTimeout(() => socket.destroy(), HANG_UP_GRACE_MS);
    socket.once('close', () => cut.cancel());
  };
}

interface AuthenticatedAs {
  user: string;
  key: OfferedKey | null;
  fingerprint: string | null;
  /** The address is over its failure limit: the viewer only gets told to try later. */
  throttled: boolean;
}

/** Per-connection authentication state: what was refused, for the one failure it counts as. */
interface AuthAttempts {
  denial: AuthFailureReason | null;
  throttled: boolean | null;
}

/** Debug log of what each key exchange agreed on (compression above all: see COMPRESSION_OFF). */
function logHandshakes(relay: Relay, client: Connection, info: ClientInfo): void {
  client.on('handshake', (agreed: NegotiatedAlgorithms) => {
    relay.log.debug({
      event: 'ssh-handshake',
      ip: info.ip,
      client: info.header.identRaw,
      kex: agreed.kex,
      hostKey: agreed.serverHostKey,
      cipher: agreed.cs.cipher,
      compression: agreed.cs.compress === agreed.sc.compress ? agreed.cs.compress : `${agreed.cs.compress}/${agreed.sc.compress}`,
    });
  });
}

function handleConnection(relay: Relay, client: Connection, conn: SshConnection, info: ClientInfo, clock: Clock): void {
  const ip = info.ip;
  client.on('error', (error: Error) => relay.log.debug({ event: 'ssh-client-error', ip, message: error.message }));
  const guard = relay.services.guard;
  let auth: AuthenticatedAs | null = null;
  let hostChannelTaken = false;
  const viewerChannels = new ViewerChannels(() => conn.hangUp(client));
  // Each open viewer channel listens for the connection's 'close' and 'end' and the socket's
  // 'drain' (ssh-viewer.ts): with MAX_VIEWER_CHANNELS open, more than Node's warning threshold.
  client.setMaxListeners(LISTENER_WARNING_DEFAULT + MAX_VIEWER_CHANNELS);
  conn.socket.setMaxListeners(LISTENER_WARNING_DEFAULT + MAX_VIEWER_CHANNELS);
  const attempts: AuthAttempts = { denial: null, throttled: null };
  client.on('close', () => {
    if (!auth && attempts.denial) guard.authFailed(ip, attempts.denial);
  });
  client.on('authentication', (ctx) => {
    const result = authenticate(relay, ctx, ip, attempts);
    if (result) auth = result;
  });
  client.on('ready', () => {
    (client as unknown as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    client.on('session', (accept, reject) => {
      if (!auth) return reject();
      const who = auth;
      if (who.user !== HOST_USER) {
        if (!viewerChannels.mayOpen()) return reject();
        const session = accept();
        viewerChannels.opened(session);
        return serveViewer(relay, client, conn, session, ip, who, clock, viewerChannels);
      }
      if (hostChannelTaken) return reject();
      hostChannelTaken = true;
      serveHost(relay, client, conn, accept(), info, clock);
    });
  });
  client.on('request', (accept, reject) => reject?.());
  client.on('tcpip', (accept, reject) => reject());
  client.on('openssh.streamlocal', (accept, reject) => reject());
}

/** Returns who authenticated when the attempt completes authentication; answers ctx either way. */
function authenticate(relay: Relay, ctx: AuthContext, ip: string, attempts: AuthAttempts): AuthenticatedAs | null {
  const user = ctx.username;
  // Keyless viewers (--allow-keyless) log in with keyboard-interactive and no prompts, not with
  // `none`: OpenSSH asks with `none` before offering its keys, so accepting it would record every
  // viewer as keyless, key or not (join notices, the viewer list, the API).
  const keylessMethods: AuthenticationType[] = user !== HOST_USER && relay.authorizeViewer(user, null) === 'allow' ? ['keyboard-interactive'] : [];
  const methods: AuthenticationType[] = ['publickey', ...keylessMethods];
  const keylessAttempt = ctx.method === 'keyboard-interactive' || (ctx.method === 'none' && user === HOST_USER);
  if (ctx.method !== 'none' && ctx.method !== 'publickey' && !keylessAttempt) {
    ctx.reject(methods);
    return null;
  }
  if (user !== HOST_USER) {
    attempts.throttled ??= relay.services.guard.refuseIfThrottled(ip);
    // A throttled address learns nothing about tokens or keys: it is admitted only to be told to wait.
    if (attempts.throttled) {
      ctx.accept();
      return { user, key: null, fingerprint: null, throttled: true };
    }
  }
  if (ctx.method === 'none' && user !== HOST_USER) {
    if (keylessMethods.length === 0) attempts.denial ??= 'no_key';
    ctx.reject(methods);
    return null;
  }
  const key = ctx.method === 'publickey' ? { type: ctx.key.algo, base64: ctx.key.data.toString('base64') } : null;
  if (user !== HOST_USER && relay.authorizeViewer(user, key) === 'deny') {
    if (key !== null) attempts.denial = 'key_not_authorized';
    else attempts.denial ??= 'no_key';
    ctx.reject(methods);
    return null;
  }
  if (ctx.method === 'publickey' && ctx.signature) {
    const signed = { keyType: ctx.key.algo, keyBlob: ctx.key.data, data: ctx.blob ?? Buffer.alloc(0), signature: ctx.signature, hashAlgo: ctx.hashAlgo };
    if (!verifyClientSignature(signed)) {
      attempts.denial = 'bad_signature';
      ctx.reject(methods);
      return null;
    }
  }
  ctx.accept();
  // A publickey attempt without a signature only asks whether the key would do (PK_OK): nobody has
  // authenticated yet, and a signature that then fails must still count as a failed attempt.
  if (ctx.method === 'publickey' && !ctx.signature) return null;
  return { user, key, fingerprint: ctx.method === 'publickey' ? fingerprintOfBlob(ctx.key.data) : null, throttled: false };
}

function serveHost(relay: Relay, client: Connection, conn: SshConnection, session: SshSession, peer: ClientInfo, clock: Clock): void {
  const { ip } = peer;
  const metrics = relay.services.metrics;
  session.on('pty', (accept, reject) => reject?.());
  session.on('shell', (accept, reject) => reject());
  session.on('exec', (accept, reject) => reject());
  session.on('subsystem', (accept, reject, info) => {
    if (info.name !== 'tmate') return reject();
    const channel: ServerChannel | undefined = accept();
    if (!channel) return; // a second request on a channel that already runs the subsystem
    // ssh2 frees a connection's zlib stream (tmate asks for compression) as soon as the peer ends
    // the socket, before 'close' (mscdex/ssh2#1178): a write in between throws synchronously and
    // would take the whole relay down. Writes after the peer ended are dropped.
    let peerEnded = false;
    client.once('end', () => (peerEnded = true));
    const backlog = new Backlog(channel, conn.socket, HOST_HIGH_WATER, HOST_LOW_WATER);
    // The stock tmate client can strand what the relay sends it (host-wake.ts).
    const wakeHost = (): void => {
      if (!peerEnded) sendKeepalive(client);
    };
    const wake = needsWakeUps(peer.header.identRaw) ? new HostWake(clock, wakeHost) : null;
    const link = new HostLink(
      {
        kind: 'ssh',
        remoteAddress: ip,
        write: (data) => {
          if (peerEnded) return true;
          metrics.bytesSent('host', data.length);
          wake?.wrote();
          try {
            return backlog.write(data);
          } catch {
            peerEnded = true;
            return true;
          }
        },
        onDrain: (callback) => backlog.onDrain(callback),
        close: () => {
          // End the channel first and disconnect once it closed: a DISCONNECT sent at once can
          // overtake the last messages (a NOTIFY, a kill-session), which the host would then drop.
          // Ending writes an EOF packet, which throws like any write once the peer ended (above).
          try {
            if (!peerEnded) channel.end();
          } catch {
            peerEnded = true;
          }
          if (peerEnded) return conn.hangUp(client);
          const hangUp = clock.setTimeout(() => conn.hangUp(client), HOST_CLOSE_GRACE_MS);
          channel.once('close', () => {
            hangUp.cancel();
            conn.hangUp(client);
          });
        },
      },
      relay,
    );
    // The channel is paused at once (tmate compresses: one 64 KiB socket read of `yes` inflates to
    // megabytes, all pushed to the channel during that read), the socket too, which spares the turn
    // ssh2's decryption and decompression of whatever else the host sent (one channel per
    // connection).
    const budget = new InputBudget(
      HOST_MS_PER_TURN,
      () => {
        channel.pause();
        conn.socket.pause();
      },
      () => {
        conn.socket.resume();
        channel.resume();
      },
    );
    channel.on('data', (data: Buffer) => {
      metrics.bytesReceived('host', data.length);
      wake?.hostOutput();
      budget.run(() => link.receive(data));
      if (link.established) conn.admit();
    });
    channel.once('close', () => {
      budget.dispose();
      wake?.dispose();
    });
    channel.on('close', () => link.disconnected());
    client.on('close', () => link.disconnected());
  });
}

/**
 * An SSH keepalive request (`keepalive@openssh.com`, as ssh2's own keepalive sends): every client
 * answers it and nothing else happens, which makes it the packet for a wake-up (host-wake.ts).
 */
function sendKeepalive(client: Connection): void {
  // ssh2 sends this only on its keepalive timer and has no public call for it; its protocol
  // object's ping() is that packet. Looked up defensively so an ssh2 without it sends nothing.
  const protocol = (client as unknown as { _protocol?: { ping?: () => void } })._protocol;
  try {
    protocol?.ping?.();
  } catch {
    // The peer went away meanwhile (see the zlib note in serveHost): nothing to wake.
  }
}

function serveViewer(relay: Relay, client: Connection, conn: SshConnection, session: SshSession, ip: string, who: AuthenticatedAs, clock: Clock, channels: ViewerChannels): void {
  let size = { cols: 80, rows: 24 };
  let hasTerminal = false;
  let term = '';
  let colorterm: string | null = null;
  session.on('pty', (accept, reject, info) => {
    size = { cols: clampSize(info.cols, 80), rows: clampSize(info.rows, 24) };
    term = typeof info.term === 'string' ? info.term.slice(0, MAX_ENV_VALUE) : '';
    hasTerminal = true;
    accept?.();
  });
  // Only COLORTERM is read (the client's `SendEnv COLORTERM`): it tells 24-bit colour (colour-depth.ts).
  session.on('env', (accept, reject, info) => {
    if (info.key === 'COLORTERM' && typeof info.val === 'string') colorterm = info.val.slice(0, MAX_ENV_VALUE);
    accept?.();
  });
  // `ssh TOKEN@relay some command`: say why nothing runs, rather than ssh's bare "exec request failed".
  session.on('exec', (accept) => {
    // accept() gives nothing for a second request on a channel that already runs something.
    const channel: ServerChannel | undefined = accept();
    if (channel) closeWithLine(channel, client, conn, NO_COMMAND_TEXT, clock);
  });
  session.on('subsystem', (accept, reject) => reject());
  session.on('shell', (accept) => {
    const channel: ServerChannel | undefined = accept();
    if (channel) attachOrRefuse(relay, client, conn, channel, session, ip, who, { size, hasTerminal, colourDepth: colourDepthOf(term, colorterm) }, clock, channels);
  });
}

/** Attaches a viewer's shell channel to its session, or says why not and closes the channel. */
function attachOrRefuse(
  relay: Relay,
  client: Connection,
  conn: SshConnection,
  channel: ServerChannel,
  session: SshSession,
  ip: string,
  who: AuthenticatedAs,
  terminal: { size: { cols: number; rows: number }; hasTerminal: boolean; colourDepth: ColourDepth },
  clock: Clock,
  channels: ViewerChannels,
): void {
  const guard = relay.services.guard;
  // A refusal for the token closes the connection to further channels; it is charged once.
  const refuseToken = (line: string, charge?: () => void): void => {
    if (channels.refuseToken()) charge?.();
    closeWithLine(channel, client, conn, line, clock);
  };
  if (who.throttled) return refuseToken(`Too many failed attempts from ${ip}; try again in ${Math.max(1, guard.retryAfterSeconds(ip))}s`);
  if (!isWellFormedToken(who.user)) return refuseToken('Invalid session token', () => guard.authFailed(ip, 'malformed_token'));
  // Without a terminal (`ssh -T`) a viewer would get screen-drawing escapes as text, and as a
  // read-write viewer it would size everyone's session to a terminal it does not have. A wrong
  // token is said first: asking for a terminal would only send its owner round once more.
  if (!terminal.hasTerminal) {
    const entry = relay.registry.lookup(who.user);
    if (!entry || entry.session.isEnded) return refuseToken(ErrorCatalog.SESSION_NOT_FOUND.text, () => guard.authFailed(ip, 'unknown_token', { fingerprint: who.fingerprint }));
    return closeWithLine(channel, client, conn, NO_TERMINAL_TEXT, clock);
  }
  const identity = { ip, fingerprint: who.fingerprint, key: who.key };
  const attached = attachViewerChannel(relay, client, conn, channel, session, identity, who.user, terminal);
  if (typeof attached !== 'string') return conn.admit();
  const unknown = !relay.registry.lookup(who.user);
  refuseToken(attached, unknown ? () => guard.authFailed(ip, 'unknown_token', { fingerprint: who.fingerprint }) : undefined);
}

export const NO_TERMINAL_TEXT = 'A shared session needs a terminal: join with ssh -t (not -T)';
export const NO_COMMAND_TEXT = 'The relay runs no commands: join the shared session with ssh and no command';

/** Longest TERM or COLORTERM value read; real ones are a few characters. */
const MAX_ENV_VALUE = 64;

function clampSize(value: number, fallback: number): number {
  return Number.isInteger(value) && value > 0 ? Math.min(value, 1000) : fallback;
}

/** Prints one line and closes, after a short random delay against token timing probes. */
function closeWithLine(channel: ServerChannel, client: Connection, conn: SshConnection, line: string, clock: Clock): void {
  clock.setTimeout(() => {
    try {
      channel.write(`${line}\r\n`);
      channel.exit(1);
      channel.end();
      // The connection is hung up once its last channel closed (ViewerChannels), so the line is
      // not overtaken by the disconnect. ssh2 reports the close only after the input side ended:
      // drain (and ignore) the input.
      channel.resume();
    } catch {
      conn.hangUp(client); // the connection went away meanwhile; a timer must never throw
    }
  }, randomInt(50, 200));
}

export type { ServerChannel };
