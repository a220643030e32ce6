/**
 * The graph's problems, worded in one place: each names the nodes concerned,
 * where they are defined, and the fix.
 */
import { LISTED } from '../errors';
import type { Dependency, GraphProblem, NodeKind, Origin } from './types';

/** What a message needs of a node. */
export interface NodeRef {
  name: string;
  kind?: NodeKind;
  type?: string;
  origins: readonly Origin[];
}

/** "cell 3, line 4" style place of a definition, for messages. */
export function describeOrigin(origin: Origin): string {
  const where =
    origin.file ??
    (origin.cellIndex !== undefined
      ? `cell ${origin.cellIndex}`
      : origin.cellId !== undefined
        ? `cell ${origin.cellId}`
        : 'an unknown place');
  return origin.range ? `${where}, line ${origin.range.line}` : where;
}

/**
 * A name defined in several places. In different cells the later definition
 * is used, as in the kernel: a warning that lets runs go ahead. Twice in one
 * cell or file, nothing can run it (tslab and tsc reject the source): an error.
 */
export function duplicateProblem(name: string, origins: Origin[]): GraphProblem {
  const places = uniquePlaces(origins);
  const sameSource = origins.some((o, i) =>
    origins.some((other, j) => j < i && sourceOf(other) !== undefined && sourceOf(other) === sourceOf(o))
  );
  if (sameSource) {
    return {
      code: 'DUPLICATE_NODE',
      message: `${name} is defined more than once in one source (${places}), which TypeScript rejects. Rename or delete all but one.`,
      nodes: [name],
      origins
    };
  }
  return {
    code: 'DUPLICATE_NODE',
    message: `${name} is defined ${origins.length} times (${places}); the last definition is used. Rename or delete the others.`,
    nodes: [name],
    origins,
    severity: 'warning'
  };
}

/** The cell or file of a place, when known. */
function sourceOf(origin: Origin): string | undefined {
  return origin.cellId ?? origin.file;
}

/** Places for a message, each named once: "cell 1, line 2, cell 3, line 1". */
function uniquePlaces(origins: readonly Origin[]): string {
  return [...new Set(origins.map(describeOrigin))].join(', ');
}

export function duplicateConfigProblem(name: string, origins: Origin[]): GraphProblem {
  return {
    code: 'DUPLICATE_NODE',
    message: `${name} is both a function and a config key; rename one of them.`,
    nodes: [name],
    origins
  };
}

export function edgeMismatchProblem(producer: NodeRef, consumer: NodeRef, dep: Dependency): GraphProblem {
  return {
    code: 'TYPE_MISMATCH',
    message:
      `${producer.name} -> ${consumer.name}: ${producer.name} ` +
      `${producer.kind === 'config' ? 'is config of type' : 'returns'} ${producer.type} ` +
      `but ${consumer.name} declares its parameter ${dep.name}: ${dep.type}.`,
    nodes: [producer.name, consumer.name],
    origins: [...producer.origins, ...consumer.origins]
  };
}

export function inputClashProblem(
  name: string,
  first: { node: string; type: string },
  clash: { node: string; type: string }
): GraphProblem {
  return {
    code: 'TYPE_MISMATCH',
    message:
      `input ${name} is declared ${first.type} by ${first.node} but ${clash.type} by ${clash.node}; ` +
      `one value cannot be both.`,
    nodes: [name, first.node, clash.node],
    origins: []
  };
}

export function cycleProblem(cycle: string[], originsOf: (name: string) => readonly Origin[]): GraphProblem {
  // A long cycle is shown by its first nodes and a count; `nodes` names every one.
  const path =
    cycle.length <= LISTED
      ? [...cycle, cycle[0]].join(' -> ')
      : `${cycle.slice(0, LISTED).join(' -> ')} -> (${(cycle.length - LISTED).toLocaleString('en-US')} more) -> ${cycle[0]}`;
  return {
    code: 'CYCLE',
    message: `cycle${cycle.length > LISTED ? ` of ${cycle.length.toLocaleString('en-US')} nodes` : ''}: ${path}; a node cannot depend on itself, directly or not.`,
    nodes: cycle,
    origins: cycle.flatMap(originsOf)
  };
}
