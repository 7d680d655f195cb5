/**
 * Replays shared/tmate/traces/05-copy-mode.jsonl against our copy mode: the same pane size
 * (120×39, from the trace's SYNC_LAYOUT), the same content (`seq 1 100` under a 23-column prompt)
 * and the same keys must give exactly the SYNC_COPY_MODE states the real tmate host sent.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CopyMode } from '../../../../src/core/host/copy-mode/copy-mode.js';
import type { CopyModeState } from '../../../../src/core/protocol/tmate/messages.js';
import { KEYC_UP } from '../../../../src/core/term/key-codes.js';
import { key, paneWith, seq } from './helpers.js';

const trace = resolve(__dirname, '../../../../../shared/tmate/traces/05-copy-mode.jsonl');

interface TraceEntry {
  dir?: string;
  name?: string;
  msg?: unknown[];
}

function traceEntries(): TraceEntry[] {
  return readFileSync(trace, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceEntry);
}

/** The SYNC_COPY_MODE states the host sent for pane 0, in wire form. */
function hostStates(): unknown[] {
  return traceEntries()
    .filter((e) => e.dir === 'c2s' && e.name === 'SYNC_COPY_MODE' && e.msg?.[1] === 0)
    .map((e) => e.msg![2]);
}

/** Pane 0's size from the trace's first SYNC_LAYOUT: [id, sx, sy, xoff, yoff]. */
function paneSize(): [number, number] {
  const layout = traceEntries().find((e) => e.name === 'SYNC_LAYOUT')!.msg!;
  const windows = layout[3] as [number, string, number[][], number][];
  const pane = windows.flatMap((w) => w[2]).find((p) => p[0] === 0)!;
  return [pane[1]!, pane[2]!];
}

function wire(s: CopyModeState): unknown[] {
  const sel = s.selection ? [s.selection.x, s.selection.lineFromBottom, s.selection.rect ? 1 : 0] : [];
  const input = s.prompt ? [s.prompt.type, s.prompt.prompt, s.prompt.text] : [];
  return [s.backing, s.oy, s.cx, s.cy, sel, input];
}

describe('trace 05: copy mode as the real tmate host reports it', () => {
  it('reproduces every state of the trace for the same pane and keys', () => {
    const [cols, rows] = paneSize();
    expect([cols, rows]).toEqual([120, 39]);
    const prompt = 'user@tmate-host:~/dir$ ';
    expect(prompt.length).toBe(23);
    const term = paneWith(cols, rows, ['$ seq 1 100', ...seq(1, 100), prompt]);
    const mode = new CopyMode(term, 'emacs');
    const got = [wire(mode.state())];
    const keys = [key('PPage'), key('C-Space'), key('Up'), key('Up'), key('Right'), KEYC_UP,
      key('C-r'), key('4'), key('2'), key('Enter')];
    for (const k of keys) {
      expect(mode.handleKey(k)).toEqual({ exit: false, copied: null });
      got.push(wire(mode.state()));
    }
    const expected = hostStates();
    // The host sends [] twice on exit; everything before is one state per key.
    expect(expected.slice(-2)).toEqual([[], []]);
    expect(got).toEqual(expected.slice(0, -2));
    expect(mode.handleKey(key('q'))).toEqual({ exit: true, copied: null });
  });
});
