// Bracketed paste in the viewer input parser: markers are dropped by default (the pasted text is
// ordinary keys) and reported as KEYC_PASTE_START / KEYC_PASTE_END sentinels with `reportPaste`,
// wherever the input is split.
import { describe, expect, it } from 'vitest';
import { InputParser, KEYC_PASTE_END, KEYC_PASTE_START, isPasteMarker, pasteMarkerKeys } from '../../../src/core/term/input-parser.js';
import { KEYC_UP } from '../../../src/core/term/key-codes.js';
import { bytes } from './term-helpers.js';

const E = '\x1b';
const PASTE = `${E}[200~hi\r${E}[A${E}[201~x`;

describe('input parser: bracketed paste markers', () => {
  it('drops the markers unless asked to report them', () => {
    expect(new InputParser().feed(bytes(PASTE))).toEqual([0x68, 0x69, 13, KEYC_UP, 0x78]);
    expect(new InputParser({ reportPaste: true }).feed(bytes(PASTE))).toEqual([KEYC_PASTE_START, 0x68, 0x69, 13, KEYC_UP, KEYC_PASTE_END, 0x78]);
  });

  it('reports the same markers however the input is split', () => {
    const whole = new InputParser({ reportPaste: true }).feed(bytes(PASTE));
    const input = bytes(PASTE);
    for (let cut = 1; cut < input.length; cut++) {
      const p = new InputParser({ reportPaste: true });
      expect([...p.feed(input.subarray(0, cut)), ...p.feed(input.subarray(cut))]).toEqual(whole);
    }
  });

  it('treats only the exact CSI 200~ / 201~ forms as markers', () => {
    const p = new InputParser({ reportPaste: true });
    expect(p.feed(bytes(`${E}[200;5~${E}[201^${E}[202~`))).toEqual([]);
    expect(p.feed(bytes(`${E}${E}[200~`))).toEqual([0x1b, KEYC_PASTE_START]);
  });

  it('spells a marker as the raw keys a program reads', () => {
    expect(isPasteMarker(KEYC_PASTE_START) && isPasteMarker(KEYC_PASTE_END) && !isPasteMarker(0x1b)).toBe(true);
    expect(String.fromCharCode(...pasteMarkerKeys(KEYC_PASTE_START))).toBe(`${E}[200~`);
    expect(String.fromCharCode(...pasteMarkerKeys(KEYC_PASTE_END))).toBe(`${E}[201~`);
  });
});
