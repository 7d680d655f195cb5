/**
 * Host transport over SSH, as the stock tmate client connects: user `tmate`, auth `none`,
 * subsystem `tmate`, the relay's host key pinned by its SHA-256 fingerprint(s).
 *
 * Invariant: with fingerprints given, a relay whose key matches none of them is refused before
 * anything is sent (HostConnectError 'fingerprint').
 */
import '../transport/ssh/before-ssh2.js'; // before ssh2 loads: see that module
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { fingerprintOfBlob } from '../keys/host-keys.js';
import { HostConnectError, type HostStream, type HostTransport } from './host-transport.js';

const { Client } = ssh2;

export interface SshHostTarget {
  host: string;
  port: number;
  /** Accepted `SHA256:…` fingerprints; empty = do not verify (the CLI warns). */
  fingerprints: string[];
}

const READY_TIMEOUT_MS = 15_000;
const KEEPALIVE_MS = 15_000;

export function sshHostTransport(target: SshHostTarget): HostTransport {
  return {
    describe: `${target.host}:${target.port}`,
    connect: () => connectSsh(target),
  };
}

function connectSsh(target: SshHostTarget): Promise<HostStream> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let seenFingerprint: string | null = null;
    let settled = false;
    const fail = (error: HostConnectError): void => {
      if (settled) return;
      settled = true;
      client.end();
      reject(error);
    };
    client.on('error', (error: Error) => {
      if (seenFingerprint !== null && !target.fingerprints.includes(seenFingerprint) && target.fingerprints.length > 0) {
        return fail(new HostConnectError('fingerprint', `relay host key ${seenFingerprint} does not match --fingerprint`));
      }
      fail(new HostConnectError('unreachable', error.message));
    });
    client.on('ready', () => {
      client.subsys('tmate', (error, channel) => {
        if (error) return fail(new HostConnectError('refused', `the relay refused the tmate subsystem: ${error.message}`));
        settled = true;
        resolve(channelStream(client, channel));
      });
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: 'tmate',
      readyTimeout: READY_TIMEOUT_MS,
      keepaliveInterval: KEEPALIVE_MS,
      keepaliveCountMax: 4,
      hostVerifier: (key: Buffer) => {
        seenFingerprint = fingerprintOfBlob(key);
        return target.fingerprints.length === 0 || target.fingerprints.includes(seenFingerprint);
      },
    });
    // ssh2's client leaves Nagle on: a pane's echo written right after another small packet
    // (output, layout, keepalive) would wait for the relay's delayed ACK, up to 40 ms.
    client.setNoDelay(true);
  });
}

function channelStream(client: InstanceType<typeof Client>, channel: ClientChannel): HostStream {
  const closeListeners: ((reason: string) => void)[] = [];
  let closed = false;
  const finish = (reason: string): void => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener(reason);
    client.end();
  };
  channel.on('close', () => finish('channel closed'));
  client.on('close', () => finish('connection closed'));
  client.on('error', (error: Error) => finish(error.message));
  return {
    write: (data) => {
      if (!closed) channel.write(data);
    },
    onData: (listener) => void channel.on('data', (data: Buffer) => listener(data)),
    onClose: (listener) => void closeListeners.push(listener),
    close: () => {
      if (closed) return;
      channel.end();
      finish('closed by us');
    },
  };
}
