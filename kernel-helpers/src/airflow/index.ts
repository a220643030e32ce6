/**
 * The macro view: an Airflow DAG file for a dataflow, from its graph and a
 * task assignment. Pure: the command line (`dagcells airflow`) and the
 * notebook panel make the same file from the same graph.
 *
 * @example
 * ```ts
 * const dag = generateAirflowDag({
 *   graph: driver.toJSON(), dagId: "marketing", moduleLabel: "marketing.ts",
 *   tasks: [{ name: "load", outputs: ["spend"] }, { name: "report", outputs: ["spend_mean"] }],
 *   module: { from: "dag-folder", path: "marketing.ts" },
 *   command: ["node", { from: "dag-folder", path: "node_modules/dagcells/dist/cli/bin.js" }],
 *   artifacts: { from: "dag-folder", path: "artifacts" },
 * });
 * if (dag.problems.length === 0) writeFileSync("marketing_dag.py", dag.text);
 * ```
 */
import { planParams } from './params';
import { renderDag } from './render';
import { AIRFLOW_ID, splitTasks } from './split';
import type { AirflowDag, AirflowDagOptions, AirflowProblem } from './types';

export type { AirflowDag, AirflowDagOptions, AirflowProblem, DagNode, DagPath, PlannedParam, PlannedTask, TaskAssignment } from './types';
export { readDagHeader } from './header';
export type { DagHeader } from './header';
export { AIRFLOW_ID, MONOLITH_TASK } from './split';
export { schemaOf } from './schema';

/** The DAG file for a dataflow and a task split, or every problem that prevents it. */
export function generateAirflowDag(options: AirflowDagOptions): AirflowDag {
  const problems: AirflowProblem[] = [];
  if (!AIRFLOW_ID.test(options.dagId)) {
    problems.push({
      message: `the DAG id ${JSON.stringify(options.dagId)} is not one Airflow accepts: use letters, digits, _, . and - (at most 250).`,
      tasks: [],
      nodes: []
    });
  }
  if (options.taskPerNode && options.tasks && options.tasks.length > 0) {
    problems.push({ message: 'tasks are given and one task per node is asked for: choose one.', tasks: options.tasks.map(t => t.name), nodes: [] });
  }
  const split = splitTasks(options.graph.nodes, options.tasks, Boolean(options.taskPerNode));
  const { params, problems: paramProblems } = planParams(options.graph.nodes, options.config, options.inputs, options.types);
  problems.push(...split.problems, ...paramProblems);
  if (problems.length > 0) {
    return { problems, tasks: split.tasks, params, undelivered: split.undelivered };
  }
  return {
    text: renderDag(options, split.tasks, params, split.undelivered),
    problems,
    tasks: split.tasks,
    params,
    undelivered: split.undelivered
  };
}
