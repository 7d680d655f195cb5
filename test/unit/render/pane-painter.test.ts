/**
 * The pane painter's raw path (xterm's cell words read directly) against the public-API path it
 * replaces: the same screens, painted both ways, must give identical grids — colours of every
 * mode, every attribute, wide and combining characters, extended underline styles, clipping.
 */
import { describe, expect, it } from 'vitest';
import type { Terminal } from '@xterm/headless';
import { PanePainter } from '../../../src/core/render/pane-painter.js';
import { ATTR_INVERSE, ScreenGrid } from '../../../src/core/render/screen-grid.js';
import { makeTerm, pane, write } from './helpers.js';

/** Every cell of `grid` as text: chars, width, colours, attributes. */
function cells(grid: ScreenGrid): string[] {
  const out: string[] = [];
  for (let i = 0; i < grid.cols * grid.rows; i++) {
    out.push(`${i % grid.cols},${Math.floor(i / grid.cols)} ${grid.chars(i)}/${grid.width(i)}/${grid.fg(i)}/${grid.bg(i)}/${grid.attrs(i)}`);
  }
  return out;
}

/** Paints `t` as one pane at (xoff, yoff), clipped to clipCols×clipRows, with both painters. */
function paintBothWays(t: Terminal, xoff: number, yoff: number, clipCols: number, clipRows: number): [string[], string[]] {
  const scenePane = pane(1, t, { xoff, yoff, cols: t.cols, rows: t.rows });
  const grids = [true, false].map((raw) => {
    const grid = new ScreenGrid(clipCols + 2, clipRows + 2);
    new PanePainter(raw).paint(grid, scenePane, clipCols, clipRows);
    return cells(grid);
  });
  return [grids[0]!, grids[1]!];
}

describe('pane painter raw path', () => {
  it('reads colours, attributes, wide and combining characters exactly like the public API', async () => {
    const t = makeTerm(40, 10);
    await write(t, '\x1b[31mred\x1b[92mbright\x1b[44mbg\x1b[0m \x1b[38;5;208m208\x1b[48;5;17mon17\x1b[0m\r\n');
    await write(t, '\x1b[38;2;10;200;30mtrue\x1b[48;2;250;0;128mcolour\x1b[0m\r\n');
    await write(t, '\x1b[1mB\x1b[0m\x1b[2mD\x1b[0m\x1b[3mI\x1b[0m\x1b[4mU\x1b[0m\x1b[5mK\x1b[0m\x1b[7mR\x1b[0m');
    await write(t, '\x1b[8mH\x1b[0m\x1b[9mS\x1b[0m\x1b[53mO\x1b[0m\x1b[1;2;3;4;5;7;9mall\x1b[0m\r\n');
    await write(t, '\x1b[4:3mcurly\x1b[0m \x1b[4:0mnone\x1b[0m \x1b[58;5;1m\x1b[4mcoloured\x1b[0m\r\n');
    await write(t, '漢字😀x🚀 é\u0301 cafe\u0301 \x1b[41m中文\x1b[0m\r\n');
    await write(t, '\x1b[44m    \x1b[0m\x1b[K\x1b[45m\x1b[K\x1b[0m\r\n');
    const [raw, api] = paintBothWays(t, 0, 0, 40, 10);
    expect(raw).toEqual(api);
    expect(raw.join('\n')).toContain('0,0 r/1/');
  });

  it('draws SGR 3 (standout under TERM=screen) as reverse video on both paths, as tmux does', async () => {
    const t = makeTerm(10, 2);
    await write(t, '\x1b[3mS\x1b[0m\x1b[3;7mB\x1b[0m\x1b[7mR\x1b[0mp');
    const grids = [true, false].map((raw) => {
      const grid = new ScreenGrid(10, 2);
      new PanePainter(raw).paint(grid, pane(1, t, { xoff: 0, yoff: 0, cols: 10, rows: 2 }), 10, 2);
      return [0, 1, 2, 3].map((i) => grid.attrs(i));
    });
    for (const attrs of grids) expect(attrs).toEqual([ATTR_INVERSE, ATTR_INVERSE, ATTR_INVERSE, 0]);
  });

  it('clips at the pane edge and at the viewer edge the same way, wide characters included', async () => {
    const t = makeTerm(12, 3);
    await write(t, 'abcdefghij漢\r\n\x1b[42mxxxxxxxxxx中\x1b[0m\r\n');
    for (const [xoff, yoff, clipCols, clipRows] of [[0, 0, 12, 3], [3, 1, 14, 3], [2, 0, 12, 2], [0, 0, 11, 3]] as const) {
      const [raw, api] = paintBothWays(t, xoff, yoff, clipCols, clipRows);
      expect(raw, `at ${xoff},${yoff} clipped to ${clipCols}x${clipRows}`).toEqual(api);
    }
  });

  it('matches the public API on random output (randomized)', async () => {
    const t = makeTerm(30, 8);
    let seed = 4242;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = ['a', 'Z9', '漢', '😀', ' ', '\x1b[K', '\x1b[1m', '\x1b[0m', '\x1b[38;5;99m', '\x1b[48;2;1;2;3m', '\x1b[7m', '\x1b[4:2m', 'é\u0301', '\r\n', '\x1b[2m', '\x1b[9m'];
    for (let step = 0; step < 40; step++) {
      let chunk = `\x1b[${rand(8) + 1};${rand(30) + 1}H`;
      for (let k = rand(14); k >= 0; k--) chunk += pieces[rand(pieces.length)];
      await write(t, chunk);
      const [raw, api] = paintBothWays(t, rand(3), rand(2), 30, 9);
      expect(raw, `step ${step}`).toEqual(api);
    }
  });
});
