/** What the layout needs of a graph, and what it gives back: plain data, so it can cross to a worker. */

export interface LayoutNode {
  name: string;
  /** Width of the node's box in pixels (it holds the name, and the type unless compact). */
  width: number;
}

/** How much a node box shows: its name and type (`full`), or its name alone, on one line (`compact`). */
export type Density = 'full' | 'compact';

export type Orientation = 'LR' | 'TB';

export interface LayoutInput {
  nodes: LayoutNode[];
  /** Edges as [from, to] names. */
  edges: [string, string][];
  /** Left to right (layers are columns) or top to bottom (layers are rows). */
  orientation: Orientation;
  /** Box height follows from it (see {@link NODE_HEIGHTS}); `full` when absent. */
  density?: Density;
  /**
   * The most room across the flow (width for TB, height for LR), in layout
   * units: a layer wider than this wraps onto several rows (columns).
   */
  maxAcross?: number;
}

/** A node's place: the centre of its box. */
export interface Point {
  x: number;
  y: number;
}

/** An edge's path (SVG `d`) and the rectangle its points, control points included, lie in. */
export interface Route {
  d: string;
  box: { x0: number; y0: number; x1: number; y1: number };
}

export interface Layout {
  positions: Record<string, Point>;
  /** Edge paths keyed `from->to`, when the layout came with them (a worker routes what it lays out). */
  routes?: Record<string, Route>;
  width: number;
  height: number;
  orientation: Orientation;
  /** The height of every box of this layout. */
  nodeHeight: number;
  density: Density;
}

/** Box heights: two lines (name and type) or one. */
export const NODE_HEIGHTS: Record<Density, number> = { full: 40, compact: 24 };
/** The full box height, the default. */
export const NODE_HEIGHT = NODE_HEIGHTS.full;
/** The gap between boxes of a layer, wide enough for an edge to pass between them. */
export const NODE_GAP = 18;
/** The gap between layers, where edges bend. */
export const LAYER_GAP = 70;

/** The gaps a layout leaves: between boxes of a layer (across) and between layers (along). */
export function gapsOf(orientation: Orientation, density: Density): { across: number; along: number } {
  if (orientation === 'LR') {
    return { across: density === 'compact' ? 12 : NODE_GAP, along: density === 'compact' ? 48 : LAYER_GAP };
  }
  return { across: density === 'compact' ? 12 : NODE_GAP * 1.5, along: density === 'compact' ? 24 : 44 };
}
