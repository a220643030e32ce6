/**
 * Building a graph from node specs in one pass, in two phases as Hamilton does:
 * first the nodes (a name defined twice is recorded, the later definition wins
 * as in the kernel), then the edges (parameter names resolved to producers; what
 * nothing produces becomes an external input; declared types compared on every
 * edge). Building never throws: every problem is collected in the snapshot.
 *
 * Orders are canonical: a node's dependents, and an input's first typed
 * consumer, follow the order of the winning definitions.
 */
import { cyclesOf } from './cycles';
import { columnsOf, indexNumbered, rememberIndex } from './indexed';
import {
  cycleProblem,
  duplicateConfigProblem,
  duplicateProblem,
  edgeMismatchProblem,
  inputClashProblem
} from './problems';
import type { GraphEdge, GraphNode, GraphProblem, GraphSnapshot, NodeSpec, Origin } from './types';

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
/** A placeholder until a node's dependents are counted; never seen outside this file. */
const NO_DEPENDENTS: readonly string[] = Object.freeze([]);
const NO_ORIGIN: Origin = Object.freeze({});
/** The places of a node defined once, nowhere in particular (a live function): shared, as there are thousands. */
const NO_ORIGINS: readonly Origin[] = Object.freeze([NO_ORIGIN]);

/** Builds an immutable graph from function specs and config. */
export function buildGraph(specs: readonly NodeSpec[], options: BuildOptions = {}): GraphSnapshot {
  const problems: GraphProblem[] = [];
  const config = options.config ?? {};
  const configKeys = Object.keys(config);

  // Phase 1: nodes. The last definition of a name wins; every place is kept.
  // `ids` numbers the nodes for the index that cycle search and runs use.
  const ids = new Map<string, number>();
  const winners: (NodeSpec | undefined)[] = [];
  let repeated: Map<string, Origin[]> | undefined; // names defined more than once: every place
  for (const spec of specs) {
    if (isPrivateName(spec.name)) {
      continue;
    }
    const earlier = ids.get(spec.name);
    if (earlier !== undefined) {
      const before = winners[earlier] as NodeSpec;
      repeated ??= new Map();
      const places = repeated.get(spec.name) ?? [before.origin ?? NO_ORIGIN];
      places.push(spec.origin ?? NO_ORIGIN);
      repeated.set(spec.name, places);
      winners[earlier] = undefined; // the winner takes the later place, as in the kernel
    }
    ids.set(spec.name, winners.push(spec) - 1);
  }
  const nodes = new Map<string, GraphNode>();
  const list: GraphNode[] = [];
  const add = (node: GraphNode): number => {
    nodes.set(node.name, node);
    ids.set(node.name, list.length);
    return list.push(node) - 1;
  };
  for (const spec of winners) {
    if (!spec) {
      continue;
    }
    const name = spec.name;
    const places: readonly Origin[] = repeated?.get(name) ?? (spec.origin ? [spec.origin] : NO_ORIGINS);
    if (places.length > 1) {
      problems.push(duplicateProblem(name, [...places]));
    }
    if (spec.invalid) {
      problems.push({ code: 'INVALID_FUNCTION', message: spec.invalid, nodes: [name], origins: [...places] });
    }
    if (configKeys.length > 0 && Object.prototype.hasOwnProperty.call(config, name)) {
      problems.push(duplicateConfigProblem(name, [...places]));
    }
    add({
      name,
      kind: 'function',
      type: spec.type,
      isAsync: Boolean(spec.isAsync),
      doc: spec.doc,
      tags: spec.tags ?? NO_TAGS,
      dependencies: spec.dependencies,
      dependents: NO_DEPENDENTS, // given their exact size below
      origins: places,
      hash: spec.hash,
      fn: spec.fn
    });
  }
  const functionCount = list.length;
  for (const key of configKeys) {
    if (!nodes.has(key)) {
      add(leafNode(key, 'config', configType(config[key])));
    }
  }

  // Phase 2: parameters resolved to producers (what nothing produces becomes an
  // external input), declared types compared on every edge.
  const agree = options.typesAgree ?? textTypesAgree;
  const resolve = options.resolveType;
  const start = new Int32Array(functionCount + 1);
  const producerIds: number[] = [];
  /** Edges (by their place in producerIds) whose types disagree; made at the first one. */
  let mismatched: Set<number> | undefined;
  // An input's type is what its first typed consumer declares; a later one that cannot agree clashes.
  const inputTypes = new Map<string, { first: TypedUse; clash?: TypedUse }>();
  for (let i = 0; i < functionCount; i++) {
    const consumer = list[i];
    start[i] = producerIds.length;
    for (const dep of consumer.dependencies) {
      const id = ids.get(dep.name) ?? add(leafNode(dep.name, 'input', undefined));
      const producer = list[id];
      if (producer.kind !== 'input') {
        if (!agree(producer.type, dep.type, resolve)) {
          (mismatched ??= new Set()).add(producerIds.length);
          problems.push(edgeMismatchProblem(producer, consumer, dep));
        }
      } else if (dep.type !== undefined) {
        const uses = inputTypes.get(dep.name);
        if (!uses) {
          inputTypes.set(dep.name, { first: { node: consumer.name, type: dep.type, edge: producerIds.length } });
        } else if (!uses.clash && !agree(uses.first.type, dep.type, resolve) && !agree(dep.type, uses.first.type, resolve)) {
          uses.clash = { node: consumer.name, type: dep.type, edge: producerIds.length };
        }
      }
      producerIds.push(id);
    }
  }
  start[functionCount] = producerIds.length;
  for (const node of list) {
    const uses = node.kind === 'input' ? inputTypes.get(node.name) : undefined;
    if (uses) {
      (node as { type?: string }).type = uses.first.type;
      if (uses.clash) {
        problems.push(inputClashProblem(node.name, uses.first, uses.clash));
        (mismatched ??= new Set()).add(uses.first.edge).add(uses.clash.edge);
      }
    }
  }
  // Config and inputs depend on nothing.
  const producerStart = new Int32Array(list.length + 1);
  producerStart.set(start);
  producerStart.fill(producerIds.length, functionCount);
  fillDependents(list, producerStart, producerIds);

  const index = indexNumbered({ ...columnsOf(list), ids, producerStart, producerIds });
  for (const cycle of cyclesOf(index)) {
    problems.push(cycleProblem(cycle, nodes));
  }
  const graph = lazyEdges(nodes, problems, () => edgesOf(list, functionCount, producerIds, mismatched));
  rememberIndex(graph, index);
  return graph;
}

/**
 * A snapshot whose edges are made on first read. They are derived data, an
 * object per parameter: on a dataflow of 10,000 functions they are a quarter
 * of what building allocates, and a Driver that only runs never reads them.
 */
function lazyEdges(
  nodes: ReadonlyMap<string, GraphNode>,
  problems: readonly GraphProblem[],
  make: () => GraphEdge[]
): GraphSnapshot {
  let edges: GraphEdge[] | undefined;
  return {
    nodes,
    problems,
    get edges() {
      return (edges ??= make());
    }
  };
}

/** One edge per parameter, in the order of the consumers' definitions. */
function edgesOf(
  list: readonly GraphNode[],
  functionCount: number,
  producerIds: readonly number[],
  mismatched: ReadonlySet<number> | undefined
): GraphEdge[] {
  const edges: GraphEdge[] = new Array(producerIds.length);
  let e = 0;
  for (let i = 0; i < functionCount; i++) {
    const consumer = list[i];
    for (const dep of consumer.dependencies) {
      const producer = list[producerIds[e]];
      edges[e] = {
        from: dep.name,
        to: consumer.name,
        optional: dep.optional,
        producerType: producer.kind === 'input' ? undefined : producer.type,
        consumerType: dep.type,
        typeMismatch: mismatched?.has(e) ?? false
      };
      e++;
    }
  }
  return edges;
}

/**
 * Each node's dependents, in the order of the consumers' definitions, in
 * arrays of their exact size: pushing one by one reserves room for sixteen,
 * which on a large graph is most of its memory.
 */
function fillDependents(list: GraphNode[], start: Int32Array, producerIds: readonly number[]): void {
  const counts = new Int32Array(list.length);
  for (const id of producerIds) {
    counts[id]++;
  }
  const dependents: string[][] = new Array(list.length);
  for (let id = 0; id < list.length; id++) {
    dependents[id] = new Array<string>(counts[id]);
  }
  const filled = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    for (let k = start[i]; k < start[i + 1]; k++) {
      const id = producerIds[k];
      dependents[id][filled[id]++] = list[i].name;
    }
  }
  for (let id = 0; id < list.length; id++) {
    list[id].dependents = dependents[id];
  }
}

/** A consumer declaring a type for an input, and the edge (its place in the producer list) it does it on. */
interface TypedUse {
  node: string;
  type: string;
  edge: number;
}

function leafNode(name: string, kind: 'input' | 'config', type: string | undefined): GraphNode {
  return { name, kind, type, isAsync: false, tags: NO_TAGS, dependencies: [], dependents: [], origins: [] };
}

export { describeOrigin } from './problems';
