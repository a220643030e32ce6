/**
 * Running a validated plan: each function once, as soon as what it needs is
 * ready, async ones concurrently; a value is dropped as soon as no pending node
 * needs it, so a long chain of large values keeps memory flat.
 */
import type { CacheEvent } from '../cache/cache';
import { DagError, isDagError } from '../errors';
import { isCheckWarnings } from '../modifiers/warnings';
import { frozenCopy } from './frozen';
import { Plan, Role } from './plan';

/** What happens during a run, in the order it happens. */
export type ExecutionEvent =
  | { type: 'node-started'; node: string }
  | { type: 'node-finished'; node: string; ms: number; value: unknown }
  | { type: 'node-failed'; node: string; ms: number; error: unknown }
  /** A `warn` check on the node's value failed; the run goes on. */
  | { type: 'node-warning'; node: string; message: string }
  /** With a cache: whether the node was retrieved or computed (see `CacheEvent`). */
  | CacheEvent;

export interface RunOptions {
  /**
   * Told of each node as it starts, finishes or fails. A listener that throws
   * stops the run: no node starts after it, the nodes already running are
   * waited for, and the run rejects with a `LISTENER_FAILED` DagError naming
   * the event (unless a node failed first: that failure is the one reported).
   */
  onEvent?: (event: ExecutionEvent) => void;
  /**
   * Gives nodes deeply frozen copies of the inputs and overrides (plain objects
   * and arrays), so that a node that mutates one fails where it does so. Off by
   * default, as in Hamilton: nodes are trusted not to mutate what they are
   * given, and copying large inputs on every run costs time. Config is always
   * frozen (see `DriverOptions.config`).
   */
  freezeInputs?: boolean;
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
  const { onEvent: listener, signal, yieldBetweenNodes, callNode, freezeInputs } = options;
  const { index, compute, role, given, outputs } = plan;
  const { names, fns, producerStart, producers, consumerStart, consumers } = index;
  const count = compute.length;

  // Values by node position: given ones from the start, computed ones as they come.
  const values: unknown[] = new Array(names.length);
  if (freezeInputs) {
    for (const [name, value] of given) {
      given.set(name, frozenCopy(value));
    }
  }
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

    // A listener's own failure stops the run like a node's, and never escapes it.
    // (Each call site has its own try: a wrapper around the listener costs a call per event.)
    const listenerFailed = (event: ExecutionEvent, error: unknown) => {
      if (!failed) {
        failed = true;
        failure = new DagError(
          'LISTENER_FAILED',
          `the onEvent listener failed on ${event.type} of ${event.node}: ${messageOf(error)}`,
          [event.node],
          { cause: error }
        );
      }
    };

    const finish = () => {
      if (failed) {
        reject(failure);
        return;
      }
      const result: Record<string, unknown> = {};
      for (const output of outputs) {
        const p = index.positionOf(output);
        const value = p !== undefined ? values[p] : given.get(output);
        if (output === '__proto__') {
          // Assigned, it would set the result's prototype: every output is an own property.
          Object.defineProperty(result, output, { value, enumerable: true, writable: true, configurable: true });
        } else {
          result[output] = value;
        }
      }
      resolve(result);
    };

    const fail = (p: number, error: unknown, started: number) => {
      const node = names[p];
      // The node's failure comes first: a listener failing on its event does not hide it.
      if (!failed || (failure as DagError).code === 'LISTENER_FAILED') {
        failed = true;
        // A failing check is reported as itself (CHECK_FAILED naming the node), not as a failure of the code.
        failure =
          isDagError(error) && error.code === 'CHECK_FAILED'
            ? error
            : new DagError('NODE_FAILED', `${node} failed: ${messageOf(error)}`, [node], { cause: error });
      }
      if (listener) {
        const event: ExecutionEvent = { type: 'node-failed', node, ms: now() - started, error };
        try {
          listener(event);
        } catch (thrown) {
          listenerFailed(event, thrown);
        }
      }
    };

    const complete = (p: number, value: unknown, started: number) => {
      if (isCheckWarnings(value)) {
        if (listener) {
          for (const message of value.messages) {
            const event: ExecutionEvent = { type: 'node-warning', node: names[p], message };
            try {
              listener(event);
            } catch (error) {
              listenerFailed(event, error);
            }
          }
        }
        value = value.value;
      }
      values[p] = value;
      done++;
      if (listener) {
        const event: ExecutionEvent = { type: 'node-finished', node: names[p], ms: now() - started, value };
        try {
          listener(event);
        } catch (error) {
          listenerFailed(event, error);
        }
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
        const started = listener ? now() : 0;
        if (listener) {
          const event: ExecutionEvent = { type: 'node-started', node: names[p] };
          try {
            listener(event);
          } catch (error) {
            listenerFailed(event, error);
          }
          if (failed) {
            break; // the listener failed: the node does not start
          }
        }
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

/** What a thrown value says, whatever was thrown (an Error, a string, a Symbol, an object, nothing). */
function messageOf(error: unknown): string {
  try {
    if (error instanceof Error) {
      return error.message || error.name;
    }
    if (typeof error === 'string') {
      return error;
    }
    const json = typeof error === 'object' && error !== null ? JSON.stringify(error) : undefined;
    return `${json ?? String(error)} (thrown, not an Error)`;
  } catch {
    return 'a value that cannot be shown (thrown, not an Error)';
  }
}
