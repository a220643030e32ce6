/** What went wrong, as a stable code that programs can branch on. */
export type DagErrorCode =
  | 'CYCLE'
  | 'MISSING_INPUTS'
  | 'UNKNOWN_NODE'
  | 'DUPLICATE_NODE'
  | 'TYPE_MISMATCH'
  | 'INVALID_FUNCTION'
  | 'NODE_FAILED';

/** One problem: what {@link DagError} reports, one or several at a time. */
export interface DagProblem {
  code: DagErrorCode;
  message: string;
  nodes: string[];
}

/**
 * The one error type of dagcells. `code` says what kind of problem it is and
 * `nodes` names every node it concerns; the message names the culprit and, where
 * there is one, the fix.
 *
 * @example
 * ```ts
 * try { await dr.execute(["spend_per_signup"]); }
 * catch (e) { if (e instanceof DagError && e.code === "MISSING_INPUTS") console.log(e.nodes); }
 * ```
 */
export class DagError extends Error {
  readonly code: DagErrorCode;
  readonly nodes: string[];
  /**
   * Every problem found, when validation found several at once (each with its own
   * code); `code` and `message` then describe them all, the first one's code first.
   */
  readonly problems: readonly DagProblem[];

  constructor(
    code: DagErrorCode,
    message: string,
    nodes: string[],
    options?: { cause?: unknown; problems?: readonly DagProblem[] }
  ) {
    super(message);
    this.name = 'DagError';
    this.code = code;
    this.nodes = nodes;
    this.problems = options?.problems ?? [{ code, message, nodes }];
    if (options && 'cause' in options) {
      // Assigned here rather than through super() so that it works on every ES target.
      Object.defineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true });
    }
  }
}

/** True for a DagError, also one thrown by another copy of this library (a kernel bundle, say). */
export function isDagError(value: unknown): value is DagError {
  return value instanceof DagError || (value instanceof Error && value.name === 'DagError' && 'code' in value);
}

/** One DagError for a list of problems: the first problem's code, every message, every node. */
export function errorFromProblems(problems: readonly DagProblem[]): DagError {
  if (problems.length === 1) {
    const [only] = problems;
    return new DagError(only.code, only.message, only.nodes, { problems });
  }
  const nodes = [...new Set(problems.flatMap(p => p.nodes))];
  const message =
    `${problems.length} problems:\n` + problems.map(p => `  - ${p.message}`).join('\n');
  return new DagError(problems[0].code, message, nodes, { problems });
}
