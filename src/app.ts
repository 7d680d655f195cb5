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
import { hostWebSocketEndpoint } from './server/transport/ws/host-endpoint.js';
import { webViewerEndpoint } from './server/transport/ws/web-viewer.js';
import { httpClientAddress } from './server/transport/client-address.js';
import { webPageRoutes } from './server/transport/http/web-page-routes.js';
import type { LocalSession, LocalSessionOptions } from './server/host/local-session.js';
import { KeyAllowList } from './server/abuse/authorized-keys.js';
import { createRelayServices, relaySnapshot } from './server/lifecycle/session-policy.js';
import { RelayMetrics } from './server/observability/metrics.js';
import { apiFeature, type LocalSessionFactory, type LocalSessionRequest } from './server/transport/http/api-routes.js';
import { metricsFeature } from './server/transport/http/api-metrics.js';
import { resolveApiToken, type ApiToken } from './server/transport/http/api-token.js';
import { systemClock, type Clock } from './core/util/clock.js';

export interface RunningRelay {
  relay: Relay;
  keys: HostKeys;
  sshPort: number;
  httpPort: number;
  config: RelayConfig;
  /** The HTTP API token (`generated` on the start that created it, so it is printed once). */
  apiToken: ApiToken;
  metrics: RelayMetrics;
  /** Starts a session hosted by this relay's own engine (same protocol path as remote hosts). */
  startLocalSession(options: LocalSessionOptions): Promise<LocalSession>;
  /** Ends every session (viewers are told why) and stops listening. */
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
  /** Backs `POST /api/sessions`: the in-process host engine unless replaced; null turns the route off (503). */
  createLocalSession?: LocalSessionFactory | null;
}

export async function startRelay(config: RelayConfig, options: StartOptions = {}): Promise<RunningRelay> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.logLevel);
  const keys = await loadOrCreateHostKeys(config.keysDir);
  const signer = new ReconnectionSigner(await loadOrCreateSecret(config.keysDir));
  const metrics = new RelayMetrics();
  const viewerKeys = config.authorizedKeys === null ? null : await KeyAllowList.load(config.authorizedKeys);
  const apiToken = await resolveApiToken(config.apiToken, config.keysDir);
  const relay = new Relay(config, signer, clock, log, createRelayServices(config, clock, log, { metrics, viewerKeys }));
  metrics.observe(() => relaySnapshot(relay.registry, relay.protocolErrorCounts));
  const ssh = await startSshServer(relay, keys, config.listen, config.sshPort, clock, {
    authTimeoutMs: config.authTimeoutMs,
    maxUnauthenticatedPerIp: config.maxUnauthenticatedPerIp,
    compression: config.sshCompression,
  });
  if (config.advertisedPort === null) relay.advertisedPort = ssh.port;
  const clientAddress = httpClientAddress(config.trustProxy);
  const features: HttpFeature[] = [
    hostWebSocketEndpoint(relay, {
      clientAddress,
      clock,
      authTimeoutMs: config.authTimeoutMs,
      maxUnauthenticatedPerIp: config.maxUnauthenticatedPerIp,
    }),
    webPageRoutes(relay, clientAddress),
    webViewerEndpoint(relay, clientAddress),
  ];
  const api = { relay, token: apiToken.value, clock, defaultTtlMs: config.sessionTtlMs, maxTtlMs: config.maxSessionTtlMs, clientAddress };
  const localSessions = (localOptions: LocalSessionOptions): Promise<LocalSession> =>
    // Loaded on first use: a relay without local sessions never loads node-pty or the engine.
    import('./server/host/local-session.js').then((m) => m.startLocalSession(relay, clock, localOptions));
  const createLocalSession =
    options.createLocalSession === undefined
      ? async (request: LocalSessionRequest) => (await localSessions(request)).session
      : options.createLocalSession;
  features.push(apiFeature({ ...api, createLocalSession }), metricsFeature(metrics));
  // Without its HTTP side (the API, web viewers, /healthz) the relay must not run at all: a
  // supervisor would take a half-started relay for a healthy one.
  const httpLimits = {
    requestTimeoutMs: config.httpRequestTimeoutMs,
    maxConnectionsPerIp: config.maxHttpConnectionsPerIp,
    trustedProxies: config.trustProxy,
    onConnectionRefused: (ip: string) => {
      metrics.limitRefusal('http_connections_per_ip');
      log.info({ event: 'connection-refused', reason: 'too many HTTP connections', ip, limit: config.maxHttpConnectionsPerIp });
    },
  };
  const http = await startHttpServer(config.listen, config.httpPort, features, log, httpLimits).catch(async (error: unknown) => {
    await ssh.close();
    throw error;
  });
  relay.webBaseUrl = config.webUrl ?? `http://${urlHost(config.hostname)}:${http.port}`;
  log.info({ event: 'listening', listen: config.listen, sshPort: ssh.port, httpPort: http.port });
  let closing: Promise<void> | null = null;
  return {
    relay,
    keys,
    sshPort: ssh.port,
    httpPort: http.port,
    config,
    apiToken,
    metrics,
    startLocalSession: localSessions,
    close: () => {
      closing ??= (async () => {
        ssh.stopAccepting();
        relay.endAll('shutdown');
        await Promise.all([ssh.close(), http.close()]);
        metrics.close();
      })();
      return closing;
    },
  };
}

function urlHost(hostname: string): string {
  return hostname.includes(':') ? `[${hostname}]` : hostname;
}
