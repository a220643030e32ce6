export { Driver, useSourceTools } from './driver';
export type { DriverOptions, ExecuteOptions, SourceTools, Variable } from './driver';
export type { ExecutionEvent, RunOptions } from './run';
export { readParameters } from './parameters';
export type { RuntimeParam } from './parameters';
