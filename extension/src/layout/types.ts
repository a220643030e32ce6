/** What the layout needs of a graph, and what it gives back: plain data, so it can cross to a worker. */

export interface LayoutNode {
  name: string;
  /** Width of the node's box in pixels (it holds the name and the type). */
  width: number;
}

export interface LayoutInput {
  nodes: LayoutNode[];
  /** Edges as [from, to] names. */
  edges: [string, string][];
  /** Left to right (layers are columns) or top to bottom (layers are rows). */
  orientation: 'LR' | 'TB';
}

/** A node's place: the centre of its box. */
export interface Point {
  x: number;
  y: number;
}

export interface Layout {
  positions: Record<string, Point>;
  width: number;
  height: number;
  orientation: 'LR' | 'TB';
}

/** Box height and the gaps between boxes and between layers. */
export const NODE_HEIGHT = 40;
export const NODE_GAP = 18;
export const LAYER_GAP = 70;
