/**
 * Fuzz target `web-json`: the JSON a browser sends the web viewer over its WebSocket
 * (parsePageMessage), the `?cols=&rows=` of the socket URL (initialSize), and the close reasons
 * cut to the WebSocket limit (closeReason).
 *
 * Inputs: resize messages with valid, boundary, float, string, negative and huge sizes, extra
 * and prototype-poisoning keys; other JSON values and broken JSON; query strings with odd and
 * repeated values; reason texts of any Unicode, including astral characters and lone surrogates.
 *
 * Property: nothing throws; a parsed resize has integer sizes within 1…MAX_WEB_COLS/ROWS and is
 * exactly what a well-formed message said; an initial size is always within the bounds; a close
 * reason is at most 123 bytes of UTF-8 and a prefix of the text (whole code points).
 */
import fc from 'fast-check';
import { MAX_WEB_COLS, MAX_WEB_ROWS, closeReason, initialSize, parsePageMessage } from '../../../src/core/protocol/web-viewer-protocol.js';
import { check, checkSync, type FuzzTarget } from '../fuzz-target.js';

const sizeValue = fc.oneof(
  fc.integer({ min: -5, max: 1005 }),
  fc.constantFrom<unknown>(0, 1, 999, 1000, 1001, 1.5, -0, 1e308, NaN, '80', null, true, [80], { n: 1 }, 2 ** 53),
);

type Case =
  /** `known`: the generator knows the answer (`expected`, or null for "refused"). */
  | { kind: 'page'; text: string; known: boolean; expected: { cols: number; rows: number } | null }
  | { kind: 'query'; query: string }
  | { kind: 'reason'; text: string };

function inRange(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
}

function cases(): fc.Arbitrary<Case> {
  const resize = fc
    .record({ type: fc.oneof(fc.constant<unknown>('resize'), fc.constantFrom<unknown>('Resize', 'hello', 1, null)), cols: sizeValue, rows: sizeValue, extra: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: ['type'] })
    .map((o): Case => {
      const ok = o.type === 'resize' && inRange(o.cols, MAX_WEB_COLS) && inRange(o.rows, MAX_WEB_ROWS);
      return { kind: 'page', text: JSON.stringify(o), known: true, expected: ok ? { cols: o.cols as number, rows: o.rows as number } : null };
    });
  const other = fc
    .oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 40 }),
      fc.constantFrom('{"type":"resize","cols":80,"rows":24,"__proto__":{"cols":1}}', '{"__proto__":{"type":"resize"},"cols":80,"rows":24}', '{', '', 'null', '[{"type":"resize","cols":80,"rows":24}]'),
    )
    .map((text): Case => ({ kind: 'page', text, known: false, expected: null }));
  const query = fc
    .array(fc.tuple(fc.constantFrom('cols', 'rows', 'x', 'cols[]'), fc.oneof(fc.constantFrom('', '80', '0', '-1', '1001', '1e3', '0x50', ' 80', '80.0', 'Infinity', '%zz'), fc.string({ maxLength: 6 }))), { maxLength: 4 })
    .map((pairs): Case => ({ kind: 'query', query: pairs.map(([k, v]) => `${k}=${v}`).join('&') }));
  const reason = fc
    .oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 150 }), fc.string({ unit: 'grapheme', maxLength: 80 }))
    .map((text): Case => ({ kind: 'reason', text }));
  return fc.oneof({ weight: 3, arbitrary: resize }, { weight: 2, arbitrary: other }, { weight: 1, arbitrary: query }, { weight: 2, arbitrary: reason });
}

const utf8 = new TextEncoder();

function property(c: Case): void {
  switch (c.kind) {
    case 'page': {
      const m = parsePageMessage(c.text);
      if (m !== null) {
        check(m.type === 'resize' && inRange(m.cols, MAX_WEB_COLS) && inRange(m.rows, MAX_WEB_ROWS), () => `accepted ${c.text}`);
      }
      if (!c.known) return;
      if (c.expected !== null) {
        check(m !== null && m.cols === c.expected.cols && m.rows === c.expected.rows, () => `refused or changed ${c.text}`);
      } else {
        check(m === null, () => `accepted ${c.text}`);
      }
      return;
    }
    case 'query': {
      const size = initialSize(new URLSearchParams(c.query));
      check(inRange(size.cols, MAX_WEB_COLS) && inRange(size.rows, MAX_WEB_ROWS), () => `initial size ${JSON.stringify(size)} for ${c.query}`);
      return;
    }
    case 'reason': {
      const reason = closeReason(c.text);
      check(utf8.encode(reason).length <= 123, () => `reason of ${utf8.encode(reason).length} bytes`);
      check(c.text.startsWith(reason), 'reason is not a prefix of the text');
      const cutPair = /[\ud800-\udbff]$/.test(reason) && /^[\udc00-\udfff]/.test(c.text.slice(reason.length));
      check(!cutPair, 'a surrogate pair was cut');
      return;
    }
  }
}

export const webJson: FuzzTarget = {
  name: 'web-json',
  checks: 'web viewer control JSON, socket query and close reasons: never throw, sizes bounded, reasons ≤ 123 bytes',
  quickRuns: 300,
  async run(params) {
    return checkSync(this.name, fc.property(cases(), property), params);
  },
};
