/**
 * The modifiers: Hamilton's decorators as functions that wrap a function. Each
 * returns a function that still calls the one it wraps, and carries what the
 * modifier says (see `types.ts`); the Driver expands it into nodes.
 *
 * @example
 * ```ts
 * const spend__us = config.when({ region: "US" }, (raw_spend: number[]) => raw_spend);
 * const weekly = tag({ owner: "growth" }, (spend: number[]) => spend);
 * ```
 */
import { AnyFunction, GroupRef, Modifier, MODIFIER, ModifierKind, SourceRef, ValueRef, Wrapped } from './types';

function wrap<F extends AnyFunction>(kind: ModifierKind, args: Record<string, unknown>, inner: F): Wrapped<F> {
  const modifier: Modifier = { kind, args, inner };
  const call = typeof inner === 'function' ? inner : undefined;
  const wrapped = function (this: unknown, ...argv: unknown[]) {
    if (!call) {
      throw new TypeError(`${kind} was given ${describe(inner)} to wrap, not a function`);
    }
    return call.apply(this, argv);
  } as unknown as Wrapped<F>;
  Object.defineProperty(wrapped, MODIFIER, { value: modifier, enumerable: false });
  return wrapped;
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

/** The value of another node, by name, bound to a parameter. */
export function source(name: string): SourceRef {
  return { dagcellsBinding: 'source', name };
}

/** A constant bound to a parameter. */
export function value(v: unknown): ValueRef {
  return { dagcellsBinding: 'value', value: v };
}

/** Several sources or values, passed to one parameter as an array. */
export function group(...items: (SourceRef | ValueRef)[]): GroupRef {
  return { dagcellsBinding: 'group', items };
}

/** Variants picked by config; the node is named before the last `__` of the name it is given. */
export const config = {
  /** The node exists when every key has the value given. */
  when<F extends AnyFunction>(conditions: Record<string, unknown>, fn: F): Wrapped<F> {
    return wrap('config.when', { conditions }, fn);
  },
  /** The node exists when no key has the value given. */
  whenNot<F extends AnyFunction>(conditions: Record<string, unknown>, fn: F): Wrapped<F> {
    return wrap('config.whenNot', { conditions }, fn);
  },
  /** The node exists when every key has one of the values given. */
  whenIn<F extends AnyFunction>(conditions: Record<string, readonly unknown[]>, fn: F): Wrapped<F> {
    return wrap('config.whenIn', { conditions }, fn);
  },
  /** The node exists when no key has any of the values given. */
  whenNotIn<F extends AnyFunction>(conditions: Record<string, readonly unknown[]>, fn: F): Wrapped<F> {
    return wrap('config.whenNotIn', { conditions }, fn);
  }
};

/** Tags on the node (and on every node the modifiers inside make). */
export function tag<F extends AnyFunction>(tags: Record<string, string | string[]>, fn: F): Wrapped<F> {
  return wrap('tag', { tags }, fn);
}

/** One node per key, each with its own bindings of the function's parameters; the name itself is no node. */
export function parameterize<F extends AnyFunction>(
  nodes: Record<string, Record<string, SourceRef | ValueRef | GroupRef>>,
  fn: F
): Wrapped<F> {
  return wrap('parameterize', { nodes }, fn);
}

/** The node, and one node per field of the object it returns. */
export function extractFields<F extends AnyFunction>(fields: readonly string[] | Record<string, string>, fn: F): Wrapped<F> {
  return wrap('extractFields', { fields }, fn);
}

export interface CheckOptions {
  /** Every number (of a number or an array of numbers) lies within [min, max]. */
  range?: [number, number];
  /** NaN allowed; default true. */
  allowNaN?: boolean;
  /** A custom check: true passes, false or a string (the reason) fails. */
  validate?: (value: any) => boolean | string;
  /** `fail` (default) stops the run with CHECK_FAILED; `warn` reports and goes on. */
  importance?: 'warn' | 'fail';
}

/** Checks the node's value after it is computed. */
export function checkOutput<F extends AnyFunction>(options: CheckOptions, fn: F): Wrapped<F> {
  return wrap('checkOutput', { options }, fn);
}

/** One transform of a pipe: a function whose first parameter receives the value so far. */
export interface Step {
  readonly dagcellsStep: true;
  readonly fn: AnyFunction;
  readonly bindings: Record<string, SourceRef | ValueRef>;
  readonly name?: string;
  /** The same step under another node name (`NODE.NAME`). */
  named(name: string): Step;
}

/** A step of `pipeInput`, with bindings of its other parameters. */
export function step(fn: AnyFunction, bindings: Record<string, SourceRef | ValueRef> = {}, name?: string): Step {
  return { dagcellsStep: true, fn, bindings, name, named: (n: string) => step(fn, bindings, n) };
}

/**
 * A chain of transforms into the first parameter of the function, each step a
 * node `NODE.with_STEP`: `pipeInput(step(_a), step(_b, { n: value(2) }), fn)`.
 */
export function pipeInput<F extends AnyFunction>(...args: [...(Step | Step[])[], F]): Wrapped<F> {
  const fn = args[args.length - 1] as F;
  const steps = (args.slice(0, -1) as (Step | Step[])[]).flat();
  return wrap('pipeInput', { steps }, fn);
}

export interface SubdagOptions {
  /** Bindings of the embedded functions' external inputs. */
  inputs?: Record<string, SourceRef | ValueRef>;
  /** Config of the embedded functions, over the outer config. */
  config?: Record<string, unknown>;
  /** The prefix of the embedded nodes (`NS.name`); default the node's name. */
  namespace?: string;
}

/**
 * A module or set of functions embedded under a namespace; the wrapped
 * function's parameters name the embedded nodes it reads.
 */
export function subdag<F extends AnyFunction>(functions: Record<string, unknown>, options: SubdagOptions, fn: F): Wrapped<F> {
  return wrap('subdag', { functions, options }, fn);
}

/** Replaces the body: the node keeps the name, parameters and doc, and `impl` computes it (arguments by name). */
export function does<F extends AnyFunction>(impl: AnyFunction, fn: F): Wrapped<F> {
  return wrap('does', { impl }, fn);
}
