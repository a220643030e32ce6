/**
 * Lineage queries over a graph: what a node needs, what needs it, and how data
 * flows from one node to another.
 */
import { DagError } from '../errors';
import { indexOf } from './indexed';
import type { GraphSnapshot } from './types';

/** Every node the given nodes need, transitively, the given nodes included. */
export function upstreamOf(graph: GraphSnapshot, names: readonly string[]): string[] {
  assertKnown(graph, names);
  return walk(names, name => graph.nodes.get(name)?.dependencies.map(d => d.name) ?? []);
}

/** Every node that needs the given nodes, transitively, the given nodes included. */
export function downstreamOf(graph: GraphSnapshot, names: readonly string[]): string[] {
  assertKnown(graph, names);
  return walk(names, name => graph.nodes.get(name)?.dependents ?? []);
}

/**
 * The nodes on every path along which data flows from `from` to `to`, both
 * included, in topological order; empty when there is none.
 */
export function pathBetween(graph: GraphSnapshot, from: string, to: string): string[] {
  assertKnown(graph, [from, to]);
  const below = new Set(downstreamOf(graph, [from]));
  if (!below.has(to)) {
    return [];
  }
  const above = new Set(upstreamOf(graph, [to]));
  return topologicalOrder(graph).filter(n => below.has(n) && above.has(n));
}

/** Every node in an order where each comes after what it depends on (nodes on cycles last). */
export function topologicalOrder(graph: GraphSnapshot, subset?: ReadonlySet<string>): string[] {
  const { names, ordered } = indexOf(graph);
  const order: string[] = [];
  let afterCycle = false;
  for (let p = 0; p < names.length; p++) {
    const name = names[p];
    if (!subset || subset.has(name)) {
      order.push(name);
      afterCycle ||= p >= ordered;
    }
  }
  // Past a cycle the graph has no order, but a subset that leaves the cycle out may.
  return subset && afterCycle ? orderWithin(graph, subset) : order;
}

/** Kahn's algorithm on a subset only: its nodes in dependency order, those on cycles last. */
function orderWithin(graph: GraphSnapshot, subset: ReadonlySet<string>): string[] {
  const inside = (name: string) => graph.nodes.has(name) && subset.has(name);
  const pending = new Map<string, number>();
  const ready: string[] = [];
  for (const [name, node] of graph.nodes) {
    if (!inside(name)) {
      continue;
    }
    const count = node.dependencies.filter(d => inside(d.name)).length;
    pending.set(name, count);
    if (count === 0) {
      ready.push(name);
    }
  }
  const order: string[] = [];
  for (let i = 0; i < ready.length; i++) {
    const name = ready[i];
    order.push(name);
    for (const dependent of graph.nodes.get(name)?.dependents ?? []) {
      const left = pending.get(dependent);
      if (left === undefined) {
        continue;
      }
      pending.set(dependent, left - 1);
      if (left === 1) {
        ready.push(dependent);
      }
    }
  }
  if (order.length < pending.size) {
    const placed = new Set(order);
    order.push(...[...pending.keys()].filter(n => !placed.has(n)));
  }
  return order;
}

function walk(start: readonly string[], next: (name: string) => readonly string[]): string[] {
  const seen = new Set<string>(start);
  const queue = [...start];
  for (let i = 0; i < queue.length; i++) {
    for (const other of next(queue[i])) {
      if (!seen.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    }
  }
  return [...seen];
}

function assertKnown(graph: GraphSnapshot, names: readonly string[]): void {
  const unknown = names.filter(n => !graph.nodes.has(n));
  if (unknown.length > 0) {
    throw new DagError(
      'UNKNOWN_NODE',
      `${unknown.map(n => `'${n}'`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the graph.` +
        suggestion(graph.nodes.keys(), unknown[0]),
      unknown
    );
  }
}

/**
 * Work allowed to one suggestion, in cells of the edit-distance table (about
 * 0.1 s): with 1,000 names of 1,000 characters a full table per name took up
 * to a minute. Past it, the best name found so far is suggested, or none.
 */
const SUGGESTION_BUDGET = 20_000_000;

/** " Did you mean 'spend'?" when a known name is one or two edits away. */
export function suggestion(known: Iterable<string>, name: string): string {
  let best: string | undefined;
  let bestDistance = 3;
  let budget = SUGGESTION_BUDGET;
  for (const candidate of known) {
    if (Math.abs(name.length - candidate.length) >= bestDistance) {
      continue;
    }
    budget -= Math.min(name.length, candidate.length) * (2 * bestDistance - 1);
    if (budget < 0) {
      break;
    }
    const d = editDistance(name, candidate, bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ? ` Did you mean '${best}'?` : '';
}

/**
 * Levenshtein distance, or `limit` when it is `limit` or more. Only the band of
 * cells within `limit` of the diagonal can stay under it, so that is all that
 * is computed: time in proportion to the length, not its square.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) {
    return limit;
  }
  const width = b.length + 1;
  let previous = new Array<number>(width).fill(limit);
  let current = new Array<number>(width).fill(limit);
  for (let j = 0; j < width && j < limit; j++) {
    previous[j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - limit + 1);
    const to = Math.min(b.length, i + limit - 1);
    current.fill(limit, Math.max(0, from - 1), Math.min(width, to + 2));
    current[0] = i < limit ? i : limit;
    let smallest = current[0];
    for (let j = from; j <= to; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost, limit);
      current[j] = value;
      if (value < smallest) {
        smallest = value;
      }
    }
    if (smallest >= limit) {
      return limit;
    }
    [previous, current] = [current, previous];
  }
  return Math.min(previous[b.length], limit);
}
