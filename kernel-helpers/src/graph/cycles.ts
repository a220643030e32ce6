/**
 * Cycle detection. Kahn's algorithm (in the graph's index) already places
 * every node that is neither on a cycle nor downstream of one, so the search
 * only looks at what is left, usually nothing: Tarjan's strongly connected
 * components, iteratively (deep chains must not overflow the stack), then one
 * concrete cycle per component, so the message can name every node on it.
 */
import { indexNodes, IndexedGraph } from './indexed';
import type { GraphNode } from './types';

/**
 * Every cycle of the graph, one per strongly connected component, in data-flow
 * order: each node feeds the next, and the last feeds the first.
 */
export function findCycles(nodes: ReadonlyMap<string, GraphNode>): string[][] {
  return cyclesOf(indexNodes(nodes));
}

/** The cycles of an indexed graph (see {@link findCycles}). */
export function cyclesOf(graph: IndexedGraph): string[][] {
  const { names, ordered, producerStart, producers } = graph;
  const count = names.length;
  if (ordered === count) {
    return [];
  }
  // Only nodes Kahn's algorithm could not place can be on a cycle.
  const depsOf = (p: number): number[] => {
    const deps: number[] = [];
    for (let k = producerStart[p]; k < producerStart[p + 1]; k++) {
      if (producers[k] >= ordered) {
        deps.push(producers[k]);
      }
    }
    return deps;
  };
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  for (let root = ordered; root < count; root++) {
    if (index[root] >= 0) {
      continue;
    }
    const work: { node: number; deps: number[]; next: number }[] = [];
    const enter = (p: number) => {
      index[p] = low[p] = counter++;
      stack.push(p);
      onStack[p] = 1;
      work.push({ node: p, deps: depsOf(p), next: 0 });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.next < frame.deps.length) {
        const dep = frame.deps[frame.next++];
        if (index[dep] < 0) {
          enter(dep);
        } else if (onStack[dep]) {
          low[frame.node] = Math.min(low[frame.node], index[dep]);
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low[parent] = Math.min(low[parent], low[frame.node]);
      }
      if (low[frame.node] === index[frame.node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop() as number;
          onStack[member] = 0;
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && depsOf(component[0]).includes(component[0]);
        if (component.length > 1 || selfLoop) {
          cycles.push(cycleWithin(component, depsOf, p => names[p]).map(p => names[p]));
        }
      }
    }
  }
  return cycles;
}

/**
 * A short concrete cycle through a strongly connected component, in data-flow
 * order, from the member whose name sorts first (so the same graph always
 * names the same cycle).
 */
function cycleWithin(component: number[], depsOf: (p: number) => number[], nameOf: (p: number) => string): number[] {
  const members = new Set(component);
  const start = component.reduce((a, b) => (nameOf(b) < nameOf(a) ? b : a));
  // Breadth-first search for the shortest way back to start: a short, readable cycle.
  const previous = new Map<number, number>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i];
    for (const dep of depsOf(current)) {
      if (!members.has(dep)) {
        continue;
      }
      if (dep === start) {
        const path = [current];
        while (path[path.length - 1] !== start) {
          path.push(previous.get(path[path.length - 1]) as number);
        }
        // path runs from `current` back to `start`; each feeds the one before it.
        return [start, ...path.slice(0, -1)];
      }
      if (!previous.has(dep)) {
        previous.set(dep, current);
        queue.push(dep);
      }
    }
  }
  return component;
}
