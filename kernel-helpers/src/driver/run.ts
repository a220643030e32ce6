/**
 * Running a validated plan: each function once, as soon as what it needs is
 * ready, async ones concurrently; a value is dropped as soon as no pending node
 * needs it, so a long chain of large values keeps memory flat.
 */
import { DagError } from '../errors';
import type { GraphSnapshot } from '../graph/types';
import type { Plan } from './plan';

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
export function runPlan(
  graph: GraphSnapshot,
  plan: Plan,
  options: RunOptions = {}
): Promise<Record<string, unknown>> {
  const { onEvent, signal, yieldBetweenNodes, callNode } = options;
  const { compute, given, args, outputs } = plan;
  const count = compute.length;

  // Number the computed nodes, so the hot loop works on arrays.
  const id = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    id.set(compute[i], i);
  }
  const fns: Fn[] = new Array(count);
  const deps: (number | string | undefined)[][] = new Array(count);
  const waiting = new Int32Array(count);
  const holders = new Int32Array(count);
  const dependents: number[][] = new Array(count);
  for (let i = 0; i < count; i++) {
    dependents[i] = [];
  }
  for (let i = 0; i < count; i++) {
    const name = compute[i];
    fns[i] = graph.nodes.get(name)?.fn as Fn;
    const passed = args.get(name) as (string | undefined)[];
    const mine: (number | string | undefined)[] = new Array(passed.length);
    for (let k = 0; k < passed.length; k++) {
      const dep = passed[k];
      const depId = dep === undefined ? undefined : id.get(dep);
      if (depId !== undefined) {
        mine[k] = depId;
        waiting[i]++;
        holders[depId]++;
        dependents[depId].push(i);
      } else {
        mine[k] = dep; // a given value by name, or undefined for an omitted optional
      }
    }
    deps[i] = mine;
  }
  for (const output of outputs) {
    const outId = id.get(output);
    if (outId !== undefined) {
      holders[outId]++;
    }
  }

  const values: unknown[] = new Array(count);
  const ready: number[] = [];
  for (let i = 0; i < count; i++) {
    if (waiting[i] === 0) {
      ready.push(i);
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
        const outId = id.get(output);
        result[output] = outId !== undefined ? values[outId] : given.get(output);
      }
      resolve(result);
    };

    const fail = (index: number, error: unknown, started: number) => {
      const node = compute[index];
      onEvent?.({ type: 'node-failed', node, ms: now() - started, error });
      if (!failed) {
        failed = true;
        failure = new DagError('NODE_FAILED', `${node} failed: ${messageOf(error)}`, [node], { cause: error });
      }
    };

    const complete = (index: number, value: unknown, started: number) => {
      values[index] = value;
      done++;
      if (onEvent) {
        onEvent({ type: 'node-finished', node: compute[index], ms: now() - started, value });
      }
      const next = dependents[index];
      for (let k = 0; k < next.length; k++) {
        if (--waiting[next[k]] === 0) {
          ready.push(next[k]);
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
        const index = ready.pop() as number;
        const mine = deps[index];
        const argv: unknown[] = new Array(mine.length);
        for (let k = 0; k < mine.length; k++) {
          const dep = mine[k];
          if (typeof dep === 'number') {
            argv[k] = values[dep];
            if (--holders[dep] === 0) {
              values[dep] = undefined; // nothing pending needs it any more
            }
          } else if (dep !== undefined) {
            argv[k] = given.get(dep);
          }
        }
        const started = onEvent ? now() : 0;
        onEvent?.({ type: 'node-started', node: compute[index] });
        let value: unknown;
        try {
          value = callNode ? callNode(fns[index], argv) : fns[index](...argv);
        } catch (error) {
          fail(index, error, started);
          break;
        }
        if (isThenable(value)) {
          inflight++;
          value.then(
            resolved => {
              inflight--;
              if (!failed) {
                complete(index, resolved, started);
              }
              pump();
            },
            error => {
              inflight--;
              fail(index, error, started);
              pump();
            }
          );
        } else {
          complete(index, value, started);
        }
      }
      if (inflight === 0 && (failed || done === count)) {
        finish();
      }
    };
    pump();
  });
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
