/**
 * The state of each node, derived from three things: the graph (from the
 * source), what the kernel last defined for each function (from executed cells
 * and panel runs), and the outcome of the last panel run of each node.
 */
import type { GraphSnapshot } from 'dagcells/notebook';
import type { ValuePreview } from 'dagcells/kernel';

export type NodeState = 'unrun' | 'stale' | 'running' | 'ok' | 'cached' | 'error' | 'conflict';

/** What the kernel holds for a function: the version it last ran, and whether that failed. */
export interface KernelDefinition {
  hash: string;
  /** The cell (or the panel's define step) that ran it failed. */
  failed: boolean;
  message?: string;
}

/** A node's part in the last panel run. */
export interface NodeRun {
  /** `cached`: its value came from the kernel's cache, computed by an earlier run. */
  status: 'running' | 'ok' | 'cached' | 'error';
  /** cached: when the run that computed it did so (ISO 8601). */
  computedAt?: string;
  /** The function version that ran (functions only). */
  hash?: string;
  ms?: number;
  message?: string;
  /** A `warn` check on its value failed (the run went on): what the check said. */
  warning?: string;
  preview?: ValuePreview;
}

/**
 * unrun: never defined in this kernel; stale: the source changed since; running:
 * in the current run; ok / error: the outcome of the last run (or of defining
 * it); conflict: defined in more than one cell.
 */
export function nodeState(
  graph: GraphSnapshot,
  name: string,
  kernel: ReadonlyMap<string, KernelDefinition>,
  runs: ReadonlyMap<string, NodeRun>
): NodeState {
  const node = graph.nodes.get(name);
  const run = runs.get(name);
  if (!node) {
    return 'unrun';
  }
  if (node.kind !== 'function') {
    return run?.status ?? 'unrun';
  }
  if (node.origins.length > 1) {
    return 'conflict';
  }
  if (run?.status === 'running') {
    return 'running';
  }
  const defined = kernel.get(name);
  if (!defined) {
    return 'unrun';
  }
  if (defined.hash !== node.hash) {
    return 'stale';
  }
  if (run && run.hash === node.hash) {
    return run.status;
  }
  return defined.failed ? 'error' : 'ok';
}

/** Every node's state. */
export function nodeStates(
  graph: GraphSnapshot,
  kernel: ReadonlyMap<string, KernelDefinition>,
  runs: ReadonlyMap<string, NodeRun>
): Map<string, NodeState> {
  const states = new Map<string, NodeState>();
  for (const name of graph.nodes.keys()) {
    states.set(name, nodeState(graph, name, kernel, runs));
  }
  return states;
}
