/**
 * Test helpers for the tmate codec: a seeded PRNG, random stream splitting, and the recorded
 * traces in shared/tmate/traces (JSON lines; `msg` is the decoded message with text as JSON text).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmateStreamDecoder, type DecodedItem } from '../../../src/core/protocol/tmate/stream-decoder.js';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const tracesDir = path.resolve(repoRoot, '..', 'shared', 'tmate', 'traces');

/** mulberry32: tiny deterministic PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randInt(rnd: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

export function randomBytes(rnd: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rnd() * 256);
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Splits `bytes` at random points: chunk sizes from 1 to `maxChunk`, skewed towards small. */
export function randomSplit(bytes: Uint8Array, rnd: () => number, maxChunk: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = Math.max(1, Math.floor(rnd() ** 3 * maxChunk));
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

export function fixedSplit(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

/** Feeds all chunks to a fresh decoder and returns every item, in order. */
export function decodeChunks(chunks: readonly Uint8Array[], opts?: { maxMessageBytes?: number }): DecodedItem[] {
  const d = new TmateStreamDecoder(opts);
  const items: DecodedItem[] = [];
  for (const c of chunks) items.push(...d.feed(c));
  return items;
}

export interface TraceLine {
  dir: 'c2s' | 's2c';
  name?: string;
  msg: unknown[];
  bytes?: number;
  lineNo: number;
}

export function traceFiles(): string[] {
  return fs.readdirSync(tracesDir).filter((f) => f.endsWith('.jsonl')).sort();
}

/** The c2s/s2c message lines of one trace (events, marks and notes are dropped). */
export function loadTrace(file: string): TraceLine[] {
  const text = fs.readFileSync(path.join(tracesDir, file), 'utf8');
  const out: TraceLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    const o = JSON.parse(raw) as { dir?: string; name?: string; msg?: unknown; bytes?: number };
    if ((o.dir === 'c2s' || o.dir === 's2c') && Array.isArray(o.msg)) {
      out.push({ dir: o.dir, name: o.name, msg: o.msg as unknown[], bytes: o.bytes, lineNo: i + 1 });
    }
  });
  return out;
}

/**
 * Canonical text of a value for fast deep comparison (vitest's toEqual is slow on the 10^4..10^6
 * element arrays these tests use): object keys sorted, bytes as hex, bigint and -0 spelled out.
 */
export function canon(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Uint8Array) return `hex:${Buffer.from(v).toString('hex')}`;
    if (typeof v === 'bigint') return `bigint:${v}`;
    if (typeof v === 'number' && !Number.isFinite(v)) return `number:${v}`;
    if (Object.is(v, -0)) return 'number:-0';
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
  });
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
