/** What went wrong, as a stable code that programs can branch on. */
export type DagErrorCode =
  | 'CYCLE'
  | 'MISSING_INPUTS'
  | 'UNKNOWN_NODE'
  | 'DUPLICATE_NODE'
  | 'TYPE_MISMATCH'
  | 'INVALID_FUNCTION'
  | 'NODE_FAILED';

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

  constructor(code: DagErrorCode, message: string, nodes: string[], options?: { cause?: unknown }) {
    super(message);
    this.name = 'DagError';
    this.code = code;
    this.nodes = nodes;
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
