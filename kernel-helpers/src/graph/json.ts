/** The graph as plain JSON: for other tools, diffs and the notebook panel. */
import { hashText } from '../analysis/hash';
import type { GraphSnapshot, NodeKind } from './types';

export interface GraphJSON {
  nodes: {
    name: string;
    kind: NodeKind | 'saver' | 'loader';
    type?: string;
    /** The config variant chosen (the name it was defined under). */
    variant?: string;
    /** The checks on its value. */
    checks?: string[];
    /** The modifiers that made or changed it. */
    modifiers?: string[];
    /** Read from source, what of its modifiers is computed at run time. */
    unresolved?: string;
    dependencies: string[];
    optionalDependencies: string[];
    tags: Record<string, string>;
    doc?: string;
    /** A hash of the function's source: changes whenever the function does. */
    version?: string;
  }[];
  edges: { from: string; to: string; optional: boolean }[];
}

/** Nodes and edges sorted by name, so that the same graph always gives the same text. */
export function graphToJSON(graph: GraphSnapshot): GraphJSON {
  const nodes = [...graph.nodes.values()]
    .sort((a, b) => compare(a.name, b.name))
    .map(node => {
      const version =
        node.kind === 'function'
          ? (node.hash ?? (node.fn ? hashText(Function.prototype.toString.call(node.fn)) : undefined))
          : undefined;
      return {
        name: node.name,
        kind: node.role ?? node.kind,
        ...(node.type !== undefined ? { type: node.type } : {}),
        ...(node.variant !== undefined ? { variant: node.variant } : {}),
        ...(node.checks !== undefined ? { checks: [...node.checks] } : {}),
        ...(node.modifiers !== undefined ? { modifiers: [...node.modifiers] } : {}),
        ...(node.unresolved !== undefined ? { unresolved: node.unresolved } : {}),
        dependencies: node.dependencies.filter(d => !d.optional).map(d => d.name),
        optionalDependencies: node.dependencies.filter(d => d.optional).map(d => d.name),
        tags: { ...node.tags },
        ...(node.doc !== undefined ? { doc: node.doc } : {}),
        ...(version !== undefined ? { version } : {})
      };
    });
  const edges = graph.edges
    .map(e => ({ from: e.from, to: e.to, optional: e.optional }))
    .sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
  return { nodes, edges };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
