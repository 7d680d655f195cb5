// A tiny client for the relay's HTTP API in tests: real HTTP over loopback (node:http, so a test can
// pick the source address), JSON in and out, the API token sent as `Authorization: token …`
// unless told otherwise.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { RelayFixture } from './relay-fixture.js';

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: T;
}

export interface ApiRequest {
  /** A JSON value, or a raw string sent as is. */
  body?: unknown;
  /** Authorization header; default `token <fixture's API token>`; null sends none. */
  authorization?: string | null;
  contentType?: string;
  /** Source address to bind (e.g. 127.0.0.2). */
  from?: string;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  static of(f: RelayFixture): ApiClient {
    return new ApiClient(`http://127.0.0.1:${f.running.httpPort}`, f.running.apiToken.value);
  }

  async call<T = unknown>(method: string, path: string, request: ApiRequest = {}): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = {};
    const auth = request.authorization === undefined ? `token ${this.token}` : request.authorization;
    if (auth !== null) headers['authorization'] = auth;
    let body: string | undefined;
    if (request.body !== undefined) {
      body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
      headers['content-type'] = request.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const { status, headers: answerHeaders, text } = await send(new URL(path, this.baseUrl), method, headers, body, request.from);
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status, headers: answerHeaders, body: parsed as T };
  }

  get<T = unknown>(path: string, request?: ApiRequest): Promise<ApiAnswer<T>> {
    return this.call<T>('GET', path, request);
  }

  post<T = unknown>(path: string, body?: unknown, request: ApiRequest = {}): Promise<ApiAnswer<T>> {
    return this.call<T>('POST', path, { ...request, body });
  }

  delete<T = unknown>(path: string, request?: ApiRequest): Promise<ApiAnswer<T>> {
    return this.call<T>('DELETE', path, request);
  }

  /** The value of one sample of a metric, e.g. `metric('tmate_relay_viewers_active', 'access="rw"')`. */
  async metric(name: string, labels = ''): Promise<number> {
    const { text } = await send(new URL('/metrics', this.baseUrl), 'GET', {}, undefined, undefined);
    const escaped = labels.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`^${name}${labels ? `\\{${escaped}\\}` : ''} ([0-9.e+-]+)$`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  }
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  localAddress: string | undefined,
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
