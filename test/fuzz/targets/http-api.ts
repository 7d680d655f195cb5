/**
 * Fuzz target `http-api`: the HTTP/JSON API of a running relay (startRelay: real fastify, real
 * HTTP over loopback, keep-alive), with one live relay-local session (`cat` in a real pty) so the
 * session routes have something to find; `POST /api/sessions` answers with that session.
 *
 * Inputs: requests with random methods; paths under /api built from the real routes (the live
 * session id, random ids and client ids, empty/`..`/percent-encoded/over-long segments) or random
 * segments, with random queries; the right token (as `token` or `Bearer`), a wrong one, a
 * malformed header or none (wrong tokens come from 127.0.0.2, so the brute-force limit turning
 * 429 does not lock out the rest of the run); content types of every kind; bodies that are valid
 * requests, valid ones with wrong types, extra fields or out-of-range values, random JSON,
 * prototype-poisoning keys, deeply nested arrays, broken JSON, bodies over the 64 KiB limit.
 *
 * Property: the relay never answers 5xx; every answer that has a body is JSON; every 4xx is
 * `{ "error": { "code", "message" } }` with a code from the catalog; no answer ever contains
 * the API token; the relay keeps answering (health) after the run.
 */
import { request as httpRequest, Agent } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { startRelay, type RunningRelay } from '../../../src/app.js';
import { ErrorCatalog } from '../../../src/core/errors.js';
import { configWith } from '../../../src/server/config/load-config.js';
import type { LocalSession } from '../../../src/server/host/local-session.js';
import { check, checkAsync, type FuzzTarget } from '../fuzz-target.js';

const TOKEN = 'fuzz-api-token-0123456789abcdef';

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

interface Req {
  method: string;
  path: string;
  authorization: string | null;
  /** A wrong token: sent from 127.0.0.2. */
  wrongToken: boolean;
  contentType: string | null;
  body: string | null;
}

function send(agent: Agent, port: number, r: Req): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (r.authorization !== null) headers['authorization'] = r.authorization;
  if (r.contentType !== null) headers['content-type'] = r.contentType;
  if (r.body !== null) headers['content-length'] = String(Buffer.byteLength(r.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent, localAddress: r.wrongToken ? '127.0.0.2' : '127.0.0.1' },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body ?? undefined);
  });
}

/** Printable ASCII without the characters node refuses in a header value. */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
/** Characters node accepts unescaped in a request path. */
const pathText = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.~!$&\'()*+,;=:@%'.split('')), maxLength: 12 });

function requests(sessionId: string): fc.Arbitrary<Req> {
  const id = fc.oneof(
    { weight: 3, arbitrary: fc.constant(sessionId) },
    { weight: 2, arbitrary: fc.constantFrom('s_', 's_x', 'nope', '..', '.', '%2e%2e', '%00', '%zz', '%', 'a'.repeat(300), `${sessionId}x`, sessionId.toUpperCase()) },
    { weight: 2, arbitrary: fc.webSegment() },
    { weight: 1, arbitrary: pathText },
  );
  const clientId = fc.oneof(fc.nat({ max: 5 }).map(String), fc.constantFrom('-1', '0', '999999999', '9999999999', '1e3', '0x1', 'abc', '%20', ''));
  const routed = fc.oneof(
    fc.constant('/sessions'),
    id.map((i) => `/sessions/${i}`),
    id.map((i) => `/sessions/${i}/extend`),
    fc.tuple(id, clientId).map(([i, c]) => `/sessions/${i}/clients/${c}`),
    fc.constantFrom('', '/', '/sessions/', '//sessions', '/Sessions', '/sessions?', '/metrics', '/../metrics'),
  );
  const random = fc.array(fc.oneof(fc.webSegment(), pathText), { maxLength: 5 }).map((s) => `/${s.join('/')}`);
  const query = fc.oneof(
    { weight: 4, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom('?', '?ttl=1h', '?a=1&a=2', '?%zz', '?__proto__[x]=1', '?cols=1000000') },
    { weight: 1, arbitrary: pathText.map((q) => `?${q}`) },
  );
  const path = fc.tuple(fc.oneof({ weight: 4, arbitrary: routed }, { weight: 1, arbitrary: random }), query).map(([p, q]) => `/api${p}${q}`);

  const auth = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(`token ${TOKEN}`, `Bearer ${TOKEN}`, `TOKEN   ${TOKEN}  `).map((a) => ({ authorization: a, wrongToken: false })) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.constantFrom<string | null>(null, 'token', `token ${TOKEN}x`, `token ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, `token  ${TOKEN} extra`), headerText)
        .map((a) => ({ authorization: a, wrongToken: true })),
    },
  );
  const contentType = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom<string | null>('application/json', 'application/json; charset=utf-8', null) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/json;', 'application/*', '*/*', 'application/jsonx', ''),
        headerText,
      ),
    },
  );
  const jsonish = fc.oneof(
    fc.record(
      {
        command: fc.oneof(fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }), fc.constant(null), fc.jsonValue({ maxDepth: 2 })),
        ttl: fc.oneof(fc.constantFrom('90s', '15m', '2h', '1d', '0s', '-1m', '99999h', '1.5h', '', ' 1h', '1h ', 'x'.repeat(40)), fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 })),
        quiet: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
        colour: fc.string({ maxLength: 5 }),
      },
      { requiredKeys: [] },
    ).map((o) => JSON.stringify(o)),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  );
  const body = fc.oneof(
    { weight: 3, arbitrary: fc.constant<string | null>(null) },
    { weight: 6, arbitrary: jsonish },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom('{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '{"ttl":"1h","__proto__":null}', '{', '{"ttl":', 'null', '""', '[]', '0', 'nul', '\u0000', '\ufeff{}', '{"ttl":"1h"}{"ttl":"2h"}', '{"ttl":"\\ud800"}'),
        fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
        fc.integer({ min: 65_000, max: 70_000 }).map((n) => `{"ttl":"${'x'.repeat(n)}"}`),
        fc.string({ maxLength: 40 }),
      ),
    },
  );
  return fc
    .record({ method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'), path, auth, contentType, body })
    .map(({ method, path: p, auth: a, contentType: ct, body: b }) => ({ method, path: p, ...a, contentType: ct, body: b }));
}

function checkAnswer(r: Req, a: Answer): void {
  const where = (): string => `${r.method} ${r.path} → ${a.status} ${a.text.slice(0, 300)}`;
  check(a.status >= 200 && a.status < 500, () => `status ${a.status}: ${where()}`);
  check(!a.text.includes(TOKEN), () => `the API token is in an answer: ${where()}`);
  if (r.method === 'HEAD' || a.text === '') return;
  check(a.contentType.startsWith('application/json'), () => `content type ${a.contentType}: ${where()}`);
  let body: unknown;
  try {
    body = JSON.parse(a.text);
  } catch {
    throw new Error(`answer is not JSON: ${where()}`);
  }
  if (a.status >= 400) {
    const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
    check(typeof error === 'object' && error !== null, () => `no error object: ${where()}`);
    check(typeof error.code === 'string' && error.code in ErrorCatalog, () => `error code ${String(error.code)}: ${where()}`);
    check(typeof error.message === 'string' && error.message.length > 0, () => `no error message: ${where()}`);
  }
}

async function withRelay<T>(body: (running: RunningRelay, session: LocalSession) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fuzz-http-'));
  let local: LocalSession | null = null;
  let running: RunningRelay | null = null;
  try {
    running = await startRelay(
      configWith({ sshPort: 0, httpPort: 0, localSession: false, keysDir: join(dir, 'keys'), apiToken: TOKEN, logLevel: 'silent' }),
      {
        log: pino({ level: 'silent' }),
        createLocalSession: async () => {
          if (!local) throw new Error('no session yet');
          return local.session;
        },
      },
    );
    local = await running.startLocalSession({ command: ['cat'], ttlMs: null, quiet: true });
    return await body(running, local);
  } finally {
    local?.stop();
    await running?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export const httpApi: FuzzTarget = {
  name: 'http-api',
  checks: 'the API never answers 5xx; answers are JSON; 4xx carry a catalog error code; the token never appears in an answer',
  quickRuns: 150,
  async run(params) {
    return withRelay(async (running, local) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 4 });
      try {
        const property = fc.asyncProperty(requests(local.session.id), async (r) => checkAnswer(r, await send(agent, running.httpPort, r)));
        const outcome = await checkAsync(this.name, property, params);
        const health = await send(agent, running.httpPort, { method: 'GET', path: '/healthz', authorization: null, wrongToken: false, contentType: null, body: null });
        if (!outcome.failed && health.status !== 200) return { ...outcome, failed: true, report: `the relay stopped answering: /healthz → ${health.status}` };
        return outcome;
      } finally {
        agent.destroy();
      }
    });
  },
};
