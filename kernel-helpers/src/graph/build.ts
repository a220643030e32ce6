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
import { indexNumbered, rememberIndex } from './indexed';
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

/** Builds an immutable graph from function specs and config. */
export function buildGraph(specs: readonly NodeSpec[], options: BuildOptions = {}): GraphSnapshot {
  const problems: GraphProblem[] = [];
  const config = options.config ?? {};
  const configKeys = Object.keys(config);

  // Phase 1: nodes. The last definition of a name wins; every place is kept.
  const winners = new Map<string, NodeSpec>();
  let repeated: Map<string, Origin[]> | undefined; // names defined more than once: every place
  for (const spec of specs) {
    if (isPrivateName(spec.name)) {
      continue;
    }
    const earlier = winners.get(spec.name);
    if (earlier) {
      repeated ??= new Map();
      const places = repeated.get(spec.name) ?? [earlier.origin ?? NO_ORIGIN];
      places.push(spec.origin ?? NO_ORIGIN);
      repeated.set(spec.name, places);
      winners.delete(spec.name); // re-inserted below, so iteration follows the winners' order
    }
    winners.set(spec.name, spec);
  }
  // Nodes are numbered as they are made, for the index that cycle search and runs use.
  const nodes = new Map<string, GraphNode>();
  const list: GraphNode[] = [];
  const ids = new Map<string, number>();
  const add = (node: GraphNode): number => {
    nodes.set(node.name, node);
    ids.set(node.name, list.length);
    return list.push(node) - 1;
  };
  for (const [name, spec] of winners) {
    const places = repeated?.get(name) ?? [spec.origin ?? NO_ORIGIN];
    if (places.length > 1) {
      problems.push(duplicateProblem(name, places));
    }
    if (spec.invalid) {
      problems.push({ code: 'INVALID_FUNCTION', message: spec.invalid, nodes: [name], origins: places });
    }
    if (configKeys.length > 0 && Object.prototype.hasOwnProperty.call(config, name)) {
      problems.push(duplicateConfigProblem(name, places));
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

  // Phase 2: edges, external inputs and type agreement.
  const agree = options.typesAgree ?? textTypesAgree;
  const resolve = options.resolveType;
  const edges: GraphEdge[] = [];
  const producerStart = new Int32Array(list.length + 1);
  const producerIds: number[] = [];
  // An input's type is what its first typed consumer declares; a later one that cannot agree clashes.
  const inputTypes = new Map<string, { first: TypedUse; clash?: TypedUse }>();
  for (let i = 0; i < functionCount; i++) {
    const consumer = list[i];
    const name = consumer.name;
    producerStart[i] = producerIds.length;
    for (const dep of consumer.dependencies) {
      const id = ids.get(dep.name) ?? add(leafNode(dep.name, 'input', undefined));
      producerIds.push(id);
      const producer = list[id];
      const fromInput = producer.kind === 'input';
      const typeMismatch = !fromInput && !agree(producer.type, dep.type, resolve);
      edges.push({
        from: dep.name,
        to: name,
        optional: dep.optional,
        producerType: fromInput ? undefined : producer.type,
        consumerType: dep.type,
        typeMismatch
      });
      if (typeMismatch) {
        problems.push(edgeMismatchProblem(producer, consumer, dep));
      }
      if (fromInput && dep.type !== undefined) {
        const uses = inputTypes.get(dep.name);
        if (!uses) {
          inputTypes.set(dep.name, { first: { node: name, type: dep.type } });
        } else if (!uses.clash && !agree(uses.first.type, dep.type, resolve) && !agree(dep.type, uses.first.type, resolve)) {
          uses.clash = { node: name, type: dep.type };
        }
      }
    }
  }
  // Config and inputs depend on nothing; inputs were added while the array was sized for fewer.
  const start = new Int32Array(list.length + 1);
  start.set(producerStart.subarray(0, functionCount));
  start.fill(producerIds.length, functionCount);
  fillDependents(list, start, producerIds);

  if (inputTypes.size > 0) {
    for (const node of list) {
      const uses = node.kind === 'input' ? inputTypes.get(node.name) : undefined;
      if (!uses) {
        continue;
      }
      (node as { type?: string }).type = uses.first.type;
      const { first, clash } = uses;
      if (clash) {
        problems.push(inputClashProblem(node.name, first, clash));
        for (const edge of edges) {
          if (edge.from === node.name && (edge.to === first.node || edge.to === clash.node)) {
            edge.typeMismatch = true;
          }
        }
      }
    }
  }

  const index = indexNumbered({ list, ids, producerStart: start, producerIds });
  for (const cycle of cyclesOf(index)) {
    problems.push(cycleProblem(cycle, nodes));
  }
  const graph: GraphSnapshot = { nodes, edges, problems };
  rememberIndex(graph, index);
  return graph;
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

/** A consumer declaring a type for an input. */
interface TypedUse {
  node: string;
  type: string;
}

function leafNode(name: string, kind: 'input' | 'config', type: string | undefined): GraphNode {
  return { name, kind, type, isAsync: false, tags: NO_TAGS, dependencies: [], dependents: [], origins: [] };
}

export { describeOrigin } from './problems';
