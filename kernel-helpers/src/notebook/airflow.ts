/**
 * A notebook's Airflow DAG, as the panel exports it: the module the export
 * writes, read statically (its graph under the recipe's config, and its named
 * types), made into a DAG file by the recipe, as `dagcells airflow` makes it
 * from the same module loaded, so `dagcells airflow --check` finds the file up
 * to date.
 */
import { analyzeSource } from '../analysis';
import { dagFromRecipe } from '../airflow';
import type { AirflowDag, DagRecipe } from '../airflow';
import { graphToJSON } from '../graph/json';
import { NotebookGraph } from './notebook-graph';

export function moduleDag(moduleText: string, recipe: DagRecipe): AirflowDag {
  const graph = new NotebookGraph();
  graph.setConfig(recipe.config ?? {});
  graph.setCell('module', moduleText);
  const snapshot = graph.snapshot();
  if (snapshot.problems.length > 0) {
    // As the command line refuses: a run would stop on these.
    return { problems: snapshot.problems.map(p => ({ message: p.message, tasks: [], nodes: [...p.nodes] })), tasks: [], params: [], undelivered: [] };
  }
  return dagFromRecipe(graphToJSON(snapshot), analyzeSource(moduleText).types, recipe);
}
