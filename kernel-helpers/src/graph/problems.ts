/**
 * The graph's problems, worded in one place: each names the nodes concerned,
 * where they are defined, and the fix.
 */
import type { Dependency, GraphNode, GraphProblem, Origin } from './types';

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

export function duplicateProblem(name: string, origins: Origin[]): GraphProblem {
  return {
    code: 'DUPLICATE_NODE',
    message:
      `${name} is defined ${origins.length} times (${origins.map(describeOrigin).join(', ')}); ` +
      `the last definition is used. Rename or delete the others.`,
    nodes: [name],
    origins
  };
}

export function duplicateConfigProblem(name: string, origins: Origin[]): GraphProblem {
  return {
    code: 'DUPLICATE_NODE',
    message: `${name} is both a function and a config key; rename one of them.`,
    nodes: [name],
    origins
  };
}

export function edgeMismatchProblem(producer: GraphNode, consumer: GraphNode, dep: Dependency): GraphProblem {
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

export function cycleProblem(cycle: string[], nodes: ReadonlyMap<string, GraphNode>): GraphProblem {
  return {
    code: 'CYCLE',
    message: `cycle: ${[...cycle, cycle[0]].join(' -> ')}; a node cannot depend on itself, directly or not.`,
    nodes: cycle,
    origins: cycle.flatMap(n => nodes.get(n)?.origins ?? [])
  };
}
