/**
 * The dataflow graph: nodes made from functions, edges from parameter names.
 *
 * One graph builder serves both the runtime (functions with their bodies, from
 * `Driver.fromFunctions`, `fromModule`, `fromNotebook`) and the notebook extension
 * (functions read from cell source, no bodies). A graph is an immutable snapshot;
 * building never throws: problems are collected in `problems`, and the Driver
 * raises them as one `DagError` when asked to validate or run.
 */
import type { SourceRange } from '../analysis/types';
import type { DagErrorCode } from '../errors';

export type NodeKind = 'function' | 'input' | 'config';

/** Where a node was defined. */
export interface Origin {
  /** The notebook cell (its model id) that defines it. */
  cellId?: string;
  /** That cell's position in the notebook, counting from 1, for messages. */
  cellIndex?: number;
  /** The file that defines it. */
  file?: string;
  /** The declaration's place in that cell or file. */
  range?: SourceRange;
}

/** A parameter of a node's function, as a dependency on the node of the same name. */
export interface Dependency {
  name: string;
  /** Declared with `?` or a default: supplied when available, omitted otherwise. */
  optional: boolean;
  /** The parameter's annotation as written, if any. */
  type?: string;
}

/** The input of graph building: one function, from source or a live function object. */
export interface NodeSpec {
  name: string;
  dependencies: readonly Dependency[];
  /** The value type (for async functions, the awaited type), if known. */
  type?: string;
  isAsync?: boolean;
  doc?: string;
  tags?: Record<string, string>;
  /** Version of the function's source. */
  hash?: string;
  origin?: Origin;
  /** The function itself; absent in graphs built from source only. */
  fn?: (...args: any[]) => unknown;
  /**
   * Why this function cannot be a node (a destructured or rest parameter, say).
   * The node stays in the graph, marked with an INVALID_FUNCTION problem, so the
   * rest of the graph still works.
   */
  invalid?: string;
}

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
}

/** An immutable graph. */
export interface GraphSnapshot {
  nodes: ReadonlyMap<string, GraphNode>;
  edges: readonly GraphEdge[];
  problems: readonly GraphProblem[];
}
