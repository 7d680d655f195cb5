// Mouse reports from a viewer's terminal to a pane's program (mouse-reports.ts): what the viewer's
// terminal is asked for, how its SGR and X10 reports are read, and how they are re-encoded for the
// pane at its tracking level and in its encoding, as xterm (and tmux) would report to it.
import { describe, expect, it } from 'vitest';
import { encodeForPane, parseMouseReport, trackingChange } from '../../../src/core/term/mouse-reports.js';
import { InputParser } from '../../../src/core/term/input-parser.js';
import { KEYC_MOUSE } from '../../../src/core/term/key-codes.js';

const press = { button: 0, x: 4, y: 2, release: false };
const release = { ...press, release: true };
const drag = { button: 32, x: 4, y: 2, release: false };
const hover = { button: 35, x: 4, y: 2, release: false };
const wheelUp = { button: 64, x: 4, y: 2, release: false };

describe('mouse reports', () => {
  it('asks the viewer for the same tracking level, always in SGR, and turns it off again', () => {
    expect(trackingChange('none', 'vt200')).toBe('\x1b[?1000h\x1b[?1006h');
    expect(trackingChange('vt200', 'any')).toBe('\x1b[?1000l\x1b[?1003h');
    expect(trackingChange('drag', 'none')).toBe('\x1b[?1002l\x1b[?1006l');
    expect(trackingChange('x10', 'x10')).toBe('');
    expect(trackingChange('none', 'x10')).toBe('\x1b[?9h\x1b[?1006h');
  });

  it('reads SGR and X10 reports, 0-based, and refuses anything else', () => {
    expect(parseMouseReport('\x1b[<0;5;3M')).toEqual(press);
    expect(parseMouseReport('\x1b[<0;5;3m')).toEqual(release);
    expect(parseMouseReport('\x1b[M #"')).toEqual({ button: 0, x: 2, y: 1, release: false });
    expect(parseMouseReport('\x1b[M##"')).toEqual({ button: 3, x: 2, y: 1, release: true });
    for (const bad of ['\x1b[<0;0;3M', '\x1b[<0;5M', '\x1b[<999;5;3M', '\x1b[M', 'x', '\x1b[<0;5;3;4M']) expect(parseMouseReport(bad), JSON.stringify(bad)).toBeNull();
  });

  it('encodes for the pane as it asked: SGR, X10 (normal) or urxvt', () => {
    expect(encodeForPane(press, 'vt200', 'SGR', 9, 3)).toBe('\x1b[<0;10;4M');
    expect(encodeForPane(release, 'vt200', 'SGR', 9, 3)).toBe('\x1b[<0;10;4m');
    expect(encodeForPane(press, 'vt200', 'DEFAULT', 9, 3)).toBe('\x1b[M *$');
    expect(encodeForPane(release, 'vt200', 'DEFAULT', 9, 3)).toBe('\x1b[M#*$');
    expect(encodeForPane(press, 'vt200', 'URXVT', 9, 3)).toBe('\x1b[32;10;4M');
    expect(encodeForPane(wheelUp, 'vt200', 'DEFAULT', 0, 0)).toBe('\x1b[M`!!');
  });

  it('sends only what the tracking level asks for', () => {
    expect(encodeForPane(release, 'x10', 'SGR', 0, 0)).toBeNull();
    expect(encodeForPane({ ...press, button: 4 }, 'x10', 'SGR', 0, 0)).toBe('\x1b[<0;1;1M'); // no modifiers in X10 mode
    expect(encodeForPane(drag, 'vt200', 'SGR', 0, 0)).toBeNull();
    expect(encodeForPane(drag, 'drag', 'SGR', 0, 0)).toBe('\x1b[<32;1;1M');
    expect(encodeForPane(hover, 'drag', 'SGR', 0, 0)).toBeNull();
    expect(encodeForPane(hover, 'any', 'SGR', 0, 0)).toBe('\x1b[<35;1;1M');
    expect(encodeForPane(press, 'none', 'SGR', 0, 0)).toBeNull();
  });

  it('does not send what the X10 encoding cannot carry through a host as keys (a column past 95)', () => {
    expect(encodeForPane(press, 'vt200', 'DEFAULT', 94, 0)).toBe(`\x1b[M ${String.fromCharCode(127)}!`);
    expect(encodeForPane(press, 'vt200', 'DEFAULT', 95, 0)).toBeNull();
    expect(encodeForPane(press, 'vt200', 'SGR', 300, 0)).toBe('\x1b[<0;301;1M');
    expect(encodeForPane(press, 'vt200', 'SGR_PIXELS', 0, 0)).toBeNull();
  });

  it('keeps each report the input parser read, in order, for the relay to take', () => {
    const parser = new InputParser({ keepMouseReports: true });
    const keys = parser.feed(new TextEncoder().encode('a\x1b[<0;5;3Mb\x1b[<0;5;3m'));
    expect(keys.filter((k) => k === KEYC_MOUSE)).toHaveLength(2);
    expect([parser.takeMouseReport(), parser.takeMouseReport(), parser.takeMouseReport()]).toEqual(['\x1b[<0;5;3M', '\x1b[<0;5;3m', undefined]);
    const plain = new InputParser();
    plain.feed(new TextEncoder().encode('\x1b[<0;5;3M'));
    expect(plain.takeMouseReport()).toBeUndefined();
  });
});
