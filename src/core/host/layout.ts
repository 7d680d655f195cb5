/**
 * A window's tiling tree, with tmux 2.4's layout rules (layout.c): cells split left-right or
 * top-bottom with a one-cell border between siblings, space changes spread one cell at a time
 * over the children in order, a closed cell gives its space to its previous sibling (the next one
 * if it was first), and panes are cropped to the window edge when the tree overflows it.
 *
 * Invariants:
 * - A node cell has at least two children; every leaf holds exactly one pane id.
 * - For a node, children sizes along its direction plus one border per gap equal its own size;
 *   across its direction every child has the node's size. Offsets follow from sizes
 *   (`fixOffsets`), so geometry is always derived, never stored twice.
 * - No pane cell is ever made smaller than PANE_MINIMUM by a split or a bounded resize.
 */

import type { LayoutTree } from './layout-presets.js';

export const PANE_MINIMUM = 2;

export type SplitType = 'leftright' | 'topbottom';

export interface PaneGeometry {
  sx: number;
  sy: number;
  xoff: number;
  yoff: number;
}

interface Cell {
  type: SplitType | 'pane';
  parent: Cell | null;
  children: Cell[];
  paneId: number;
  sx: number;
  sy: number;
  xoff: number;
  yoff: number;
}

function newCell(parent: Cell | null, paneId = -1): Cell {
  return { type: 'pane', parent, children: [], paneId, sx: 0, sy: 0, xoff: 0, yoff: 0 };
}

function sizeAlong(cell: Cell, type: SplitType): number {
  return type === 'leftright' ? cell.sx : cell.sy;
}

/** How much a cell can shrink in `type` direction without a pane going below the minimum. */
function shrinkable(cell: Cell, type: SplitType): number {
  if (cell.type === 'pane') return Math.max(0, sizeAlong(cell, type) - PANE_MINIMUM);
  const each = cell.children.map((child) => shrinkable(child, type));
  return cell.type === type ? each.reduce((a, b) => a + b, 0) : Math.min(...each);
}

/** Changes a cell's size and spreads the change over its children (bounded by the caller). */
function adjust(cell: Cell, type: SplitType, change: number): void {
  if (type === 'leftright') cell.sx += change;
  else cell.sy += change;
  if (cell.type === 'pane') return;
  if (cell.type !== type) {
    for (const child of cell.children) adjust(child, type, change);
    return;
  }
  let left = change;
  let stuck = false;
  while (left !== 0 && !stuck) {
    stuck = true;
    for (const child of cell.children) {
      if (left === 0) break;
      if (left > 0) {
        adjust(child, type, 1);
        left--;
        stuck = false;
      } else if (shrinkable(child, type) > 0) {
        adjust(child, type, -1);
        left++;
        stuck = false;
      }
    }
  }
}

function fixOffsets(cell: Cell): void {
  let offset = cell.type === 'leftright' ? cell.xoff : cell.yoff;
  for (const child of cell.children) {
    child.xoff = cell.type === 'leftright' ? offset : cell.xoff;
    child.yoff = cell.type === 'leftright' ? cell.yoff : offset;
    fixOffsets(child);
    offset += (cell.type === 'leftright' ? child.sx : child.sy) + 1;
  }
}

function siblings(cell: Cell): Cell[] {
  return cell.parent ? cell.parent.children : [cell];
}

/** The pane's cell, or the ancestor directly below the nearest ancestor of `type`. */
function climbTo(cell: Cell, type: SplitType): Cell | null {
  let current = cell;
  while (current.parent !== null && current.parent.type !== type) current = current.parent;
  return current.parent === null ? null : current;
}

/** Crops one size to the window edge the way layout_fix_panes does. */
function cropped(offset: number, size: number, window: number, minimum: number): number {
  if (offset >= window || offset + size < window) return size;
  const visible = window - offset;
  return visible < minimum ? size : visible;
}

export class PaneLayout {
  private root: Cell;

  constructor(paneId: number, sx: number, sy: number) {
    this.root = newCell(null, paneId);
    this.root.sx = sx;
    this.root.sy = sy;
  }

  get sx(): number {
    return this.root.sx;
  }

  get sy(): number {
    return this.root.sy;
  }

  has(paneId: number): boolean {
    return this.find(paneId) !== null;
  }

  /** Replaces the tree with `tree` (a preset arrangement, layout-presets.ts) of the same panes. */
  rebuild(tree: LayoutTree): void {
    const build = (node: LayoutTree, parent: Cell | null): Cell => {
      const cell = newCell(parent, 'paneId' in node ? node.paneId : -1);
      cell.sx = node.sx;
      cell.sy = node.sy;
      if ('children' in node) {
        cell.type = node.type;
        cell.children = node.children.map((child) => build(child, cell));
      }
      return cell;
    };
    this.root = build(tree, null);
    fixOffsets(this.root);
  }

  /** Puts `ids[i]` in the cell that held the i-th pane in tree order (rotate-window). */
  assign(ids: readonly number[]): void {
    let next = 0;
    const walk = (cell: Cell): void => {
      if (cell.type === 'pane') cell.paneId = ids[next++] ?? cell.paneId;
      else cell.children.forEach(walk);
    };
    walk(this.root);
  }

  /** Pane ids in tree order (left to right, top to bottom). */
  paneIds(): number[] {
    const out: number[] = [];
    const walk = (cell: Cell): void => {
      if (cell.type === 'pane') out.push(cell.paneId);
      else cell.children.forEach(walk);
    };
    walk(this.root);
    return out;
  }

  /**
   * Splits the pane's cell; the new pane goes after it (before it with `before`). `size` is the
   * new cell's size, -1 for half. Returns false when the cell is too small (nothing changes).
   */
  split(paneId: number, newPaneId: number, type: SplitType, size = -1, before = false): boolean {
    const cell = this.find(paneId);
    if (cell === null) return false;
    const total = sizeAlong(cell, type);
    if (total < PANE_MINIMUM * 2 + 1) return false;
    const { sx, sy, xoff, yoff } = cell;
    let parent = cell.parent;
    const added = newCell(null, newPaneId);
    if (parent !== null && parent.type === type) {
      const at = parent.children.indexOf(cell);
      parent.children.splice(before ? at : at + 1, 0, added);
    } else {
      const node: Cell = { ...newCell(parent), type, sx, sy, xoff, yoff };
      if (parent === null) this.root = node;
      else parent.children[parent.children.indexOf(cell)] = node;
      cell.parent = node;
      node.children = before ? [added, cell] : [cell, added];
      parent = node;
    }
    added.parent = parent;
    const [first, second] = before ? [added, cell] : [cell, added];
    let size2 = size < 0 ? Math.floor((total + 1) / 2) - 1 : before ? total - size - 1 : size;
    size2 = Math.min(Math.max(size2, PANE_MINIMUM), total - 2);
    const size1 = total - 1 - size2;
    if (type === 'leftright') {
      Object.assign(first, { sx: size1, sy, xoff, yoff });
      Object.assign(second, { sx: size2, sy, xoff: xoff + size1 + 1, yoff });
    } else {
      Object.assign(first, { sx, sy: size1, xoff, yoff });
      Object.assign(second, { sx, sy: size2, xoff, yoff: yoff + size1 + 1 });
    }
    fixOffsets(this.root);
    return true;
  }

  /** Removes the pane's cell; its space goes to a sibling. The last pane cannot be removed. */
  remove(paneId: number): void {
    const cell = this.find(paneId);
    const parent = cell?.parent ?? null;
    if (cell === null || parent === null) return;
    const at = parent.children.indexOf(cell);
    const other = at === 0 ? parent.children[1] : parent.children[at - 1];
    if (other === undefined) return;
    adjust(other, parent.type as SplitType, sizeAlong(cell, parent.type as SplitType) + 1);
    parent.children.splice(at, 1);
    if (parent.children.length === 1) {
      const only = parent.children[0] as Cell;
      only.parent = parent.parent;
      if (parent.parent === null) {
        only.xoff = 0;
        only.yoff = 0;
        this.root = only;
      } else {
        parent.parent.children[parent.parent.children.indexOf(parent)] = only;
      }
    }
    fixOffsets(this.root);
  }

  /** Resizes the whole tree after the window went from `from` to `to` (layout_resize). */
  resize(fromSx: number, fromSy: number, toSx: number, toSy: number): void {
    this.resizeAxis('leftright', toSx - fromSx, toSx);
    this.resizeAxis('topbottom', toSy - fromSy, toSy);
    fixOffsets(this.root);
  }

  private resizeAxis(type: SplitType, wanted: number, target: number): void {
    const limit = shrinkable(this.root, type);
    let change = wanted < 0 && wanted < -limit ? -limit : wanted;
    if (limit === 0) {
      const current = sizeAlong(this.root, type);
      change = target <= current ? 0 : target - current;
    }
    if (change !== 0) adjust(this.root, type, change);
  }

  /** Grows (change > 0) or shrinks the pane against its neighbours (layout_resize_pane). */
  resizePane(paneId: number, type: SplitType, change: number): void {
    const leaf = this.find(paneId);
    let cell = leaf === null ? null : climbTo(leaf, type);
    if (cell === null || change === 0) return;
    const list = siblings(cell);
    if (list.indexOf(cell) === list.length - 1) cell = list[list.length - 2] ?? cell;
    let needed = change;
    while (needed !== 0) {
      const moved = change > 0 ? this.grow(cell, type, needed) : this.shrink(cell, type, -needed);
      if (moved === 0) break;
      needed += change > 0 ? -moved : moved;
    }
    fixOffsets(this.root);
  }

  /** Sets the pane's size along `type` (layout_resize_pane_to). */
  resizePaneTo(paneId: number, type: SplitType, size: number): void {
    const leaf = this.find(paneId);
    const cell = leaf === null ? null : climbTo(leaf, type);
    if (cell === null) return;
    const list = siblings(cell);
    const current = sizeAlong(cell, type);
    const last = list.indexOf(cell) === list.length - 1;
    this.resizePane(paneId, type, last ? current - size : size - current);
  }

  private grow(cell: Cell, type: SplitType, needed: number): number {
    const list = siblings(cell);
    const at = list.indexOf(cell);
    const after = list.slice(at + 1);
    const before = list.slice(0, at).reverse();
    const donor = after.find((c) => shrinkable(c, type) > 0) ?? before.find((c) => shrinkable(c, type) > 0);
    if (donor === undefined) return 0;
    const size = Math.min(shrinkable(donor, type), needed);
    adjust(cell, type, size);
    adjust(donor, type, -size);
    return size;
  }

  private shrink(cell: Cell, type: SplitType, needed: number): number {
    const list = siblings(cell);
    const at = list.indexOf(cell);
    const donor = list.slice(0, at + 1).reverse().find((c) => shrinkable(c, type) !== 0);
    const receiver = list[at + 1];
    if (donor === undefined || receiver === undefined) return 0;
    const size = Math.min(shrinkable(donor, type), needed);
    adjust(receiver, type, size);
    adjust(donor, type, -size);
    return size;
  }

  /** Exchanges the cells of two panes (swap-pane). */
  swap(a: number, b: number): void {
    const ca = this.find(a);
    const cb = this.find(b);
    if (ca === null || cb === null) return;
    ca.paneId = b;
    cb.paneId = a;
  }

  /** Each pane's geometry inside a window of wsx × wsy, cropped as tmux does. */
  geometry(wsx: number, wsy: number): Map<number, PaneGeometry> {
    const out = new Map<number, PaneGeometry>();
    const walk = (cell: Cell): void => {
      if (cell.type !== 'pane') return cell.children.forEach(walk);
      out.set(cell.paneId, {
        sx: cropped(cell.xoff, cell.sx, wsx, 1),
        sy: cropped(cell.yoff, cell.sy, wsy, 2),
        xoff: cell.xoff,
        yoff: cell.yoff,
      });
    };
    walk(this.root);
    return out;
  }

  private find(paneId: number): Cell | null {
    const walk = (cell: Cell): Cell | null => {
      if (cell.type === 'pane') return cell.paneId === paneId ? cell : null;
      for (const child of cell.children) {
        const found = walk(child);
        if (found) return found;
      }
      return null;
    };
    return walk(this.root);
  }
}
