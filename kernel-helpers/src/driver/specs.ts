/**
 * Node specs from live functions: names from the keys, parameters read from
 * each function, and, when the source was analysed, types, docs and places.
 */
import type { FunctionInfo, SourceAnalysis } from '../analysis/types';
import type { NodeSpec } from '../graph/types';
import { readParameters } from './parameters';

/** Source knowledge to enrich live functions with. */
export interface SourceInfo {
  analysis?: SourceAnalysis;
  /** The file it came from, for messages and origins. */
  file?: string;
}

type AnyFunction = (...args: never[]) => unknown;

/** One spec per function value of `fns` (other values are skipped). */
export function specsFromFunctions(
  fns: Readonly<Record<string, unknown>>,
  source: SourceInfo = {}
): NodeSpec[] {
  const known = source.analysis ? new Map(source.analysis.functions.map(fn => [fn.name, fn])) : undefined;
  const specs: NodeSpec[] = [];
  for (const name of Object.keys(fns)) {
    const value = fns[name];
    if (typeof value === 'function') {
      specs.push(specOf(name, value as AnyFunction, known?.get(name), source.file));
    }
  }
  return specs;
}

function specOf(name: string, fn: AnyFunction, info: FunctionInfo | undefined, file?: string): NodeSpec {
  const read = readParameters(fn);
  const origin = file || info ? { file, range: info?.range } : undefined;
  if (read.error !== undefined) {
    return { name, dependencies: [], fn: fn as NodeSpec['fn'], origin, invalid: `${name}: ${read.error}.` };
  }
  const bad = read.params.filter(p => p.pattern);
  const plain = bad.length > 0 ? read.params.filter(p => !p.pattern) : read.params;
  // Without source there are no types to add: the parameters read serve as they
  // are (nothing else holds them), which spares an object per edge on large builds.
  let dependencies: NodeSpec['dependencies'] = plain;
  if (info) {
    const types = new Map(info.params.map(p => [p.name, p.type]));
    dependencies = plain.map(p => ({ name: p.name, optional: p.optional, type: types.get(p.name) }));
  }
  return {
    name,
    dependencies,
    fn: fn as NodeSpec['fn'],
    origin,
    invalid:
      bad.length > 0
        ? `${name}: ${bad.map(p => (p.pattern === 'rest' ? `the rest parameter ...${p.name}` : 'a destructured parameter')).join(' and ')} ` +
          `cannot name a dependency. Each parameter names the node it depends on; take values whole and destructure inside the body.`
        : undefined,
    isAsync: read.isAsync || info?.isAsync,
    type: info?.valueType,
    doc: info?.doc,
    tags: info?.tags,
    hash: info?.hash // else computed from the function text when asked for (toJSON)
  };
}
