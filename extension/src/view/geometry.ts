/** Sizes and texts of what the graph view draws, as pure functions of the data. */
import type { GraphNode } from 'dagcells/notebook';

import type { Density, Point } from '../layout/types';

/** Roughly the width of a character of the node font (12px code font), for sizing boxes without a layout pass. */
const CHAR = 7.22;
/** The type line's font (11px). */
const SMALL_CHAR = 6.65;
/** Room for the state mark at the box's left and the padding around the text. */
const MARK = 14;
const PAD = 12;
/** Room for the glyph at the right of a saver's or a loader's box. */
export const KIND_ROOM = 14;
export const MIN_WIDTH = 64;
export const MAX_WIDTH = 250;
/** Longest type text shown in a box; the full type is in the tooltip. */
export const TYPE_CHARS = 30;
/** The node name's font size, in pixels at scale 1: framing keeps it at 11 px or more on screen. */
export const NAME_FONT = 12;

/** A node box's width: enough for its name and, unless compact, its (shortened) type. */
export function nodeWidth(node: Pick<GraphNode, 'name' | 'type'> & { role?: GraphNode['role'] }, density: Density = 'full'): number {
  const name = shownName(node.name).length * CHAR;
  const type = density === 'full' ? shortType(node.type).length * SMALL_CHAR : 0;
  const glyph = node.role !== undefined ? KIND_ROOM : 0;
  return Math.round(Math.min(MAX_WIDTH + glyph, Math.max(MIN_WIDTH, Math.max(name, type) + MARK + PAD + glyph)));
}

/** The name as the box shows it: whole unless longer than the widest box holds. */
export function shownName(name: string): string {
  const room = Math.floor((MAX_WIDTH - MARK - PAD) / CHAR);
  return name.length > room ? `${name.slice(0, room - 1)}…` : name;
}

/** A type shortened to fit a box. */
export function shortType(type: string | undefined): string {
  if (!type) {
    return '';
  }
  return type.length > TYPE_CHARS ? `${type.slice(0, TYPE_CHARS - 1)}…` : type;
}

/** The bounding box of positioned boxes. */
export function extent(
  positions: Record<string, Point>,
  widths: (name: string) => number,
  nodeHeight: number,
  only?: Iterable<string>
): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  const names = only ? [...only] : Object.keys(positions);
  for (const name of names) {
    const p = positions[name];
    if (!p) {
      continue;
    }
    const half = widths(name) / 2;
    x0 = Math.min(x0, p.x - half);
    x1 = Math.max(x1, p.x + half);
    y0 = Math.min(y0, p.y - nodeHeight / 2);
    y1 = Math.max(y1, p.y + nodeHeight / 2);
  }
  return Number.isFinite(x0) ? { x0, y0, x1, y1 } : { x0: 0, y0: 0, x1: 0, y1: 0 };
}

/**
 * Where a drawing of `size` along one axis starts its view of content spanning
 * `c0..c1` at scale `k`, the view wanted starting at `offset` (screen = offset +
 * k * content): content larger than the view with `pad` around it covers the
 * view edge to edge (no empty band beside the graph while the rest of it is
 * out of view); content that fits is centred.
 */
export function clampedOffset(offset: number, c0: number, c1: number, k: number, size: number, pad: number): number {
  const span = k * (c1 - c0) + 2 * pad;
  if (span <= size) {
    return size / 2 - (k * (c0 + c1)) / 2;
  }
  const first = offset + k * c0 - pad; // where the content's padded start lands
  const last = offset + k * c1 + pad;
  if (first > 0) {
    return offset - first;
  }
  if (last < size) {
    return offset + (size - last);
  }
  return offset;
}

