/** Generating a DAG file: the task split, the params, then the text, or every problem that prevents it. */
import { planParams } from './params';
import { renderDag } from './render';
import { AIRFLOW_ID, splitTasks } from './split';
import type { AirflowDag, AirflowDagOptions, AirflowProblem } from './types';

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
