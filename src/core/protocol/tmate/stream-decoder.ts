/**
 * Sans-IO decoder for the tmate channel: a bare stream of concatenated msgpack objects, split at
 * arbitrary byte boundaries. Strings are returned as raw bytes (`Uint8Array`).
 *
 * How it stays linear: a resumable structural scanner walks the buffered bytes once, tracking only
 * "items still owed" by the current top-level object (each container header adds its count). It
 * never re-reads a payload, so a multi-MiB message fed in 1 KiB chunks costs O(size) scanning plus
 * amortized O(size) buffer copies (capacity doubles). Only when the scanner has found a complete
 * object is it decoded, once, by @msgpack/msgpack from a private copy of exactly its bytes (the
 * library returns str/bin as views into its input, so values never alias our reusable buffer).
 *
 * Invariants:
 * - `feed` never throws, whatever the input.
 * - An object larger than `maxMessageBytes` → exactly one PROTOCOL_TOO_LARGE, reported as soon as
 *   the declared lengths prove it (e.g. a str32 header claiming 4 GiB) without buffering it.
 * - An object holding more than `maxMessageObjects` strings, byte strings, exts, arrays and maps →
 *   one PROTOCOL_TOO_LARGE, found by the scanner before anything is decoded. Each of those becomes
 *   a JS object of 40–100+ bytes, so without this cap a 16 MiB message of empty strings would
 *   decode into ~2 GB of heap (one host could exhaust the whole relay). Legitimate messages stay
 *   far below it (a reconnect SNAPSHOT has about one such object per 4 bytes at worst).
 * - Invalid msgpack (0xc1, or anything the library refuses) → one PROTOCOL_BAD_MSGPACK.
 * - After an error the decoder is poisoned: every later `feed` returns [].
 */
import { Decoder } from '@msgpack/msgpack';
import { relayError, type RelayError } from '../../errors.js';

export type DecodedItem = { ok: true; value: unknown; bytes: number } | { ok: false; error: RelayError };

export interface TmateStreamDecoderOptions {
  /** Largest single top-level object accepted, in bytes. Default 16 MiB. */
  maxMessageBytes?: number;
  /**
   * Most strings/bins/exts/arrays/maps in one top-level object (scalars are not counted).
   * Default: maxMessageBytes / 16, at least 65,536.
   */
  maxMessageObjects?: number;
}

const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const MIN_DEFAULT_MAX_OBJECTS = 65_536;
/** An idle decoder keeps at most this much buffer capacity. */
const RETAINED_BUFFER_BYTES = 256 * 1024;

/** Scanner step outcome: a header was consumed, more bytes are needed, or the byte is invalid. */
const STEP_OK = 0;
const STEP_MORE = 1;
const STEP_INVALID = 2;
const STEP_TOO_LARGE = 3;

/** fixmap/fixarray/fixstr, bin, ext, fixext, str, array and map headers: each decodes to a JS object. */
function isObjectHeader(b: number): boolean {
  return (b >= 0x80 && b <= 0xbf) || (b >= 0xc4 && b <= 0xc9) || (b >= 0xd4 && b <= 0xdf);
}

export class TmateStreamDecoder {
  private readonly max: number;
  private readonly maxObjects: number;
  private readonly decoder = new Decoder({ rawStrings: true, useBigInt64: false });
  private buf: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(this.buf.buffer);
  /** Start of the current (incomplete) object in `buf`. */
  private start = 0;
  /** End of buffered bytes in `buf`. */
  private end = 0;
  /** Scan position; may run past `end` while skipping a str/bin/ext payload not yet received. */
  private pos = 0;
  /** Items the current top-level object still owes (1 at the start of an object). */
  private owed = 1;
  /** Non-scalar items (str/bin/ext/array/map headers) scanned in the current top-level object. */
  private objects = 0;
  private poisoned = false;

  constructor(opts?: TmateStreamDecoderOptions) {
    const m = opts?.maxMessageBytes;
    this.max = typeof m === 'number' && Number.isSafeInteger(m) && m > 0 ? m : DEFAULT_MAX_MESSAGE_BYTES;
    const o = opts?.maxMessageObjects;
    this.maxObjects =
      typeof o === 'number' && Number.isSafeInteger(o) && o > 0 ? o : Math.max(MIN_DEFAULT_MAX_OBJECTS, Math.floor(this.max / 16));
  }

  feed(chunk: Uint8Array): DecodedItem[] {
    if (this.poisoned) return [];
    const out: DecodedItem[] = [];
    try {
      this.append(chunk);
      this.drain(out);
    } catch (e) {
      // Defensive: nothing above is expected to throw; if it does, fail closed.
      this.poison(out, relayError('PROTOCOL_BAD_MSGPACK', `decoder failure: ${String(e)}`));
    }
    return out;
  }

  /** Emits every complete object now buffered; stops at the first error. */
  private drain(out: DecodedItem[]): void {
    while (!this.poisoned) {
      const status = this.scan();
      if (status === STEP_INVALID) {
        return this.poison(out, relayError('PROTOCOL_BAD_MSGPACK', `invalid msgpack byte at offset ${this.pos - this.start}`));
      }
      if (status === STEP_TOO_LARGE) {
        const what = this.objects > this.maxObjects ? `${this.maxObjects} strings, arrays and maps` : `${this.max} bytes`;
        return this.poison(out, relayError('PROTOCOL_TOO_LARGE', `message exceeds ${what}`));
      }
      if (status === STEP_MORE) return this.compactIfEmpty();
      out.push(this.decodeCurrent());
    }
  }

  /** Advances the scanner; STEP_OK means the current object is complete within `end`. */
  private scan(): number {
    while (this.owed > 0) {
      if (this.pos >= this.end) return STEP_MORE;
      const head = this.buf[this.pos]!;
      const s = this.step();
      if (s !== STEP_OK) return s;
      if (isObjectHeader(head)) this.objects++;
      // Each owed item needs at least one more byte, so this is a lower bound of the object's
      // size: absurd declared lengths fail here, before any of their bytes are buffered.
      if (this.pos - this.start + this.owed > this.max || this.objects > this.maxObjects) return STEP_TOO_LARGE;
    }
    return this.pos <= this.end ? STEP_OK : STEP_MORE;
  }

  /** Consumes one header at `pos` (not its payload bytes, which are skipped by moving `pos`). */
  private step(): number {
    const b = this.buf[this.pos]!;
    if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) return this.take(1, 0, 0);
    if (b <= 0x8f) return this.take(1, 0, 2 * (b & 0x0f));
    if (b <= 0x9f) return this.take(1, 0, b & 0x0f);
    if (b <= 0xbf) return this.take(1, b & 0x1f, 0);
    switch (b) {
      case 0xc4: case 0xd9: return this.takeSized(1, 1, 0);
      case 0xc5: case 0xda: return this.takeSized(1, 2, 0);
      case 0xc6: case 0xdb: return this.takeSized(1, 4, 0);
      case 0xc7: return this.takeSized(1, 1, 1);
      case 0xc8: return this.takeSized(1, 2, 1);
      case 0xc9: return this.takeSized(1, 4, 1);
      case 0xca: return this.take(5, 0, 0);
      case 0xcb: return this.take(9, 0, 0);
      case 0xcc: case 0xd0: return this.take(2, 0, 0);
      case 0xcd: case 0xd1: return this.take(3, 0, 0);
      case 0xce: case 0xd2: return this.take(5, 0, 0);
      case 0xcf: case 0xd3: return this.take(9, 0, 0);
      case 0xd4: return this.take(2, 1, 0);
      case 0xd5: return this.take(2, 2, 0);
      case 0xd6: return this.take(2, 4, 0);
      case 0xd7: return this.take(2, 8, 0);
      case 0xd8: return this.take(2, 16, 0);
      case 0xdc: return this.takeCount(2, 1);
      case 0xdd: return this.takeCount(4, 1);
      case 0xde: return this.takeCount(2, 2);
      case 0xdf: return this.takeCount(4, 2);
      default: return STEP_INVALID; // 0xc1 is never used
    }
  }

  /** A header of `headerLen` bytes, followed by `payload` bytes, owing `children` more items. */
  private take(headerLen: number, payload: number, children: number): number {
    if (this.pos + headerLen > this.end) return STEP_MORE;
    this.pos += headerLen + payload;
    this.owed += children - 1;
    return STEP_OK;
  }

  /** str/bin/ext with a big-endian length of `lenBytes` bytes (plus `extra` type byte for ext). */
  private takeSized(tag: number, lenBytes: number, extra: number): number {
    if (this.pos + tag + lenBytes > this.end) return STEP_MORE;
    return this.take(tag + lenBytes + extra, this.readLength(this.pos + tag, lenBytes), 0);
  }

  /** array16/32 and map16/32: `perEntry` items per declared entry. */
  private takeCount(lenBytes: number, perEntry: number): number {
    if (this.pos + 1 + lenBytes > this.end) return STEP_MORE;
    return this.take(1 + lenBytes, 0, perEntry * this.readLength(this.pos + 1, lenBytes));
  }

  private readLength(at: number, lenBytes: number): number {
    if (lenBytes === 1) return this.buf[at]!;
    if (lenBytes === 2) return this.view.getUint16(at);
    return this.view.getUint32(at);
  }

  /** Decodes the complete object in [start, pos) and resets the scanner for the next one. */
  private decodeCurrent(): DecodedItem {
    const bytes = this.buf.slice(this.start, this.pos);
    this.start = this.pos;
    this.owed = 1;
    this.objects = 0;
    try {
      return { ok: true, value: this.decoder.decode(bytes), bytes: bytes.length };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.release();
      return { ok: false, error: relayError('PROTOCOL_BAD_MSGPACK', why.slice(0, 200)) };
    }
  }

  private poison(out: DecodedItem[], error: RelayError): void {
    this.release();
    out.push({ ok: false, error });
  }

  /** Poisons the decoder and frees its buffer. */
  private release(): void {
    this.poisoned = true;
    this.buf = new Uint8Array(0);
    this.start = this.end = this.pos = 0;
  }

  /** Appends a chunk, compacting or growing the buffer (amortized O(1) per byte). */
  private append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) this.makeRoom(chunk.length);
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /**
   * Slides the live bytes to the front (at most once per pending object, since `start` stays 0
   * until it completes), growing by at least doubling when they would not leave room for `n`.
   */
  private makeRoom(n: number): void {
    const live = this.buf.subarray(this.start, this.end);
    if (live.length + n <= this.buf.length) {
      this.buf.copyWithin(0, this.start, this.end);
      return this.rebase(this.buf);
    }
    const next = new Uint8Array(Math.max(live.length + n, this.buf.length * 2, 4096));
    next.set(live, 0);
    this.rebase(next);
  }

  /** Moves the live bytes' coordinates to the front of `next` (which already holds them). */
  private rebase(next: Uint8Array): void {
    this.pos -= this.start;
    this.end -= this.start;
    this.start = 0;
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  /**
   * When nothing is pending, restart at offset 0 so the buffer does not creep forward, and give
   * back a buffer grown for one big message (a reconnect SNAPSHOT) instead of keeping it forever.
   */
  private compactIfEmpty(): void {
    if (this.start !== this.end || this.pos !== this.end) return;
    this.start = this.end = this.pos = 0;
    if (this.buf.length > RETAINED_BUFFER_BYTES) this.rebase(new Uint8Array(0));
  }
}
