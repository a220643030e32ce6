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
import { findCycles } from './cycles';
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
const NO_ORIGIN: Origin = Object.freeze({});

/** Builds an immutable graph from function specs and config. */
export function buildGraph(specs: readonly NodeSpec[], options: BuildOptions = {}): GraphSnapshot {
  const problems: GraphProblem[] = [];
  const nodes = new Map<string, GraphNode>();
  const config = options.config ?? {};

  // Phase 1: nodes. The last definition of a name wins; every place is kept.
  const winners = new Map<string, NodeSpec>();
  const origins = new Map<string, Origin[]>();
  for (const spec of specs) {
    if (isPrivateName(spec.name)) {
      continue;
    }
    const places = origins.get(spec.name);
    if (places) {
      places.push(spec.origin ?? NO_ORIGIN);
      winners.delete(spec.name); // re-inserted below, so iteration follows the winners' order
    } else {
      origins.set(spec.name, [spec.origin ?? NO_ORIGIN]);
    }
    winners.set(spec.name, spec);
  }
  for (const [name, spec] of winners) {
    const places = origins.get(name) as Origin[];
    if (places.length > 1) {
      problems.push(duplicateProblem(name, places));
    }
    if (spec.invalid) {
      problems.push({ code: 'INVALID_FUNCTION', message: spec.invalid, nodes: [name], origins: places });
    }
    if (Object.prototype.hasOwnProperty.call(config, name)) {
      problems.push(duplicateConfigProblem(name, places));
    }
    nodes.set(name, {
      name,
      kind: 'function',
      type: spec.type,
      isAsync: Boolean(spec.isAsync),
      doc: spec.doc,
      tags: spec.tags ?? NO_TAGS,
      dependencies: spec.dependencies,
      dependents: [],
      origins: places,
      hash: spec.hash,
      fn: spec.fn
    });
  }
  for (const key of Object.keys(config)) {
    if (!nodes.has(key)) {
      nodes.set(key, leafNode(key, 'config', configType(config[key])));
    }
  }

  // Phase 2: edges, external inputs and type agreement.
  const agree = options.typesAgree ?? textTypesAgree;
  const resolve = options.resolveType;
  const edges: GraphEdge[] = [];
  const incoming = new Map<string, GraphEdge[]>();
  for (const [name, spec] of winners) {
    const consumer = nodes.get(name) as GraphNode;
    const mine: GraphEdge[] = [];
    for (const dep of spec.dependencies) {
      let producer = nodes.get(dep.name);
      if (!producer) {
        producer = leafNode(dep.name, 'input', undefined);
        nodes.set(dep.name, producer);
      }
      (producer.dependents as string[]).push(name);
      const fromInput = producer.kind === 'input';
      const typeMismatch = !fromInput && !agree(producer.type, dep.type, resolve);
      const edge: GraphEdge = {
        from: dep.name,
        to: name,
        optional: dep.optional,
        ...(!fromInput && producer.type !== undefined ? { producerType: producer.type } : {}),
        consumerType: dep.type,
        typeMismatch
      };
      mine.push(edge);
      edges.push(edge);
      if (typeMismatch) {
        problems.push(edgeMismatchProblem(producer, consumer, dep));
      }
    }
    incoming.set(name, mine);
  }

  // An input's type is what its first typed consumer declares; two that cannot agree clash.
  for (const node of nodes.values()) {
    if (node.kind !== 'input') {
      continue;
    }
    let first: { node: string; type: string } | undefined;
    let clash: { node: string; type: string } | undefined;
    for (const consumer of node.dependents) {
      const type = winners.get(consumer)?.dependencies.find(d => d.name === node.name)?.type;
      if (type === undefined) {
        continue;
      }
      if (!first) {
        first = { node: consumer, type };
      } else if (!clash && !agree(first.type, type, resolve) && !agree(type, first.type, resolve)) {
        clash = { node: consumer, type };
      }
    }
    if (first) {
      (node as { type?: string }).type = first.type;
    }
    if (first && clash) {
      problems.push(inputClashProblem(node.name, first, clash));
      for (const consumer of [first.node, clash.node]) {
        for (const edge of incoming.get(consumer) ?? []) {
          if (edge.from === node.name) {
            edge.typeMismatch = true;
          }
        }
      }
    }
  }

  for (const cycle of findCycles(nodes)) {
    problems.push(cycleProblem(cycle, nodes));
  }
  return { nodes, edges, problems };
}

function leafNode(name: string, kind: 'input' | 'config', type: string | undefined): GraphNode {
  return { name, kind, type, isAsync: false, tags: NO_TAGS, dependencies: [], dependents: [], origins: [] };
}

export { describeOrigin } from './problems';
