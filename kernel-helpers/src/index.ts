/**
 * dagcells: Hamilton-style dataflows of plain TypeScript functions. A function's
 * name is a node; its parameter names are the nodes it depends on.
 *
 * @example
 * ```ts
 * import { Driver } from "dagcells";
 * const dr = Driver.fromModule(await import("./marketing"));
 * const out = await dr.execute(["spend_per_signup"], { inputs: { raw_spend: [1, 2], raw_signups: [1, 4] } });
 * ```
 */
export { Driver, describeRun } from './driver';
export type { DriverOptions, ExecuteOptions, ExecutionEvent, NeededInput, NodeDefinition, RunDescription, Variable } from './driver';
export { codeVersion, codeVersions, fingerprint, loadFingerprints, MemoryStore, DiskStore, NodeCache } from './cache';
export type { CacheBehaviours, CacheEntry, CacheEvent, CacheSetting, CacheStore, CodeSource, Fingerprint } from './cache';
export { DagError, isDagError } from './errors';
export {
  config,
  tag,
  parameterize,
  source,
  value,
  group,
  extractFields,
  checkOutput,
  pipeInput,
  step,
  subdag,
  does,
  saveTo,
  loadFrom
} from './modifiers';
export type { CheckOptions, LoadOptions, SaveOptions, Step, SubdagOptions, Wrapped } from './modifiers';
/** The nodes a set of functions makes, wrapped ones expanded with the config (what the Driver and the notebook kernel run). */
export { expandFunctions } from './modifiers';
/** Makes the savers of a graph record their lineage when they write (what the Driver and the notebook kernel do). */
export { recordSaverLineage } from './modifiers/lineage';
export type { DagErrorCode, DagProblem } from './errors';
export { analyzeSource, typesAgree, hashText } from './analysis';
export type {
  AnalyzeOptions,
  Diagnostic,
  FunctionInfo,
  ParamInfo,
  SourceAnalysis,
  SourceRange,
  StatementInfo,
  StatementKind,
  TypeDefinition
} from './analysis';
export { buildGraph, graphToDot, graphToJSON, upstreamOf, downstreamOf, pathBetween } from './graph';
export { NotebookGraph } from './notebook';
/** How Airflow workers run dagcells for a DAG file in a folder (what `dagcells airflow` writes by default). */
export { workerCommand as airflowWorkerCommand } from './cli/worker-command';
export { sourceSpec, sourceSpecs, unchosenVariant, absentVariantMessage, functionSpec, readParameters } from './specs';
export type {
  DotOptions,
  GraphEdge,
  GraphJSON,
  GraphNode,
  GraphProblem,
  GraphSnapshot,
  NodeKind,
  NodeSpec,
  Origin
} from './graph';
export type { UnchosenVariant } from './specs';

/** The version of this package. */
export const VERSION = '0.1.0';
