/**
 * Sans-IO parser for what a viewer's terminal sends (OpenSSH client in xterm / screen-256color):
 * bytes in, tmux 2.x key codes out (see key-codes.ts), much like tmux's tty-keys.
 *
 * Invariants:
 * - Never throws, whatever the bytes. Invalid UTF-8 and unknown CSI/SS3 sequences are dropped.
 * - Only an incomplete escape or UTF-8 sequence is kept between feeds; it is at most
 *   MAX_PENDING bytes (a CSI longer than CSI_MAX is abandoned and the rest of it skipped).
 * - Results do not depend on how the input is split across feed() calls, as long as flush()
 *   is only called after the escape timeout (it resolves pending bytes: a lone ESC is 27,
 *   an unfinished `ESC [` / `ESC O` is META|'[' / META|'O', a cut-off UTF-8 sequence is dropped).
 * - Mouse reports (X10, SGR, urxvt) come out as one KEYC_MOUSE each (with `keepMouseReports`, their
 *   bytes wait, in order, for takeMouseReport()); focus reports as
 *   KEYC_FOCUS_IN/OUT; bracketed-paste markers produce nothing (the pasted text is ordinary keys),
 *   unless the parser was created with `reportPaste`: then `ESC[200~` / `ESC[201~` come out as
 *   KEYC_PASTE_START / KEYC_PASTE_END, relay-internal sentinels that are never tmux key codes.
 * - DEL (0x7f) is KEYC_BSPACE, as tmux does when the client's VERASE is ^? (OpenSSH default).
 */
import {
  KEYC_BASE,
  KEYC_BSPACE,
  KEYC_BTAB,
  KEYC_CTRL,
  KEYC_DC,
  KEYC_DOWN,
  KEYC_END,
  KEYC_ESCAPE,
  KEYC_F1,
  KEYC_F2,
  KEYC_F3,
  KEYC_F4,
  KEYC_F5,
  KEYC_F6,
  KEYC_F7,
  KEYC_F8,
  KEYC_F9,
  KEYC_F10,
  KEYC_F11,
  KEYC_F12,
  KEYC_FOCUS_IN,
  KEYC_FOCUS_OUT,
  KEYC_HOME,
  KEYC_IC,
  KEYC_KP_SLASH,
  KEYC_LEFT,
  KEYC_MOUSE,
  KEYC_NPAGE,
  KEYC_PPAGE,
  KEYC_RIGHT,
  KEYC_SHIFT,
  KEYC_UP,
  isFocusKey,
  isMouseKey,
  withModifiers,
  withoutModifiers,
} from './key-codes.js';

/** Longest CSI (from ESC) we wait for; longer ones are abandoned. */
export const CSI_MAX = 64;
/** Upper bound on bytes held between feeds (ESC ESC + a CSI of CSI_MAX bytes). */
export const MAX_PENDING = CSI_MAX + 1;
const SS3_MAX = 8;

const ESC = 0x1b;
const LBRACKET = 0x5b; // [
const LETTER_O = 0x4f; // O
const DOLLAR = 0x24; // $

interface KeyStep {
  readonly kind: 'key';
  readonly key: number;
  readonly size: number;
}
interface DropStep {
  readonly kind: 'drop';
  readonly size: number;
  readonly abandon?: true;
}
type Consumed = KeyStep | DropStep;
/** partial: wait for more bytes; invalid: not a well-formed sequence after all. */
type Step = Consumed | { readonly kind: 'partial' } | { readonly kind: 'invalid' };

const PARTIAL: Step = { kind: 'partial' };
const INVALID: Step = { kind: 'invalid' };
const key = (k: number, size: number): KeyStep => ({ kind: 'key', key: k, size });
const drop = (size: number): DropStep => ({ kind: 'drop', size });
const abandon = (size: number): DropStep => ({ kind: 'drop', size, abandon: true });

const ch = (c: string): number => c.charCodeAt(0);
const charTable = (entries: Record<string, number>): Map<number, number> =>
  new Map(Object.entries(entries).map(([c, k]) => [ch(c), k]));

/** CSI finals that name a key on their own or with "1;mod" (xterm). */
const CSI_LETTER_KEYS = charTable({
  A: KEYC_UP, B: KEYC_DOWN, C: KEYC_RIGHT, D: KEYC_LEFT, H: KEYC_HOME, F: KEYC_END,
  P: KEYC_F1, Q: KEYC_F2, R: KEYC_F3, S: KEYC_F4, Z: KEYC_BTAB,
});
/** CSI finals only valid without parameters. */
const CSI_BARE_KEYS = charTable({
  I: KEYC_FOCUS_IN, O: KEYC_FOCUS_OUT,
  a: withModifiers(KEYC_UP, KEYC_SHIFT), b: withModifiers(KEYC_DOWN, KEYC_SHIFT),
  c: withModifiers(KEYC_RIGHT, KEYC_SHIFT), d: withModifiers(KEYC_LEFT, KEYC_SHIFT),
});
/** `CSI n ~` (vt220 / xterm / screen / rxvt / linux console numbering). */
const TILDE_KEYS = new Map<number, number>([
  [1, KEYC_HOME], [2, KEYC_IC], [3, KEYC_DC], [4, KEYC_END], [5, KEYC_PPAGE], [6, KEYC_NPAGE],
  [7, KEYC_HOME], [8, KEYC_END], [11, KEYC_F1], [12, KEYC_F2], [13, KEYC_F3], [14, KEYC_F4],
  [15, KEYC_F5], [17, KEYC_F6], [18, KEYC_F7], [19, KEYC_F8], [20, KEYC_F9], [21, KEYC_F10],
  [23, KEYC_F11], [24, KEYC_F12],
]);
/** rxvt puts the modifier in the final byte of `CSI n ~`-style keys. */
const RXVT_FINAL_MODS = charTable({
  '~': 0, '^': KEYC_CTRL, $: KEYC_SHIFT, '@': KEYC_CTRL + KEYC_SHIFT,
});
/** Relay-internal sentinels for the bracketed-paste markers; never sent to a host as keys. */
export const KEYC_PASTE_START = KEYC_BASE + 0x1000;
export const KEYC_PASTE_END = KEYC_BASE + 0x1001;
const BRACKETED_PASTE = new Map([[200, KEYC_PASTE_START], [201, KEYC_PASTE_END]]);

export function isPasteMarker(key: number): boolean {
  return key === KEYC_PASTE_START || key === KEYC_PASTE_END;
}

/** A paste marker as the plain keys a pane's program reads: ESC [ 2 0 0 ~ (start) / ESC [ 2 0 1 ~ (end). */
export function pasteMarkerKeys(marker: number): number[] {
  return Array.from(`\x1b[${marker === KEYC_PASTE_START ? 200 : 201}~`, (c) => c.charCodeAt(0));
}

/** `ESC [ [ A`..`E`: F1–F5 on the Linux console. */
const LINUX_F_KEYS = charTable({ A: KEYC_F1, B: KEYC_F2, C: KEYC_F3, D: KEYC_F4, E: KEYC_F5 });

/** SS3 finals: cursor/home/end/F1–F4, application keypad, rxvt Ctrl+arrows. */
const SS3_KEYS = charTable({
  A: KEYC_UP, B: KEYC_DOWN, C: KEYC_RIGHT, D: KEYC_LEFT, H: KEYC_HOME, F: KEYC_END,
  P: KEYC_F1, Q: KEYC_F2, R: KEYC_F3, S: KEYC_F4,
  a: withModifiers(KEYC_UP, KEYC_CTRL), b: withModifiers(KEYC_DOWN, KEYC_CTRL),
  c: withModifiers(KEYC_RIGHT, KEYC_CTRL), d: withModifiers(KEYC_LEFT, KEYC_CTRL),
});
/** Application keypad finals in KEYC_KP_* order: / * - 7 8 9 + 4 5 6 1 2 3 Enter 0 . */
for (const [i, c] of Array.from('ojmwxyktuvqrsMpn').entries()) SS3_KEYS.set(ch(c), KEYC_KP_SLASH + i);

const isParamByte = (b: number): boolean => b >= 0x30 && b <= 0x3f;
const isIntermediate = (b: number): boolean => b >= 0x20 && b <= 0x2f;
const isFinal = (b: number): boolean => b >= 0x40 && b <= 0x7e;

/** xterm modifier parameter (2 = S, 3 = M, 5 = C, … 9+ Meta) → modifier bits. */
function xtermModifiers(param: string | undefined): number {
  const n = param === undefined || param === '' ? 1 : Number(param);
  if (!Number.isInteger(n) || n < 1 || n > 16) return 0;
  const bits = n - 1;
  const shift = (bits & 1) !== 0 ? KEYC_SHIFT : 0;
  const meta = (bits & (2 | 8)) !== 0 ? KEYC_ESCAPE : 0; // Alt and Meta both mean M-
  const ctrl = (bits & 4) !== 0 ? KEYC_CTRL : 0;
  return shift + meta + ctrl;
}

/** Meaning of a complete CSI: a key, or undefined to drop it. */
function interpretCsi(params: string, intermediates: string, final: number): number | undefined {
  if ((final === ch('M') || final === ch('m')) && params !== '') return KEYC_MOUSE; // SGR, urxvt
  if (/^[<=>?]/.test(params) || intermediates !== '') return undefined;
  const fields = params.split(';');
  if (params === '') return CSI_LETTER_KEYS.get(final) ?? CSI_BARE_KEYS.get(final);
  const letter = CSI_LETTER_KEYS.get(final);
  if (letter !== undefined) {
    if (fields.length > 2 || (fields[0] !== '1' && fields[0] !== '')) return undefined;
    const mods = xtermModifiers(fields[1]);
    return withModifiers(letter, letter === KEYC_BTAB ? withoutModifiers(mods, KEYC_SHIFT) : mods);
  }
  return interpretTilde(fields, final);
}

function interpretTilde(fields: string[], final: number): number | undefined {
  const finalMods = RXVT_FINAL_MODS.get(final);
  const n = Number(fields[0]);
  if (finalMods === undefined || fields.length > 2) return undefined;
  const paste = BRACKETED_PASTE.get(n);
  if (paste !== undefined) return final === ch('~') && fields.length === 1 ? paste : undefined;
  if (finalMods !== 0 && fields.length > 1) return undefined;
  const k = TILDE_KEYS.get(n);
  return k === undefined ? undefined : withModifiers(k, finalMods + xtermModifiers(fields[1]));
}

/** `ESC [` at pos. */
function parseCsi(buf: Uint8Array, pos: number): Step {
  const start = pos + 2;
  if (start >= buf.length) return PARTIAL;
  if (buf[start] === ch('M')) return buf.length - start < 4 ? PARTIAL : key(KEYC_MOUSE, 6); // X10
  if (buf[start] === LBRACKET) return parseLinuxFunctionKey(buf, pos);
  let i = start;
  while (i < buf.length && isParamByte(buf[i]!)) i++;
  if (i - pos >= CSI_MAX) return abandon(i - pos);
  const params = latin1(buf, start, i);
  // rxvt's `CSI n $` (Shift): decided on the '$' alone so the result never depends on later bytes.
  if (buf[i] === DOLLAR && /^\d+$/.test(params)) return finishCsi(params, '', DOLLAR, i + 1 - pos);
  const interStart = i;
  while (i < buf.length && isIntermediate(buf[i]!)) i++;
  if (i - pos >= CSI_MAX) return abandon(i - pos);
  if (i >= buf.length) return PARTIAL;
  if (!isFinal(buf[i]!)) return INVALID;
  return finishCsi(params, latin1(buf, interStart, i), buf[i]!, i + 1 - pos);
}

function finishCsi(params: string, intermediates: string, final: number, size: number): Step {
  const k = interpretCsi(params, intermediates, final);
  return k === undefined ? drop(size) : key(k, size);
}

/** `ESC [ [ x`. */
function parseLinuxFunctionKey(buf: Uint8Array, pos: number): Step {
  const final = buf[pos + 3];
  if (final === undefined) return PARTIAL;
  if (!isFinal(final)) return INVALID;
  const k = LINUX_F_KEYS.get(final);
  return k === undefined ? drop(4) : key(k, 4);
}

/** `ESC O` at pos: `ESC O x`, or xterm's `ESC O 5 P` / `ESC O 1;5 P` forms with a modifier. */
function parseSs3(buf: Uint8Array, pos: number): Step {
  const start = pos + 2;
  let i = start;
  while (i < buf.length && i - start < SS3_MAX && isParamByte(buf[i]!)) i++;
  if (i >= buf.length) return PARTIAL;
  const final = buf[i]!;
  if (!isFinal(final)) return INVALID;
  const size = i + 1 - pos;
  const k = SS3_KEYS.get(final);
  if (i === start) return k === undefined ? drop(size) : key(k, size);
  const fields = latin1(buf, start, i).split(';');
  const mods = xtermModifiers(fields[fields.length - 1]);
  if (k === undefined || k >= KEYC_KP_SLASH || fields.length > 2 || mods === 0) return drop(size);
  return key(withModifiers(k, mods), size);
}

function latin1(buf: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...buf.subarray(from, to));
}

/** Second-byte range of a UTF-8 sequence by lead byte (0 = invalid lead), and its length. */
function utf8Shape(lead: number): readonly [length: number, lo: number, hi: number] | null {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  return null;
}

/** One character (ASCII or UTF-8) at pos; invalid UTF-8 drops the lead byte only. */
function parseChar(buf: Uint8Array, pos: number): Step {
  const lead = buf[pos]!;
  if (lead < 0x80) return key(lead === 0x7f ? KEYC_BSPACE : lead, 1);
  const shape = utf8Shape(lead);
  if (shape === null) return drop(1);
  const [length, lo, hi] = shape;
  let cp = lead & (0xff >> (length + 1));
  for (let i = 1; i < length; i++) {
    const b = buf[pos + i];
    if (b === undefined) return PARTIAL;
    const [min, max] = i === 1 ? [lo, hi] : [0x80, 0xbf];
    if (b < min || b > max) return drop(1);
    cp = cp * 64 + (b & 0x3f);
  }
  return key(cp, length);
}

/** `ESC ESC …`: META + the following sequence when it is a key, else a plain ESC. */
function parseMetaSequence(buf: Uint8Array, pos: number): Step {
  const second = buf[pos + 2];
  if (second === undefined) return PARTIAL;
  if (second !== LBRACKET && second !== LETTER_O) return key(ESC, 1);
  const inner = parseEscape(buf, pos + 1);
  if (inner.kind === 'partial') return PARTIAL;
  if (inner.kind !== 'key' || isMouseKey(inner.key) || isFocusKey(inner.key) || isPasteMarker(inner.key)) return key(ESC, 1);
  return key(withModifiers(inner.key, KEYC_ESCAPE), inner.size + 1);
}

function parseEscape(buf: Uint8Array, pos: number): Step {
  const next = buf[pos + 1];
  if (next === undefined) return PARTIAL;
  if (next === ESC) return parseMetaSequence(buf, pos);
  const seq = next === LBRACKET ? parseCsi(buf, pos) : next === LETTER_O ? parseSs3(buf, pos) : null;
  if (seq === null) {
    const c = parseChar(buf, pos + 1);
    if (c.kind === 'key') return key(withModifiers(c.key, KEYC_ESCAPE), c.size + 1);
    return c.kind === 'partial' ? PARTIAL : key(ESC, 1);
  }
  return seq.kind === 'invalid' ? key(withModifiers(next, KEYC_ESCAPE), 2) : seq;
}

/** What pending bytes mean once the escape timeout has passed (tmux's "expired" rules). */
function resolveExpired(buf: Uint8Array, pos: number): Step {
  if (buf[pos] !== ESC) return drop(1); // cut-off UTF-8
  const next = buf[pos + 1];
  if (next === LBRACKET || next === LETTER_O) return key(withModifiers(next, KEYC_ESCAPE), 2);
  return key(ESC, 1);
}

function parseAt(buf: Uint8Array, pos: number): Step {
  return buf[pos] === ESC ? parseEscape(buf, pos) : parseChar(buf, pos);
}

/** The next thing to consume at pos, or null to wait for more input. */
function nextStep(buf: Uint8Array, pos: number, expired: boolean): Consumed | null {
  const parsed = parseAt(buf, pos);
  const step = parsed.kind === 'partial' && expired ? resolveExpired(buf, pos) : parsed;
  if (step.kind === 'partial') return null;
  return step.kind === 'invalid' ? drop(1) : step; // parseEscape resolves invalid; defensive only
}

const EMPTY = new Uint8Array(0);

export interface InputParserOptions {
  /** Report bracketed-paste markers as KEYC_PASTE_START / KEYC_PASTE_END instead of dropping them. */
  reportPaste?: boolean;
  /** Keep each mouse report's bytes, in order, for takeMouseReport() (one per KEYC_MOUSE). */
  keepMouseReports?: boolean;
}

/** Mouse reports kept for takeMouseReport(); older ones are dropped if nobody takes them. */
const MAX_KEPT_MOUSE_REPORTS = 64;

export class InputParser {
  private pending: Uint8Array = EMPTY;
  /** Inside an abandoned over-long CSI: skip its remaining parameter bytes and final. */
  private skipping = false;
  private readonly reportPaste: boolean;
  private readonly keepMouseReports: boolean;
  private readonly mouseReports: string[] = [];

  constructor(options: InputParserOptions = {}) {
    this.reportPaste = options.reportPaste === true;
    this.keepMouseReports = options.keepMouseReports === true;
  }

  /** The bytes of the oldest mouse report not taken yet (with `keepMouseReports`). */
  takeMouseReport(): string | undefined {
    return this.mouseReports.shift();
  }

  /** Parses more input; returns the keys completed by it. */
  feed(bytes: Uint8Array): number[] {
    if (bytes.length === 0) return [];
    const buf = this.pending.length === 0 ? bytes : concat(this.pending, bytes);
    return this.run(buf, false);
  }

  /** True when an incomplete sequence waits for more input (arm the escape timer). */
  hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Number of bytes held back (bounded by MAX_PENDING). */
  get pendingBytes(): number {
    return this.pending.length;
  }

  /** Call after the escape timeout: resolves everything pending into keys. */
  flush(): number[] {
    const keys = this.run(this.pending, true);
    this.skipping = false;
    return keys;
  }

  private run(buf: Uint8Array, expired: boolean): number[] {
    const keys: number[] = [];
    let pos = this.skipping ? this.skipAbandoned(buf, 0) : 0;
    while (pos < buf.length) {
      const step = nextStep(buf, pos, expired);
      if (step === null) break;
      if (step.kind === 'key' && (this.reportPaste || !isPasteMarker(step.key))) keys.push(step.key);
      if (step.kind === 'key' && step.key === KEYC_MOUSE && this.keepMouseReports) this.keepMouseReport(latin1(buf, pos, pos + step.size));
      pos += step.size;
      if (step.kind === 'drop' && step.abandon === true) {
        this.skipping = true;
        pos = this.skipAbandoned(buf, pos);
      }
    }
    this.keepPending(buf, pos);
    return keys;
  }

  private keepMouseReport(text: string): void {
    if (this.mouseReports.length >= MAX_KEPT_MOUSE_REPORTS) this.mouseReports.shift();
    this.mouseReports.push(text);
  }

  private skipAbandoned(buf: Uint8Array, from: number): number {
    let pos = from;
    while (pos < buf.length && (isParamByte(buf[pos]!) || isIntermediate(buf[pos]!))) pos++;
    if (pos < buf.length) {
      this.skipping = false;
      if (isFinal(buf[pos]!)) pos++;
    }
    return pos;
  }

  private keepPending(buf: Uint8Array, pos: number): void {
    const rest = buf.length - pos;
    // Construction keeps rest <= MAX_PENDING; the clamp is a last line of defence.
    this.pending = rest === 0 ? EMPTY : buf.slice(Math.max(pos, buf.length - MAX_PENDING));
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
