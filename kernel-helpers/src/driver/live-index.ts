/**
 * The index of a dataflow built straight from live functions, for a Driver
 * given no source: names, functions and parameters go into flat columns, with
 * no spec, node or edge object per function. On a dataflow of thousands of
 * trivial functions, those objects (and collecting them again) were most of
 * the cost of building a Driver; the graph snapshot, which queries and
 * drawings read, is made only when one is asked for.
 *
 * Without source there are no declared types, so nothing here can disagree on
 * an edge, and object keys cannot define a name twice. What remains to go
 * wrong (a function whose parameters cannot be read, a function named like a
 * config key, a cycle) gives undefined: the full build then says what and
 * where, exactly as it always does.
 */
import { isPrivateName } from '../graph/build';
import { indexNumbered, IndexedGraph, NodeFunction } from '../graph/indexed';
import type { NodeKind } from '../graph/types';
import { readParametersInto } from './parameters';

const hasOwn = Object.prototype.hasOwnProperty;

/** The functions of a lean build, in the order of their keys: the first `count` names and functions. */
export interface LiveFunctions {
  names: readonly string[];
  fns: readonly (NodeFunction | undefined)[];
  count: number;
}

/** The index of `fns` and `config` when they build without a problem, else undefined. */
export function indexFunctions(
  fns: Readonly<Record<string, unknown>>,
  config: Readonly<Record<string, unknown>>
): { index: IndexedGraph; functions: LiveFunctions } | undefined {
  const configKeys = Object.keys(config);
  const names: string[] = [];
  const kinds: NodeKind[] = [];
  const list: (NodeFunction | undefined)[] = [];
  const ids = new Map<string, number>();
  const parameters: string[] = [];
  const optional: number[] = [];
  const start: number[] = [];
  // `for...in` with the own-property check visits what Object.keys lists, in its
  // order, but without making that list; for an object of up to about a thousand
  // keys V8 then reads each value from a cache instead of looking it up.
  for (const name in fns) {
    if (!hasOwn.call(fns, name)) {
      continue;
    }
    const fn = fns[name];
    if (typeof fn !== 'function' || isPrivateName(name)) {
      continue;
    }
    if (configKeys.length > 0 && hasOwn.call(config, name)) {
      return undefined; // a function and a config key of one name: the full build reports it
    }
    start.push(parameters.length);
    if (!readParametersInto(fn as NodeFunction, parameters, optional)) {
      return undefined; // unreadable parameters: the full build says why
    }
    ids.set(name, names.length);
    names.push(name);
    kinds.push('function');
    list.push(fn as NodeFunction);
  }
  const functionCount = names.length;
  start.push(parameters.length);
  for (const key of configKeys) {
    ids.set(key, names.length);
    names.push(key);
    kinds.push('config');
    list.push(undefined);
  }
  // Parameters to producers; a name that nothing produces is an external input.
  const producerIds = new Int32Array(parameters.length);
  for (let k = 0; k < parameters.length; k++) {
    const name = parameters[k];
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      ids.set(name, id);
      names.push(name);
      kinds.push('input');
      list.push(undefined);
    }
    producerIds[k] = id;
  }
  const producerStart = new Int32Array(names.length + 1);
  for (let i = 0; i <= functionCount; i++) {
    producerStart[i] = start[i];
  }
  producerStart.fill(parameters.length, functionCount + 1);
  const index = indexNumbered({ names, kinds, fns: list, ids, producerStart, producerIds, optional });
  if (index.ordered < names.length) {
    return undefined; // a cycle: the full build names it
  }
  return { index, functions: { names, fns: list, count: functionCount } };
}
