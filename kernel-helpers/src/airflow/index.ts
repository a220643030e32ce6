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
export type { AirflowDag, AirflowDagOptions, AirflowProblem, DagNode, DagPath, PlannedParam, PlannedTask, TaskAssignment } from './types';
export { generateAirflowDag } from './generate';
export { dagFromRecipe, makeRecipe } from './recipe';
export type { DagRecipe } from './recipe';
export { readDagHeader } from './header';
export type { DagHeader } from './header';
export { AIRFLOW_ID, MONOLITH_TASK, splitTasks, isComputed } from './split';
export type { Split } from './split';
export { schemaOf } from './schema';
