/**
 * The config variants the config does not choose, as the graph draws them:
 * dimmed boxes named as declared (`spend__eu`), placed beside the node they
 * would define, without edges of their own. They are drawing-only: the graph
 * the panel runs, exports and hands to Airflow never holds them.
 */
import type { GraphNode, UnchosenVariant } from 'dagcells/notebook';

import type { ModelView } from '../model/graph-model';

/** An unchosen variant as a box to draw: a node of the drawing, never of the graph. */
export interface VariantBox {
  node: GraphNode;
  variant: UnchosenVariant;
}

/**
 * The boxes of a view's unchosen variants (one per declared name that no
 * graph node already has), each made once per view.
 */
export function variantBoxes(view: Pick<ModelView, 'graph' | 'unchosen'>): VariantBox[] {
  const known = cache.get(view.unchosen);
  if (known && known.graph === view.graph) {
    return known.boxes;
  }
  const boxes: VariantBox[] = [];
  for (const variant of view.unchosen) {
    if (view.graph.nodes.has(variant.declaredAs)) {
      continue;
    }
    boxes.push({
      variant,
      node: {
        name: variant.declaredAs,
        kind: 'function',
        isAsync: false,
        tags: {},
        dependencies: variant.dependencies,
        dependents: view.graph.nodes.get(variant.node)?.dependents ?? [],
        origins: variant.origin ? [variant.origin] : [],
        variant: variant.declaredAs,
        declaredAs: variant.declaredAs,
        ...(variant.type !== undefined ? { type: variant.type } : {}),
        ...(variant.doc !== undefined ? { doc: variant.doc } : {}),
        ...(variant.hash !== undefined ? { hash: variant.hash } : {})
      }
    });
  }
  cache.set(view.unchosen, { graph: view.graph, boxes });
  return boxes;
}

const cache = new WeakMap<readonly UnchosenVariant[], { graph: ModelView['graph']; boxes: VariantBox[] }>();

/**
 * Edges the layout alone sees, so that a variant lands beside the node it
 * would define: from what it would take that the graph has, to what takes
 * that node. None of them is drawn.
 */
export function variantLayoutEdges(view: Pick<ModelView, 'graph' | 'unchosen'>): [string, string][] {
  const edges: [string, string][] = [];
  for (const { node, variant } of variantBoxes(view)) {
    for (const dep of variant.dependencies) {
      if (view.graph.nodes.has(dep.name)) {
        edges.push([dep.name, node.name]);
      }
    }
    for (const consumer of node.dependents) {
      edges.push([node.name, consumer]);
    }
  }
  return edges;
}

/** What a dimmed variant's tooltip says: what it is, which config would choose it, what it would take. */
export function variantTooltip(box: VariantBox, config: ReadonlyMap<string, string>): string {
  const { variant } = box;
  const lines = [
    `${variant.declaredAs}${variant.type ? `: ${variant.type}` : ''}`,
    `variant of ${variant.node}, not chosen by this config`,
    `chosen when ${variant.condition}`
  ];
  const now = [...config].map(([key, text]) => `${key} = ${text}`);
  lines.push(now.length > 0 ? `config now: ${now.join(', ')}` : 'config now: no value set');
  if (variant.dependencies.length > 0) {
    lines.push(`would take ${variant.dependencies.map(d => d.name).join(', ')}`);
  }
  if (variant.doc) {
    lines.push(variant.doc);
  }
  if (variant.origin?.cellIndex !== undefined) {
    lines.push(`defined in cell ${variant.origin.cellIndex} (double-click to show)`);
  }
  return lines.join('\n');
}
