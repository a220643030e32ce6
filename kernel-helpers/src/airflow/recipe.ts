/**
 * What a DAG file is made from, recorded in its header: the command line and
 * the notebook panel both make the file from a recipe, through the same
 * function, so `dagcells airflow --check` makes either one again byte for byte.
 */
import { generateAirflowDag } from './generate';
import type { AirflowDag, DagNode, DagPath, TaskAssignment } from './types';

export interface DagRecipe {
  /** The module, relative to the DAG file's folder (posix). */
  source: string;
  dagId: string;
  tasks?: TaskAssignment[];
  taskPerNode?: boolean;
  config?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
  module: DagPath;
  command: (string | DagPath)[];
  artifacts: DagPath;
  /** The cache folder tasks read and write (`dagcells run --cache`); none: no cache. */
  cache?: DagPath;
}

/** A recipe with its keys in the one order the header records them (the file's text depends on it). */
export function makeRecipe(recipe: DagRecipe): DagRecipe {
  const some = <K extends keyof DagRecipe>(key: K) => (recipe[key] !== undefined ? { [key]: recipe[key] } : {});
  return {
    source: recipe.source,
    dagId: recipe.dagId,
    ...(recipe.tasks && recipe.tasks.length > 0 ? { tasks: recipe.tasks.map(t => ({ name: t.name, outputs: [...t.outputs] })) } : {}),
    ...(recipe.taskPerNode ? { taskPerNode: true } : {}),
    ...some('config'),
    ...some('inputs'),
    module: recipe.module,
    command: recipe.command,
    artifacts: recipe.artifacts,
    ...some('cache')
  };
}

/** The DAG file of a module's graph (built with the recipe's config) and its named types, as the recipe says. */
export function dagFromRecipe(
  graph: { nodes: readonly DagNode[] },
  types: readonly { name: string; definition?: string }[],
  given: DagRecipe
): AirflowDag {
  const recipe = makeRecipe(given);
  return generateAirflowDag({
    graph,
    types,
    dagId: recipe.dagId,
    tasks: recipe.tasks,
    taskPerNode: recipe.taskPerNode,
    config: recipe.config,
    inputs: recipe.inputs,
    module: recipe.module,
    command: recipe.command,
    artifacts: recipe.artifacts,
    cache: recipe.cache,
    moduleLabel: recipe.source,
    recipe: JSON.stringify(recipe)
  });
}
