/**
 * Colour depth: which depth a viewer's TERM/COLORTERM gives, how colours come down to it, and that
 * a viewer's screen (replayed into a headless xterm) shows the reduced colours and nothing deeper.
 */
import { describe, expect, it } from 'vitest';
import { brightLost, colourDepthOf, paletteRgb, reduceColour, rgbTo256 } from '../../../src/core/render/colour-depth.js';
import { COLOR_P16, COLOR_P256, COLOR_RGB } from '../../../src/core/render/screen-grid.js';
import { ViewerRenderer } from '../../../src/core/render/viewer-renderer.js';
import { cellAt, makeTerm, replay, scene, singlePaneWindow, write } from './helpers.js';

describe('colourDepthOf', () => {
  it.each([
    ['xterm-256color', null, '256'],
    ['screen-256color', null, '256'],
    ['tmux-256color', null, '256'],
    ['xterm-256color', 'truecolor', 'rgb'],
    ['xterm-256color', '24bit', 'rgb'],
    ['xterm-256color', 'yes', '256'],
    ['xterm-direct', null, 'rgb'],
    ['konsole-direct', null, 'rgb'],
    ['xterm-kitty', null, 'rgb'],
    ['alacritty', null, 'rgb'],
    ['foot', null, 'rgb'],
    ['xterm-16color', null, '16'],
    ['rxvt-unicode', null, '256'],
    ['xterm', null, '8'],
    ['screen', null, '8'],
    ['linux', null, '8'],
    ['vt100', null, '8'],
    ['XTERM-256COLOR', null, '256'],
    ['', null, '256'],
    ['some-new-terminal', null, '256'],
  ] as const)('TERM=%j COLORTERM=%j → %s', (term, colorterm, depth) => {
    expect(colourDepthOf(term, colorterm)).toBe(depth);
  });
});

describe('reduceColour', () => {
  it('leaves colours within the depth alone, and the default colour always', () => {
    expect(reduceColour(COLOR_RGB | 0x123456, 'rgb')).toBe(COLOR_RGB | 0x123456);
    expect(reduceColour(COLOR_P256 | 208, '256')).toBe(COLOR_P256 | 208);
    expect(reduceColour(COLOR_P16 | 12, '16')).toBe(COLOR_P16 | 12);
    expect(reduceColour(COLOR_P16 | 3, '8')).toBe(COLOR_P16 | 3);
    for (const depth of ['rgb', '256', '16', '8'] as const) expect(reduceColour(0, depth)).toBe(0);
  });

  it('maps 24-bit colour to the nearest cube or grey entry of the 256-colour palette', () => {
    expect(rgbTo256(0xff0000)).toBe(196);
    expect(rgbTo256(0x000000)).toBe(16);
    expect(rgbTo256(0xffffff)).toBe(231);
    expect(rgbTo256(0x808080)).toBe(244);
    expect(rgbTo256(0x0ac81e)).toBe(40); // (10, 200, 30): cube (0, 215, 0)
    // Every palette entry from 16 up maps to itself (or to an entry of exactly the same colour).
    for (let i = 16; i < 256; i++) expect(paletteRgb(rgbTo256(paletteRgb(i)))).toBe(paletteRgb(i));
  });

  it('maps the palette to the 16 ANSI colours, and bright ones to normal plus bold at depth 8', () => {
    expect(reduceColour(COLOR_P256 | 196, '16')).toBe(COLOR_P16 | 9);
    expect(reduceColour(COLOR_P256 | 196, '8')).toBe(COLOR_P16 | 1);
    expect(brightLost(COLOR_P256 | 196, '8')).toBe(true);
    expect(reduceColour(COLOR_P256 | 124, '8')).toBe(COLOR_P16 | 1);
    expect(brightLost(COLOR_P256 | 124, '8')).toBe(false);
    expect(reduceColour(COLOR_RGB | 0x0000ff, '16')).toBe(COLOR_P16 | 4);
    expect(reduceColour(COLOR_RGB | 0x6060ff, '16')).toBe(COLOR_P16 | 12);
    expect(reduceColour(COLOR_P16 | 10, '8')).toBe(COLOR_P16 | 2);
    expect(brightLost(COLOR_P16 | 10, '8')).toBe(true);
    expect(brightLost(COLOR_P16 | 10, '16')).toBe(false);
  });
});

describe('a viewer drawn at its colour depth', () => {
  async function drawn(depth: 'rgb' | '256' | '8', text: string): Promise<{ out: string; viewer: ReturnType<typeof makeTerm> }> {
    const t = makeTerm(40, 4);
    await write(t, text);
    const r = new ViewerRenderer(40, 5, depth);
    const out = r.enter() + r.render(scene(singlePaneWindow(t)));
    return { out, viewer: await replay(40, 5, out) };
  }

  it('gets 24-bit colour as 256-colour palette entries on a 256-colour terminal', async () => {
    const { out, viewer } = await drawn('256', '\x1b[38;2;255;0;0mR\x1b[48;2;128;128;128mG\x1b[0m');
    expect(out).not.toMatch(/[34]8;2;/);
    expect(cellAt(viewer, 0, 0).isFgPalette()).toBe(true);
    expect(cellAt(viewer, 0, 0).getFgColor()).toBe(196);
    expect(cellAt(viewer, 1, 0).isBgPalette()).toBe(true);
    expect(cellAt(viewer, 1, 0).getBgColor()).toBe(244);
  });

  it('keeps 24-bit colour for a terminal that shows it', async () => {
    const { viewer } = await drawn('rgb', '\x1b[38;2;10;200;30mT\x1b[0m');
    expect(cellAt(viewer, 0, 0).isFgRGB()).toBe(true);
    expect(cellAt(viewer, 0, 0).getFgColor()).toBe(0x0ac81e);
  });

  it('gets only the 8 ANSI colours on an 8-colour terminal, brightness as bold', async () => {
    const { out, viewer } = await drawn('8', '\x1b[92mB\x1b[0m\x1b[38;5;208mO\x1b[0m\x1b[104mb\x1b[0m\x1b[32mN\x1b[0m');
    expect(out).not.toMatch(/\x1b\[[0-9;]*(38;|48;|9[0-7]|10[0-7])/);
    const bright = cellAt(viewer, 0, 0);
    expect([bright.isFgPalette(), bright.getFgColor(), bright.isBold() !== 0]).toEqual([true, 2, true]);
    const orange = cellAt(viewer, 1, 0);
    expect(orange.isFgPalette() && orange.getFgColor() < 8).toBe(true);
    const brightBg = cellAt(viewer, 2, 0);
    expect([brightBg.getBgColor(), brightBg.isBold() !== 0]).toEqual([4, false]);
    const normal = cellAt(viewer, 3, 0);
    expect([normal.getFgColor(), normal.isBold() !== 0]).toEqual([2, false]);
  });
});
