/** What went wrong, as a stable code that programs can branch on. */
export type DagErrorCode =
  | 'CYCLE'
  | 'MISSING_INPUTS'
  | 'UNKNOWN_NODE'
  | 'DUPLICATE_NODE'
  | 'TYPE_MISMATCH'
  | 'INVALID_FUNCTION'
  | 'NODE_FAILED'
  | 'CHECK_FAILED'
  | 'INVALID_MODIFIER'
  | 'LISTENER_FAILED';

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

/** How many names or problems a message lists before it counts the rest. */
export const LISTED = 10;

/**
 * Names for a message, the first {@link LISTED} of them and a count of the
 * rest: a message stays readable (and small) whatever the graph's size, and
 * the error's `nodes` hold the full list.
 *
 * @example
 * ```ts
 * listNames(["a", "b"]);            // "a, b"
 * listNames(names, 3);              // "x0, x1, x2 and 49,997 more"
 * ```
 */
export function listNames(names: readonly string[], max = LISTED): string {
  if (names.length <= max) {
    return names.join(', ');
  }
  return `${names.slice(0, max).join(', ')} and ${(names.length - max).toLocaleString('en-US')} more`;
}

/** One DagError for a list of problems: the first problem's code, the first messages, every node. */
export function errorFromProblems(problems: readonly DagProblem[]): DagError {
  if (problems.length === 1) {
    const [only] = problems;
    return new DagError(only.code, only.message, only.nodes, { problems });
  }
  const nodes = [...new Set(problems.flatMap(p => p.nodes))];
  const listed = problems.slice(0, LISTED).map(p => `  - ${p.message}`);
  if (problems.length > LISTED) {
    listed.push(`  - and ${(problems.length - LISTED).toLocaleString('en-US')} more (error.problems lists them all)`);
  }
  const message = `${problems.length.toLocaleString('en-US')} problems:\n` + listed.join('\n');
  return new DagError(problems[0].code, message, nodes, { problems });
}
