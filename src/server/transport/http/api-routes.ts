/**
 * The HTTP API under `/api` (an HttpFeature), JSON in and out:
 *
 *   POST   /api/sessions                           create a relay-local session → 201
 *   GET    /api/sessions                           list sessions
 *   GET    /api/sessions/:id                       one session, with its connected clients
 *   DELETE /api/sessions/:id                       cancel: everyone disconnected, host ended
 *   POST   /api/sessions/:id/extend                { "ttl": "15m" }: move the expiry later
 *   DELETE /api/sessions/:id/clients/:clientId     kick one viewer
 *
 * Every request needs `Authorization: token <api-token>`; a missing or wrong token is 401 (and
 * counts as a failed attempt for the address's brute-force limit, 429 once over it). Bodies are
 * validated by fastify's JSON schemas (unknown fields refused); errors are mapped in api-errors.ts.
 *
 * Invariants:
 * - Authentication runs before body parsing and validation (onRequest), so an unauthenticated
 *   caller learns nothing about the API's shapes.
 * - Sessions are addressed by id, never by token; audit log lines carry the caller's address.
 * - Durations are strings like `90s`, `15m`, `2h`; every TTL is at most the relay's maximum.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../../core/util/clock.js';
import { formatDuration, parseDuration } from '../../../core/util/duration.js';
import type { Relay } from '../../relay/relay.js';
import type { RelaySession } from '../../relay/relay-session.js';
import { handleApiError, sendError } from './api-errors.js';
import { isAuthorized } from './api-token.js';
import { createdView, sessionView } from './api-views.js';
import type { HttpFeature } from './http-server.js';
import type { HttpClientAddress } from '../client-address.js';
import { requestUrl } from './request-url.js';
import { ProgramLookupError } from '../../host/find-program.js';

export interface LocalSessionRequest {
  command: string[] | null;
  ttlMs: number;
  quiet: boolean;
}

/** Starts a session hosted by the relay itself (the host engine); supplied by app.ts. */
export type LocalSessionFactory = (options: LocalSessionRequest) => Promise<RelaySession>;

export interface ApiDeps {
  relay: Relay;
  /** The API token callers must present. */
  token: string;
  clock: Clock;
  defaultTtlMs: number;
  maxTtlMs: number;
  /** null while relay-local sessions are not available: POST /api/sessions answers 503. */
  createLocalSession: LocalSessionFactory | null;
  /** Who a request comes from (the TCP peer, or the client a trusted proxy names). */
  clientAddress: HttpClientAddress;
}

interface CreateBody {
  command?: string[] | null;
  ttl?: string;
  quiet?: boolean;
}

interface ExtendBody {
  ttl: string;
}

type IdParams = { id: string };
type ClientParams = { id: string; clientId: string };

const TTL_SCHEMA = { type: 'string', minLength: 1, maxLength: 32 } as const;

const CREATE_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    command: { type: ['array', 'null'], minItems: 1, maxItems: 256, items: { type: 'string', maxLength: 4096 } },
    ttl: TTL_SCHEMA,
    quiet: { type: 'boolean' },
  },
} as const;

const EXTEND_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['ttl'],
  properties: { ttl: TTL_SCHEMA },
} as const;

export function apiFeature(deps: ApiDeps): HttpFeature {
  return {
    register(app) {
      void app.register(async (api) => registerApi(api, deps), { prefix: '/api' });
    },
  };
}

function registerApi(api: FastifyInstance, deps: ApiDeps): void {
  const log = deps.relay.log;
  api.setErrorHandler<FastifyError>((error, request, reply) => handleApiError(error, reply, log));
  api.setNotFoundHandler((request, reply) => {
    const allowed = methodsOf(requestUrl(request.url)?.pathname ?? '');
    if (allowed.length === 0) return sendError(reply, 404, 'API_NOT_FOUND');
    reply.header('allow', allowed.join(', '));
    return sendError(reply, 405, 'API_METHOD_NOT_ALLOWED');
  });
  api.removeContentTypeParser('text/plain'); // JSON only: anything else is 415
  api.addHook('onRequest', async (request, reply) => authenticate(deps, request, reply));
  api.post('/sessions', { schema: { body: CREATE_BODY }, preValidation: emptyBodyAsObject }, (request, reply) =>
    createSession(deps, request as FastifyRequest<{ Body: CreateBody }>, reply),
  );
  api.get('/sessions', async () => {
    const now = deps.clock.now();
    const sessions = deps.relay.registry.all().filter((s) => !s.isEnded);
    return { sessions: sessions.map((s) => sessionView(s, deps.relay, now)) };
  });
  api.get<{ Params: IdParams }>('/sessions/:id', async (request, reply) => {
    const session = findSession(deps, request.params.id);
    if (!session) return sessionNotFound(reply);
    return sessionView(session, deps.relay, deps.clock.now());
  });
  api.delete<{ Params: IdParams }>('/sessions/:id', async (request, reply) => {
    const session = findSession(deps, request.params.id);
    if (!session) return sessionNotFound(reply);
    log.info({ event: 'session-cancelled', session: session.id, by: 'api', ip: deps.clientAddress(request.raw) });
    session.end('cancelled');
    return { id: session.id, state: 'ended', reason: 'cancelled' };
  });
  api.post<{ Params: IdParams; Body: ExtendBody }>('/sessions/:id/extend', { schema: { body: EXTEND_BODY } }, async (request, reply) =>
    extendSession(deps, request, reply),
  );
  api.delete<{ Params: ClientParams }>('/sessions/:id/clients/:clientId', async (request, reply) => {
    const session = findSession(deps, request.params.id);
    if (!session) return sessionNotFound(reply);
    const clientId = /^\d{1,9}$/.test(request.params.clientId) ? Number(request.params.clientId) : -1;
    if (!session.kick(clientId, `api ${deps.clientAddress(request.raw)}`)) return sendError(reply, 404, 'API_CLIENT_NOT_FOUND');
    return { session: session.id, client: clientId, state: 'kicked' };
  });
}

/** The API's routes (under /api) and their methods, for 405 answers to the other methods. */
const ROUTE_METHODS: readonly [RegExp, readonly string[]][] = [
  [/^\/api\/sessions\/?$/, ['GET', 'POST']],
  [/^\/api\/sessions\/[^/]+\/?$/, ['GET', 'DELETE']],
  [/^\/api\/sessions\/[^/]+\/extend\/?$/, ['POST']],
  [/^\/api\/sessions\/[^/]+\/clients\/[^/]+\/?$/, ['DELETE']],
];

function methodsOf(path: string): readonly string[] {
  return ROUTE_METHODS.find(([pattern]) => pattern.test(path))?.[1] ?? [];
}

async function authenticate(deps: ApiDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const guard = deps.relay.services.guard;
  const ip = deps.clientAddress(request.raw);
  if (guard.refuseIfThrottled(ip)) {
    reply.header('retry-after', String(Math.max(1, guard.retryAfterSeconds(ip))));
    return sendError(reply, 429, 'AUTH_RATE_LIMITED');
  }
  if (isAuthorized(request.headers.authorization, deps.token)) return undefined;
  guard.authFailed(ip, 'bad_api_token', { method: request.method, path: request.routeOptions.url ?? null });
  reply.header('www-authenticate', 'token');
  return sendError(reply, 401, 'API_UNAUTHORIZED');
}

/** `POST /api/sessions` with no body at all means "all defaults". */
async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined) request.body = {};
}

async function createSession(deps: ApiDeps, request: FastifyRequest<{ Body: CreateBody }>, reply: FastifyReply): Promise<FastifyReply> {
  const body = request.body;
  const ttl = body.ttl === undefined ? { ok: true as const, ms: deps.defaultTtlMs } : parseTtl(body.ttl, deps.maxTtlMs);
  if (!ttl.ok) return sendError(reply, 400, 'API_INVALID_REQUEST', ttl.message);
  // A program's arguments are C strings: a NUL would cut one short (or fail the start after the 201).
  if (body.command?.some((arg) => arg.includes('\0'))) return sendError(reply, 400, 'API_INVALID_REQUEST', 'field "command" must not contain NUL characters');
  if (!deps.createLocalSession) return sendError(reply, 503, 'API_LOCAL_SESSIONS_UNAVAILABLE');
  let session: RelaySession;
  try {
    session = await deps.createLocalSession({ command: body.command ?? null, ttlMs: ttl.ms, quiet: body.quiet ?? false });
  } catch (error) {
    if (error instanceof ProgramLookupError) return sendError(reply, 400, 'API_COMMAND_NOT_FOUND', error.message);
    throw error;
  }
  deps.relay.log.info({ event: 'api-session-created', session: session.id, ip: deps.clientAddress(request.raw), ttlMs: ttl.ms });
  return reply.code(201).send(createdView(session, deps.relay));
}

async function extendSession(
  deps: ApiDeps,
  request: FastifyRequest<{ Params: IdParams; Body: ExtendBody }>,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const session = findSession(deps, request.params.id);
  if (!session) return sessionNotFound(reply);
  const ttl = parseTtl(request.body.ttl, deps.maxTtlMs);
  if (!ttl.ok) return sendError(reply, 400, 'API_INVALID_REQUEST', ttl.message);
  if (session.lifetime.remainingMs() + ttl.ms > deps.maxTtlMs) {
    const message = `field "ttl" is out of range: the session would have more than ${formatDuration(deps.maxTtlMs)} left (the relay's maximum)`;
    return sendError(reply, 400, 'API_INVALID_REQUEST', message);
  }
  deps.relay.extendSession(session, ttl.ms, `api ${deps.clientAddress(request.raw)}`);
  return reply.send(sessionView(session, deps.relay, deps.clock.now()));
}

type TtlParse = { ok: true; ms: number } | { ok: false; message: string };

/** A `ttl` field: a duration (`90s`, `15m`, `2h`), more than 0 and at most the maximum. */
export function parseTtl(text: string, maxMs: number): TtlParse {
  const ms = parseDuration(text);
  if (ms === null) return { ok: false, message: 'field "ttl" must be a duration such as "90s", "15m" or "2h"' };
  if (ms <= 0 || ms > maxMs) {
    return { ok: false, message: `field "ttl" is out of range: it must be more than 0 and at most ${formatDuration(maxMs)}` };
  }
  return { ok: true, ms };
}

function findSession(deps: ApiDeps, id: string): RelaySession | null {
  const session = deps.relay.registry.byIdLookup(id);
  return session && !session.isEnded ? session : null;
}

function sessionNotFound(reply: FastifyReply): FastifyReply {
  return sendError(reply, 404, 'API_SESSION_NOT_FOUND');
}
