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
          problems.push(edgeMismatchProblem(
            { name: producer.name, kind: 'function', type: producer.type, origins: originsOf(producer, repeated) },
            { name: consumer.name, origins: originsOf(consumer, repeated) },
            dep
          ));
        }
      } else if (kinds[id] === 'config') {
        const type = leafTypes[id - functionCount];
        if (type !== undefined && !agree(type, dep.type, resolve)) {
          (mismatched ??= new Set()).add(edge);
          problems.push(edgeMismatchProblem(
            { name: dep.name, kind: 'config', type, origins: [] },
            { name: consumer.name, origins: originsOf(consumer, repeated) },
            dep
          ));
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

  // The index (topological order, consumers) is made when planning first asks for it: a graph that is only
  // drawn, as the notebook's after each edit, never pays for it. Whether there is a cycle is known now.
  const numbered: NumberedNodes = { names, kinds, fns, ids, producerStart: start, producerIds, optional, declared };
  let index: IndexedGraph | undefined;
  if (hasCycle(start, producerIds)) {
    index = indexNumbered(numbered);
    for (const cycle of cyclesOf(index)) {
      problems.push(cycleProblem(cycle, name => {
        const id = ids.get(name);
        return id !== undefined && id < functionCount ? originsOf(functions[id], repeated) : [];
      }));
    }
  }
  const columns: Columns = { names, kinds, functions, ids, leafTypes, start, producerIds, mismatched, repeated };
  const graph = new BuiltGraph(columns, problems);
  rememberIndex(graph, index ?? (() => indexNumbered(numbered)));
  return graph;
}

/**
 * The graph `graph` (made by {@link buildGraph}) with some of its functions'
 * specs replaced by specs that are wired the same way: the same name, the same
 * dependencies (names, optionality, declared types), the same type, function
 * and variant, and no problem naming them. What may differ is what only the
 * node carries: its version hash, doc, tags, place, checks, modifiers. The
 * result equals what `buildGraph` makes from the specs with those replaced,
 * made at the cost of the replacements: a body edited in a notebook of 1,000
 * functions does not build the graph again. Undefined when a replacement does
 * not qualify (build instead).
 */
export function withSpecs(graph: GraphSnapshot, replacements: readonly NodeSpec[]): GraphSnapshot | undefined {
  return graph instanceof BuiltGraph ? graph.withSpecs(replacements) : undefined;
}

/**
 * True when following producers from some node comes back to it: a
 * depth-first search over the flat producer arrays, with no stack of calls
 * (chains of 10,000 nodes) and nothing allocated per node but three numbers.
 */
function hasCycle(start: Int32Array, producers: readonly number[]): boolean {
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

/** Wired the same way in a graph: what {@link withSpecs} requires of a replacement. */
function sameWiring(a: NodeSpec, b: NodeSpec): boolean {
  if (
    a.name !== b.name ||
    a.type !== b.type ||
    a.fn !== b.fn ||
    a.invalid !== b.invalid ||
    a.invalidCode !== b.invalidCode ||
    a.variant !== b.variant ||
    a.dependencies.length !== b.dependencies.length
  ) {
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
  /** Each node's number by its name. */
  ids: ReadonlyMap<string, number>;
  /** Types of config and input nodes, by their number less the number of functions. */
  leafTypes: readonly (string | undefined)[];
  start: Int32Array;
  producerIds: readonly number[];
  /** Edges (by place in producerIds) whose declared types disagree. */
  mismatched: ReadonlySet<number> | undefined;
  repeated: ReadonlyMap<string, Origin[]> | undefined;
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
  withSpecs(replacements: readonly NodeSpec[]): BuiltGraph | undefined {
    const { functions, ids, repeated } = this.columns;
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
        return undefined;
      }
      (changed ??= new Map()).set(id, spec);
    }
    if (!changed) {
      return this;
    }
    for (const problem of this.problems) {
      if (problem.nodes.some(name => changed?.has(ids.get(name) ?? -1))) {
        return undefined; // its message or places may read what changed
      }
    }
    const specs = functions.slice();
    for (const [id, spec] of changed) {
      specs[id] = spec;
    }
    const next = new BuiltGraph({ ...this.columns, functions: specs }, this.problems);
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
