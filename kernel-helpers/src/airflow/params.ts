/**
 * The DAG's params: the module's config keys and external inputs, with the
 * defaults given and, where the TypeScript type maps to one, a JSON schema,
 * so that the trigger form and `--conf` pick variants and inputs, checked
 * before a run starts, with no change to the DAG file or the module.
 */
import { schemaOf } from './schema';
import { isComputed } from './split';
import type { AirflowProblem, DagNode, PlannedParam } from './types';

const has = (record: Readonly<Record<string, unknown>> | undefined, key: string) =>
  record !== undefined && Object.prototype.hasOwnProperty.call(record, key);

/** The params, config keys first, in the order given, then inputs in the module's order. */
export function planParams(
  nodes: readonly DagNode[],
  config: Readonly<Record<string, unknown>> = {},
  inputs: Readonly<Record<string, unknown>> = {},
  types: readonly { name: string; definition?: string }[] = []
): { params: PlannedParam[]; problems: AirflowProblem[] } {
  const problems: AirflowProblem[] = [];
  const definitions = new Map(types.map(t => [t.name, t.definition]));
  const resolve = (name: string) => definitions.get(name);
  const byName = new Map(nodes.map(n => [n.name, n]));
  const readers = (name: string) => nodes.filter(n => n.dependencies.includes(name) || n.optionalDependencies.includes(name));
  const params: PlannedParam[] = [];

  for (const key of Object.keys(config)) {
    if (isComputed(byName.get(key))) {
      problems.push({ message: `--config: ${key} is a function of the module, so it cannot be a config key too.`, tasks: [], nodes: [key] });
      continue;
    }
    const node = byName.get(key);
    const reading = readers(key);
    // Its type: what a reader declares, else the kind of value given.
    const type = node?.type ?? jsonType(config[key]);
    params.push({ name: key, kind: 'config', value: config[key], hasValue: true, optional: false, type, schema: schemaOf(type, resolve), readers: reading.map(n => n.name) });
  }
  for (const node of nodes) {
    if (node.kind !== 'input') {
      continue;
    }
    const reading = readers(node.name);
    const optional = reading.length > 0 && reading.every(n => n.optionalDependencies.includes(node.name));
    const given = has(inputs, node.name);
    let schema = schemaOf(node.type, resolve);
    if (schema && optional) {
      schema = { anyOf: [{ type: 'null' }, schema] };
    }
    params.push({
      name: node.name,
      kind: 'input',
      value: given ? inputs[node.name] : optional ? null : undefined,
      hasValue: given || optional,
      optional,
      type: node.type,
      schema,
      readers: reading.map(n => n.name)
    });
  }
  for (const key of Object.keys(inputs)) {
    const node = byName.get(key);
    if (node?.kind !== 'input') {
      problems.push({
        message: node
          ? `--inputs: ${key} is ${isComputed(node) ? 'a function' : 'a config key'} of the module, not an external input.`
          : `--inputs: ${key} is not an external input of the module (inputs are the parameters no function produces).`,
        tasks: [],
        nodes: [key]
      });
    }
  }
  return { params, problems };
}

function jsonType(value: unknown): string | undefined {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return typeof value;
  }
  return undefined;
}
