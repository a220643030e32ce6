/** What the panel lays out of a model view, and when two of them lay out alike. */
import type { ModelView } from '../model/graph-model';
import { nodeWidth } from '../view/geometry';
import type { LayoutInput } from './types';

/** The layout's input: node sizes and edges, nothing else. */
export function layoutInput(view: ModelView, orientation: 'LR' | 'TB'): LayoutInput {
  return {
    nodes: [...view.graph.nodes.values()].map(n => ({ name: n.name, width: nodeWidth(n) })),
    edges: view.graph.edges.map(e => [e.from, e.to] as [string, string]),
    orientation
  };
}

/** Two inputs with the same key lay out the same: nothing to redo. */
export function layoutKeyOf(input: LayoutInput): string {
  return `${input.orientation}|${input.nodes.map(n => `${n.name}:${n.width}`).join(',')}|${input.edges.map(e => e.join('>')).join(',')}`;
}
