// Repainting only the changed rows (viewer-renderer.ts with pane-damage.ts) must show the viewer
// exactly what painting every frame whole shows. Random sessions of one to three panes (real
// emulators from createEmulator) get random output: text, wide characters and combining marks,
// colours, cursor moves, erases, inserted and deleted lines and characters, scroll regions,
// reverse index, the alternate screen, full resets, autowrap changes; between frames the status
// line, the active pane, copy mode, pane sizes and the viewer's size change now and then. One
// renderer repaints changed rows, the other redraws everything each frame; both outputs are replayed
// into viewer terminals and compared cell by cell after every frame. The test also counts the rows
// repainted one at a time, so it fails if the row-by-row path is never taken.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Terminal } from '@xterm/headless';
import type { CopyModeState } from '../../../src/core/protocol/tmate/messages.js';
import { PanePainter } from '../../../src/core/render/pane-painter.js';
import type { PaneScene, WindowScene } from '../../../src/core/render/scene.js';
import { ViewerRenderer } from '../../../src/core/render/viewer-renderer.js';
import { createEmulator, parseSync } from '../../../src/core/term/emulator.js';
import { paneDamage } from '../../../src/core/term/pane-damage.js';
import { prng } from '../term/term-helpers.js';
import { describeCell, scene, status } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const PIECES = [
  'hello', 'ls -la', '$ ', 'x', '中文字', 'é', 'e\u0301', '🙂', '\t', '\b', '\r', '\n', '\r\n', '\r\n\r\n\r\n',
  '\x1b[31m', '\x1b[1;44m', '\x1b[0m', '\x1b[38;5;123m', '\x1b[48;2;10;20;30m', '\x1b[7m', '\x1b[4:3m',
  '\x1b[H', '\x1b[3;5H', '\x1b[10;1H', '\x1b[2A', '\x1b[3C', '\x1b[K', '\x1b[1K', '\x1b[2K', '\x1b[J', '\x1b[1J',
  '\x1b[2J', '\x1b[3J', '\x1b[2L', '\x1b[M', '\x1b[3@', '\x1b[2P', '\x1b[4X', '\x1b[2;4r', '\x1b[r', '\x1b[S',
  '\x1b[2T', '\x1bM', '\x1bD', '\x1bE', '\x1b7', '\x1b8', '\x1b[?1049h', '\x1b[?1049l', '\x1b[?47h', '\x1b[?47l',
  '\x1b[?7l', '\x1b[?7h', '\x1bc', '\x1b[?25l', '\x1b[?25h', '\x1b]0;title\x07', '\x1b[6n',
];

function randomOutput(random: () => number): string {
  let out = '';
  const n = 1 + Math.floor(random() * 12);
  for (let i = 0; i < n; i++) {
    if (random() < 0.15) {
      for (let k = Math.floor(random() * 8); k > 0; k--) out += `line ${Math.floor(random() * 1000)} ${'abc '.repeat(Math.floor(random() * 12))}\r\n`;
    } else {
      out += PIECES[Math.floor(random() * PIECES.length)];
    }
  }
  return out;
}

interface PaneState {
  id: number;
  term: Terminal;
  geom: { xoff: number; yoff: number; cols: number; rows: number };
  copyMode: CopyModeState | null;
}

/** Pane rectangles tmux could have in a window of cols×rows: one pane, two side by side, or three. */
function layouts(cols: number, rows: number): PaneState['geom'][][] {
  const half = Math.floor((cols - 1) / 2);
  const mid = Math.floor((rows - 1) / 2);
  return [
    [{ xoff: 0, yoff: 0, cols, rows }],
    [{ xoff: 0, yoff: 0, cols: half, rows }, { xoff: half + 1, yoff: 0, cols: cols - half - 1, rows }],
    [
      { xoff: 0, yoff: 0, cols: half, rows },
      { xoff: half + 1, yoff: 0, cols: cols - half - 1, rows: mid },
      { xoff: half + 1, yoff: mid + 1, cols: cols - half - 1, rows: rows - mid - 1 },
    ],
  ];
}

function copyMode(random: () => number): CopyModeState {
  return { backing: 1, oy: Math.floor(random() * 4), cx: 1, cy: 1, selection: null, prompt: null };
}

/** Every visible cell of a viewer terminal, row by row. */
function viewerCells(term: Terminal): string {
  const buf = term.buffer.active;
  const cell = buf.getNullCell();
  const rows: string[] = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(buf.baseY + y)!;
    let row = '';
    for (let x = 0; x < term.cols; x++) row += `${describeCell(line.getCell(x, cell)!)}|`;
    rows.push(row);
  }
  return rows.join('\n');
}

function runSession(seed: number): void {
  const random = prng(seed);
  let vcols = 30 + Math.floor(random() * 20);
  let vrows = 8 + Math.floor(random() * 8);
  const wcols = vcols - Math.floor(random() * 3);
  const wrows = vrows - 1 - Math.floor(random() * 2);
  const rects = layouts(wcols, wrows)[Math.floor(random() * 3)]!;
  const panes: PaneState[] = rects.map((geom, i) => ({ id: i + 1, term: createEmulator(geom.cols, geom.rows, 50), geom: { ...geom }, copyMode: null }));
  let active = 1;
  let st = status();
  const fast = new ViewerRenderer(vcols, vrows);
  const whole = new ViewerRenderer(vcols, vrows);
  let fastViewer = createEmulator(vcols, vrows, 0);
  let wholeViewer = createEmulator(vcols, vrows, 0);
  parseSync(fastViewer, fast.enter());
  parseSync(wholeViewer, whole.enter());

  for (let step = 0; step < 60; step++) {
    const pick = panes[Math.floor(random() * panes.length)]!;
    const r = random();
    if (r < 0.75) parseSync(pick.term, randomOutput(random));
    else if (r < 0.82) st = status({ right: ` ${Math.floor(random() * 100)} connected `, message: random() < 0.3 ? 'a message' : null });
    else if (r < 0.88) active = pick.id;
    else if (r < 0.92) pick.copyMode = pick.copyMode === null ? copyMode(random) : null;
    else if (r < 0.96) {
      const rows = Math.max(1, pick.geom.rows - Math.floor(random() * 3));
      pick.term.resize(pick.geom.cols, rows);
      pick.geom.rows = rows;
    } else {
      vcols = Math.max(10, vcols + Math.floor(random() * 7) - 3);
      vrows = Math.max(4, vrows + Math.floor(random() * 5) - 2);
      fast.resize(vcols, vrows);
      whole.resize(vcols, vrows);
      fastViewer = createEmulator(vcols, vrows, 0);
      wholeViewer = createEmulator(vcols, vrows, 0);
    }
    const win: WindowScene = {
      cols: wcols,
      rows: wrows,
      activePaneId: active,
      panes: panes.map((p): PaneScene => ({ id: p.id, terminal: p.term, copyMode: p.copyMode, outputLines: [], ...p.geom })),
    };
    whole.invalidate();
    parseSync(fastViewer, fast.render(scene(win, st)));
    parseSync(wholeViewer, whole.render(scene(win, st)));
    const got = viewerCells(fastViewer);
    const want = viewerCells(wholeViewer);
    if (got !== want) expect.fail(`seed ${seed}, step ${step}: the viewer's screen differs\n--- repainted\n${got}\n--- whole\n${want}`);
  }
}

describe('repainting only the rows that changed', () => {
  it('shows exactly what painting every frame whole shows (random sessions)', () => {
    const rowPaints = vi.spyOn(PanePainter.prototype, 'paintLiveRow');
    for (let seed = 1; seed <= 80; seed++) runSession(seed);
    // The row-by-row path ran, and not only on frames where everything changed.
    expect(rowPaints.mock.calls.length).toBeGreaterThan(2000);
  });

  it('repaints only the echoed row for a keystroke', () => {
    const term = createEmulator(40, 10, 100);
    parseSync(term, 'line one\r\nline two\r\n$ ');
    const renderer = new ViewerRenderer(40, 11);
    const win: WindowScene = { cols: 40, rows: 10, activePaneId: 1, panes: [{ id: 1, terminal: term, copyMode: null, outputLines: [], xoff: 0, yoff: 0, cols: 40, rows: 10 }] };
    renderer.enter();
    renderer.render(scene(win));
    const rowPaints = vi.spyOn(PanePainter.prototype, 'paintLiveRow');
    parseSync(term, 'x');
    const frame = renderer.render(scene(win));
    expect(rowPaints.mock.calls.map((call) => call[2])).toEqual([2]);
    expect(frame).toContain('x');
  });

  it('repaints a row once, not again in later frames', () => {
    const left = createEmulator(19, 10, 100);
    const right = createEmulator(20, 10, 100);
    const renderer = new ViewerRenderer(40, 11);
    const win: WindowScene = {
      cols: 40, rows: 10, activePaneId: 1, panes: [
        { id: 1, terminal: left, copyMode: null, outputLines: [], xoff: 0, yoff: 0, cols: 19, rows: 10 },
        { id: 2, terminal: right, copyMode: null, outputLines: [], xoff: 20, yoff: 0, cols: 20, rows: 10 },
      ],
    };
    renderer.enter();
    renderer.render(scene(win));
    const rowPaints = vi.spyOn(PanePainter.prototype, 'paintLiveRow');
    parseSync(left, 'x');
    renderer.render(scene(win));
    expect(rowPaints.mock.calls.map((call) => call[1].id)).toEqual([1]);
    rowPaints.mockClear();
    parseSync(right, 'y');
    renderer.render(scene(win));
    expect(rowPaints.mock.calls.map((call) => call[1].id)).toEqual([2]);
  });

  it('still scrolls the viewer\'s screen when a repainted pane scrolls', () => {
    const term = createEmulator(40, 10, 100);
    // Lines that differ in every cell, so a scroll is cheaper than rewriting them.
    for (let i = 0; i < 12; i++) parseSync(term, `\r\n${String.fromCharCode(65 + i).repeat(30)}`);
    const renderer = new ViewerRenderer(40, 11);
    const win: WindowScene = { cols: 40, rows: 10, activePaneId: 1, panes: [{ id: 1, terminal: term, copyMode: null, outputLines: [], xoff: 0, yoff: 0, cols: 40, rows: 10 }] };
    renderer.enter();
    renderer.render(scene(win));
    const rowPaints = vi.spyOn(PanePainter.prototype, 'paintLiveRow');
    parseSync(term, `\r\n${'M'.repeat(30)}`);
    const frame = renderer.render(scene(win));
    expect(rowPaints).toHaveBeenCalled();
    expect(frame).toContain('\x1b[1;10r'); // one scroll of the pane area, then the new line
    expect(frame.length).toBeLessThan(120);
  });

  it('tracks damage for every emulator the relay creates', () => {
    const term = createEmulator(20, 5, 10);
    const damage = paneDamage(term)!;
    expect(damage.tracked).toBe(true);
    parseSync(term, '\x1b[3;1H');
    const seen = damage.version;
    parseSync(term, 'x');
    expect(damage.rowChangedSince(2, seen)).toBe(true);
    expect(damage.rowChangedSince(0, seen)).toBe(false);
    expect(damage.allChangedSince(seen)).toBe(false);
    const before = damage.version;
    parseSync(term, '\x1b[?1049h');
    expect(damage.allChangedSince(before)).toBe(true);
  });
});
