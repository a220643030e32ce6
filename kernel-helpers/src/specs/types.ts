/**
 * What a node is before it is in a graph: its name, the dependencies its
 * parameters name, and what else is known of it. Specs come from one of two
 * readers, a function's source (`sourceSpec`) or a live function's text
 * (`functionSpec`), and graph building takes nothing else.
 */
import type { SourceRange } from '../analysis/types';

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
  /** The code of the problem `invalid` describes; default INVALID_FUNCTION. */
  invalidCode?: 'INVALID_FUNCTION' | 'INVALID_MODIFIER' | 'DUPLICATE_NODE';
  /** A node a modifier made to write or read an artifact (`saveTo.*`, `loadFrom.*`). */
  role?: 'saver' | 'loader';
  /** The config variant chosen for this node: the name it was defined under (`spend__us`). */
  variant?: string;
  /** The checks on its value (`checkOutput`), described. */
  checks?: readonly string[];
  /** The name the source declares, when a modifier made the node under another (`spend__us` for `spend`). */
  declaredAs?: string;
  /** Read from source, what of its modifiers is computed at run time (the node is shown as written). */
  unresolved?: string;
  /** The modifiers that made or changed this node, outermost last. */
  modifiers?: readonly string[];
}

/**
 * A config variant the config does not choose: drawing-only, never a node of
 * the graph a run, the export or the Airflow DAG uses. The notebook panel
 * draws it dimmed beside the node it would define, and says which config
 * would choose it.
 */
export interface UnchosenVariant {
  /** The node it would define (`spend`). */
  node: string;
  /** The name it is declared under (`spend__eu`). */
  declaredAs: string;
  /** The config that would choose it, as a reader writes it: `region == "EU"`. */
  condition: string;
  /** What its function's parameters name. */
  dependencies: readonly Dependency[];
  type?: string;
  doc?: string;
  hash?: string;
  origin?: Origin;
}
