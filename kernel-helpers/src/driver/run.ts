/**
 * Running a validated plan: each function once, as soon as what it needs is
 * ready, async ones concurrently; a value is dropped as soon as no pending node
 * needs it, so a long chain of large values keeps memory flat.
 */
import { DagError } from '../errors';
import { Plan, Role } from './plan';

/** What happens during a run, in the order it happens. */
export type ExecutionEvent =
  | { type: 'node-started'; node: string }
  | { type: 'node-finished'; node: string; ms: number; value: unknown }
  | { type: 'node-failed'; node: string; ms: number; error: unknown };

export interface RunOptions {
  onEvent?: (event: ExecutionEvent) => void;
  /** Stops the run before the next node starts; the run rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Lets the event loop run between nodes, so that progress reported from
   * `onEvent` (a notebook kernel's display messages) goes out while a run of
   * synchronous nodes is still going. Costs a macrotask per node.
   */
  yieldBetweenNodes?: boolean;
  /**
   * Calls a node's function with its arguments; by default `fn(...args)`. A
   * notebook kernel passes one that runs the call where an interrupt can stop it.
   */
  callNode?: (fn: Fn, args: unknown[]) => unknown;
}

export type Fn = (...args: unknown[]) => unknown;

const now: () => number =
  typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

/** Runs a plan; resolves to `{ [output]: value }`. */
export function runPlan(plan: Plan, options: RunOptions = {}): Promise<Record<string, unknown>> {
  const { onEvent, signal, yieldBetweenNodes, callNode } = options;
  const { index, compute, role, given, outputs } = plan;
  const { names, fns, producerStart, producers, consumerStart, consumers } = index;
  const count = compute.length;

  // Values by node position: given ones from the start, computed ones as they come.
  const values: unknown[] = new Array(names.length);
  for (const [name, value] of given) {
    const p = index.positionOf(name);
    if (p !== undefined) {
      values[p] = value;
    }
  }
  // What each node waits for, and how many pending parameters (and outputs) hold its value.
  const waiting = new Int32Array(names.length);
  const holders = new Int32Array(names.length);
  for (let i = 0; i < count; i++) {
    const p = compute[i];
    for (let k = producerStart[p]; k < producerStart[p + 1]; k++) {
      const q = producers[k];
      if (q >= 0 && role[q] === Role.Computed) {
        waiting[p]++;
        holders[q]++;
      }
    }
  }
  for (const output of outputs) {
    const p = index.positionOf(output);
    if (p !== undefined) {
      holders[p]++;
    }
  }

  // Ready nodes are taken from the end: reversed, the first in dependency order runs first.
  const ready: number[] = [];
  for (let i = count - 1; i >= 0; i--) {
    if (waiting[compute[i]] === 0) {
      ready.push(compute[i]);
    }
  }

  return new Promise((resolve, reject) => {
    let done = 0;
    let inflight = 0;
    let failure: unknown;
    let failed = false;

    const finish = () => {
      if (failed) {
        reject(failure);
        return;
      }
      const result: Record<string, unknown> = {};
      for (const output of outputs) {
        const p = index.positionOf(output);
        result[output] = p !== undefined ? values[p] : given.get(output);
      }
      resolve(result);
    };

    const fail = (p: number, error: unknown, started: number) => {
      const node = names[p];
      onEvent?.({ type: 'node-failed', node, ms: now() - started, error });
      if (!failed) {
        failed = true;
        failure = new DagError('NODE_FAILED', `${node} failed: ${messageOf(error)}`, [node], { cause: error });
      }
    };

    const complete = (p: number, value: unknown, started: number) => {
      values[p] = value;
      done++;
      if (onEvent) {
        onEvent({ type: 'node-finished', node: names[p], ms: now() - started, value });
      }
      for (let k = consumerStart[p]; k < consumerStart[p + 1]; k++) {
        const c = consumers[k];
        if (role[c] === Role.Computed && --waiting[c] === 0) {
          ready.push(c);
        }
      }
    };

    let ranSinceYield = false;
    const pump = () => {
      while (ready.length > 0 && !failed) {
        if (yieldBetweenNodes && ranSinceYield) {
          ranSinceYield = false;
          inflight++; // holds the run open until the loop comes back
          setTimeout(() => {
            inflight--;
            pump();
          }, 0);
          return;
        }
        ranSinceYield = true;
        if (signal?.aborted) {
          failed = true;
          failure = signal.reason ?? new Error('The run was aborted.');
          break;
        }
        const p = ready.pop() as number;
        const first = producerStart[p];
        const argv: unknown[] = new Array(producerStart[p + 1] - first);
        for (let k = 0; k < argv.length; k++) {
          // A given value, a computed one, or undefined for an omitted optional dependency.
          const q = producers[first + k];
          argv[k] = values[q];
          if (role[q] === Role.Computed && --holders[q] === 0) {
            values[q] = undefined; // nothing pending needs it any more
          }
        }
        const started = onEvent ? now() : 0;
        onEvent?.({ type: 'node-started', node: names[p] });
        const fn = fns[p] as Fn;
        let value: unknown;
        try {
          value = callNode ? callNode(fn, argv) : call(fn, argv);
        } catch (error) {
          fail(p, error, started);
          break;
        }
        if (isThenable(value)) {
          inflight++;
          value.then(
            resolved => {
              inflight--;
              if (!failed) {
                complete(p, resolved, started);
              }
              pump();
            },
            error => {
              inflight--;
              fail(p, error, started);
              pump();
            }
          );
        } else {
          complete(p, value, started);
        }
      }
      if (inflight === 0 && (failed || done === count)) {
        finish();
      }
    };
    pump();
  });
}

/** `fn(...argv)`, with the usual small numbers of arguments passed directly (a spread call costs more). */
function call(fn: Fn, argv: unknown[]): unknown {
  switch (argv.length) {
    case 0:
      return fn();
    case 1:
      return fn(argv[0]);
    case 2:
      return fn(argv[0], argv[1]);
    case 3:
      return fn(argv[0], argv[1], argv[2]);
    default:
      return fn(...argv);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  try {
    return typeof error === 'string' ? error : JSON.stringify(error);
  } catch {
    return String(error);
  }
}
