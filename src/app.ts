/**
 * Composition root: the only place that wires concrete adapters together (keys on disk, the
 * system clock, the logger, the SSH listener) around the transport-neutral relay.
 */
import type { RelayConfig } from './server/config/load-config.js';
import { loadOrCreateHostKeys, type HostKeys } from './server/keys/host-keys.js';
import { createLogger, type Logger } from './server/observability/logger.js';
import { Relay } from './server/relay/relay.js';
import { ReconnectionSigner, loadOrCreateSecret } from './server/relay/reconnection-data.js';
import { startSshServer } from './server/transport/ssh/ssh-server.js';
import { startHttpServer, type HttpFeature } from './server/transport/http/http-server.js';
import { systemClock, type Clock } from './core/util/clock.js';

export interface RunningRelay {
  relay: Relay;
  keys: HostKeys;
  sshPort: number;
  httpPort: number;
  config: RelayConfig;
  /** Ends every session (viewers are told why) and stops listening. */
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
}

export async function startRelay(config: RelayConfig, options: StartOptions = {}): Promise<RunningRelay> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.logLevel);
  const keys = await loadOrCreateHostKeys(config.keysDir);
  const signer = new ReconnectionSigner(await loadOrCreateSecret(config.keysDir));
  const relay = new Relay(config, signer, clock, log);
  const ssh = await startSshServer(relay, keys, config.listen, config.sshPort, clock);
  if (config.advertisedPort === null) relay.advertisedPort = ssh.port;
  const features: HttpFeature[] = [];
  const http = await startHttpServer(config.listen, config.httpPort, features, log);
  relay.webBaseUrl = config.webUrl ?? `http://${urlHost(config.hostname)}:${http.port}`;
  log.info({ event: 'listening', listen: config.listen, sshPort: ssh.port, httpPort: http.port });
  let closing: Promise<void> | null = null;
  return {
    relay,
    keys,
    sshPort: ssh.port,
    httpPort: http.port,
    config,
    close: () => {
      closing ??= (async () => {
        relay.endAll('shutdown');
        await Promise.all([ssh.close(), http.close()]);
      })();
      return closing;
    },
  };
}

function urlHost(hostname: string): string {
  return hostname.includes(':') ? `[${hostname}]` : hostname;
}
