/**
 * Planning then running a request on a built graph: what `Driver.execute`
 * does, and what the notebook kernel's runtime does with the node definitions
 * the panel sends (without the Driver's source analysis, which it does not need).
 */
import { errorFromProblems } from '../errors';
import { indexOf } from '../graph/indexed';
import type { GraphSnapshot } from '../graph/types';
import { planExecution, Plan, RunValues } from './plan';
import { cachedPlan, CacheBehaviours, NodeCache } from '../cache/cache';
import { runPlan, RunOptions } from './run';

/** The plan of a request, or the DagError listing every problem that prevents it. */
export function planOrThrow(graph: GraphSnapshot, outputs: readonly string[], values: RunValues): Plan {
  const { plan, problems } = planExecution(indexOf(graph), graph.problems, outputs, values);
  if (!plan) {
    throw errorFromProblems(problems);
  }
  return plan;
}

/** Computes the outputs and what they need; every problem is found before anything runs. */
export function executeGraph(
  graph: GraphSnapshot,
  outputs: readonly string[],
  values: RunValues,
  options: RunOptions = {},
  cache?: { cache: NodeCache; behaviours?: CacheBehaviours }
): Promise<Record<string, unknown>> {
  const plan = planOrThrow(graph, outputs, values);
  if (cache) {
    // The one seam of the cache: the plan's functions consult it, the run is the same.
    // A saver writes its file each time it is asked for: never taken from the cache.
    const savers = new Set([...graph.nodes.values()].filter(n => n.role === 'saver').map(n => n.name));
    return cachedPlan(plan, cache.cache, cache.behaviours, options.onEvent, savers).then(cached => runPlan(cached, options));
  }
  return runPlan(plan, options);
}
