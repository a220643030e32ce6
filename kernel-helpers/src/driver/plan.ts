/**
 * Planning a run: which nodes the requested outputs need (their upstream
 * closure, cut short by overrides), where each value comes from, and every
 * problem that would stop the run, all found before anything runs.
 */
import type { DagProblem } from '../errors';
import { suggestion, topologicalOrder } from '../graph/lineage';
import type { GraphSnapshot } from '../graph/types';
import { valueMatchesType } from './value-types';

/** Where the run gets values from, besides computing them. */
export interface RunValues {
  inputs?: Readonly<Record<string, unknown>>;
  overrides?: Readonly<Record<string, unknown>>;
  config?: Readonly<Record<string, unknown>>;
}

/** A validated plan: the functions to call in a valid order, and the values given. */
export interface Plan {
  /** Function nodes to compute, each after what it needs. */
  compute: string[];
  /** Values supplied from inputs, config and overrides, by name. */
  given: Map<string, unknown>;
  /** For each function to compute, the dependencies to pass (`undefined` = omitted optional). */
  args: Map<string, (string | undefined)[]>;
  outputs: string[];
}

const has = (record: Readonly<Record<string, unknown>> | undefined, name: string) =>
  record !== undefined && Object.prototype.hasOwnProperty.call(record, name);

/** Plans a run, or lists every problem that prevents it. */
export function planExecution(
  graph: GraphSnapshot,
  outputs: readonly string[],
  values: RunValues
): { plan?: Plan; problems: DagProblem[] } {
  const { inputs, overrides, config } = values;
  const problems: DagProblem[] = [];
  const given = new Map<string, unknown>();
  const computed = new Set<string>();
  const args = new Map<string, (string | undefined)[]>();
  const missing = new Map<string, string[]>();

  const unknown = outputs.filter(
    name => !graph.nodes.has(name) && !has(overrides, name) && !has(inputs, name)
  );
  for (const name of unknown) {
    problems.push({
      code: 'UNKNOWN_NODE',
      message: `'${name}' is not a node of this dataflow.${suggestion(graph, name)}`,
      nodes: [name]
    });
  }

  const available = (name: string): boolean =>
    has(overrides, name) ||
    has(inputs, name) ||
    has(config, name) ||
    graph.nodes.get(name)?.kind === 'function';

  // Depth-first over what the outputs need; an explicit stack keeps deep chains safe.
  const visited = new Set<string>();
  const stack: { name: string; neededBy?: string }[] = outputs
    .filter(name => !unknown.includes(name))
    .map(name => ({ name }));
  while (stack.length > 0) {
    const { name, neededBy } = stack.pop() as { name: string; neededBy?: string };
    if (visited.has(name)) {
      if (neededBy && missing.has(name)) {
        missing.get(name)?.push(neededBy);
      }
      continue;
    }
    visited.add(name);
    const node = graph.nodes.get(name);
    if (has(overrides, name)) {
      given.set(name, overrides?.[name]);
    } else if (node?.kind === 'function') {
      computed.add(name);
      const passed: (string | undefined)[] = [];
      for (const dep of node.dependencies) {
        if (dep.optional && !available(dep.name)) {
          passed.push(undefined);
          continue;
        }
        passed.push(dep.name);
        stack.push({ name: dep.name, neededBy: name });
      }
      args.set(name, passed);
    } else if (has(inputs, name)) {
      given.set(name, inputs?.[name]);
    } else if (has(config, name)) {
      given.set(name, config?.[name]);
    } else {
      missing.set(name, neededBy ? [neededBy] : []);
    }
  }

  if (missing.size > 0) {
    const names = [...missing.keys()].sort();
    const unused = Object.keys(inputs ?? {}).filter(n => !graph.nodes.has(n));
    problems.push({
      code: 'MISSING_INPUTS',
      message:
        `missing input${names.length === 1 ? '' : 's'}: ` +
        names
          .map(n => {
            const needers = missing.get(n) ?? [];
            return needers.length ? `${n} (needed by ${[...new Set(needers)].sort().join(', ')})` : n;
          })
          .join(', ') +
        '. Pass ' +
        (names.length === 1 ? 'it' : 'them') +
        ' in inputs.' +
        (unused.length ? ` Inputs given but not used by any node: ${unused.join(', ')}.` : ''),
      nodes: names
    });
  }
  problems.push(...graphProblemsWithin(graph, computed));
  problems.push(...inputTypeProblems(graph, given, computed, overrides));

  if (problems.length > 0) {
    return { problems };
  }
  return {
    plan: {
      compute: topologicalOrder(graph, computed),
      given,
      args,
      outputs: [...outputs]
    },
    problems
  };
}

/** The graph's own problems (cycles, duplicates, invalid functions, type mismatches) that touch this run. */
function graphProblemsWithin(graph: GraphSnapshot, computed: Set<string>): DagProblem[] {
  return graph.problems
    .filter(problem => {
      if (problem.code === 'TYPE_MISMATCH') {
        // [producer, consumer] of an edge, or [input, consumer, consumer]: it matters when a consumer runs.
        return problem.nodes.slice(1).some(n => computed.has(n));
      }
      return problem.nodes.some(n => computed.has(n));
    })
    .map(({ code, message, nodes }) => ({ code, message, nodes }));
}

/** Input values that cannot be what their consumers declare (a string where a number is expected). */
function inputTypeProblems(
  graph: GraphSnapshot,
  given: Map<string, unknown>,
  computed: Set<string>,
  overrides: Readonly<Record<string, unknown>> | undefined
): DagProblem[] {
  const problems: DagProblem[] = [];
  for (const [name, value] of given) {
    if (has(overrides, name)) {
      continue;
    }
    for (const consumer of graph.nodes.get(name)?.dependents ?? []) {
      if (!computed.has(consumer)) {
        continue;
      }
      const dep = graph.nodes.get(consumer)?.dependencies.find(d => d.name === name);
      if (dep?.type && !valueMatchesType(value, dep.type)) {
        problems.push({
          code: 'TYPE_MISMATCH',
          message: `input ${name}: ${consumer} declares ${name}: ${dep.type}, but the value given is ${describeValue(value)}.`,
          nodes: [name, consumer]
        });
        break;
      }
    }
  }
  return problems;
}

function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return `an array of ${value.length}`;
  }
  const type = typeof value;
  const shown = type === 'string' ? JSON.stringify(value).slice(0, 40) : type === 'object' ? '' : String(value);
  return `${type === 'object' ? 'an object' : `a ${type}`}${shown ? ` (${shown})` : ''}`;
}
