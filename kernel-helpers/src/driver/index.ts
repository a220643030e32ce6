export { Driver } from './driver';
export type { DriverOptions, ExecuteOptions, NodeDefinition, Variable } from './driver';
export type { ExecutionEvent, RunOptions } from './run';
export { describeRun } from './plan';
export type { NeededInput, RunDescription } from './plan';
