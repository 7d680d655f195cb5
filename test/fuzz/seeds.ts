/**
 * Seeds and mutators shared by the fuzz targets: every message of the recorded traces
 * (shared/tmate/traces/*.jsonl), both as JSON values and as the bytes the tmate client put on the
 * wire, plus fast-check arbitraries for hostile values and for mutations of real inputs (replace a
 * node with a wrong type, drop or add elements, wrap, truncate; flip, insert, delete or splice
 * bytes, plant huge length headers).
 *
 * Invariants: seeds are loaded once per process and never mutated (every mutator works on a
 * copy); mutators are pure functions of (seed, mutation list), so fast-check can shrink and replay.
 */
import { Decoder, encode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { concat, loadTrace, traceFiles } from '../unit/protocol/helpers.js';

const rawDecoder = new Decoder({ rawStrings: true, useBigInt64: false });

/** A trace message as JSON (text as JS strings), in recording order. */
export type JsonMessage = readonly unknown[];

interface TraceSeeds {
  /** Distinct host → relay messages, as JSON. */
  out: JsonMessage[];
  /** Distinct relay → host messages, as JSON. */
  in: JsonMessage[];
  /** Per trace file, its host → relay messages encoded as the client does (smallest ints, str). */
  outStreams: Uint8Array[][];
}

let cached: TraceSeeds | null = null;

function distinct(messages: JsonMessage[]): JsonMessage[] {
  const seen = new Map<string, JsonMessage>();
  for (const m of messages) seen.set(JSON.stringify(m), m);
  return [...seen.values()];
}

export function traceSeeds(): TraceSeeds {
  if (cached) return cached;
  const out: JsonMessage[] = [];
  const inbound: JsonMessage[] = [];
  const outStreams: Uint8Array[][] = [];
  for (const file of traceFiles()) {
    const lines = loadTrace(file);
    const hostLines = lines.filter((l) => l.dir === 'c2s');
    out.push(...hostLines.map((l) => l.msg));
    inbound.push(...lines.filter((l) => l.dir === 's2c').map((l) => l.msg));
    if (hostLines.length > 0) outStreams.push(hostLines.map((l) => encode(l.msg)));
  }
  cached = { out: distinct(out), in: distinct(inbound), outStreams };
  return cached;
}

/** A JSON message as the stream decoder returns it: text as `Uint8Array` (rawStrings). */
export function asDecoded(message: JsonMessage): unknown {
  return rawDecoder.decode(encode(message));
}

/** Distinct OUT messages of the traces in decoded form, smallest first (cheap seeds shrink better). */
export function decodedOutSeeds(): unknown[] {
  return traceSeeds()
    .out.map((m) => ({ m, size: JSON.stringify(m).length }))
    .sort((a, b) => a.size - b.size)
    .map(({ m }) => asDecoded(m));
}

// ---------------------------------------------------------------------------------------------
// Hostile values

/** Integers at every msgpack and JS boundary, plus floats and non-finite numbers. */
export const edgeNumber: fc.Arbitrary<number> = fc.constantFrom(
  -1, 0, 1, 127, 128, 255, 256, 65_535, 65_536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32,
  2 ** 44, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), -(2 ** 63), 2 ** 64, -32, -33, -129, -32_769,
  Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity, -0, 0.5, -1.5,
);

/** Any scalar a msgpack decoder (or a confused caller) can produce, and a few it cannot. */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -40, max: 300 }),
  edgeNumber,
  fc.double(),
  fc.uint8Array({ maxLength: 24 }),
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom<unknown>(null, undefined, true, false, {}, new Date(0), 10n, -(2n ** 64n)),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer({ min: -2, max: 2 }), { maxKeys: 3 }),
);

/** A random value tree of hostile scalars and arrays (what garbage decodes to). */
export const hostileTree: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', maxDepth: 5 }, hostileScalar, fc.array(tie('node'), { maxLength: 6 })),
})).node;

// ---------------------------------------------------------------------------------------------
// Value-tree mutations

export type ValueMutation =
  | { kind: 'replace' | 'insert'; at: number; value: unknown }
  | { kind: 'delete' | 'truncate' | 'wrap' | 'duplicate'; at: number };

export const valueMutation: fc.Arbitrary<ValueMutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('replace' as const, 'insert' as const), at: fc.nat(), value: fc.oneof(hostileScalar, hostileTree) }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'truncate' as const, 'wrap' as const, 'duplicate' as const), at: fc.nat() }),
);

interface NodeRef {
  parent: unknown[] | null;
  index: number;
  value: unknown;
}

/** Pre-order list of every node of a value tree (arrays are descended into). */
function nodesOf(root: unknown): NodeRef[] {
  const out: NodeRef[] = [];
  const stack: NodeRef[] = [{ parent: null, index: 0, value: root }];
  while (stack.length > 0) {
    const ref = stack.pop()!;
    out.push(ref);
    if (Array.isArray(ref.value)) {
      const arr = ref.value as unknown[];
      for (let k = arr.length - 1; k >= 0; k--) stack.push({ parent: arr, index: k, value: arr[k] });
    }
  }
  return out;
}

/** Applies mutations to a copy of `root`; node choice is `at` modulo the current node count. */
export function mutateValue(root: unknown, mutations: readonly ValueMutation[]): unknown {
  let tree: unknown = structuredClone(root);
  for (const m of mutations) {
    const nodes = nodesOf(tree);
    const ref = nodes[m.at % nodes.length]!;
    const put = (value: unknown): void => {
      if (ref.parent) ref.parent[ref.index] = value;
      else tree = value;
    };
    switch (m.kind) {
      case 'replace':
        put(m.value);
        break;
      case 'insert':
        if (Array.isArray(ref.value)) (ref.value as unknown[]).splice(m.at % (ref.value.length + 1), 0, m.value);
        else if (ref.parent) ref.parent.splice(ref.index, 0, m.value);
        break;
      case 'delete':
        if (ref.parent) ref.parent.splice(ref.index, 1);
        break;
      case 'truncate':
        if (Array.isArray(ref.value)) ref.value.length = m.at % (ref.value.length + 1);
        break;
      case 'wrap':
        put([ref.value]);
        break;
      case 'duplicate':
        if (ref.parent) ref.parent.splice(ref.index, 0, structuredClone(ref.value));
        break;
    }
  }
  return tree;
}

// ---------------------------------------------------------------------------------------------
// Byte mutations

/** Length headers claiming huge sizes: str32, array32, map32, bin32, ext32, str16, array16. */
const HUGE_HEADERS = [0xdb, 0xdd, 0xdf, 0xc6, 0xc9, 0xda, 0xdc];

export type ByteMutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'huge-length'; at: number; header: number }
  | { kind: 'duplicate'; at: number; length: number };

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 32 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('huge-length' as const), at: fc.nat(), header: fc.constantFrom(...HUGE_HEADERS) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
);

/** Applies byte mutations to a copy; positions are taken modulo the current length. */
export function mutateBytes(input: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(input);
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.kind) {
      case 'flip':
        if (b.length > 0) b[at] = m.byte;
        break;
      case 'insert':
        b = concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
        break;
      case 'delete':
        b = concat([b.subarray(0, at), b.subarray(at + m.length)]);
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'huge-length': {
        const header = new Uint8Array([m.header, 0xff, 0xff, 0xff, 0xff]);
        b = concat([b.subarray(0, at), header, b.subarray(at)]);
        break;
      }
      case 'duplicate':
        b = concat([b.subarray(0, at + m.length), b.subarray(at, at + m.length), b.subarray(at + m.length)]);
        break;
    }
  }
  return b;
}

/** Splits `bytes` into chunks whose sizes cycle through `sizes` (each at least 1). */
export function chunk(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let k = 0;
  for (let at = 0; at < bytes.length; k++) {
    const size = Math.max(1, sizes.length === 0 ? bytes.length : sizes[k % sizes.length]!);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

/**
 * Canonical text of a decoded value for equality checks: bytes as hex, bigint and NaN spelled
 * out, -0 as 0, object keys sorted. Iterative depth is bounded by the values the targets build.
 */
export function canon(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Uint8Array) return `hex:${Buffer.from(v).toString('hex')}`;
    if (typeof v === 'bigint') return `bigint:${v}`;
    if (typeof v === 'number' && !Number.isFinite(v)) return `number:${v}`;
    if (Object.is(v, -0)) return 0; // a float -0.0 reads as the integer 0; msgpack ints have no -0
    if (v === undefined) return 'undefined';
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
  });
}
