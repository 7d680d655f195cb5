/**
 * Regression tests for what fuzzing (and reading the code while writing the fuzz targets) found,
 * each with its minimized input:
 *
 * 1. stream-decoder: a message of N empty strings (or empty arrays/maps) is 1 byte per object on
 *    the wire but ~100 bytes each once decoded: 16 MiB of them became ~2.3 GB of heap and 12 s of
 *    blocked event loop, so one host could take down the whole relay. Now the scanner counts
 *    objects and refuses (PROTOCOL_TOO_LARGE) past maxMessageObjects, before decoding anything.
 * 2. key-table: every bind-key with a new key or table name was kept forever, so a host streaming
 *    bind-keys grew the relay's memory without bound. Now tables, bindings and their total size
 *    are capped; unbind frees; emptied tables are dropped.
 * 3. emulator: xterm printed a multi-line "Parsing error" dump with console.warn for odd bytes
 *    in PTY_DATA (minimized: `ESC [ 1 ; 2 DEL`), so any host could flood the relay's stderr, which
 *    is its JSON log stream. xterm's logging is now off.
 * 4. http: a path with a malformed percent-escape (`/api/sessions/%zz`) or an over-long parameter
 *    got fastify's own error body, not the API's `{ error: { code, message } }`.
 */
import { encode } from '@msgpack/msgpack';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyTables, MAX_BINDINGS, MAX_BINDINGS_COST, MAX_TABLES } from '../../src/core/mux/key-table.js';
import { TmateStreamDecoder } from '../../src/core/protocol/tmate/stream-decoder.js';
import { parseOutMessage } from '../../src/core/protocol/tmate/out-messages.js';
import { createEmulator, feedEmulator } from '../../src/core/term/emulator.js';
import { keyFromName } from '../../src/core/term/key-names.js';
import { ApiClient } from '../helpers/api-client.js';
import { startTestRelay } from '../helpers/relay-fixture.js';
import { loadTrace } from '../unit/protocol/helpers.js';

/** `[12, "", "", …]`: an EXEC_CMD with `count` empty strings, as raw msgpack (array32 header). */
function emptyStrings(count: number): Uint8Array {
  const bytes = new Uint8Array(6 + count);
  bytes[0] = 0xdd;
  new DataView(bytes.buffer).setUint32(1, count + 1);
  bytes[5] = 12;
  bytes.fill(0xa0, 6);
  return bytes;
}

describe('stream decoder: objects per message are capped', () => {
  it('refuses 16 MiB of empty strings (default caps) as soon as the count is over, without decoding', () => {
    const bytes = emptyStrings(16 * 1024 * 1024 - 16);
    const decoder = new TmateStreamDecoder();
    // 1,048,576 objects (maxMessageBytes / 16) is the default cap: the error comes within the first 1.1 MB.
    const items = decoder.feed(bytes.subarray(0, 1_100_000));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ ok: false, error: { code: 'PROTOCOL_TOO_LARGE' } });
    expect(items[0]!.ok ? '' : items[0]!.error.detail).toMatch(/1048576 strings, arrays and maps/);
    expect(decoder.feed(bytes.subarray(1_100_000))).toEqual([]);
  });

  it('counts strings, bins, exts, arrays and maps, not scalars, up to the configured cap', () => {
    const cap = 1000;
    const accepted = new TmateStreamDecoder({ maxMessageObjects: cap }).feed(emptyStrings(cap - 1)); // + the outer array
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.ok && parseOutMessage(accepted[0]!.value).ok).toBe(true);
    expect(new TmateStreamDecoder({ maxMessageObjects: cap }).feed(emptyStrings(cap))[0]).toMatchObject({ ok: false, error: { code: 'PROTOCOL_TOO_LARGE' } });
    for (const one of [[0x90], [0x80], [0xc4, 0], [0xd4, 1, 0]]) {
      const bytes = Uint8Array.from([0xdc, 0x07, 0xd0, ...Array.from({ length: 2000 }, () => one).flat()]);
      expect(new TmateStreamDecoder({ maxMessageObjects: cap }).feed(bytes)[0], JSON.stringify(one)).toMatchObject({ ok: false });
    }
    const ints = encode([2, ...Array.from({ length: 5000 }, (_, k) => k)]);
    expect(new TmateStreamDecoder({ maxMessageObjects: 10 }).feed(ints)[0]).toMatchObject({ ok: true });
  });

  it('still takes the real 132 KB reconnect SNAPSHOT, even under a 256 KiB message cap', () => {
    const snapshot = loadTrace('18-large-output-legacy-key.jsonl').find((l) => l.name === 'SNAPSHOT');
    expect(snapshot).toBeDefined();
    const items = new TmateStreamDecoder({ maxMessageBytes: 256 * 1024 }).feed(encode(snapshot!.msg));
    expect(items).toHaveLength(1);
    expect(items[0]!.ok && parseOutMessage(items[0]!.value).ok).toBe(true);
  });
});

describe('key tables: memory is bounded whatever the host replicates', () => {
  it('keeps at most MAX_BINDINGS bindings; rebinding an existing key and unbinding still work', () => {
    const tables = new KeyTables();
    const names = Array.from({ length: MAX_BINDINGS + 10 }, (_, k) => `0x${(0x100 + k).toString(16)}`);
    const accepted = names.map((name) => tables.apply(['bind-key', name, 'new-window']));
    expect(accepted.filter(Boolean)).toHaveLength(MAX_BINDINGS);
    expect(accepted.slice(MAX_BINDINGS)).toEqual(Array(10).fill(false));
    expect(tables.lookup('prefix', keyFromName(names[MAX_BINDINGS]!)!)).toBeUndefined();
    expect(tables.apply(['bind-key', names[0]!, 'kill-pane'])).toBe(true); // replacing is not growing
    expect(tables.lookup('prefix', keyFromName(names[0]!)!)?.commands).toEqual([['kill-pane']]);
    expect(tables.apply(['unbind-key', names[1]!])).toBe(true);
    expect(tables.apply(['bind-key', names[MAX_BINDINGS]!, 'new-window'])).toBe(true); // the freed slot
    expect(tables.apply(['unbind-key', '-a'])).toBe(true);
    expect(tables.apply(['bind-key', 'c', 'new-window'])).toBe(true);
  });

  it('keeps at most MAX_TABLES tables, and drops tables emptied by unbind-key', () => {
    const tables = new KeyTables();
    for (let k = 0; k < MAX_TABLES; k++) expect(tables.apply(['bind-key', '-T', `t${k}`, 'x', 'new-window'])).toBe(true);
    expect(tables.apply(['bind-key', '-T', 'one-too-many', 'x', 'new-window'])).toBe(false);
    for (let round = 0; round < 1000; round++) {
      expect(tables.apply(['unbind-key', '-T', `t${round % MAX_TABLES}`, 'x'])).toBe(true);
      expect(tables.apply(['bind-key', '-T', `cycle${round}`, 'x', 'new-window'])).toBe(true);
      expect(tables.apply(['unbind-key', '-T', `cycle${round}`, 'x'])).toBe(true);
      expect(tables.apply(['bind-key', '-T', `t${round % MAX_TABLES}`, 'x', 'new-window'])).toBe(true);
    }
  });

  it('caps the total size of the bound commands', () => {
    const tables = new KeyTables();
    const big = Array.from({ length: 1000 }, () => 'w'.repeat(100)); // ~116 K of budget per binding
    let accepted = 0;
    for (let k = 0; k < 20; k++) if (tables.apply(['bind-key', '-T', `t${k}`, 'x', ...big])) accepted++;
    const perBinding = 1000 * (100 + 16);
    expect(accepted).toBe(Math.floor(MAX_BINDINGS_COST / perBinding));
    expect(tables.apply(['bind-key', 'c', 'new-window'])).toBe(true); // small ones still fit
  });
});

describe('emulator: hostile PTY data never reaches the relay’s stderr', () => {
  afterEach(() => vi.restoreAllMocks());

  it('stays silent for the minimized input and for invalid sequences of every kind', () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => undefined));
    const term = createEmulator(40, 10, 10);
    const inputs = ['\x1b[1;2\x7f', '\x1b[38;5;\x7f1m', '\x1bP\x7f\x9c', '\x1b]\x7f\x07', '\x1b[?\x7fh'];
    for (const input of inputs) feedEmulator(term, Uint8Array.from(input, (c) => c.charCodeAt(0)));
    for (let b = 0; b < 256; b++) feedEmulator(term, Uint8Array.of(0x1b, 0x5b, 0x31, 0x3b, b, 0x6d));
    term.dispose();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});

describe('http: malformed URLs get the API error shape', () => {
  it('answers a bad percent-escape with 400 and an over-long path parameter with 414, as API errors', async () => {
    const f = await startTestRelay({ apiToken: 'api-token-for-regressions-0123' });
    const api = ApiClient.of(f);
    for (const authorization of [undefined, null]) {
      const bad = await api.get('/api/sessions/%zz', authorization === null ? { authorization } : {});
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: { code: 'API_INVALID_REQUEST', message: 'the request path is not a valid URL' } });
      const long = await api.get(`/api/sessions/${'a'.repeat(300)}`, authorization === null ? { authorization } : {});
      expect(long.status).toBe(414);
      expect(long.body).toEqual({ error: { code: 'API_INVALID_REQUEST', message: 'a part of the request path is too long' } });
    }
    expect((await api.get('/api/sessions')).status).toBe(200);
  });
});
