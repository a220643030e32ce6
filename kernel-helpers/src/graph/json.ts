/** The graph as plain JSON: for other tools, diffs and the notebook panel. */
import type { GraphSnapshot, NodeKind } from './types';

/** A node's code version by name (a function or the record `graphCodeVersions` gives). */
export type CodeVersions = ((name: string) => string | undefined) | Readonly<Record<string, string>>;

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
    /**
     * The node's code version, the one the cache keys its values with and
     * artifact lineage records: changes when its code or a helper it uses does,
     * not with comments or layout. Absent when not known statically (a node a
     * subdag embeds, read from source without its function).
     */
    version?: string;
  }[];
  edges: { from: string; to: string; optional: boolean }[];
}

/**
 * Nodes and edges sorted by name, so that the same graph always gives the same
 * text. `versions` gives the function nodes' code versions (a Driver's
 * `codeVersion`, or `graphCodeVersions(source, graph)` for a graph read from a
 * notebook); without it, each is its function's own text's version, and a
 * node without a function has none.
 */
export function graphToJSON(graph: GraphSnapshot, versions?: CodeVersions): GraphJSON {
  const versionOf = versionsOf(graph, versions);
  const nodes = [...graph.nodes.values()]
    .sort((a, b) => compare(a.name, b.name))
    .map(node => {
      const version = node.kind === 'function' ? versionOf(node.name) : undefined;
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

function versionsOf(graph: GraphSnapshot, versions: CodeVersions | undefined): (name: string) => string | undefined {
  if (typeof versions === 'function') {
    return versions;
  }
  if (versions !== undefined) {
    return name => (Object.prototype.hasOwnProperty.call(versions, name) ? versions[name] : undefined);
  }
  // Loaded on first use: the analysis behind code versions is not needed by a graph that is never written as JSON.
  const { nodeCodeVersions } = require('../cache/code-version') as typeof import('../cache/code-version');
  const ofNode = nodeCodeVersions(undefined);
  return name => {
    const node = graph.nodes.get(name);
    return node && ofNode(name, node.fn, node.declaredAs, node.modifiers);
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
