/**
 * JSON request bodies: fastify's own parser (secure-json-parse, which refuses `__proto__` keys
 * and `constructor.prototype`, the keys that let a merged body change every object's prototype),
 * with a refusal that says what was refused. fastify answers both with the same error as for
 * text that is not JSON at all, which sends a client looking for a syntax error that is not there.
 *
 * Invariants: exactly what fastify's default parser accepts is accepted, and an empty body on a
 * method that takes none; a body it refuses that is well-formed JSON is refused with
 * FORBIDDEN_JSON_KEY, anything else with fastify's own error.
 */
import type { FastifyInstance } from 'fastify';

/** The `code` of the error for well-formed JSON with a prototype key (api-errors.ts answers it). */
export const FORBIDDEN_JSON_KEY = 'RELAY_JSON_FORBIDDEN_KEY';

const BODYLESS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

export function useJsonBodyParser(app: FastifyInstance): void {
  const secureParse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, raw, done) => {
    const body = typeof raw === 'string' ? raw : raw.toString('utf8'); // parseAs 'string': always a string
    // Many HTTP clients send `Content-Type: application/json` on every request: a DELETE (or GET)
    // takes no body, so an empty one is no body rather than a JSON error (which a script may read
    // as a cancel that failed).
    if (body === '' && BODYLESS_METHODS.has(request.method)) return done(null, undefined);
    secureParse(request, body, (error, value) => {
      if (error && isWellFormedJson(body)) return done(forbiddenKeyError(), undefined);
      done(error, value);
    });
  });
}

function isWellFormedJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function forbiddenKeyError(): Error & { code: string; statusCode: number } {
  return Object.assign(new Error('JSON body with a prototype key'), { code: FORBIDDEN_JSON_KEY, statusCode: 400 });
}
