// Requests that Node's HTTP parser refuses before any route runs (headers over its 16 KiB limit,
// bytes that are not HTTP) are answered in the API's error shape, like every other API error,
// and only that connection is closed: the relay goes on serving.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';

/** Writes `request` on a fresh connection; resolves with everything answered until the relay closed it. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.once('error', reject);
    socket.once('close', () => resolve(answer));
    onCleanup(async () => void socket.destroy());
  });
}

function jsonBody(answer: string): unknown {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

describe('requests refused by the HTTP parser', () => {
  it('answers oversized headers 431 and garbage 400 in the API error shape, and keeps serving', async () => {
    const f = await startTestRelay();
    const port = f.running.httpPort;
    const huge = await rawExchange(port, `GET /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(huge).toMatch(/\r\nContent-Type: application\/json; charset=utf-8\r\n/);
    expect(jsonBody(huge)).toEqual({ error: { code: 'API_INVALID_REQUEST', message: 'the request headers are too large' } });

    const garbage = await rawExchange(port, 'HELLO THERE\x00\x01\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(jsonBody(garbage)).toEqual({ error: { code: 'API_INVALID_REQUEST', message: 'the request is not valid HTTP' } });

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});
