/**
 * Frame encoding: cell-exact round trips (colours, attributes, wide characters), incremental
 * updates, the empty frame, forced full redraws, and a randomized incremental-vs-full check.
 */
import { describe, expect, it } from 'vitest';
import type { Terminal } from '@xterm/headless';
import { FrameEncoder } from '../../../src/core/render/frame-encoder.js';
import { ScreenGrid } from '../../../src/core/render/screen-grid.js';
import { ViewerRenderer } from '../../../src/core/render/viewer-renderer.js';
import { diffRegion, feed, makeTerm, replay, scene, screen, singlePaneWindow, status, write } from './helpers.js';

/** Renders a single-pane window the size of `t` (plus status line) and replays it. */
async function fullRound(t: Terminal): Promise<{ r: ViewerRenderer; out: string; viewer: Terminal }> {
  const r = new ViewerRenderer(t.cols, t.rows + 1);
  const out = r.enter() + r.render(scene(singlePaneWindow(t)));
  return { r, out, viewer: await replay(t.cols, t.rows + 1, out) };
}

describe('frame encoder', () => {
  it('round-trips 16/256/truecolor colours and every attribute cell-exactly', async () => {
    const t = makeTerm(60, 8);
    await write(t, '\x1b[31mred\x1b[92mbright\x1b[44mbg\x1b[0m \x1b[38;5;208m208\x1b[48;5;17mon17\x1b[0m\r\n');
    await write(t, '\x1b[38;2;10;200;30mtrue\x1b[48;2;250;0;128mcolour\x1b[0m\r\n');
    // (SGR 3 is left out: it is drawn as reverse video, see pane-painter.test.ts.)
    await write(t, '\x1b[1mbold\x1b[0m \x1b[2mdim\x1b[0m \x1b[53mover\x1b[0m \x1b[4munder\x1b[0m \x1b[5mblink\x1b[0m ');
    await write(t, '\x1b[7minv\x1b[0m \x1b[8mhide\x1b[0m \x1b[9mstrike\x1b[0m\r\n');
    await write(t, '\x1b[1;4;31;42mmix\x1b[22mnobold\x1b[24mnounder\x1b[0m\r\n');
    await write(t, '\x1b[45m          \x1b[0m trailing bg spaces');
    const { viewer } = await fullRound(t);
    expect(diffRegion(t, 0, 0, viewer, 0, 0, 60, 8)).toEqual([]);
  });

  it('round-trips wide characters (CJK, emoji) and combining marks', async () => {
    const t = makeTerm(30, 4);
    await write(t, '漢字かな😀x🚀y\r\né\u0301 cafe\u0301\r\n\x1b[41m中文\x1b[0m|');
    const { viewer } = await fullRound(t);
    expect(diffRegion(t, 0, 0, viewer, 0, 0, 30, 4)).toEqual([]);
    expect(screen(viewer)[0]!.trimEnd()).toBe('漢字かな😀x🚀y');
  });

  it('keeps a wide character whole when the cursor stood on its right half before a change beside it', async () => {
    const t = makeTerm(30, 4);
    await write(t, '😀abc\x1b[1;2H'); // the cursor on the right half of the emoji
    const { r, out, viewer } = await fullRound(t);
    expect(out).toContain('\x1b[1;2H');
    await write(t, '\x1b[1;4HX\x1b[1;2H'); // a change two cells to its right, cursor back
    await feed(viewer, r.render(scene(singlePaneWindow(t))));
    expect(diffRegion(t, 0, 0, viewer, 0, 0, 30, 4)).toEqual([]);
    expect(screen(viewer)[0]!.trimEnd()).toBe('😀aXc');
  });

  it('returns the empty string when nothing changed', async () => {
    const t = makeTerm(40, 10);
    await write(t, 'hello');
    const { r } = await fullRound(t);
    expect(r.render(scene(singlePaneWindow(t)))).toBe('');
    expect(r.render(scene(singlePaneWindow(t)))).toBe('');
  });

  it('sends far fewer bytes for a small change, and the screen still matches', async () => {
    const t = makeTerm(120, 40);
    const lines = Array.from({ length: 40 }, (_, i) => `\x1b[3${i % 8}mrow ${i} ${'lorem ipsum '.repeat(8)}`);
    await write(t, lines.join('\r\n'));
    const { r, out, viewer } = await fullRound(t);
    await write(t, '\x1b[20;5H\x1b[1;33mCHANGED\x1b[0m');
    const inc = r.render(scene(singlePaneWindow(t)));
    expect(inc.length).toBeGreaterThan(0);
    expect(inc.length).toBeLessThan(out.length / 50);
    expect(inc.startsWith('\x1b[?2026h')).toBe(true);
    expect(inc.endsWith('\x1b[?2026l')).toBe(true);
    await feed(viewer, inc);
    expect(diffRegion(t, 0, 0, viewer, 0, 0, 120, 40)).toEqual([]);
    expect([viewer.buffer.active.cursorX, viewer.buffer.active.cursorY]).toEqual([11, 19]);
  });

  it('uses erase-line for a row that became blank at its end', async () => {
    const t = makeTerm(80, 5);
    await write(t, `${'x'.repeat(70)}`);
    const { r, viewer } = await fullRound(t);
    await write(t, '\x1b[1;3H\x1b[K');
    const inc = r.render(scene(singlePaneWindow(t)));
    expect(inc).toContain('\x1b[K');
    expect(inc.length).toBeLessThan(50);
    await feed(viewer, inc);
    expect(screen(viewer)[0]!.trimEnd()).toBe('xx');
  });

  it('updates the status line alone when only the status changed', async () => {
    const t = makeTerm(40, 5);
    const r = new ViewerRenderer(40, 6);
    const first = r.enter() + r.render(scene(singlePaneWindow(t), status({ right: '1 viewer' })));
    const inc = r.render(scene(singlePaneWindow(t), status({ right: '2 viewers' })));
    const viewer = await replay(40, 6, first, inc);
    expect(screen(viewer)[5]!.endsWith('2 viewers')).toBe(true);
    expect(inc).not.toContain('\x1b[2J');
    expect(inc.length).toBeLessThan(60);
  });

  it('redraws everything after invalidate() and resize()', async () => {
    const t = makeTerm(40, 10);
    await write(t, 'content');
    const { r } = await fullRound(t);
    r.invalidate();
    const again = r.render(scene(singlePaneWindow(t)));
    expect(again).toContain('\x1b[2J');
    expect(screen(await replay(40, 11, again))[0]!.trimEnd()).toBe('content');
    r.resize(30, 8);
    const resized = r.render(scene(singlePaneWindow(t)));
    expect(resized).toContain('\x1b[2J');
    const viewer = await replay(30, 8, resized);
    expect(screen(viewer)[0]!.trimEnd()).toBe('content');
    expect(screen(viewer)[7]!.startsWith('[tmate] 0:bash*')).toBe(true);
    expect(r.render(scene(singlePaneWindow(t)))).toBe('');
  });

  it('enter() and leave() set up and restore the viewer terminal', () => {
    const r = new ViewerRenderer(80, 24);
    expect(r.enter()).toBe('\x1b[?1049h\x1b[?7l\x1b[0m\x1b[H\x1b[2J');
    expect(r.leave()).toBe('\x1b[0m\x1b[H\x1b[2J\x1b[?7h\x1b[?25h\x1b[?1049l');
  });

  it('incremental frames always reproduce the full render (randomized)', async () => {
    const cols = 50;
    const rows = 12;
    const t = makeTerm(cols, rows);
    const r = new ViewerRenderer(cols, rows + 1);
    const viewer = await replay(cols, rows + 1, r.enter() + r.render(scene(singlePaneWindow(t))));
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = ['a', 'bc', '漢', '😀', ' ', '\x1b[K', '\x1b[1m', '\x1b[0m', '\x1b[38;5;99m', '\x1b[44m', '\x1b[7m', 'é\u0301', '\r\n'];
    for (let step = 0; step < 60; step++) {
      let chunk = `\x1b[${rand(rows) + 1};${rand(cols) + 1}H`;
      for (let k = rand(12); k >= 0; k--) chunk += pieces[rand(pieces.length)];
      await write(t, chunk);
      await feed(viewer, r.render(scene(singlePaneWindow(t))));
      const fresh = new ViewerRenderer(cols, rows + 1);
      const expected = await replay(cols, rows + 1, fresh.enter() + fresh.render(scene(singlePaneWindow(t))));
      expect(diffRegion(expected, 0, 0, viewer, 0, 0, cols, rows + 1), `step ${step}`).toEqual([]);
    }
  });
});

describe('frame encoder text', () => {
  it('writes every kind of cell as its UTF-8 text, a lone surrogate as U+FFFD', () => {
    const back = new ScreenGrid(16, 1);
    const cells: [number, number][] = [[0x61, 1], [0xdf, 1], [0x2502, 1], [0x1f600, 2], [0xd800, 1]];
    let x = 0;
    for (const [cp, width] of cells) {
      back.put(x, 0, cp, width, 0, 0, 0);
      x += width + 1;
    }
    back.putChars(x, 0, 'e\u0301', 1, 0, 0, 0);
    const frame = new FrameEncoder().encode(new ScreenGrid(16, 1), back, { x: 0, y: 0, visible: false }, true);
    expect(frame).toContain('a ß │ 😀 \ufffd e\u0301');
    // The frame is a well-formed string: it survives a UTF-8 round trip unchanged.
    expect(Buffer.from(frame, 'utf8').toString('utf8')).toBe(frame);
  });

  it('keeps long frames whole past the buffer’s first size', () => {
    const back = new ScreenGrid(500, 100);
    for (let y = 0; y < 100; y++) for (let x = 0; x < 500; x++) back.put(x, y, x % 2 === 0 ? 0x41 + (y % 26) : 0x4e2d, 1, 0, 0, 0);
    const frame = new FrameEncoder().encode(new ScreenGrid(500, 100), back, { x: 0, y: 0, visible: false }, true);
    for (let y = 0; y < 100; y++) expect(frame).toContain(`${String.fromCharCode(0x41 + (y % 26))}中`.repeat(250));
  });
});
