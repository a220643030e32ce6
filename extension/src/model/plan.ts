/**
 * What running the selected outputs involves, worked out from the graph before
 * anything is sent: the functions of their upstream closure, the external
 * inputs it needs (with their declared types), and the problems that stop it.
 */
import type { GraphProblem, GraphSnapshot } from 'dagcells/analysis';
import { describeValue, valueMatchesType } from 'dagcells/kernel';

export interface NeededInput {
  name: string;
  type?: string;
  /** Some function of the run needs it (not only optionally). */
  required: boolean;
  /** The functions of the run that take it. */
  consumers: string[];
}

export interface RunPlanView {
  outputs: string[];
  /** The functions to compute, in graph order. */
  functions: string[];
  inputs: NeededInput[];
  /** Problems of the graph that touch these functions: the run cannot go. */
  problems: GraphProblem[];
}

/** The upstream closure of the selected outputs. */
export function planRun(graph: GraphSnapshot, selection: Iterable<string>): RunPlanView {
  const outputs = [...selection].filter(name => graph.nodes.has(name));
  const seen = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (seen.has(name)) {
      continue;
    }
    seen.add(name);
    for (const dep of graph.nodes.get(name)?.dependencies ?? []) {
      stack.push(dep.name);
    }
  }
  const functions = [...graph.nodes.values()].filter(n => n.kind === 'function' && seen.has(n.name)).map(n => n.name);
  const inputs: NeededInput[] = [];
  for (const node of graph.nodes.values()) {
    if (node.kind !== 'input' || !seen.has(node.name)) {
      continue;
    }
    const consumers = node.dependents.filter(c => seen.has(c));
    const required =
      outputs.includes(node.name) ||
      consumers.some(c => graph.nodes.get(c)?.dependencies.some(d => d.name === node.name && !d.optional));
    inputs.push({ name: node.name, ...(node.type !== undefined ? { type: node.type } : {}), required, consumers });
  }
  inputs.sort((a, b) => (a.name < b.name ? -1 : 1));
  const inRun = new Set(functions);
  const problems = graph.problems.filter(p =>
    p.code === 'TYPE_MISMATCH' ? p.nodes.slice(1).some(n => inRun.has(n)) : p.nodes.some(n => inRun.has(n))
  );
  return { outputs, functions, inputs, problems };
}

/**
 * An input field's value: JSON when it parses, the text itself otherwise
 * (`[1, 2]` is an array, `US` is the string "US"); undefined when empty.
 */
export function parseInputValue(text: string): { value: unknown } | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { value: text };
  }
}

/**
 * Why a field's value cannot go to the run, or undefined: its declared type
 * certainly rejects it. Text that is not JSON is read as a string, so for a
 * type that takes no string the message says what kept it from being JSON.
 */
export function inputValueProblem(input: NeededInput, text: string, value: unknown): string | undefined {
  if (input.type === undefined || valueMatchesType(value, input.type)) {
    return undefined;
  }
  const declares = `${input.consumers.join(', ') || 'its consumer'} declare${input.consumers.length > 1 ? '' : 's'} ${input.name}: ${input.type}`;
  if (typeof value === 'string' && value === text) {
    let reason = 'not JSON';
    try {
      JSON.parse(text);
    } catch (error) {
      reason = `not JSON: ${(error as Error).message}`;
    }
    return `${declares}, but ${JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text)} is ${reason}.`;
  }
  return `${declares}, but the value given is ${describeValue(value)}.`;
}
