/**
 * The dataflow graph: nodes made from functions, edges from parameter names.
 *
 * One graph builder serves both the runtime (functions with their bodies, from
 * `Driver.fromFunctions`, `fromModule`, `fromNotebook`) and the notebook extension
 * (functions read from cell source, no bodies). A graph is an immutable snapshot;
 * building never throws: problems are collected in `problems`, and the Driver
 * raises them as one `DagError` when asked to validate or run.
 */
import type { DagErrorCode } from '../errors';
import type { Dependency, Origin } from '../specs/types';

export type { Dependency, NodeSpec, Origin } from '../specs/types';

export type NodeKind = 'function' | 'input' | 'config';

export interface GraphNode {
  name: string;
  kind: NodeKind;
  /** Function: its value type. Input: the type its consumers declare. Config: typeof its value. */
  type?: string;
  isAsync: boolean;
  doc?: string;
  tags: Readonly<Record<string, string>>;
  /** Empty for inputs and config. */
  dependencies: readonly Dependency[];
  /** Names of the nodes that depend on this one. */
  dependents: readonly string[];
  /** Every place that defines it; more than one is a DUPLICATE_NODE. */
  origins: readonly Origin[];
  hash?: string;
  fn?: (...args: any[]) => unknown;
  /** A saver or loader a modifier made. */
  role?: 'saver' | 'loader';
  /** The config variant chosen (the name it was defined under). */
  variant?: string;
  /** The checks on its value. */
  checks?: readonly string[];
  /** The modifiers that made or changed it. */
  modifiers?: readonly string[];
  /** Read from source, what of its modifiers is computed at run time. */
  unresolved?: string;
  /** The name the source declares, when a modifier made the node under another. */
  declaredAs?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  optional: boolean;
  /** What `from` declares to return. */
  producerType?: string;
  /** What `to` declares for the parameter. */
  consumerType?: string;
  /** The two declared types disagree (TYPE_MISMATCH). */
  typeMismatch: boolean;
}

/** A problem of the graph as a whole, found while building it. */
export interface GraphProblem {
  code: DagErrorCode;
  /** Names the culprit and, where there is one, the fix. */
  message: string;
  /** Every node concerned: the whole cycle, both ends of an edge, ... */
  nodes: string[];
  /** The places concerned (both definitions of a duplicate, ...). */
  origins: Origin[];
  /**
   * `warning`: reported, but runs go ahead (a name defined again in a later
   * cell: the later definition is used, as in the kernel). Absent: an error
   * that stops every run it touches.
   */
  severity?: 'warning';
}

/** An immutable graph. */
export interface GraphSnapshot {
  nodes: ReadonlyMap<string, GraphNode>;
  edges: readonly GraphEdge[];
  problems: readonly GraphProblem[];
}
