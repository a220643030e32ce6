/**
 * The one graph builder. Every graph of dagcells comes from here: the live
 * graph of a notebook (specs read from cell source), a Driver's (specs from
 * module source or from live functions) and the CLI's.
 *
 * Building goes in two phases, as Hamilton's does: first the nodes (a name
 * defined again later replaces the earlier definition, as in the kernel, and
 * every place is kept), then the edges (each parameter resolved to its
 * producer; what nothing produces becomes an external input; declared types
 * compared on every edge). It never throws: problems are collected.
 *
 * It works in columns (names, kinds, functions, producers by number) and
 * hands them to the index that planning and running read; the node and edge
 * objects that queries, drawings and the panel read are made from the columns
 * when first asked for. A Driver that only runs never pays for them.
 */
import { cyclesOf } from './cycles';
import { IndexedGraph, indexNumbered, indexOf, NodeFunction, NumberedNodes, rememberIndex } from './indexed';
import {
  cycleProblem,
  duplicateConfigProblem,
  duplicateProblem,
  edgeMismatchProblem,
  inputClashProblem
} from './problems';
import type { Dependency, GraphEdge, GraphNode, GraphProblem, GraphSnapshot, NodeKind, NodeSpec, Origin } from './types';

/** Judges whether a producer's declared type may be passed where a consumer declares another. */
export type TypesAgreeFn = (
  producer: string | undefined,
  consumer: string | undefined,
  resolve?: (name: string) => string | undefined
) => boolean;

export interface BuildOptions {
  /** Config values: each key is a node of kind `config`. */
  config?: Readonly<Record<string, unknown>>;
  /** Type agreement; the default compares the text, ignoring spaces, and lets unknowns agree. */
  typesAgree?: TypesAgreeFn;
  /** Named types (aliases, interfaces) the judge may look through. */
  resolveType?: (name: string) => string | undefined;
}

/** True for names that are helpers, not nodes. */
export function isPrivateName(name: string): boolean {
  return name.charCodeAt(0) === 95; // '_'
}

/** Text equality ignoring spaces; a missing, `any` or `unknown` type agrees with anything. */
export const textTypesAgree: TypesAgreeFn = (producer, consumer) => {
  if (!producer || !consumer || producer === consumer) {
    return true;
  }
  const p = producer.replace(/\s+/g, '');
  const c = consumer.replace(/\s+/g, '');
  return p === c || p === 'any' || c === 'any' || c === 'unknown';
};

/** The type of a config value as TypeScript names it, when it is a primitive. */
export function configType(value: unknown): string | undefined {
  const type = typeof value;
  return type === 'number' || type === 'string' || type === 'boolean' || type === 'bigint' ? type : undefined;
}

const NO_TAGS: Readonly<Record<string, string>> = Object.freeze({});
const NO_NAMES: readonly string[] = Object.freeze([]);
const NO_ORIGIN: Origin = Object.freeze({});

/** Builds an immutable graph from node specs and config. */
export function buildGraph(specs: readonly NodeSpec[], options: BuildOptions = {}): GraphSnapshot {
  const problems: GraphProblem[] = [];
  const config = options.config ?? {};
  const configKeys = Object.keys(config);

  // Phase 1: nodes. The last definition of a name wins, and takes the later
  // place (the order of definitions is the graph's canonical order).
  const ids = new Map<string, number>();
  const defined: (NodeSpec | undefined)[] = [];
  let repeated: Map<string, Origin[]> | undefined;
  for (const spec of specs) {
    const name = spec.name;
    if (isPrivateName(name)) {
      continue;
    }
    const earlier = ids.get(name);
    if (earlier !== undefined) {
      repeated ??= new Map();
      const places = repeated.get(name) ?? [(defined[earlier] as NodeSpec).origin ?? NO_ORIGIN];
      places.push(spec.origin ?? NO_ORIGIN);
      repeated.set(name, places);
      defined[earlier] = undefined;
    }
    ids.set(name, defined.push(spec) - 1);
  }
  const functions: NodeSpec[] = repeated ? (defined.filter(Boolean) as NodeSpec[]) : (defined as NodeSpec[]);
  const names: string[] = new Array(functions.length);
  const kinds: NodeKind[] = new Array(functions.length);
  const fns: (NodeFunction | undefined)[] = new Array(functions.length);
  for (let i = 0; i < functions.length; i++) {
    const spec = functions[i];
    names[i] = spec.name;
    kinds[i] = 'function';
    fns[i] = spec.fn;
    if (repeated) {
      ids.set(spec.name, i); // renumbered: the earlier definitions left gaps
    }
    if (spec.invalid !== undefined) {
      problems.push({ code: spec.invalidCode ?? 'INVALID_FUNCTION', message: spec.invalid, nodes: [spec.name], origins: originsOf(spec, repeated) });
    }
  }
  if (repeated) {
    for (const [name, places] of repeated) {
      problems.push(duplicateProblem(name, places));
    }
  }
  const functionCount = functions.length;
  const leafTypes: (string | undefined)[] = [];
  const addLeaf = (name: string, kind: NodeKind, type: string | undefined): number => {
    const id = names.length;
    ids.set(name, id);
    names.push(name);
    kinds.push(kind);
    fns.push(undefined);
    leafTypes[id - functionCount] = type;
    return id;
  };
  for (const key of configKeys) {
    if (ids.has(key)) {
      const spec = functions[ids.get(key) as number];
      problems.push(duplicateConfigProblem(key, [...originsOf(spec, repeated)]));
    } else {
      addLeaf(key, 'config', configType(config[key]));
    }
  }

  // Phase 2: each parameter to its producer; declared types compared on every edge.
  const head = problems.length;
  const edgeProblems: number[] = [];
  const agree = options.typesAgree ?? textTypesAgree;
  const resolve = options.resolveType;
  const producerStart = new Int32Array(functionCount + 1);
  const producerIds: number[] = [];
  const optional: number[] = [];
  let declared: (string | undefined)[] | undefined;
  let mismatched: Set<number> | undefined;
  let inputUses: Map<number, { first: TypedUse; clash?: TypedUse }> | undefined;
  for (let i = 0; i < functionCount; i++) {
    producerStart[i] = producerIds.length;
    const consumer = functions[i];
    const dependencies = consumer.dependencies;
    for (let d = 0; d < dependencies.length; d++) {
      const dep = dependencies[d];
      const edge = producerIds.length;
      const id = ids.get(dep.name) ?? addLeaf(dep.name, 'input', undefined);
      producerIds.push(id);
      optional.push(dep.optional ? 1 : 0);
      if (dep.type === undefined) {
        continue;
      }
      (declared ??= [])[edge] = dep.type;
      if (id < functionCount) {
        const producer = functions[id];
        if (producer.type !== undefined && !agree(producer.type, dep.type, resolve)) {
          (mismatched ??= new Set()).add(edge);
          edgeProblems.push(edge);
          problems.push(functionMismatch(producer, consumer, dep, repeated));
        }
      } else if (kinds[id] === 'config') {
        const type = leafTypes[id - functionCount];
        if (type !== undefined && !agree(type, dep.type, resolve)) {
          (mismatched ??= new Set()).add(edge);
          edgeProblems.push(edge);
          problems.push(configMismatch(type, consumer, dep, repeated));
        }
      } else {
        // An input's type is what its first typed consumer declares; a later one that cannot agree clashes.
        inputUses ??= new Map();
        const uses = inputUses.get(id);
        if (!uses) {
          inputUses.set(id, { first: { node: consumer.name, type: dep.type, edge } });
        } else if (!uses.clash && !agree(uses.first.type, dep.type, resolve) && !agree(dep.type, uses.first.type, resolve)) {
          uses.clash = { node: consumer.name, type: dep.type, edge };
        }
      }
    }
  }
  producerStart[functionCount] = producerIds.length;
  if (declared) {
    declared.length = producerIds.length;
  }
  if (inputUses) {
    for (const [id, uses] of inputUses) {
      leafTypes[id - functionCount] = uses.first.type;
      if (uses.clash) {
        problems.push(inputClashProblem(names[id], uses.first, uses.clash));
        (mismatched ??= new Set()).add(uses.first.edge).add(uses.clash.edge);
      }
    }
  }
  // Config and inputs depend on nothing.
  const start = new Int32Array(names.length + 1);
  start.set(producerStart);
  start.fill(producerIds.length, functionCount + 1);
  // In typed arrays, as a graph changed in place has them: whatever reads them reads one kind of array.
  const producers = Int32Array.from(producerIds);
  const optionals = Uint8Array.from(optional);

  // The index (topological order, consumers) is made when planning first asks for it: a graph that is only
  // drawn, as the notebook's after each edit, never pays for it. Whether there is a cycle is known now.
  const numbered: NumberedNodes = { names, kinds, fns, ids, producerStart: start, producerIds: producers, optional: optionals, declared };
  let index: IndexedGraph | undefined;
  if (hasCycle(start, producers)) {
    index = indexNumbered(numbered);
    for (const cycle of cyclesOf(index)) {
      problems.push(cycleProblem(cycle, name => {
        const id = ids.get(name);
        return id !== undefined && id < functionCount ? originsOf(functions[id], repeated) : [];
      }));
    }
  }
  const columns: Columns = {
    names, kinds, functions, fns, ids, leafTypes, start, producerIds: producers, optional: optionals, declared, mismatched, repeated,
    cyclic: index !== undefined, agree, resolve, head, edgeProblems
  };
  const graph = new BuiltGraph(columns, problems);
  rememberIndex(graph, index ?? (() => indexNumbered(numbered)));
  return graph;
}

/**
 * The graph `graph` (made by {@link buildGraph}) with some of its functions'
 * specs replaced, and new functions placed after given nodes: what
 * `buildGraph` makes from the specs changed so, made without building again.
 *
 * A replacement wired the same way (the same dependencies, names, optionality
 * and declared types, the same type, function and variant) changes only what
 * its node carries (version hash, doc, tags, place, checks), and costs only
 * itself: a body edited in a notebook of 1,000 functions. A replacement whose
 * parameters name other nodes, or a new function, costs a pass over the flat
 * producer arrays, with no name looked up but its own: a renamed parameter, a
 * function added to a cell. Undefined, and the caller builds, when the change
 * would touch what is judged over the whole graph: an input coming or going
 * or changing its type or its place among inputs, a type mismatch, a cycle, a
 * name defined twice, a problem naming a node concerned.
 */
export function withSpecs(
  graph: GraphSnapshot,
  replacements: readonly NodeSpec[],
  insertions: readonly Insertion[] = []
): GraphSnapshot | undefined {
  return graph instanceof BuiltGraph ? graph.withSpecs(replacements, insertions) : undefined;
}

/** A function defined anew: its spec, and the node it is defined after (none: first of all). */
export interface Insertion {
  spec: NodeSpec;
  after: string | undefined;
}

/**
 * True when following producers from some node comes back to it: a
 * depth-first search over the flat producer arrays, with no stack of calls
 * (chains of 10,000 nodes) and nothing allocated per node but three numbers.
 */
function hasCycle(start: Int32Array, producers: Int32Array): boolean {
  const count = start.length - 1;
  const state = new Uint8Array(count); // 0 not seen, 1 on the current path, 2 done
  const path = new Int32Array(count);
  const next = new Int32Array(count); // the next producer to follow, for nodes on the path
  for (let root = 0; root < count; root++) {
    if (state[root] !== 0) {
      continue;
    }
    let depth = 0;
    path[0] = root;
    state[root] = 1;
    next[root] = start[root];
    while (depth >= 0) {
      const node = path[depth];
      if (next[node] < start[node + 1]) {
        const producer = producers[next[node]++];
        if (state[producer] === 1) {
          return true;
        }
        if (state[producer] === 0) {
          state[producer] = 1;
          next[producer] = start[producer];
          path[++depth] = producer;
        }
      } else {
        state[node] = 2;
        depth--;
      }
    }
  }
  return false;
}

/** The problem of an edge whose producer, a function, declares a type its consumer cannot take. */
function functionMismatch(producer: NodeSpec, consumer: NodeSpec, dep: Dependency, repeated: ReadonlyMap<string, Origin[]> | undefined): GraphProblem {
  return edgeMismatchProblem(
    { name: producer.name, kind: 'function', type: producer.type, origins: originsOf(producer, repeated) },
    { name: consumer.name, origins: originsOf(consumer, repeated) },
    dep
  );
}

/** The problem of an edge from a config value whose type its consumer cannot take. */
function configMismatch(type: string, consumer: NodeSpec, dep: Dependency, repeated: ReadonlyMap<string, Origin[]> | undefined): GraphProblem {
  return edgeMismatchProblem({ name: dep.name, kind: 'config', type, origins: [] }, { name: consumer.name, origins: originsOf(consumer, repeated) }, dep);
}

/**
 * The problems of a graph whose functions or edges changed: the nodes' own
 * and the inputs' as they were, the edges' type mismatches made again from
 * the columns (their places and types may have changed).
 */
function problemsWith(columns: Columns, problems: readonly GraphProblem[], before: Columns): GraphProblem[] {
  const { functions, start, producerIds, leafTypes, edgeProblems } = columns;
  const functionCount = functions.length;
  const out = problems.slice(0, before.head);
  let consumer = 0;
  for (const edge of edgeProblems) {
    while (start[consumer + 1] <= edge) {
      consumer++;
    }
    const spec = functions[consumer];
    const dep = spec.dependencies[edge - start[consumer]];
    const id = producerIds[edge];
    out.push(
      id < functionCount
        ? functionMismatch(functions[id], spec, dep, columns.repeated)
        : configMismatch(leafTypes[id - functionCount] as string, spec, dep, columns.repeated)
    );
  }
  for (let i = before.head + before.edgeProblems.length; i < problems.length; i++) {
    out.push(problems[i]);
  }
  return out;
}

/** Whether the problem at a place among a graph's problems is the type mismatch of an edge between two nodes. */
function edgeProblemTest(columns: Columns): (place: number) => boolean {
  return place => place >= columns.head && place < columns.head + columns.edgeProblems.length;
}

/** Node numbers by name. */
type Numbers = Pick<ReadonlyMap<string, number>, 'get' | 'has'>;

/**
 * The numbers of a graph with new functions placed in it: those of the graph
 * last built whole, moved past every function added since, looked up through
 * it rather than copied (a function added to a notebook of 1,000 moves
 * hundreds of others).
 */
class MovedNumbers implements Numbers {
  constructor(
    readonly base: Numbers,
    /** Each number of `base`'s graph, as it is now. */
    readonly moved: Int32Array,
    /** The functions added since, by name. */
    readonly added: ReadonlyMap<string, number>
  ) {}

  get(name: string): number | undefined {
    const id = this.added.get(name);
    if (id !== undefined) {
      return id;
    }
    const was = this.base.get(name);
    return was === undefined ? undefined : this.moved[was];
  }

  has(name: string): boolean {
    return this.added.has(name) || this.base.has(name);
  }
}

/**
 * `base` moved as `moved` says, with `added`. Moves made on moves are
 * composed, so a lookup goes through one map whatever the number of
 * functions added since the graph was built whole.
 */
function movedNumbers(base: Numbers, moved: Int32Array, added: ReadonlyMap<string, number>): Numbers {
  if (!(base instanceof MovedNumbers)) {
    return new MovedNumbers(base, moved, added);
  }
  const all = new Map<string, number>();
  base.added.forEach((id, name) => all.set(name, moved[id]));
  added.forEach((id, name) => all.set(name, id));
  return new MovedNumbers(base.base, composed(base.moved, moved), all);
}

/** `second` after `first`: for each number, where `first` moved it and `second` moved that. */
function composed(first: Int32Array, second: Int32Array): Int32Array {
  const out = new Int32Array(first.length);
  for (let i = 0; i < first.length; i++) {
    out[i] = second[first[i]];
  }
  return out;
}

/** The same node apart from its dependencies: its name, type, function, validity and variant. */
function sameNode(a: NodeSpec, b: NodeSpec): boolean {
  return (
    a.name === b.name &&
    a.type === b.type &&
    a.fn === b.fn &&
    a.invalid === b.invalid &&
    a.invalidCode === b.invalidCode &&
    a.variant === b.variant
  );
}

/** Where each function's edges start when new functions' edges are spliced in among the old ones (`old` where they started). */
function splicedStarts(start: Int32Array, old: Int32Array, added: readonly { at: number; spec: NodeSpec }[], functionCount: number): void {
  let e = 0;
  for (let j = 0, k = 0; j < functionCount; j++) {
    start[j] = e;
    if (k < added.length && added[k].at + k === j) {
      e += added[k].spec.dependencies.length;
      k++;
    } else {
      e += old[j - k + 1] - old[j - k];
    }
  }
  start.fill(e, functionCount);
}

/** Each producer's new number, in place. */
function renumber(producerIds: Int32Array, moved: Int32Array): void {
  for (let k = 0; k < producerIds.length; k++) {
    producerIds[k] = moved[producerIds[k]];
  }
}

/** The old edges' declared types with room (undefined) for the new functions' edges, each before the function it goes before. */
function splicedTypes(declared: readonly (string | undefined)[], start: Int32Array, added: readonly { at: number; spec: NodeSpec }[]): (string | undefined)[] {
  const types = declared.slice();
  for (let k = added.length - 1; k >= 0; k--) {
    types.splice(start[added[k].at], 0, ...new Array<undefined>(added[k].spec.dependencies.length));
  }
  return types;
}

/** Each old node's new number, past the new functions placed before it. */
function movedBy(oldCount: number, added: readonly { at: number }[]): Int32Array {
  const moved = new Int32Array(oldCount);
  for (let i = 0, k = 0; i < oldCount; i++) {
    while (k < added.length && added[k].at <= i) {
      k++;
    }
    moved[i] = i + k;
  }
  return moved;
}

/**
 * Copies the edges of the functions that did not change to their new places
 * (`start`), renumbering their producers, with the type mismatches they had.
 */
function copyEdges(
  old: Columns,
  moved: Int32Array,
  oldOf: Int32Array,
  isChanged: Uint8Array,
  start: Int32Array,
  producerIds: Int32Array,
  optional: Uint8Array,
  declared: (string | undefined)[]
): { mismatched: Set<number> | undefined; edgeProblems: number[]; typed: boolean } {
  const hadProblem = new Set(old.edgeProblems);
  const wasMismatched = old.mismatched ? [...old.mismatched].sort((x, y) => x - y) : [];
  wasMismatched.push(-1 >>> 1); // a last one past every edge: no read beyond the end
  let next = 0;
  let mismatched: Set<number> | undefined;
  const edgeProblems: number[] = [];
  let typed = false;
  const oldProducers = old.producerIds;
  const oldOptional = old.optional;
  const oldDeclared = old.declared;
  for (let j = 0; j < oldOf.length; j++) {
    const was = oldOf[j];
    if (was < 0 || isChanged[was] === 1) {
      continue;
    }
    let e = start[j];
    for (let k = old.start[was], end = old.start[was + 1]; k < end; k++, e++) {
      while (wasMismatched[next] < k) {
        next++;
      }
      if (wasMismatched[next] === k) {
        (mismatched ??= new Set()).add(e);
        if (hadProblem.has(k)) {
          edgeProblems.push(e);
        }
      }
      producerIds[e] = moved[oldProducers[k]];
      optional[e] = oldOptional[k];
      if (oldDeclared !== undefined) {
        const type = oldDeclared[k];
        declared[e] = type;
        typed ||= type !== undefined;
      }
    }
  }
  return { mismatched, edgeProblems, typed };
}

/**
 * Whether the inputs whose uses changed are as they were: still used, in the
 * same place among the inputs (the order of first use), with the type their
 * first typed use declares, and no later use declaring one that clashes.
 */
function inputsAsBefore(
  old: Columns,
  inputs: ReadonlySet<number>,
  kinds: readonly NodeKind[],
  functionCount: number,
  producerIds: Int32Array,
  declared: readonly (string | undefined)[]
): boolean {
  const leafCount = kinds.length - functionCount;
  const marked = new Uint8Array(leafCount);
  inputs.forEach(id => (marked[id - functionCount] = 1));
  const uses: number[] = [];
  const firstUse = leafUses(producerIds, functionCount, marked, uses, new Int32Array(leafCount).fill(-1));
  // The types the uses of the inputs concerned declare: the first one typed, and none clashing with it.
  const firstTyped: (string | undefined)[] = new Array(leafCount);
  for (const k of uses) {
    const type = declared[k];
    if (type === undefined) {
      continue;
    }
    const leaf = producerIds[k] - functionCount;
    const first = firstTyped[leaf];
    if (first === undefined) {
      firstTyped[leaf] = type;
    } else if (type !== first && !old.agree(first, type, old.resolve) && !old.agree(type, first, old.resolve)) {
      return false;
    }
  }
  let previous = -1;
  for (let leaf = 0; leaf < leafCount; leaf++) {
    if (kinds[functionCount + leaf] !== 'input') {
      continue;
    }
    if (firstUse[leaf] < previous) {
      return false;
    }
    previous = firstUse[leaf];
  }
  for (const id of inputs) {
    if (firstUse[id - functionCount] < 0 || firstTyped[id - functionCount] !== old.leafTypes[id - functionCount]) {
      return false;
    }
  }
  return true;
}

/**
 * Each config or input node's first use (a place among the edges, -1 for
 * none) written into `first`, and the places of every use of the marked ones
 * pushed onto `uses`: one tight pass over the producers, small enough for the
 * engine to optimise early although it runs on a few edits only.
 */
function leafUses(producerIds: Int32Array, functionCount: number, marked: Uint8Array, uses: number[], first: Int32Array): Int32Array {
  for (let k = 0; k < producerIds.length; k++) {
    const leaf = producerIds[k] - functionCount;
    if (leaf >= 0) {
      if (first[leaf] < 0) {
        first[leaf] = k;
      }
      if (marked[leaf] === 1) {
        uses.push(k);
      }
    }
  }
  return first;
}

/**
 * Whether one of the new edges (pairs of producer and consumer) closes a
 * cycle, in a graph that had none before they came: whether following
 * producers from the producer reaches the consumer.
 */
function closesCycle(pairs: readonly number[], start: Int32Array, producers: Int32Array, count: number): boolean {
  const seen = new Int32Array(count).fill(-1);
  const stack: number[] = [];
  for (let pair = 0; pair < pairs.length; pair += 2) {
    const consumer = pairs[pair + 1];
    stack.push(pairs[pair]);
    while (stack.length > 0) {
      const node = stack.pop() as number;
      if (node === consumer) {
        return true;
      }
      if (seen[node] === pair) {
        continue;
      }
      seen[node] = pair;
      for (let k = start[node]; k < start[node + 1]; k++) {
        stack.push(producers[k]);
      }
    }
  }
  return false;
}

/** Wired the same way in a graph: what {@link withSpecs} requires of a replacement that costs only itself. */
function sameWiring(a: NodeSpec, b: NodeSpec): boolean {
  if (!sameNode(a, b) || a.dependencies.length !== b.dependencies.length) {
    return false;
  }
  for (let d = 0; d < a.dependencies.length; d++) {
    const x = a.dependencies[d];
    const y = b.dependencies[d];
    if (x.name !== y.name || x.optional !== y.optional || x.type !== y.type) {
      return false;
    }
  }
  return true;
}

/** What building found, kept for making nodes and edges on demand. */
interface Columns {
  names: readonly string[];
  kinds: readonly NodeKind[];
  functions: readonly NodeSpec[];
  fns: readonly (NodeFunction | undefined)[];
  /** Each node's number by its name. */
  ids: Numbers;
  /** Types of config and input nodes, by their number less the number of functions. */
  leafTypes: readonly (string | undefined)[];
  start: Int32Array;
  producerIds: Int32Array;
  /** For each edge (place in producerIds), 1 when its parameter is optional, and the type it declares. */
  optional: Uint8Array;
  declared: readonly (string | undefined)[] | undefined;
  /** Edges (by place in producerIds) whose declared types disagree. */
  mismatched: ReadonlySet<number> | undefined;
  repeated: ReadonlyMap<string, Origin[]> | undefined;
  /** The graph has a cycle (and its index was made while building). */
  cyclic: boolean;
  /** Where the type mismatches of edges start among the problems (those before are the nodes' own). */
  head: number;
  /** The edges (places in producerIds) with a type mismatch between two nodes, in order; their problems follow `head`. */
  edgeProblems: readonly number[];
  /** How types were judged, for judging the edges of a change the same way. */
  agree: TypesAgreeFn;
  resolve: ((name: string) => string | undefined) | undefined;
}

/** A snapshot whose node and edge objects are made when first read. */
class BuiltGraph implements GraphSnapshot {
  private nodeMap: Map<string, GraphNode> | undefined;
  private edgeList: GraphEdge[] | undefined;

  constructor(
    private readonly columns: Columns,
    readonly problems: readonly GraphProblem[]
  ) {}

  get nodes(): ReadonlyMap<string, GraphNode> {
    return (this.nodeMap ??= nodesOf(this.columns));
  }

  get edges(): readonly GraphEdge[] {
    return (this.edgeList ??= edgesOf(this.columns));
  }

  /** See {@link withSpecs}. */
  withSpecs(replacements: readonly NodeSpec[], insertions: readonly Insertion[]): BuiltGraph | undefined {
    const { functions, ids, repeated } = this.columns;
    if (insertions.some(i => !isPrivateName(i.spec.name))) {
      return this.rewired(replacements, insertions);
    }
    let changed: Map<number, NodeSpec> | undefined;
    for (const spec of replacements) {
      if (isPrivateName(spec.name)) {
        continue; // a helper: not a node
      }
      const id = ids.get(spec.name);
      if (id === undefined || id >= functions.length || repeated?.has(spec.name)) {
        return undefined;
      }
      if (!sameWiring(changed?.get(id) ?? functions[id], spec)) {
        return this.rewired(replacements, insertions);
      }
      (changed ??= new Map()).set(id, spec);
    }
    if (!changed) {
      return this;
    }
    const isEdgeProblem = edgeProblemTest(this.columns);
    let again = false; // the edges' type mismatches are to be worded again: a node they name changed
    for (let i = 0; i < this.problems.length; i++) {
      if (this.problems[i].nodes.some(name => changed?.has(ids.get(name) ?? -1))) {
        if (!isEdgeProblem(i)) {
          return undefined; // a problem of the node itself, or of an input: build again
        }
        again = true;
      }
    }
    const specs = functions.slice();
    for (const [id, spec] of changed) {
      specs[id] = spec;
    }
    const columns = { ...this.columns, functions: specs };
    const next = new BuiltGraph(columns, again ? problemsWith(columns, this.problems, this.columns) : this.problems);
    if (this.nodeMap) {
      const nodes = new Map(this.nodeMap);
      for (const spec of changed.values()) {
        nodes.set(spec.name, functionNode(spec, (this.nodeMap.get(spec.name) as GraphNode).dependents, repeated));
      }
      next.nodeMap = nodes;
    }
    // The same edges: their ends, optionality and types did not change.
    next.edgeList = this.edgeList;
    // And the same index: names, kinds, functions and producers did not change.
    rememberIndex(next, () => indexOf(this));
    return next;
  }

  /**
   * See {@link withSpecs}: replacements whose parameters may name other
   * nodes, and new functions. The flat arrays are made again from the old
   * ones, shifted past the new functions; only the changed functions'
   * parameters are looked up by name, and only their edges judged.
   */
  private rewired(replacements: readonly NodeSpec[], insertions: readonly Insertion[]): BuiltGraph | undefined {
    const old = this.columns;
    if (old.repeated || old.cyclic) {
      return undefined;
    }
    const oldFunctions = old.functions.length;
    const changed = new Map<number, NodeSpec>(); // by old number
    for (const spec of replacements) {
      if (isPrivateName(spec.name)) {
        continue;
      }
      const id = old.ids.get(spec.name);
      if (id === undefined || id >= oldFunctions || !sameNode(changed.get(id) ?? old.functions[id], spec)) {
        return undefined;
      }
      changed.set(id, spec);
    }
    // Each new function goes before the old function numbered `at`, in the order given.
    const added: { at: number; spec: NodeSpec }[] = [];
    const addedAt = new Map<string, number>();
    for (const { spec, after } of insertions) {
      if (isPrivateName(spec.name)) {
        continue;
      }
      if (old.ids.has(spec.name) || addedAt.has(spec.name) || spec.invalid !== undefined || spec.fn !== undefined || spec.variant !== undefined) {
        return undefined;
      }
      let at = 0;
      if (after !== undefined) {
        const anchor = addedAt.get(after) ?? (old.ids.get(after) ?? -1) + 1;
        if (anchor <= 0 || anchor > oldFunctions || (!addedAt.has(after) && old.functions[anchor - 1].invalidCode === 'DUPLICATE_NODE')) {
          return undefined; // not a function of this graph, or two variants made one (standing where the first was defined)
        }
        at = anchor;
      }
      addedAt.set(spec.name, at);
      added.push({ at, spec });
    }
    added.sort((x, y) => x.at - y.at); // stable: those after the same node keep their order

    // Numbers: an old node's moves past the new functions before it; the new ones fill the gaps.
    const oldCount = old.names.length;
    const count = oldCount + added.length;
    const functionCount = oldFunctions + added.length;
    const moved = movedBy(oldCount, added);
    const isChanged = new Uint8Array(oldFunctions);
    let edgeCount = old.producerIds.length;
    for (const [id, spec] of changed) {
      isChanged[id] = 1;
      edgeCount += spec.dependencies.length - (old.start[id + 1] - old.start[id]);
    }
    added.forEach(({ spec }) => (edgeCount += spec.dependencies.length));
    // With no new function, names, kinds and functions stay where they were (a replacement keeps its function).
    // Otherwise the new ones are spliced in: copies made by the engine, whatever the state of this seldom-run code.
    let names = old.names;
    let kinds = old.kinds;
    let fns = old.fns;
    const functions = old.functions.slice();
    changed.forEach((spec, id) => (functions[id] = spec));
    if (added.length > 0) {
      const newNames = names.slice();
      const newKinds = kinds.slice();
      const newFns = fns.slice();
      added.forEach(({ at, spec }, k) => {
        newNames.splice(at + k, 0, spec.name);
        newKinds.splice(at + k, 0, 'function');
        newFns.splice(at + k, 0, undefined);
        functions.splice(at + k, 0, spec);
      });
      names = newNames;
      kinds = newKinds;
      fns = newFns;
    }
    let ids = old.ids;
    if (added.length > 0) {
      ids = movedNumbers(old.ids, moved, new Map(added.map(({ at, spec }, k) => [spec.name, at + k])));
    }

    // Producers: copied (renumbered) for the functions that did not change, looked up for those that did.
    const keepsCounts = [...changed].every(([id, spec]) => spec.dependencies.length === old.start[id + 1] - old.start[id]);
    const sameShape = added.length === 0 && keepsCounts;
    // New functions, and changed ones with as many parameters as before: the old edges keep their order, the new
    // functions' edges spliced in between, so that they are copied by the engine in blocks, not one by one.
    const spliced = !sameShape && keepsCounts;
    const start = sameShape ? old.start : new Int32Array(count + 1);
    const producerIds = sameShape ? old.producerIds.slice() : new Int32Array(edgeCount);
    const optional = sameShape ? old.optional.slice() : new Uint8Array(edgeCount);
    const declared: (string | undefined)[] =
      old.declared && sameShape ? old.declared.slice() : old.declared && spliced ? splicedTypes(old.declared, old.start, added) : new Array(edgeCount);
    let typed = (sameShape || spliced) && old.declared !== undefined;
    // Edges whose types disagree: those of the functions that did not change, where they go now, and the changed functions' own.
    let mismatched: Set<number> | undefined;
    let edgeProblems: number[] = [];
    const inputs = new Set<number>(); // inputs (new numbers) whose uses changed
    const newEdges: number[] = []; // pairs of producer and consumer, functions both, that were not there before
    /** Writes the edges of changed function `j` (old number `was`, or -1) from edge `at`; false when it names a new input or itself. */
    const wire = (j: number, was: number, at: number): boolean => {
      const deps = functions[j].dependencies;
      const first = was >= 0 ? old.start[was] : 0;
      const before = was >= 0 ? old.start[was + 1] - first : 0;
      for (let d = 0; d < Math.max(deps.length, before); d++) {
        const previous = d < before ? moved[old.producerIds[first + d]] : -1;
        const dep = d < deps.length ? deps[d] : undefined;
        const id = dep ? ids.get(dep.name) : -1;
        if (id === undefined || id === j) {
          return false;
        }
        const same =
          dep !== undefined && previous === id && old.optional[first + d] === (dep.optional ? 1 : 0) && old.declared?.[first + d] === dep.type;
        if (!same && previous >= 0 && kinds[previous] === 'input') {
          inputs.add(previous);
        }
        if (!dep) {
          continue;
        }
        if (kinds[id] === 'input') {
          if (!same) {
            inputs.add(id);
          }
        } else {
          if (!same && id < functionCount && was >= 0) {
            newEdges.push(id, j); // (a new function feeds nothing yet: it closes no cycle)
          }
          if (dep.type !== undefined) {
            const type = id < functionCount ? functions[id].type : old.leafTypes[id - functionCount];
            if (type !== undefined && !old.agree(type, dep.type, old.resolve)) {
              (mismatched ??= new Set()).add(at + d);
              edgeProblems.push(at + d);
            }
          }
        }
        producerIds[at + d] = id;
        optional[at + d] = dep.optional ? 1 : 0;
        declared[at + d] = dep.type;
        typed ||= dep.type !== undefined;
      }
      return true;
    };
    /** Whether old edge `k` is a changed function's (written again). */
    const rewritten = (k: number) => {
      let lo = 0;
      let hi = oldFunctions;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        (old.start[mid] <= k ? (lo = mid) : (hi = mid));
      }
      return isChanged[lo] === 1;
    };
    if (sameShape) {
      // Only the changed functions' edges are written again; the mismatches of the others stay where they are.
      old.mismatched?.forEach(k => rewritten(k) || (mismatched ??= new Set()).add(k));
      edgeProblems = old.edgeProblems.filter(k => !rewritten(k));
      for (const id of [...changed.keys()].sort((x, y) => x - y)) {
        if (!wire(id, id, old.start[id])) {
          return undefined; // a new input, or a function naming itself
        }
      }
      edgeProblems.sort((x, y) => x - y);
    } else if (spliced) {
      splicedStarts(start, old.start, added, functionCount);
      // Where each new function's edges go among the old ones; the old edges from there on move past them.
      const gaps = added.map(({ at }) => old.start[at]);
      for (let k = 0, from = 0, shift = 0; k <= added.length; k++) {
        const to = k < added.length ? gaps[k] : old.producerIds.length;
        producerIds.set(old.producerIds.subarray(from, to), from + shift);
        optional.set(old.optional.subarray(from, to), from + shift);
        shift += k < added.length ? added[k].spec.dependencies.length : 0;
        from = to;
      }
      renumber(producerIds, moved); // (the new functions' places too: they are written below)
      const placed = (k: number) => {
        let place = k;
        for (let g = 0; g < gaps.length && gaps[g] <= k; g++) {
          place += added[g].spec.dependencies.length;
        }
        return place;
      };
      old.mismatched?.forEach(k => rewritten(k) || (mismatched ??= new Set()).add(placed(k)));
      edgeProblems = old.edgeProblems.filter(k => !rewritten(k)).map(placed);
      for (const id of changed.keys()) {
        if (!wire(moved[id], id, start[moved[id]])) {
          return undefined; // a new input, or a function naming itself
        }
      }
      for (let k = 0; k < added.length; k++) {
        if (!wire(added[k].at + k, -1, start[added[k].at + k])) {
          return undefined;
        }
      }
      edgeProblems.sort((x, y) => x - y);
    } else {
      // Each function's old number (-1 for a new one): the k-th new function is numbered `at + k`.
      const oldOf = new Int32Array(functionCount);
      for (let j = 0, k = 0; j < functionCount; j++) {
        if (k < added.length && added[k].at + k === j) {
          oldOf[j] = -1;
          k++;
        } else {
          oldOf[j] = j - k;
        }
      }
      // Where each function's edges start; the unchanged ones copied there, the changed ones wired.
      let e = 0;
      for (let j = 0; j < functionCount; j++) {
        start[j] = e;
        const was = oldOf[j];
        // (the old edges' count for a function that did not change: no read of its spec)
        e += was >= 0 && isChanged[was] === 0 ? old.start[was + 1] - old.start[was] : functions[j].dependencies.length;
      }
      start.fill(e, functionCount);
      const copied = copyEdges(old, moved, oldOf, isChanged, start, producerIds, optional, declared);
      mismatched = copied.mismatched;
      edgeProblems = copied.edgeProblems;
      typed = copied.typed;
      for (let j = 0; j < functionCount; j++) {
        if ((oldOf[j] < 0 || isChanged[oldOf[j]]) && !wire(j, oldOf[j], start[j])) {
          return undefined; // a new input, or a function naming itself
        }
      }
      edgeProblems.sort((x, y) => x - y);
    }
    if (typed && (sameShape || spliced) && !declared.some(type => type !== undefined)) {
      typed = false; // the only declared types were those just removed
    }

    if (inputs.size > 0 && !inputsAsBefore(old, inputs, kinds, functionCount, producerIds, declared)) {
      return undefined; // an input comes, goes, moves among the inputs, or is typed otherwise
    }
    // A new edge closes a cycle when its producer already depends on its consumer.
    if (newEdges.length > 0 && closesCycle(newEdges, start, producerIds, count)) {
      return undefined;
    }
    const concerned = new Set<string>();
    changed.forEach(spec => concerned.add(spec.name));
    added.forEach(({ spec }) => concerned.add(spec.name));
    inputs.forEach(id => concerned.add(names[id]));
    const isEdgeProblem = edgeProblemTest(old);
    if (this.problems.some((problem, i) => !isEdgeProblem(i) && problem.nodes.some(name => concerned.has(name)))) {
      return undefined; // a problem of a node itself, or of an input: build again
    }
    const columns: Columns = {
      ...old,
      names,
      kinds,
      functions,
      fns,
      ids,
      start,
      producerIds,
      optional,
      declared: typed ? declared : undefined,
      mismatched,
      edgeProblems
    };
    const next = new BuiltGraph(columns, problemsWith(columns, this.problems, old));
    const numbered: NumberedNodes = { names, kinds, fns, ids, producerStart: start, producerIds, optional, declared: columns.declared };
    rememberIndex(next, () => indexNumbered(numbered));
    return next;
  }
}

/** Every node, functions first in the order of their definitions, then config, then inputs as first used. */
function nodesOf(columns: Columns): Map<string, GraphNode> {
  const { names, kinds, functions, leafTypes, start, producerIds, repeated } = columns;
  const count = names.length;
  const functionCount = functions.length;
  // Dependents in the order of the consumers' definitions, in arrays of their exact size.
  const counts = new Int32Array(count);
  for (let k = 0; k < producerIds.length; k++) {
    counts[producerIds[k]]++;
  }
  const dependents: string[][] = new Array(count);
  for (let id = 0; id < count; id++) {
    dependents[id] = counts[id] === 0 ? (NO_NAMES as string[]) : new Array<string>(counts[id]);
  }
  const filled = new Int32Array(count);
  for (let i = 0; i < functionCount; i++) {
    for (let k = start[i]; k < start[i + 1]; k++) {
      const id = producerIds[k];
      dependents[id][filled[id]++] = names[i];
    }
  }
  const nodes = new Map<string, GraphNode>();
  for (let id = 0; id < count; id++) {
    const name = names[id];
    if (id < functionCount) {
      nodes.set(name, functionNode(functions[id], dependents[id], repeated));
    } else {
      nodes.set(name, {
        name,
        kind: kinds[id] as 'input' | 'config',
        type: leafTypes[id - functionCount],
        isAsync: false,
        tags: NO_TAGS,
        dependencies: NO_DEPENDENCIES,
        dependents: dependents[id],
        origins: NO_ORIGINS
      });
    }
  }
  return nodes;
}

/** A function's node. */
function functionNode(spec: NodeSpec, dependents: readonly string[], repeated: ReadonlyMap<string, Origin[]> | undefined): GraphNode {
  return {
    name: spec.name,
    kind: 'function',
    type: spec.type,
    isAsync: Boolean(spec.isAsync),
    doc: spec.doc,
    tags: spec.tags ?? NO_TAGS,
    dependencies: spec.dependencies,
    dependents,
    origins: originsOf(spec, repeated),
    hash: spec.hash,
    fn: spec.fn,
    ...(spec.role !== undefined ? { role: spec.role } : {}),
    ...(spec.variant !== undefined ? { variant: spec.variant } : {}),
    ...(spec.checks !== undefined ? { checks: spec.checks } : {}),
    ...(spec.modifiers !== undefined ? { modifiers: spec.modifiers } : {}),
    ...(spec.unresolved !== undefined ? { unresolved: spec.unresolved } : {}),
    ...(spec.declaredAs !== undefined ? { declaredAs: spec.declaredAs } : {})
  };
}

/** One edge per parameter, in the order of the consumers' definitions. */
function edgesOf(columns: Columns): GraphEdge[] {
  const { names, functions, leafTypes, start, producerIds, mismatched } = columns;
  const functionCount = functions.length;
  const edges: GraphEdge[] = new Array(producerIds.length);
  for (let i = 0; i < functionCount; i++) {
    const consumer = functions[i];
    for (let k = start[i]; k < start[i + 1]; k++) {
      const dep = consumer.dependencies[k - start[i]];
      const id = producerIds[k];
      const producerType =
        id < functionCount ? functions[id].type : columns.kinds[id] === 'config' ? leafTypes[id - functionCount] : undefined;
      edges[k] = {
        from: names[id],
        to: consumer.name,
        optional: dep.optional,
        producerType,
        consumerType: dep.type,
        typeMismatch: mismatched?.has(k) ?? false
      };
    }
  }
  return edges;
}

const NO_DEPENDENCIES: readonly Dependency[] = Object.freeze([]);
const NO_ORIGINS: readonly Origin[] = Object.freeze([]);
/** The places of a node defined once, nowhere in particular (a live function): shared, as there are thousands. */
const NOWHERE: readonly Origin[] = Object.freeze([NO_ORIGIN]);

function originsOf(spec: NodeSpec, repeated: ReadonlyMap<string, Origin[]> | undefined): Origin[] {
  const places = repeated?.get(spec.name);
  if (places) {
    return places;
  }
  return (spec.origin ? [spec.origin] : NOWHERE) as Origin[];
}

/** A consumer declaring a type for an input, and the edge (its place in the producer list) it does it on. */
interface TypedUse {
  node: string;
  type: string;
  edge: number;
}

/** The index a graph was built with (planning and running read it). */
export type { IndexedGraph };

export { describeOrigin } from './problems';
