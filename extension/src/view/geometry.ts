/** Sizes and shapes of what the graph view draws, as pure functions of the data. */
import type { GraphNode } from 'dagcells/notebook';

import { NODE_HEIGHT, Point } from '../layout/types';

/** Roughly the width of a character of the node font (12px UI font), for sizing boxes without a layout pass. */
const CHAR = 7.2;
const SMALL_CHAR = 6;
export const MIN_WIDTH = 90;
export const MAX_WIDTH = 260;
/** Longest type text shown in a box; the full type is in the tooltip. */
export const TYPE_CHARS = 34;

/** A node box's width: enough for its name and (shortened) type. */
export function nodeWidth(node: Pick<GraphNode, 'name' | 'type'>): number {
  const type = shortType(node.type);
  const text = Math.max(node.name.length * CHAR, type.length * SMALL_CHAR);
  return Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, text + 28)));
}

/** A type shortened to fit a box. */
export function shortType(type: string | undefined): string {
  if (!type) {
    return '';
  }
  return type.length > TYPE_CHARS ? `${type.slice(0, TYPE_CHARS - 1)}…` : type;
}

/**
 * An edge's path: a cubic curve leaving the producer's box on its downstream
 * side and entering the consumer's on its upstream side. An edge that runs
 * against the flow (a cycle, or a node that needs itself) arcs around both
 * boxes, so its arrow still enters the consumer where every other arrow does.
 */
export function edgePath(
  from: Point,
  fromWidth: number,
  to: Point,
  toWidth: number,
  orientation: 'LR' | 'TB'
): string {
  if (orientation === 'LR') {
    const x1 = from.x + fromWidth / 2;
    const x2 = to.x - toWidth / 2 - 2;
    if (x2 < x1) {
      const top = Math.min(from.y, to.y) - NODE_HEIGHT / 2 - Math.max(BACK_LIFT, (x1 - x2) / 4);
      return `M${x1},${from.y}C${x1 + BACK_REACH},${top} ${x2 - BACK_REACH},${top} ${x2},${to.y}`;
    }
    const mid = (x1 + x2) / 2;
    return `M${x1},${from.y}C${mid},${from.y} ${mid},${to.y} ${x2},${to.y}`;
  }
  const y1 = from.y + NODE_HEIGHT / 2;
  const y2 = to.y - NODE_HEIGHT / 2 - 2;
  if (y2 < y1) {
    const left = Math.min(from.x - fromWidth / 2, to.x - toWidth / 2) - Math.max(BACK_LIFT, (y1 - y2) / 4);
    return `M${from.x},${y1}C${left},${y1 + BACK_REACH} ${left},${y2 - BACK_REACH} ${to.x},${y2}`;
  }
  const mid = (y1 + y2) / 2;
  return `M${from.x},${y1}C${from.x},${mid} ${to.x},${mid} ${to.x},${y2}`;
}

/** How far an edge against the flow arcs out beside the boxes, and how far it reaches past their sides. */
const BACK_LIFT = 36;
const BACK_REACH = 70;

/** The bounding box of positioned boxes. */
export function extent(
  positions: Record<string, Point>,
  widths: (name: string) => number
): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [name, p] of Object.entries(positions)) {
    const half = widths(name) / 2;
    x0 = Math.min(x0, p.x - half);
    x1 = Math.max(x1, p.x + half);
    y0 = Math.min(y0, p.y - NODE_HEIGHT / 2);
    y1 = Math.max(y1, p.y + NODE_HEIGHT / 2);
  }
  return Number.isFinite(x0) ? { x0, y0, x1, y1 } : { x0: 0, y0: 0, x1: 0, y1: 0 };
}
