/**
 * What the Airflow DAG generator takes and gives. The generator is a pure
 * function of plain data (a module's graph as `dagcells graph --format json`
 * gives it, and a task assignment), so the command line and the notebook
 * panel make the same file from the same graph.
 */

/** A node of the dataflow, as GraphJSON has it. */
export interface DagNode {
  name: string;
  kind: 'function' | 'input' | 'config' | 'saver' | 'loader';
  /** Function: its value type. Input: the type its consumers declare. */
  type?: string;
  dependencies: readonly string[];
  optionalDependencies: readonly string[];
  doc?: string;
}

/** One Airflow task: its id and the outputs it delivers. */
export interface TaskAssignment {
  name: string;
  outputs: readonly string[];
}

/** A path in the DAG file: relative to the DAG file's folder, or absolute (posix separators). */
export interface DagPath {
  from: 'dag-folder' | 'absolute';
  path: string;
}

export interface AirflowDagOptions {
  /** The module's dataflow. */
  graph: { nodes: readonly DagNode[] };
  /** Named types of the module (aliases, interfaces), to look through for params' JSON schemas. */
  types?: readonly { name: string; definition?: string }[];
  dagId: string;
  /** The tasks; none: one task for every output no other node needs. */
  tasks?: readonly TaskAssignment[];
  /** One task per function instead (the finest grain); excludes `tasks`. */
  taskPerNode?: boolean;
  /** Config values: the defaults of the config params. */
  config?: Readonly<Record<string, unknown>>;
  /** Values of external inputs: the defaults of the input params. */
  inputs?: Readonly<Record<string, unknown>>;
  /** The module as workers reach it. */
  module: DagPath;
  /** The dagcells command as workers run it: words, or paths. */
  command: readonly (string | DagPath)[];
  /** The folder under which each run hands values over. */
  artifacts: DagPath;
  /** The cache folder every task reads and writes (`dagcells run --cache`); none: tasks keep no cache. */
  cache?: DagPath;
  /** How the module is named in the file's comments (its path as the user gave it). */
  moduleLabel: string;
  /** A line recorded in the header, from which the same file can be generated again (`--check`). */
  recipe?: string;
}

/** A problem that stops the generation; `tasks` and `nodes` name what it concerns. */
export interface AirflowProblem {
  message: string;
  tasks: string[];
  nodes: string[];
}

/** A task as the file runs it. */
export interface PlannedTask {
  /** The Airflow task id. */
  id: string;
  outputs: string[];
  /** Upstream tasks and the values read from each, in task order. */
  reads: { task: string; values: string[] }[];
  /** Function nodes the task computes, in dependency order (its outputs included). */
  computes: string[];
  /** Of those, the ones no task delivers that another task computes too. */
  sharedComputes: { node: string; alsoIn: string[] }[];
  /** External inputs the task needs. */
  inputs: string[];
}

/** A param of the DAG: a config key or an external input. */
export interface PlannedParam {
  name: string;
  kind: 'config' | 'input';
  /** The default, when one was given. */
  value?: unknown;
  hasValue: boolean;
  /** Optional input: `null` leaves it out of the run. */
  optional: boolean;
  /** The TypeScript type its consumers declare, if any. */
  type?: string;
  /** JSON schema keywords, when the type maps to one. */
  schema?: Record<string, unknown>;
  /** The functions that read it. */
  readers: string[];
}

/** What {@link generateAirflowDag} gives: the file text, or the problems that prevent it. */
export interface AirflowDag {
  text?: string;
  problems: AirflowProblem[];
  tasks: PlannedTask[];
  params: PlannedParam[];
  /** Outputs no other node needs that no task delivers (a split that leaves some out). */
  undelivered: string[];
}
