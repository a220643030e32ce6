/**
 * A node spec from a live function alone, for functions whose source is not
 * known (`Driver.fromFunctions` in plain Node, the functions of a loaded
 * module without its source). The parameters are read from the function's
 * text once per function object and kept by identity: a notebook or a service
 * that builds a Driver again over the same functions does not read them again.
 */
import { invalidParametersMessage } from '../analysis/rules';
import { readParameters, RuntimeParam } from './parameters';
import type { Dependency, NodeSpec } from './types';

type AnyFunction = (...args: never[]) => unknown;

/** What reading one function gives, whatever name it is given. */
interface Reading {
  dependencies: readonly Dependency[];
  isAsync: boolean;
  /** The parameters that cannot name a dependency. */
  patterns?: readonly RuntimeParam[];
  /** Why the parameters could not be read at all. */
  error?: string;
  /** The spec last made from it, given again for the same name (specs are never changed). */
  spec?: NodeSpec;
}

const readings = new WeakMap<object, Reading>();

/** The spec of the function `fn` under the node name `name`. */
export function functionSpec(name: string, fn: AnyFunction): NodeSpec {
  const reading = readingOf(fn);
  if (reading.spec !== undefined && reading.spec.name === name) {
    return reading.spec;
  }
  const spec: NodeSpec = { name, dependencies: reading.dependencies, fn: fn as NodeSpec['fn'], isAsync: reading.isAsync };
  if (reading.error !== undefined) {
    spec.invalid = `${name}: ${reading.error}.`;
  } else if (reading.patterns) {
    spec.invalid = invalidParametersMessage(
      name,
      reading.patterns.map(p => ({ name: p.name, pattern: p.pattern as 'destructured' | 'rest' }))
    );
  }
  reading.spec = spec;
  return spec;
}

function readingOf(fn: AnyFunction): Reading {
  let reading = readings.get(fn);
  if (reading === undefined) {
    reading = read(fn);
    readings.set(fn, reading);
  }
  return reading;
}

function read(fn: AnyFunction): Reading {
  const result = readParameters(fn);
  if (result.error !== undefined) {
    return { dependencies: [], isAsync: false, error: result.error };
  }
  const { params, isAsync } = result;
  if (!params.some(p => p.pattern !== undefined)) {
    // A parameter read is already a dependency: { name, optional }.
    return { dependencies: params, isAsync };
  }
  return {
    dependencies: params.filter(p => p.pattern === undefined),
    isAsync,
    patterns: params.filter(p => p.pattern !== undefined)
  };
}
