/**
 * The relay's HTTP listener (fastify): health, and whatever features register on it — the REST API,
 * the web viewer page, WebSocket endpoints for hosts and browsers. WebSocket upgrades are routed
 * by path to the feature that claims them; unclaimed upgrades are refused.
 *
 * Invariants: features never listen themselves; only this file owns the HTTP socket. A request
 * (headers and body) not received within `requestTimeoutMs` is answered 408 and its connection
 * closed; upgraded WebSocket connections are no longer the HTTP server's and are not timed. An
 * address holds at most `maxConnectionsPerIp` connections at once (connection-cap.ts); nothing a
 * refused connection asks for is served.
 */
import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../../observability/logger.js';
import { answerClientError, handleFrameworkError } from './api-errors.js';
import { useJsonBodyParser } from './json-body-parser.js';
import { capConnectionsPerAddress, isRefusedConnection } from './connection-cap.js';
import { requestUrl } from './request-url.js';
import { answerAndClose } from './raw-answer.js';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface HttpFeature {
  /** Adds routes to the app (called before listening). */
  register?(app: FastifyInstance): void | Promise<void>;
  /** Returns a handler when this feature serves WebSocket upgrades for the path. */
  upgradeFor?(pathname: string): UpgradeHandler | null;
  /** Called when the server closes, to end the feature's connections. */
  close?(): void | Promise<void>;
}

export interface HttpListener {
  port: number;
  app: FastifyInstance;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
/** An idle keep-alive connection is closed after this (Node's default; fastify's 72 s holds a socket per idle client). */
const KEEP_ALIVE_TIMEOUT_MS = 5000;

export interface HttpLimits {
  /** Time a client has to send a whole request (headers and body): `--http-request-timeout`. */
  requestTimeoutMs: number;
  /** Open connections per address (`--max-http-connections-per-ip`); 0 means no limit. */
  maxConnectionsPerIp: number;
  /** `--trust-proxy` entries: their connections are not counted against the cap. */
  trustedProxies: readonly string[];
  /** A connection from `ip` was refused by the cap. */
  onConnectionRefused(ip: string): void;
}

/**
 * How often Node looks for requests past their time: a quarter of the limit, so a slow client is
 * cut within 1.25× of it (Node's own default looks every 30 s, whatever the limit).
 */
function checkingIntervalMs(requestTimeoutMs: number): number {
  return Math.min(5000, Math.max(250, Math.floor(requestTimeoutMs / 4)));
}

export async function startHttpServer(listen: string, port: number, features: HttpFeature[], log: Logger, limits: HttpLimits): Promise<HttpListener> {
  const app: FastifyInstance = Fastify({
    // A client that sends its request slowly (slowloris: a header line, or a body byte, now and
    // then) holds a socket; fastify's default waits forever for a body. Node answers 408 and
    // closes the connection when the headers or the whole request are not in by the limit.
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    http: { headersTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: checkingIntervalMs(limits.requestTimeoutMs) },
    // Per-request lines are info level: the http child logs warnings and errors only (fastify's
    // own `disableRequestLogging` switch is deprecated in 5.x).
    loggerInstance: log.child({ component: 'http' }, { level: log.levelVal > 40 ? log.level : 'warn' }) as FastifyBaseLogger,
    bodyLimit: MAX_BODY_BYTES,
    // `additionalProperties: false` in a schema refuses unknown fields (400) instead of silently
    // dropping them, which is what fastify's default (removeAdditional) would do; and a value of the
    // wrong type is refused (400) instead of coerced (fastify's default coerceTypes would take
    // `"ttl": 5` as a 5-second session and `"command": "ls"` as `["ls"]`).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    // Malformed URLs are refused by the router before any route runs: answer them as JSON errors.
    frameworkErrors: (error, _request, reply) => handleFrameworkError(error, reply),
    // Requests Node's parser refused (headers too large, too slow, not HTTP): the same shape.
    clientErrorHandler: answerClientError,
  });
  useJsonBodyParser(app);
  capConnectionsPerAddress(app.server, {
    maxPerIp: limits.maxConnectionsPerIp,
    trustedProxies: limits.trustedProxies,
    onRefused: limits.onConnectionRefused,
  });
  // A refused connection was answered 429 when it connected; whatever it sends is dropped.
  app.addHook('onRequest', async (request, reply) => {
    if (!isRefusedConnection(request.raw.socket)) return;
    reply.hijack();
    request.raw.socket.destroy();
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Outside /api (which answers in JSON): a plain 404 that does not echo the method and path back.
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('Not found\n'));
  for (const feature of features) await feature.register?.(app);
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (isRefusedConnection(socket)) {
      socket.destroy();
      return;
    }
    const url = requestUrl(request.url);
    if (url === null) {
      answerAndClose(socket, 400);
      return;
    }
    const handler = features.map((f) => f.upgradeFor?.(url.pathname) ?? null).find((h) => h !== null);
    if (!handler) {
      answerAndClose(socket, 404);
      return;
    }
    handler(request, socket, head);
  });
  await app.listen({ host: listen, port });
  return {
    port: (app.server.address() as AddressInfo).port,
    app,
    close: async () => {
      for (const feature of features) await feature.close?.();
      await app.close();
    },
  };
}
