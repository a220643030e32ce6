/** What the panel lays out of a model view, and when two of them lay out alike. */
import type { ModelView } from '../model/graph-model';
import { nodeWidth } from '../view/geometry';
import { variantBoxes, variantLayoutEdges } from '../view/variants';
import type { Density, LayoutInput, Orientation } from './types';

/** How a graph is to be drawn: the flow's direction, the boxes' detail, the room across. */
export interface LayoutChoice {
  orientation: Orientation;
  density: Density;
  maxAcross?: number;
}

/**
 * The layout's input: node sizes and edges, nothing else. The variants the
 * config does not choose are laid out too (beside the node they would
 * define), though they are no nodes of the graph.
 */
export function layoutInput(view: ModelView, choice: LayoutChoice | Orientation): LayoutInput {
  const { orientation, density, maxAcross } = typeof choice === 'string' ? { orientation: choice, density: 'full' as const, maxAcross: undefined } : choice;
  const nodes = [...view.graph.nodes.values()].map(n => ({ name: n.name, width: nodeWidth(n, density) }));
  const edges = view.graph.edges.map(e => [e.from, e.to] as [string, string]);
  if (view.unchosen.length > 0) {
    nodes.push(...variantBoxes(view).map(b => ({ name: b.node.name, width: nodeWidth(b.node, density) })));
    edges.push(...variantLayoutEdges(view));
  }
  return {
    nodes,
    edges,
    orientation,
    density,
    ...(maxAcross !== undefined ? { maxAcross } : {})
  };
}

/** Two inputs with the same key lay out the same: nothing to redo. */
export function layoutKeyOf(input: LayoutInput): string {
  return (
    `${input.orientation}|${input.density ?? 'full'}|${Math.round(input.maxAcross ?? -1)}|` +
    `${input.nodes.map(n => `${n.name}:${n.width}`).join(',')}|${input.edges.map(e => e.join('>')).join(',')}`
  );
}
