/**
 * What a session's replica says about its windows and panes, in the shapes the status line
 * (StatusWindow) and the listing commands and formats (core/mux/session-listings.ts) take.
 *
 * Invariants: reads only; a pane's scrollback is measured without unpacking packed lines.
 */
import type { SessionReplica } from '../../core/mux/session-replica.js';
import type { ListedPane, ListedSession } from '../../core/mux/session-listings.js';
import type { LayoutPane } from '../../core/protocol/tmate/messages.js';
import type { StatusWindow } from '../../core/render/scene.js';
import { zoomedPane } from '../../core/render/border-painter.js';
import { windowFlags } from '../../core/render/status-painter.js';
import { normalBuffer, type NormalBuffer } from '../../core/term/xterm-buffer-line.js';
import { usedCells } from '../../core/term/packed-lines.js';
import type { PaneReplica } from '../../core/mux/pane-replica.js';

/** Bytes tmux 2.4 counts per history line and per cell used in `#{history_bytes}` (measured on tmate 2.4.0). */
const LINE_BYTES = 28;
const CELL_BYTES = 5;

export function statusWindows(replica: SessionReplica): StatusWindow[] {
  return replica.windows.map((w) => ({
    index: w.index,
    name: w.name,
    active: w.index === replica.activeWindowIndex,
    last: w.index === replica.lastWindowIndex,
    panes: w.panes.length,
    zoomed: zoomedPane(w.panes, w.activePaneId, replica.cols, replica.rows) !== undefined,
    bell: replica.rangBell(w.index),
  }));
}

export function listedSession(replica: SessionReplica, name: string, createdMs: number, attached: number): ListedSession {
  const status = statusWindows(replica);
  const windows = replica.windows.map((w, i) => {
    const s = status[i] as StatusWindow;
    return {
      index: w.index,
      name: w.name,
      flags: windowFlags(s),
      active: s.active,
      last: s.last,
      zoomed: s.zoomed === true,
      bell: s.bell === true,
      activePaneId: w.activePaneId,
      panes: w.panes.map((geometry) => listedPane(geometry, replica.pane(geometry.id))),
    };
  });
  return { name, createdMs, attached, cols: replica.cols, rows: replica.rows, windows };
}

function listedPane(geometry: LayoutPane, pane: PaneReplica | undefined): ListedPane {
  const term = pane?.terminal;
  const active = term?.buffer.active;
  const normal = term ? normalBuffer(term) : null;
  return {
    ...geometry,
    historySize: normal?.ybase ?? 0,
    historyLimit: term?.options.scrollback ?? 0,
    historyBytes: () => (normal ? historyBytes(normal) : 0),
    inMode: pane?.copyMode != null,
    cursorX: active?.cursorX ?? 0,
    cursorY: active?.cursorY ?? 0,
    alternateOn: active?.type === 'alternate',
  };
}

/** The scrollback's size as tmux 2.4 counts it: a line record per line and a cell record per cell used. */
function historyBytes(normal: NormalBuffer): number {
  let cells = 0;
  for (let y = 0; y < normal.ybase; y++) {
    const line = normal.lines.get(y);
    if (line) cells += usedCells(line);
  }
  return normal.ybase * LINE_BYTES + cells * CELL_BYTES;
}
