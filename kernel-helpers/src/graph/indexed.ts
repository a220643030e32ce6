/**
 * The graph numbered, for the algorithms that walk all of it: cycle search,
 * topological order, planning and running a request. Nodes get positions in
 * topological order, what a walk reads of them is kept in columns (names,
 * kinds, functions), and each node's producers are a slice of one flat array
 * of positions, so a walk reads arrays instead of looking names up in maps (on
 * a dataflow of 10,000 nodes, the map lookups cost more than the nodes' own work).
 *
 * A snapshot never changes, so its index is computed once, on first use, and
 * kept beside it; `buildGraph` hands over the one it makes while building.
 */
import type { GraphNode, GraphSnapshot, NodeKind } from './types';

/** A node's function, as the index keeps it. */
export type NodeFunction = (...args: any[]) => unknown;

export interface IndexedGraph {
  /**
   * Every node's name, each after the nodes it depends on (Kahn's order). Nodes
   * on a cycle, and the nodes downstream of one, cannot be ordered: they come last.
   */
  readonly names: readonly string[];
  /** Each position's kind. */
  readonly kinds: readonly NodeKind[];
  /** Each function node's function (none in graphs read from source alone). */
  readonly fns: readonly (NodeFunction | undefined)[];
  /** How many nodes, from the first, are in dependency order; the rest are on or after a cycle. */
  readonly ordered: number;
  /**
   * The producers of node `p`, one per parameter, in parameter order, as
   * positions: `producers[producerStart[p] + k]` feeds parameter `k` of node
   * `p`'s function (-1 if that name is not a node).
   */
  readonly producerStart: Int32Array;
  readonly producers: Int32Array;
  /** For each parameter (aligned with `producers`), 1 if it is optional. */
  readonly optional: Uint8Array;
  /** For each parameter, the type its function declares; absent when none declares one. */
  readonly declared?: readonly (string | undefined)[];
  /**
   * The consumers of node `p`, as positions in increasing order, are
   * `consumers[consumerStart[p]]` up to `consumers[consumerStart[p + 1]]`
   * (a consumer appears once per parameter that node `p` feeds).
   */
  readonly consumerStart: Int32Array;
  readonly consumers: Int32Array;
  /** A node's position. */
  positionOf(name: string): number | undefined;
}

/**
 * Nodes numbered in any order (`ids` gives each name its number), with each
 * node's producers by those numbers, flat: the producers of node `i` are
 * `producerIds[producerStart[i]]` up to `producerIds[producerStart[i + 1]]`,
 * and `optional` and `declared` say the same of each parameter.
 */
export interface NumberedNodes {
  names: readonly string[];
  kinds: readonly NodeKind[];
  fns: readonly (NodeFunction | undefined)[];
  ids: Pick<ReadonlyMap<string, number>, 'get'>;
  producerStart: Int32Array;
  producerIds: ArrayLike<number>;
  optional: ArrayLike<number>;
  declared?: readonly (string | undefined)[];
}

const indexes = new WeakMap<GraphSnapshot, IndexedGraph | (() => IndexedGraph)>();

/** The index of a snapshot, computed on first use. */
export function indexOf(graph: GraphSnapshot): IndexedGraph {
  let index = indexes.get(graph);
  if (typeof index === 'function') {
    index = index();
    indexes.set(graph, index);
  }
  if (!index) {
    index = indexNodes(graph.nodes);
    indexes.set(graph, index);
  }
  return index;
}

/**
 * Keeps the index made while building a snapshot, or how to make it from what
 * building had at hand, for {@link indexOf}.
 */
export function rememberIndex(graph: GraphSnapshot, index: IndexedGraph | (() => IndexedGraph)): void {
  indexes.set(graph, index);
}

/**
 * Indexes the nodes of a graph. Every dependency is expected to be a node
 * (building makes one for each external input); one that is not gets producer
 * -1 and does not hold its consumer back.
 */
export function indexNodes(nodes: ReadonlyMap<string, GraphNode>): IndexedGraph {
  const list = [...nodes.values()];
  const ids = new Map<string, number>();
  for (let i = 0; i < list.length; i++) {
    ids.set(list[i].name, i);
  }
  const producerStart = new Int32Array(list.length + 1);
  const producerIds: number[] = [];
  for (let i = 0; i < list.length; i++) {
    producerStart[i] = producerIds.length;
    for (const dep of list[i].dependencies) {
      producerIds.push(ids.get(dep.name) ?? -1);
    }
  }
  producerStart[list.length] = producerIds.length;
  return indexNumbered({ ...columnsOf(list), ids, producerStart, producerIds });
}

/** The columns of a list of nodes: what an index keeps of each node and each parameter. */
export function columnsOf(
  list: readonly GraphNode[]
): Pick<NumberedNodes, 'names' | 'kinds' | 'fns' | 'optional' | 'declared'> {
  const names: string[] = new Array(list.length);
  const kinds: NodeKind[] = new Array(list.length);
  const fns: (NodeFunction | undefined)[] = new Array(list.length);
  const optional: number[] = [];
  const declared: (string | undefined)[] = [];
  let typed = false;
  for (let i = 0; i < list.length; i++) {
    const node = list[i];
    names[i] = node.name;
    kinds[i] = node.kind;
    fns[i] = node.fn;
    for (const dep of node.dependencies) {
      optional.push(dep.optional ? 1 : 0);
      declared.push(dep.type);
      typed ||= dep.type !== undefined;
    }
  }
  return { names, kinds, fns, optional, declared: typed ? declared : undefined };
}

/** Orders numbered nodes topologically (Kahn's algorithm) and renumbers them in that order. */
export function indexNumbered(numbered: NumberedNodes): IndexedGraph {
  const { ids, producerStart: start, producerIds: from } = numbered;
  const count = numbered.names.length;
  const edgeCount = start[count];

  // Consumers of each node, and how many producers each node waits for.
  const [consumerStart, consumers] = invert(start, from);
  const waiting = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    for (let k = start[i]; k < start[i + 1]; k++) {
      if (from[k] >= 0) {
        waiting[i]++;
      }
    }
  }

  // Kahn's algorithm: a node is placed once every producer is; of the nodes
  // ready, the first numbered goes first, so the order follows the order of
  // definition wherever the dependencies allow.
  const order = new Int32Array(count);
  const ready = new ReadyHeap(count);
  for (let i = 0; i < count; i++) {
    if (waiting[i] === 0) {
      ready.push(i);
    }
  }
  let placed = 0;
  while (ready.size > 0) {
    const j = ready.pop();
    order[placed++] = j;
    for (let k = consumerStart[j]; k < consumerStart[j + 1]; k++) {
      if (--waiting[consumers[k]] === 0) {
        ready.push(consumers[k]);
      }
    }
  }
  const ordered = placed;
  for (let i = 0; i < count; i++) {
    if (waiting[i] > 0) {
      order[placed++] = i;
    }
  }

  // Renumber by that order.
  const positionOfId = new Int32Array(count);
  for (let p = 0; p < count; p++) {
    positionOfId[order[p]] = p;
  }
  const names: string[] = new Array(count);
  const kinds: NodeKind[] = new Array(count);
  const fns: (NodeFunction | undefined)[] = new Array(count);
  const producerStart = new Int32Array(count + 1);
  const producers = new Int32Array(edgeCount);
  const optional = new Uint8Array(edgeCount);
  const declared: (string | undefined)[] | undefined = numbered.declared ? new Array(edgeCount) : undefined;
  let e = 0;
  for (let p = 0; p < count; p++) {
    const i = order[p];
    names[p] = numbered.names[i];
    kinds[p] = numbered.kinds[i];
    fns[p] = numbered.fns[i];
    producerStart[p] = e;
    for (let k = start[i]; k < start[i + 1]; k++) {
      producers[e] = from[k] >= 0 ? positionOfId[from[k]] : -1;
      optional[e] = numbered.optional[k];
      if (declared) {
        declared[e] = numbered.declared?.[k];
      }
      e++;
    }
  }
  producerStart[count] = e;
  const sortedConsumers = invert(producerStart, producers);
  return {
    names,
    kinds,
    fns,
    ordered,
    producerStart,
    producers,
    optional,
    declared,
    consumerStart: sortedConsumers[0],
    consumers: sortedConsumers[1],
    positionOf(name) {
      const id = ids.get(name);
      return id === undefined ? undefined : positionOfId[id];
    }
  };
}

/**
 * The edges of a flat producer list the other way round: for each node, the
 * nodes it feeds, in increasing order (producers of -1 are skipped).
 */
function invert(start: Int32Array, from: ArrayLike<number>): [Int32Array, Int32Array] {
  const count = start.length - 1;
  const consumerStart = new Int32Array(count + 1);
  for (let k = 0; k < start[count]; k++) {
    if (from[k] >= 0) {
      consumerStart[from[k] + 1]++;
    }
  }
  for (let j = 0; j < count; j++) {
    consumerStart[j + 1] += consumerStart[j];
  }
  const consumers = new Int32Array(consumerStart[count]);
  const filled = consumerStart.slice(0, count);
  for (let i = 0; i < count; i++) {
    for (let k = start[i]; k < start[i + 1]; k++) {
      if (from[k] >= 0) {
        consumers[filled[from[k]]++] = i;
      }
    }
  }
  return [consumerStart, consumers];
}

/** A binary min-heap of node numbers: the ready node numbered first comes out first. */
class ReadyHeap {
  private readonly items: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
  }

  push(value: number): void {
    const items = this.items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent] <= value) {
        break;
      }
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0];
    const last = items[--this.size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) {
        break;
      }
      if (child + 1 < this.size && items[child + 1] < items[child]) {
        child++;
      }
      if (items[child] >= last) {
        break;
      }
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
    return top;
  }
}
