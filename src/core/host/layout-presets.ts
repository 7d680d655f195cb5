/**
 * tmux 2.4's preset layouts (layout-set.c), as trees of sizes for PaneLayout.rebuild: panes side
 * by side or stacked with equal shares, a main pane on top or at the left with the others in a
 * grid beside it, or every pane in a grid. Space that does not divide evenly goes to the last cell
 * of each row or column, as tmux gives it.
 *
 * Invariants: panes appear in the order given (the window's pane order); fewer than two panes
 * give no tree (tmux leaves such a window alone); every cell is at least PANE_MINIMUM along each
 * axis; a tree may be larger than the window when the panes do not fit (PaneLayout crops them).
 */
import { PANE_MINIMUM, type SplitType } from './layout.js';

export type LayoutTree =
  | { paneId: number; sx: number; sy: number }
  | { type: SplitType; sx: number; sy: number; children: LayoutTree[] };

export const PRESET_NAMES = ['even-horizontal', 'even-vertical', 'main-horizontal', 'main-vertical', 'tiled'] as const;

/** tmux's main-pane-height and main-pane-width defaults (other-pane-* are 0: unset). */
const MAIN_PANE_HEIGHT = 24;
const MAIN_PANE_WIDTH = 80;

/** The preset a name or unambiguous prefix of one names, or -1. */
export function lookupPreset(name: string): number {
  const matches = PRESET_NAMES.flatMap((preset, index) => (name !== '' && preset.startsWith(name) ? [index] : []));
  return matches.length === 1 ? matches[0]! : -1;
}

export function presetTree(preset: number, paneIds: readonly number[], sx: number, sy: number): LayoutTree | null {
  if (paneIds.length < 2) return null;
  switch (PRESET_NAMES[preset]) {
    case 'even-horizontal':
      return evenLine('leftright', paneIds, sx, sy);
    case 'even-vertical':
      return evenLine('topbottom', paneIds, sx, sy);
    case 'main-horizontal':
      return mainAndGrid('topbottom', paneIds, sx, sy);
    case 'main-vertical':
      return mainAndGrid('leftright', paneIds, sx, sy);
    case 'tiled':
      return tiled(paneIds, sx, sy);
    default:
      return null;
  }
}

/** Sizes along and across `type` as [sx, sy]. */
function dims(type: SplitType, along: number, across: number): { sx: number; sy: number } {
  return type === 'leftright' ? { sx: along, sy: across } : { sx: across, sy: along };
}

/** `count` cells of `each` along an axis of `total`, the remainder added to the last. */
function shares(count: number, each: number, total: number): number[] {
  const sizes = new Array<number>(count).fill(each);
  const used = count * (each + 1) - 1;
  if (total > used) sizes[count - 1]! += total - used;
  return sizes;
}

function evenLine(type: SplitType, paneIds: readonly number[], sx: number, sy: number): LayoutTree {
  const along = type === 'leftright' ? sx : sy;
  const across = type === 'leftright' ? sy : sx;
  const each = Math.max(PANE_MINIMUM, Math.floor((along - (paneIds.length - 1)) / paneIds.length));
  const sizes = shares(paneIds.length, each, along);
  const children = paneIds.map((paneId, i) => ({ paneId, ...dims(type, sizes[i]!, across) }));
  return { type, ...dims(type, sizes.reduce((a, b) => a + b, 0) + sizes.length - 1, across), children };
}

/**
 * main-horizontal (`type` topbottom: the main pane on top, the others in rows below) and
 * main-vertical (`type` leftright: the main pane at the left, the others in columns beside it).
 */
function mainAndGrid(type: SplitType, paneIds: readonly number[], sx: number, sy: number): LayoutTree {
  const cross: SplitType = type === 'topbottom' ? 'leftright' : 'topbottom';
  const along = type === 'topbottom' ? sy : sx; // where the main pane and the lines of others stack
  const across = type === 'topbottom' ? sx : sy;
  const others = paneIds.length - 1;
  let perLine = Math.max(1, Math.floor((across + 1) / (PANE_MINIMUM + 1)));
  const lines = 1 + Math.floor((others - 1) / perLine);
  perLine = 1 + Math.floor((others - 1) / lines);
  const cellAcross = Math.floor((across - (others - 1)) / perLine);
  let main = (type === 'topbottom' ? MAIN_PANE_HEIGHT : MAIN_PANE_WIDTH) + 1;
  if (main < PANE_MINIMUM + 1) main = PANE_MINIMUM + 1;
  const linesTotal = lines * (PANE_MINIMUM + 1) - 1;
  let lineSize: number;
  if (main + linesTotal > along) {
    main = linesTotal + PANE_MINIMUM + 1 > along ? PANE_MINIMUM + 2 : along - linesTotal;
    lineSize = PANE_MINIMUM;
  } else {
    lineSize = Math.floor((along - main - (lines - 1)) / lines);
  }
  const children: LayoutTree[] = [{ paneId: paneIds[0]!, ...dims(type, main - 1, across) }];
  let next = 1;
  for (let line = 0; line < lines && next < paneIds.length; line++) {
    const ids = paneIds.slice(next, next + perLine);
    next += ids.length;
    children.push(lineOf(cross, ids, cellAcross, lineSize, across));
  }
  const used = main + lines * lineSize + lines - 1;
  if (along > used) growLast(children, type, along - used);
  const total = children.reduce((sum, child) => sum + sizeAlong(child, type), 0) + children.length - 1;
  return { type, ...dims(type, total, across), children };
}

/** One row (or column) of panes along `type`, each `each` wide, stretched to `total`; one pane alone is the line itself. */
function lineOf(type: SplitType, ids: readonly number[], each: number, thickness: number, total: number): LayoutTree {
  if (ids.length === 1) return { paneId: ids[0]!, ...dims(type, Math.max(each, total), thickness) };
  const sizes = shares(ids.length, each, total);
  const children = ids.map((paneId, i) => ({ paneId, ...dims(type, sizes[i]!, thickness) }));
  return { type, ...dims(type, sizes.reduce((a, b) => a + b, 0) + sizes.length - 1, thickness), children };
}

function tiled(paneIds: readonly number[], sx: number, sy: number): LayoutTree {
  const n = paneIds.length;
  let rows = 1;
  let columns = 1;
  while (rows * columns < n) {
    rows++;
    if (rows * columns < n) columns++;
  }
  const width = Math.max(PANE_MINIMUM, Math.floor((sx - (columns - 1)) / columns));
  const height = Math.max(PANE_MINIMUM, Math.floor((sy - (rows - 1)) / rows));
  const children: LayoutTree[] = [];
  for (let row = 0; row * columns < n; row++) {
    const ids = paneIds.slice(row * columns, row * columns + columns);
    children.push(lineOf('leftright', ids, width, height, sx));
  }
  const used = rows * height + rows - 1;
  if (sy > used) growLast(children, 'topbottom', sy - used);
  const total = children.reduce((sum, child) => sum + child.sy, 0) + children.length - 1;
  return { type: 'topbottom', sx: Math.max(sx, (width + 1) * columns - 1), sy: total, children };
}

function sizeAlong(tree: LayoutTree, type: SplitType): number {
  return type === 'leftright' ? tree.sx : tree.sy;
}

/** Adds `change` to the last child along `type` (and to everything inside it across that axis). */
function growLast(children: LayoutTree[], type: SplitType, change: number): void {
  const last = children[children.length - 1]!;
  const grow = (tree: LayoutTree): void => {
    if (type === 'leftright') tree.sx += change;
    else tree.sy += change;
    if (!('children' in tree)) return;
    if (tree.type === type) grow(tree.children[tree.children.length - 1]!);
    else tree.children.forEach(grow);
  };
  grow(last);
}
