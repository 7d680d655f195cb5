// The relay's panes parse their output lazily (src/core/mux/pane-replica.ts, term/queued-output.ts): whatever reads a
// pane's emulator must find every byte received so far parsed, in order, also across a resize
// (output sent before a resize is laid out at the old width) and a snapshot; and queued output is
// bounded. The same messages go through a SessionReplica, as the relay applies them.
import { describe, expect, it } from 'vitest';
import { PaneReplica } from '../../../src/core/mux/pane-replica.js';
import { MAX_QUEUED_BYTES } from '../../../src/core/term/queued-output.js';
import { SessionReplica } from '../../../src/core/mux/session-replica.js';
import type { LayoutWindow } from '../../../src/core/protocol/tmate/messages.js';

const encoder = new TextEncoder();

function screenText(pane: PaneReplica): string[] {
  const buffer = pane.terminal.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < buffer.length; y++) out.push(buffer.getLine(y)!.translateToString(true));
  return out;
}

/** Lines in the emulator's buffer, read past the getter (which would parse what is queued). */
function parsedLines(pane: PaneReplica): number {
  const output = (pane as unknown as { output: { emulator: { buffer: { active: { length: number } } } } }).output;
  return output.emulator.buffer.active.length;
}

function layout(cols: number, rows: number): LayoutWindow[] {
  return [{ index: 0, name: 'bash', activePaneId: 0, panes: [{ id: 0, cols, rows, xoff: 0, yoff: 0, active: true }] } as unknown as LayoutWindow];
}

describe('lazily parsed pane output', () => {
  it('queues output until the emulator is read, then shows all of it in order', () => {
    const pane = new PaneReplica(0, 20, 5, 100);
    for (let i = 1; i <= 12; i++) pane.receive(encoder.encode(`line ${i}\r\n`));
    expect(parsedLines(pane)).toBe(5); // nothing parsed yet: an empty 5-row screen
    const lines = screenText(pane);
    expect(lines.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => `line ${i + 1}`));
  });

  it('parses at once when MAX_QUEUED_BYTES are queued', () => {
    const pane = new PaneReplica(0, 20, 5, 100);
    const line = encoder.encode('x'.repeat(1000) + '\r\n');
    let sent = 0;
    while (sent + line.length < MAX_QUEUED_BYTES) {
      pane.receive(line);
      sent += line.length;
    }
    expect(parsedLines(pane)).toBe(5);
    pane.receive(line);
    expect(parsedLines(pane)).toBeGreaterThan(5);
  });

  it('lays out output sent before a resize at the old width (through the session replica)', () => {
    const replica = new SessionReplica();
    replica.apply({ type: 'sync-layout', cols: 10, rows: 4, windows: layout(10, 4), activeWindowIndex: 0 });
    // To the right margin (CUF 999), then a mark: where the mark lands depends on the width.
    replica.apply({ type: 'pty-data', paneId: 0, data: encoder.encode('a\x1b[999CX') });
    replica.apply({ type: 'sync-layout', cols: 20, rows: 4, windows: layout(20, 4), activeWindowIndex: 0 });
    replica.apply({ type: 'pty-data', paneId: 0, data: encoder.encode('\r\nnext') });
    const pane = replica.pane(0)!;
    expect(pane.terminal.cols).toBe(20);
    // Parsed at 10 columns, the mark is in the tenth column, not the twentieth.
    expect(screenText(pane).slice(0, 2)).toEqual([`a${' '.repeat(8)}X`, 'next']);
  });

  it('drops queued output when a snapshot restarts the pane', () => {
    const pane = new PaneReplica(0, 20, 5, 100);
    pane.receive(encoder.encode('before the snapshot'));
    pane.restart(100, encoder.encode('from the snapshot'));
    expect(screenText(pane)[0]).toBe('from the snapshot');
  });
});
