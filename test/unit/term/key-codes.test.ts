import { describe, expect, it } from 'vitest';
import {
  KEYC_BASE,
  KEYC_BSPACE,
  KEYC_CTRL,
  KEYC_ESCAPE,
  KEYC_F1,
  KEYC_F12,
  KEYC_FOCUS_IN,
  KEYC_FOCUS_OUT,
  KEYC_KP_ENTER,
  KEYC_KP_PERIOD,
  KEYC_MOUSE,
  KEYC_MOUSE_LAST,
  KEYC_SHIFT,
  KEYC_UP,
  baseKey,
  controlCode,
  functionKey,
  hasModifier,
  isCodePoint,
  isFocusKey,
  isMouseKey,
  isSpecialKey,
  keyModifiers,
  withModifiers,
  withoutModifiers,
} from '../../../src/core/term/key-codes.js';

describe('key code numbering (tmate 2.4.0, PROTOCOL.md §6.1)', () => {
  it('matches the values seen on the wire', () => {
    expect(KEYC_BASE).toBe(0x100000000000);
    expect(KEYC_ESCAPE).toBe(0x200000000000);
    expect(KEYC_CTRL).toBe(0x400000000000);
    expect(KEYC_SHIFT).toBe(0x800000000000);
    expect(KEYC_BSPACE).toBe(17592186044461);
    expect(KEYC_F1).toBe(17592186044462);
    expect(KEYC_F12).toBe(17592186044473);
    expect(KEYC_UP).toBe(17592186044481);
    expect(KEYC_KP_ENTER).toBe(17592186044498);
    expect(KEYC_KP_PERIOD).toBe(KEYC_BASE + 84);
    expect(KEYC_MOUSE).toBe(17592186044418);
    expect(KEYC_MOUSE_LAST + 1).toBe(KEYC_BSPACE);
    expect(functionKey(5)).toBe(17592186044466);
    expect(() => functionKey(13)).toThrow(RangeError);
  });

  it('combines modifiers without 32-bit truncation', () => {
    expect(withModifiers(0x78, KEYC_ESCAPE)).toBe(35184372088952); // M-x in trace 20
    expect(withModifiers(KEYC_UP, KEYC_ESCAPE)).toBe(52776558133313); // M-Up
    expect(withModifiers(KEYC_UP, KEYC_CTRL)).toBe(87960930222145); // C-Up
    expect(withModifiers(KEYC_UP, KEYC_SHIFT)).toBe(158329674399809); // S-Up
    const all = withModifiers(withModifiers(KEYC_UP, KEYC_CTRL), KEYC_ESCAPE + KEYC_SHIFT);
    expect(all).toBe(KEYC_UP + KEYC_ESCAPE + KEYC_CTRL + KEYC_SHIFT);
    expect(Number.isSafeInteger(all)).toBe(true);
    expect(withModifiers(all, KEYC_CTRL)).toBe(all);
    expect(baseKey(all)).toBe(KEYC_UP);
    expect(keyModifiers(all)).toBe(KEYC_ESCAPE + KEYC_CTRL + KEYC_SHIFT);
    expect(withoutModifiers(all, KEYC_CTRL)).toBe(KEYC_UP + KEYC_ESCAPE + KEYC_SHIFT);
    expect(withoutModifiers(KEYC_UP, KEYC_CTRL)).toBe(KEYC_UP);
    expect(hasModifier(all, KEYC_CTRL)).toBe(true);
    expect(hasModifier(all, KEYC_CTRL + KEYC_SHIFT)).toBe(true);
    expect(hasModifier(withModifiers(KEYC_UP, KEYC_CTRL), KEYC_CTRL + KEYC_SHIFT)).toBe(false);
    expect(hasModifier(KEYC_UP, KEYC_ESCAPE)).toBe(false);
    expect(hasModifier(0x61, 0)).toBe(false);
    expect(keyModifiers(0x61)).toBe(0);
  });

  it('classifies keys', () => {
    expect(isSpecialKey(0x10ffff)).toBe(false);
    expect(isSpecialKey(withModifiers(0x61, KEYC_ESCAPE))).toBe(false);
    expect(isSpecialKey(KEYC_FOCUS_IN)).toBe(true);
    expect(isMouseKey(KEYC_MOUSE)).toBe(true);
    expect(isMouseKey(KEYC_MOUSE_LAST)).toBe(true);
    expect(isMouseKey(withModifiers(KEYC_MOUSE + 5, KEYC_CTRL))).toBe(true);
    expect(isMouseKey(KEYC_BSPACE)).toBe(false);
    expect(isMouseKey(KEYC_FOCUS_OUT)).toBe(false);
    expect(isFocusKey(KEYC_FOCUS_OUT)).toBe(true);
    expect(isFocusKey(KEYC_MOUSE)).toBe(false);
    expect(isCodePoint(0x10ffff)).toBe(true);
    expect(isCodePoint(0xdc00)).toBe(false);
    expect(isCodePoint(0x110000)).toBe(false);
  });

  it('makes tmux control codes', () => {
    expect(controlCode(0x62)).toBe(2); // b
    expect(controlCode(0x42)).toBe(2); // B
    expect(controlCode(0x20)).toBe(0);
    expect(controlCode(0x40)).toBe(0);
    expect(controlCode(0x5f)).toBe(31);
    expect(controlCode(0x3f)).toBeNull();
    expect(controlCode(0x31)).toBeNull();
  });
});
