/**
 * Shared low-level pieces of the tmate codec: a tiny msgpack writer and a field reader for
 * decoded message arrays.
 *
 * Invariants:
 * - The writer only ever emits ints (smallest msgpack int form, like msgpack-c), str, arrays and
 *   nil. It never emits a float: a non-safe-integer throws `WireError` before anything is written.
 *   Strings are always msgpack `str` (fixstr/str8/16/32), also for raw terminal bytes.
 * - The reader never coerces: a field is an int only if it is a safe integer `number`, text only
 *   if it is a `Uint8Array` (str/bin under rawStrings) or a JS string. Failures throw `WireError`
 *   naming the message and field; the public parse/encode functions turn it into a `Result`.
 */

/** Internal control-flow error of the codec; never escapes the public functions as an exception. */
export class WireError extends RangeError {
  constructor(readonly where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'WireError';
  }
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** Lossy UTF-8 decode (invalid sequences become U+FFFD). */
export function decodeText(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

export function encodeText(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

// ---------------------------------------------------------------------------------------------
// Writer

export class MsgpackWriter {
  private buf = new Uint8Array(64);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  /** Bytes written so far (a copy-free view; the writer must not be used afterwards). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  array(count: number, where: string): this {
    checkLength(count, where);
    if (count < 16) return this.u8(0x90 | count);
    if (count < 0x10000) return this.u8(0xdc).u16(count);
    return this.u8(0xdd).u32(count);
  }

  nil(): this {
    return this.u8(0xc0);
  }

  int(value: unknown, where: string): this {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new WireError(where, `expected a safe integer, got ${describe(value)}`);
    }
    return value >= 0 ? this.uint(value) : this.negInt(value);
  }

  /** A JS string, written as UTF-8 msgpack str. */
  text(value: unknown, where: string): this {
    if (typeof value !== 'string') throw new WireError(where, `expected a string, got ${describe(value)}`);
    return this.str(encodeText(value), where);
  }

  /** Raw bytes written as msgpack str (what tmate does for terminal bytes). */
  str(bytes: unknown, where: string): this {
    if (!(bytes instanceof Uint8Array)) throw new WireError(where, `expected bytes, got ${describe(bytes)}`);
    const n = bytes.length;
    checkLength(n, where);
    if (n < 32) this.u8(0xa0 | n);
    else if (n < 0x100) this.u8(0xd9).u8(n);
    else if (n < 0x10000) this.u8(0xda).u16(n);
    else this.u8(0xdb).u32(n);
    this.reserve(n);
    this.buf.set(bytes, this.len);
    this.len += n;
    return this;
  }

  private uint(v: number): this {
    if (v < 0x80) return this.u8(v);
    if (v < 0x100) return this.u8(0xcc).u8(v);
    if (v < 0x10000) return this.u8(0xcd).u16(v);
    if (v < 0x100000000) return this.u8(0xce).u32(v);
    return this.u8(0xcf).u32(Math.floor(v / 0x100000000)).u32(v >>> 0);
  }

  private negInt(v: number): this {
    if (v >= -0x20) return this.u8(v & 0xff);
    if (v >= -0x80) return this.u8(0xd0).u8(v & 0xff);
    if (v >= -0x8000) return this.u8(0xd1).u16(v & 0xffff);
    if (v >= -0x80000000) return this.u8(0xd2).u32(v >>> 0);
    this.u8(0xd3).reserve(8);
    this.view.setBigInt64(this.len, BigInt(v));
    this.len += 8;
    return this;
  }

  private u8(v: number): this {
    this.reserve(1);
    this.buf[this.len++] = v;
    return this;
  }

  private u16(v: number): this {
    this.reserve(2);
    this.view.setUint16(this.len, v);
    this.len += 2;
    return this;
  }

  private u32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.len, v);
    this.len += 4;
    return this;
  }

  private reserve(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

function checkLength(n: number, where: string): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) {
    throw new WireError(where, `length ${n} does not fit msgpack`);
  }
}

// ---------------------------------------------------------------------------------------------
// Reader

/** Short, bounded description of a value for error details (never dumps content). */
export function describe(value: unknown): string {
  if (value === null) return 'nil';
  if (value instanceof Uint8Array) return `bytes(${value.length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'number') return Number.isInteger(value) ? `int ${value}` : `float ${value}`;
  return typeof value;
}

/**
 * Sequential reader over one decoded array: `next*` methods take element `i` and advance.
 * `where` names the message (and nesting) for error details, e.g. "SYNC_LAYOUT.windows[1]".
 */
export class Fields {
  private i: number;

  constructor(
    readonly where: string,
    private readonly items: readonly unknown[],
    start = 0,
  ) {
    this.i = start;
  }

  /** Elements not yet read. */
  get remaining(): number {
    return this.items.length - this.i;
  }

  int(field: string): number {
    const v = this.take(field);
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    return this.bad(field, 'an integer', v);
  }

  /** A non-negative integer (sizes, offsets). */
  uint(field: string): number {
    const v = this.int(field);
    if (v >= 0) return v;
    return this.bad(field, 'a non-negative integer', v);
  }

  /** Integer 0/1 (or msgpack bool) as a boolean. */
  flag(field: string): boolean {
    const v = this.take(field);
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v !== 0;
    return this.bad(field, 'an integer flag', v);
  }

  /** str or bin, decoded as lossy UTF-8. */
  text(field: string): string {
    const v = this.take(field);
    if (v instanceof Uint8Array) return decodeText(v);
    if (typeof v === 'string') return v;
    return this.bad(field, 'a string', v);
  }

  /** str or bin, kept as bytes. */
  bytes(field: string): Uint8Array {
    const v = this.take(field);
    if (v instanceof Uint8Array) return v;
    if (typeof v === 'string') return encodeText(v);
    return this.bad(field, 'a string', v);
  }

  array(field: string): readonly unknown[] {
    const v = this.take(field);
    if (Array.isArray(v)) return v;
    return this.bad(field, 'an array', v);
  }

  /** A nested array as its own reader. */
  sub(field: string, minLength: number): Fields {
    const arr = this.array(field);
    const where = `${this.where}.${field}`;
    if (arr.length < minLength) {
      throw new WireError(where, `expected at least ${minLength} elements, got ${arr.length}`);
    }
    return new Fields(where, arr);
  }

  /** A nested array that is either empty (→ null) or has at least `minLength` elements. */
  subOrEmpty(field: string, minLength: number): Fields | null {
    const arr = this.array(field);
    const where = `${this.where}.${field}`;
    if (arr.length === 0) return null;
    if (arr.length < minLength) {
      throw new WireError(where, `expected [] or at least ${minLength} elements, got ${arr.length}`);
    }
    return new Fields(where, arr);
  }

  /** True (and consumes nothing) if the next element is nil. */
  peekNil(): boolean {
    return this.items[this.i] === null;
  }

  skip(): void {
    this.i++;
  }

  private take(field: string): unknown {
    if (this.i >= this.items.length) throw new WireError(`${this.where}.${field}`, 'missing');
    return this.items[this.i++];
  }

  private bad(field: string, expected: string, got: unknown): never {
    throw new WireError(`${this.where}.${field}`, `expected ${expected}, got ${describe(got)}`);
  }
}

/** Runs `fn` over each element of `arr` as a nested reader of at least `minLength` elements. */
export function mapEach<T>(
  parent: Fields,
  arr: readonly unknown[],
  field: string,
  minLength: number,
  fn: (f: Fields) => T,
): T[] {
  const out: T[] = [];
  const holder = new Fields(parent.where, arr);
  for (let k = 0; k < arr.length; k++) out.push(fn(holder.sub(`${field}[${k}]`, minLength)));
  return out;
}

/** Reads the leading `[typeId, …]` of a top-level message, or null if it is not such an array. */
export function messageTypeOf(value: unknown): { id: number; items: readonly unknown[] } | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const id: unknown = value[0];
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return null;
  return { id, items: value };
}
