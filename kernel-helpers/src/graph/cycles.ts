/**
 * Cycle detection: Tarjan's strongly connected components, iteratively (deep
 * chains must not overflow the stack), then one concrete cycle per component, so the message can name every node on it.
 */
import type { GraphNode } from './types';

/**
 * Every cycle of the graph, one per strongly connected component, in data-flow
 * order: each node feeds the next, and the last feeds the first.
 */
export function findCycles(nodes: ReadonlyMap<string, GraphNode>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  const depsOf = (name: string): string[] => {
    const node = nodes.get(name);
    return node && node.kind === 'function' ? node.dependencies.map(d => d.name).filter(d => nodes.has(d)) : [];
  };

  for (const root of nodes.keys()) {
    if (index.has(root)) {
      continue;
    }
    const work: { name: string; deps: string[]; next: number }[] = [];
    const enter = (name: string) => {
      index.set(name, counter);
      low.set(name, counter);
      counter++;
      stack.push(name);
      onStack.add(name);
      work.push({ name, deps: depsOf(name), next: 0 });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.next < frame.deps.length) {
        const dep = frame.deps[frame.next++];
        if (!index.has(dep)) {
          enter(dep);
        } else if (onStack.has(dep)) {
          low.set(frame.name, Math.min(low.get(frame.name) as number, index.get(dep) as number));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].name;
        low.set(parent, Math.min(low.get(parent) as number, low.get(frame.name) as number));
      }
      if (low.get(frame.name) === index.get(frame.name)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.name);
        const selfLoop = component.length === 1 && depsOf(component[0]).includes(component[0]);
        if (component.length > 1 || selfLoop) {
          cycles.push(cycleWithin(new Set(component), depsOf));
        }
      }
    }
  }
  return cycles;
}

/** A short concrete cycle through a strongly connected component, in data-flow order. */
function cycleWithin(component: Set<string>, depsOf: (name: string) => string[]): string[] {
  const start = [...component].sort()[0];
  // Breadth-first search for the shortest way back to start: a short, readable cycle.
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i];
    for (const dep of depsOf(current)) {
      if (!component.has(dep)) {
        continue;
      }
      if (dep === start) {
        const path = [current];
        while (path[path.length - 1] !== start) {
          path.push(previous.get(path[path.length - 1]) as string);
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
  return [...component];
}
