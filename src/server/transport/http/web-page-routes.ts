/**
 * The web viewer page: `GET /t/TOKEN` (read-write) and `GET /t/ro-TOKEN` (read-only) serve one
 * (named sessions with an API key: `GET /t/PREFIX/NAME`, `GET /t/ro-PREFIX/NAME`)
 * static page; its script and styles (the page code with @xterm/xterm, bundled at build time by
 * scripts/build-web.mjs into dist/web/) are served from `/web/`. No CDN, no inline script.
 *
 * Invariants:
 * - Every response carries the security headers: a CSP that only runs scripts from this origin,
 *   `Referrer-Policy: no-referrer` (the token is in the URL), no framing, no MIME sniffing; pages
 *   are never cached.
 * - The page itself is static; the server only fills in escaped text: the state
 *   (`live`, `unknown` or `refused`) and, for the last two, the notice a person reads. Unknown or
 *   expired tokens answer 404 and key-restricted sessions (tmate -a) 403, with that notice; an
 *   unknown token counts as a failed attempt of the address, and a throttled address gets 429
 *   whatever the token (abuse-guard.ts).
 * - Only the files named in ASSETS are served from dist/web/; nothing else on disk is reachable.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KEY_RESTRICTED_TEXT, THROTTLED_TEXT, UNKNOWN_TOKEN_TEXT, WEB_TOKEN_SOURCE } from '../../../core/protocol/web-viewer-protocol.js';
import type { Relay } from '../../relay/relay.js';
import type { HttpFeature } from './http-server.js';
import type { HttpClientAddress } from '../client-address.js';

/**
 * dist/web/ of this checkout, from both src/server/transport/http/ (tsx, vitest) and
 * dist/server/transport/http/ (the built relay).
 */
export const WEB_ASSETS_DIR = new URL('../../../../dist/web/', import.meta.url);

const ASSETS: Record<string, string> = {
  'viewer.js': 'text/javascript; charset=utf-8',
  'viewer.css': 'text/css; charset=utf-8',
};

/**
 * xterm.js draws its cells with <style> elements it creates at run time, so styles need
 * 'unsafe-inline'; scripts never do. 'self' in connect-src covers ws:/wss: to this host.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TOKEN = new RegExp(`^${WEB_TOKEN_SOURCE}$`);

/** What the page shows; `throttled` is drawn like `refused` (the page script knows those two). */
type PageState = 'live' | 'unknown' | 'refused' | 'throttled';

const NOTICES: Record<Exclude<PageState, 'live'>, { status: number; title: string; text: string }> = {
  unknown: { status: 404, title: 'Session not found', text: UNKNOWN_TOKEN_TEXT },
  refused: { status: 403, title: 'Web access refused', text: KEY_RESTRICTED_TEXT },
  throttled: { status: 429, title: 'Web access refused', text: THROTTLED_TEXT },
};

/**
 * Whether `token` names a live session the page may join. An unknown token is a failed attempt
 * for the brute-force guard, as on the WebSocket and over SSH, and a throttled address learns
 * nothing: without that, the page would answer "does this token exist" without limit, which
 * finds `tmate -n` names quickly.
 */
function pageState(relay: Relay, token: string, ip: string): { state: PageState; sessionName: string | null } {
  const guard = relay.services.guard;
  if (guard.refuseIfThrottled(ip)) return { state: 'throttled', sessionName: null };
  const entry = TOKEN.test(token) ? relay.registry.lookup(token) : undefined;
  if (!entry || entry.session.isEnded) {
    guard.authFailed(ip, 'unknown_token', { via: 'web-page' });
    return { state: 'unknown', sessionName: null };
  }
  const session = entry.session;
  return session.replica.options.keyRestricted ? { state: 'refused', sessionName: null } : { state: 'live', sessionName: session.nameFor(entry.readOnly) };
}

export function webPageRoutes(relay: Relay, clientAddress: HttpClientAddress, assetsDir: URL = WEB_ASSETS_DIR): HttpFeature {
  return {
    register(app: FastifyInstance) {
      const page = async (request: FastifyRequest, token: string, reply: FastifyReply): Promise<FastifyReply> => {
        const { state, sessionName } = pageState(relay, token, clientAddress(request.raw));
        const template = await readAsset(assetsDir, 'viewer.html');
        secure(reply).header('Cache-Control', 'no-store');
        if (template === null) return notBuilt(reply);
        const notice = state === 'live' ? null : NOTICES[state];
        const html = fill(template, {
          STATE: state === 'throttled' ? 'refused' : state,
          ASSETS: assetsPath(token),
          TITLE: notice?.title ?? sessionName ?? 'tmate',
          NOTICE_TITLE: notice?.title ?? '',
          NOTICE_TEXT: notice?.text ?? '',
          NOTICE_HIDDEN: notice ? '' : 'hidden',
        });
        return reply.code(notice?.status ?? 200).type('text/html; charset=utf-8').send(html);
      };
      app.get<{ Params: { token: string } }>('/t/:token', (request, reply) => page(request, request.params.token, reply));
      app.get<{ Params: { prefix: string; name: string } }>('/t/:prefix/:name', (request, reply) =>
        page(request, `${request.params.prefix}/${request.params.name}`, reply),
      );

      app.get<{ Params: { file: string } }>('/web/:file', async (request, reply) => {
        const file = request.params.file;
        const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
        secure(reply);
        if (type === undefined) return reply.code(404).type('text/plain').send('Not found');
        const body = await readAsset(assetsDir, file);
        if (body === null) return notBuilt(reply);
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
        reply.header('Cache-Control', 'no-cache').header('ETag', etag);
        if (request.headers['if-none-match'] === etag) return reply.code(304).send();
        return reply.type(type).send(body);
      });
    },
  };
}

/**
 * `/web/` relative to the page `/t/TOKEN` (a token may have two segments), so that the page also
 * works behind a proxy that serves the relay under a path prefix.
 */
function assetsPath(token: string): string {
  return `${'../'.repeat(token.split('/').length)}web/`;
}

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Cross-Origin-Opener-Policy', 'same-origin')
    .header('Cross-Origin-Resource-Policy', 'same-origin');
}

function notBuilt(reply: FastifyReply): FastifyReply {
  return reply.code(503).type('text/plain; charset=utf-8').send('The web viewer is not built: run `npm run build`.\n');
}

async function readAsset(dir: URL, name: string): Promise<string | null> {
  try {
    return await readFile(new URL(name, dir), 'utf8');
  } catch {
    return null;
  }
}

/** Replaces `{{NAME}}` placeholders with HTML-escaped values. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : escapeHtml(value);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
