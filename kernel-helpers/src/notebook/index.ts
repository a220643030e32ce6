/**
 * The notebook side of dagcells, as the JupyterLab extension uses it (loaded
 * on demand: it carries the TypeScript parser): the cell-keyed graph of a
 * notebook, source analysis, lineage and run planning on that graph, and what
 * a run must define in the kernel.
 */
export { NotebookGraph } from './notebook-graph';
export type { NotebookGraphOptions } from './notebook-graph';
export { analyzeSource, typesAgree, hashText } from '../analysis';
export type * from '../analysis/types';
export * from '../graph/types';
export type { UnchosenVariant } from '../specs/types';
export { absentVariantMessage } from '../specs/from-static';
export { graphToJSON } from '../graph/json';
export { upstreamOf, downstreamOf, pathBetween, topologicalOrder } from '../graph/lineage';
export { describeRun } from '../driver/plan';
export type { NeededInput, RunDescription } from '../driver/plan';
export { runDefinitions } from '../export/definitions';
export type { KernelModule, KernelPiece, RunDefinitions } from '../export/definitions';
export { inputValueFault } from '../driver/value-check';
export type { ValueFault } from '../driver/value-types';
export { codeVersions, graphCodeVersions } from '../cache/code-version';
export { AIRFLOW_ID, makeRecipe, readDagHeader, splitTasks } from '../airflow';
export { moduleDag } from './airflow';
export type { AirflowDag, AirflowProblem, DagPath, DagRecipe, PlannedTask, Split, TaskAssignment } from '../airflow';
