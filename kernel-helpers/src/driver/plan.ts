/**
 * Planning a run: which nodes the requested outputs need (their upstream
 * closure, cut short by overrides), where each value comes from, and every
 * problem that would stop the run, all found before anything runs.
 */
import { LISTED, listNames } from '../errors';
import type { DagProblem } from '../errors';
import type { IndexedGraph } from '../graph/indexed';
import { suggestion } from '../graph/lineage';
import { indexOf } from '../graph/indexed';
import type { GraphProblem, GraphSnapshot } from '../graph/types';
import { describeValue, valueMatchesType } from './value-types';

/** Where the run gets values from, besides computing them. */
export interface RunValues {
  inputs?: Readonly<Record<string, unknown>>;
  overrides?: Readonly<Record<string, unknown>>;
  config?: Readonly<Record<string, unknown>>;
  /**
   * Checks an input against its declared type in depth (records, elements,
   * unions) and says where it departs; without it, plain type text is checked.
   */
  checkValue?: (value: unknown, type: string) => { message: string } | undefined;
}

/**
 * What a node of the graph is in a run (see {@link Plan.role}): not needed (or
 * an optional dependency that is not available, so omitted), computed, given
 * (by inputs, config or overrides), or a missing input.
 */
export const Role = { Unused: 0, Computed: 1, Given: 2, Missing: 3 } as const;

/**
 * A validated plan. Nodes are positions in the graph's index: a run works on
 * arrays, and what a parameter receives follows from its producer's role.
 */
export interface Plan {
  index: IndexedGraph;
  /** Positions of the function nodes to compute, in dependency order. */
  compute: Int32Array;
  /** Each position's role in this run. */
  role: Uint8Array;
  /** The values given, by name: for the nodes that take them, and outputs that are not nodes. */
  given: Map<string, unknown>;
  outputs: string[];
}

/** An external input a run reaches, given or not. */
export interface NeededInput {
  name: string;
  /** What its consumers declare. */
  type?: string;
  /** Some function of the run needs it (not only optionally), or it is itself an output. */
  required: boolean;
  /** The functions of the run that take it, in dependency order. */
  consumers: string[];
}

/** What planning found, whether or not the run can go. */
export interface PlanResult {
  plan?: Plan;
  /** Everything that stops the run, all at once. */
  problems: DagProblem[];
  /** Every external input the run reaches, by name. */
  inputs: NeededInput[];
  /** Each position's role, as far as planning got ({@link Role}). */
  role: Uint8Array;
}

const has = (record: Readonly<Record<string, unknown>> | undefined, name: string) =>
  record !== undefined && Object.prototype.hasOwnProperty.call(record, name);

/**
 * Plans a run on a graph's index, or lists every problem that prevents it;
 * `graphProblems` are the graph's own (cycles, duplicates, ...), of which those
 * that touch the run stop it.
 */
export function planExecution(
  index: IndexedGraph,
  graphProblems: readonly GraphProblem[],
  outputs: readonly string[],
  values: RunValues
): PlanResult {
  const { inputs, overrides, config } = values;
  const { names, kinds, producerStart, producers, optional } = index;
  const problems: DagProblem[] = [];
  const given = new Map<string, unknown>();
  const role = new Uint8Array(names.length);
  let computed = 0;
  /** Missing inputs, with the nodes that need them. */
  const missing = new Map<string, string[]>();
  /** Inputs reached only through optional parameters, and not given. */
  const optionalInputs = new Set<number>();

  // Depth-first over what the outputs need; explicit stacks keep deep chains safe.
  const stack: number[] = [];
  const neededBy: number[] = [];
  let unknown = 0;
  for (const name of outputs) {
    const position = index.positionOf(name);
    if (position !== undefined) {
      stack.push(position);
      neededBy.push(-1);
    } else if (has(overrides, name) || has(inputs, name)) {
      given.set(name, has(overrides, name) ? overrides?.[name] : inputs?.[name]);
    } else {
      // A suggestion costs a look at every name: the first three unknown names get one.
      const hint = unknown++ < 3 ? suggestion(names, name) : '';
      problems.push({ code: 'UNKNOWN_NODE', message: `'${name}' is not a node of this dataflow.${hint}`, nodes: [name] });
    }
  }
  const available = (p: number): boolean => {
    const name = names[p];
    return kinds[p] === 'function' || has(overrides, name) || has(inputs, name) || has(config, name);
  };
  while (stack.length > 0) {
    const p = stack.pop() as number;
    const by = neededBy.pop() as number;
    const name = names[p];
    if (role[p] !== Role.Unused) {
      if (role[p] === Role.Missing && by >= 0) {
        missing.get(name)?.push(names[by]);
      }
      continue;
    }
    if (overrides !== undefined && has(overrides, name)) {
      role[p] = Role.Given;
      given.set(name, overrides[name]);
    } else if (kinds[p] === 'function') {
      role[p] = Role.Computed;
      computed++;
      for (let k = producerStart[p]; k < producerStart[p + 1]; k++) {
        const q = producers[k];
        // A producer of -1 (a name that is not a node) only occurs in hand-made indexes.
        if (q < 0) {
          continue;
        }
        if (optional[k] !== 0 && !available(q)) {
          if (kinds[q] === 'input') {
            optionalInputs.add(q); // asked for, not required: omitted when not given
          }
          continue;
        }
        if (role[q] === Role.Unused) {
          stack.push(q);
          neededBy.push(p);
        } else if (role[q] === Role.Missing) {
          missing.get(names[q])?.push(name);
        }
      }
    } else if (has(inputs, name)) {
      role[p] = Role.Given;
      given.set(name, inputs?.[name]);
    } else if (has(config, name)) {
      role[p] = Role.Given;
      given.set(name, config?.[name]);
    } else {
      role[p] = Role.Missing;
      missing.set(name, by >= 0 ? [names[by]] : []);
    }
  }

  if (missing.size > 0) {
    const names = [...missing.keys()].sort();
    const unused = Object.keys(inputs ?? {}).filter(n => index.positionOf(n) === undefined);
    // Long lists are summarised (the first names and a count); `nodes` holds every missing input.
    const listed = names.slice(0, LISTED).map(n => {
      const needers = missing.get(n) ?? [];
      return needers.length ? `${n} (needed by ${listNames([...new Set(needers)].sort(), 3)})` : n;
    });
    const more = names.length > LISTED ? ` and ${(names.length - LISTED).toLocaleString('en-US')} more (error.nodes lists them all)` : '';
    problems.push({
      code: 'MISSING_INPUTS',
      message:
        `missing input${names.length === 1 ? '' : 's'}: ${listed.join(', ')}${more}. ` +
        `Pass ${names.length === 1 ? 'it' : 'them'} in inputs.` +
        (unused.length ? ` Inputs given but not used by any node: ${listNames(unused)}.` : ''),
      nodes: names
    });
  }
  const isComputed = (name: string) => {
    const p = index.positionOf(name);
    return p !== undefined && role[p] === Role.Computed;
  };
  if (graphProblems.length > 0) {
    problems.push(...graphProblemsWithin(graphProblems, isComputed));
  }
  if (index.declared) {
    problems.push(...inputTypeProblems(index, index.declared, role, given, overrides, values.checkValue));
  }

  const reached = neededInputs(index, role, optionalInputs, new Set(outputs));
  if (problems.length > 0) {
    return { problems, inputs: reached, role };
  }
  // Positions are in dependency order: the run's order is theirs (a pass over
  // the roles costs less than sorting what the walk found).
  const compute = new Int32Array(computed);
  for (let p = 0, i = 0; i < computed; p++) {
    if (role[p] === Role.Computed) {
      compute[i++] = p;
    }
  }
  return { plan: { index, compute, role, given, outputs: [...outputs] }, problems, inputs: reached, role };
}

/** The external inputs a run reaches: given, missing, or optional and not given. */
function neededInputs(index: IndexedGraph, role: Uint8Array, optionalInputs: ReadonlySet<number>, outputs: ReadonlySet<string>): NeededInput[] {
  const { names, kinds, producerStart, producers, optional, declared, consumerStart, consumers } = index;
  const found: NeededInput[] = [];
  for (let q = 0; q < names.length; q++) {
    if (kinds[q] !== 'input' || (role[q] === Role.Unused && !optionalInputs.has(q))) {
      continue;
    }
    const takers: string[] = [];
    let required = outputs.has(names[q]);
    let type: string | undefined;
    for (let c = consumerStart[q]; c < consumerStart[q + 1]; c++) {
      const consumer = consumers[c];
      if (role[consumer] !== Role.Computed) {
        continue;
      }
      for (let k = producerStart[consumer]; k < producerStart[consumer + 1]; k++) {
        if (producers[k] === q) {
          required ||= optional[k] === 0;
          type ??= declared?.[k];
        }
      }
      if (takers[takers.length - 1] !== names[consumer]) {
        takers.push(names[consumer]);
      }
    }
    found.push({ name: names[q], ...(type !== undefined ? { type } : {}), required, consumers: takers });
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A run as the notebook panel shows it before and when it goes. */
export interface RunDescription {
  /** The requested outputs that are nodes. */
  outputs: string[];
  /** The functions to compute, in dependency order. */
  functions: string[];
  inputs: NeededInput[];
  /** What stops the run, missing inputs aside (those are in `missing`). */
  problems: DagProblem[];
  /** Required inputs not given. */
  missing: string[];
  /** Warnings of the graph (a name defined again later) that touch the run. */
  warnings: GraphProblem[];
}

/**
 * Plans a run on a graph the way a Driver would, for a UI: the functions it
 * computes, the inputs it needs (with whether each is required), and what
 * stops it. With no values, every input counts as missing.
 */
export function describeRun(graph: GraphSnapshot, outputs: readonly string[], values: RunValues = {}): RunDescription {
  const index = indexOf(graph);
  const known = outputs.filter(name => index.positionOf(name) !== undefined);
  const result = planExecution(index, graph.problems, known, values);
  const problems = result.problems.filter(p => p.code !== 'MISSING_INPUTS');
  const missing = result.problems.filter(p => p.code === 'MISSING_INPUTS').flatMap(p => p.nodes);
  const functions: string[] = [];
  for (let p = 0; p < index.names.length; p++) {
    if (result.role[p] === Role.Computed) {
      functions.push(index.names[p]);
    }
  }
  const inRun = new Set(functions);
  const warnings = graph.problems.filter(p => p.severity === 'warning' && p.nodes.some(n => inRun.has(n)));
  return { outputs: known, functions, inputs: result.inputs, problems, missing, warnings };
}

/** The graph's own problems (cycles, duplicates, invalid functions, type mismatches) that touch this run. */
function graphProblemsWithin(graphProblems: readonly GraphProblem[], isComputed: (name: string) => boolean): DagProblem[] {
  return graphProblems
    .filter(problem => {
      if (problem.severity === 'warning') {
        return false; // reported with the graph; the run goes ahead
      }
      if (problem.code === 'TYPE_MISMATCH') {
        // [producer, consumer] of an edge, or [input, consumer, consumer]: it matters when a consumer runs.
        return problem.nodes.slice(1).some(isComputed);
      }
      return problem.nodes.some(isComputed);
    })
    .map(({ code, message, nodes }) => ({ code, message, nodes }));
}

/** Input values that cannot be what their consumers declare (a string where a number is expected). */
function inputTypeProblems(
  index: IndexedGraph,
  declared: readonly (string | undefined)[],
  role: Uint8Array,
  given: Map<string, unknown>,
  overrides: Readonly<Record<string, unknown>> | undefined,
  checkValue?: RunValues['checkValue']
): DagProblem[] {
  const { names, producerStart, producers, consumerStart, consumers } = index;
  const problems: DagProblem[] = [];
  for (const [name, value] of given) {
    const q = index.positionOf(name);
    if (q === undefined || has(overrides, name)) {
      continue;
    }
    for (let c = consumerStart[q]; c < consumerStart[q + 1]; c++) {
      const consumer = consumers[c];
      if (role[consumer] !== Role.Computed) {
        continue;
      }
      const k = producers.subarray(producerStart[consumer], producerStart[consumer + 1]).indexOf(q);
      const type = k >= 0 ? declared[producerStart[consumer] + k] : undefined;
      if (!type) {
        continue;
      }
      const fault = checkValue ? checkValue(value, type)?.message : valueMatchesType(value, type) ? undefined : `the value given is ${describeValue(value)}`;
      if (fault) {
        problems.push({
          code: 'TYPE_MISMATCH',
          message: `input ${name}: ${names[consumer]} declares ${name}: ${type}, but ${fault}.`,
          nodes: [name, names[consumer]]
        });
        break;
      }
    }
  }
  return problems;
}
