/**
 * A node spec from a function read in source (a cell or a module file):
 * names, optionality and types as written, the version of its text, and its
 * place. This is how the notebook's graph is built, and how the Driver and the
 * CLI build one whenever the functions' source is known.
 */
import { invalidParametersMessage } from '../analysis/rules';
import type { FunctionInfo, ParamInfo } from '../analysis/types';
import type { Dependency, NodeSpec, Origin } from './types';

/**
 * The spec of a function the analysis found. `fn`, when given, is the live
 * function it describes: its parameters are not read again.
 *
 * @example
 * ```ts
 * const [info] = analyzeSource("function total(a: number, bonus?: number) { return a; }").functions;
 * sourceSpec(info).dependencies; // [{ name: "a", optional: false, type: "number" }, { name: "bonus", optional: true, type: "number" }]
 * ```
 */
export function sourceSpec(info: FunctionInfo, origin?: Origin, fn?: NodeSpec['fn']): NodeSpec {
  let patterns: ParamInfo[] | undefined;
  const dependencies: Dependency[] = [];
  for (const p of info.params) {
    if (p.pattern) {
      (patterns ??= []).push(p);
    } else {
      const name = intern(p.name);
      dependencies.push(p.type !== undefined ? { name, optional: p.optional, type: p.type } : { name, optional: p.optional });
    }
  }
  const spec: NodeSpec = {
    name: intern(info.name),
    dependencies,
    type: info.valueType,
    isAsync: info.isAsync,
    doc: info.doc,
    tags: info.tags,
    hash: info.hash,
    origin: { ...origin, range: info.range }
  };
  if (fn) {
    spec.fn = fn;
  }
  if (patterns) {
    spec.invalid = invalidParametersMessage(
      info.name,
      patterns.map(p => ({ name: p.name, pattern: p.pattern as 'destructured' | 'rest' }))
    );
  }
  return spec;
}

/**
 * The engine's own copy of a name (property keys are interned). Names read
 * from source are slices of a cell's text; the graph builder looks each
 * parameter up by name on every build, and a lookup with an interned name
 * compares pointers instead of characters: a quarter of the time.
 */
function intern(name: string): string {
  let kept = interned.get(name);
  if (kept === undefined) {
    if (interned.size >= INTERNED_KEPT) {
      interned.clear();
    }
    // A flat copy owned by the engine: not a slice that keeps the whole cell's text alive.
    kept = Object.keys({ [name]: 0 })[0];
    interned.set(kept, kept);
  }
  return kept;
}

/**
 * The names interned so far: looking one up costs about a tenth of interning it
 * again. Emptied when it holds this many (names typed over a long session).
 */
const INTERNED_KEPT = 50_000;
const interned = new Map<string, string>();
