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
  const known = new Map<string, FunctionInfo>();
  for (const fn of source.analysis?.functions ?? []) {
    known.set(fn.name, fn);
  }
  const specs: NodeSpec[] = [];
  for (const name of Object.keys(fns)) {
    const value = fns[name];
    if (typeof value === 'function') {
      specs.push(specOf(name, value as AnyFunction, known.get(name), source.file));
    }
  }
  return specs;
}

function specOf(name: string, fn: AnyFunction, info: FunctionInfo | undefined, file?: string): NodeSpec {
  const read = readParameters(fn);
  const spec: NodeSpec = {
    name,
    dependencies: [],
    fn: fn as NodeSpec['fn'],
    origin: file || info ? { file, range: info?.range } : undefined
  };
  if (read.error !== undefined) {
    spec.invalid = `${name}: ${read.error}.`;
    return spec;
  }
  const paramTypes = new Map(info?.params.map(p => [p.name, p.type]));
  spec.dependencies = read.params.map(p => ({
    name: p.name,
    optional: p.optional,
    type: paramTypes.get(p.name)
  }));
  const bad = read.params.filter(p => p.pattern);
  if (bad.length > 0) {
    spec.invalid =
      `${name}: ${bad.map(p => (p.pattern === 'rest' ? `the rest parameter ...${p.name}` : 'a destructured parameter')).join(' and ')} ` +
      `cannot name a dependency. Each parameter names the node it depends on; take values whole and destructure inside the body.`;
    spec.dependencies = spec.dependencies.filter((_, i) => !read.params[i].pattern);
  }
  spec.isAsync = read.isAsync || info?.isAsync;
  spec.type = info?.valueType;
  spec.doc = info?.doc;
  spec.tags = info?.tags;
  spec.hash = info?.hash; // else computed from the function text when asked for (toJSON)
  return spec;
}
